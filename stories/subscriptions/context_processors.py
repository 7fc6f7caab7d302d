"""The inbox link in every page's header, with the reader's unread count."""

from django.urls import reverse
from django.utils.functional import cached_property

from stories.caching import INBOX, cached, part
from stories.subscriptions.services import unread_count

UNREAD_KEPT_SECONDS = 10 * 60


class Inbox:
    """A signed-in reader's inbox as the header shows it, read only if shown.

    The count is kept in the cache until the reader's notifications change
    (the INBOX scope, declared by the services), so a page costs no query for
    it once it is kept. Deleting a work, chapter or comment deletes its
    notifications without a word to the inbox: the count is kept ten minutes
    at most, so it catches up with those.
    """

    def __init__(self, user):
        self.user = user

    @cached_property
    def url(self):
        return reverse("subscriptions:inbox", args=[self.user.username])

    @cached_property
    def unread(self):
        pk = self.user.pk
        return cached(
            part("inbox-unread", pk, scopes=[INBOX(pk)]),
            lambda: unread_count(self.user),
            timeout=UNREAD_KEPT_SECONDS,
        )


def inbox(request):
    """Return the signed-in reader's inbox for the header; nothing for guests."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox": Inbox(user)}
