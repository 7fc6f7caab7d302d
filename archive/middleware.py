"""Refusing requests too large to read, before anything reads them."""

from django.conf import settings
from django.shortcuts import render


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
