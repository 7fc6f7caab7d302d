"""Refusing requests too large to read, before anything reads them; sending
pages compressed."""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware
from django.shortcuts import render

# Files compressed already (EPUB is a zip, PDF streams are deflated): gzip
# would spend time to make them no smaller, and take their Content-Length.
COMPRESSED_TYPES = ("application/epub+zip", "application/pdf", "application/zip")


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose declared body is over REQUEST_MAX_BYTES.

    Django reads an upload whole (to memory or a temporary file) before any
    form looks at its size; this looks at the Content-Length first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return render(
                request,
                "413.html",
                {
                    "size_mb": f"{length / 1024 / 1024:.1f}",
                    "limit_mb": f"{settings.REQUEST_MAX_BYTES / 1024 / 1024:.0f}",
                },
                status=413,
            )
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header from settings.PERMISSIONS_POLICY.

    Each feature maps to the origins allowed it: [] refuses it everywhere,
    ["self"] allows this site alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(_origin(origin) for origin in origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def _origin(origin):
    return origin if origin in {"self", "*"} else f'"{origin}"'


class GZipMiddleware(DjangoGZipMiddleware):
    """Django's GZipMiddleware, but for files compressed already.

    Pages carry a secret (the form token), so compressing them opens them to
    BREACH, which guesses a secret from how a page's size changes with text
    an attacker puts in it. Django's answer holds here: the token in a page
    is masked afresh for every response (`get_token` gives a new random mask
    over the same secret each time; tests/archive/test_compression.py checks
    it), and the middleware adds random bytes to every compressed response.
    """

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if content_type.split(";")[0].strip() in COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)
