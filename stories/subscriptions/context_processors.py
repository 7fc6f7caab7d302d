"""The inbox link in every page's header, with the reader's unread count."""

from django.urls import reverse
from django.utils.functional import cached_property

from stories.readers import reader_facts


class Inbox:
    """A signed-in reader's inbox as the header shows it, read only if shown.

    The count is one of the reader's facts (stories/readers.py), read with
    their mutes and blocks and kept until their notifications change (the
    INBOX scope, declared by the services), so a page costs no query for it
    once it is kept.
    """

    def __init__(self, user):
        self.user = user

    @cached_property
    def url(self):
        return reverse("subscriptions:inbox", args=[self.user.username])

    @cached_property
    def unread(self):
        return reader_facts(self.user).unread_notifications


def inbox(request):
    """Return the signed-in reader's inbox for the header; nothing for guests."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox": Inbox(user)}
