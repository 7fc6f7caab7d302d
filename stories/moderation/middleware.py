"""Putting a fresh fill-time stamp in every form a page answers with."""

from stories.moderation.guard import STAMP_MARK, form_stamp


class FormStampMiddleware:
    """Replace each form's stamp mark with a stamp of now (stories.moderation.guard).

    Pages are kept in the cache for many readers, so a stamp rendered into
    them would tell the time the page was kept, not the time it was shown.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            return response
        mark = STAMP_MARK.encode()
        if mark in response.content:
            response.content = response.content.replace(mark, form_stamp().encode())
        return response
