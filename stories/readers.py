"""What every page a signed-in reader sees needs of them: the users they muted,
the users who blocked them and the tags they hide (what their pages leave out or
refuse), the creators, series and tags they follow (the subscribe buttons), and
how many of their notifications are unread (the header). Read in one query and
kept in the cache until a block, mute, hidden tag or subscription changes them
(the reader's scope, READER), their inbox changes (INBOX), or tags are refiled
(what a hidden synonym stands for)."""

import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Value
from django.db.models.functions import Coalesce

from stories.blocking.models import Block, Mute
from stories.caching import INBOX, READER, TAGS_REFILED, cached, part
from stories.models import HiddenTag
from stories.subscriptions.models import Notification, Subscription

MUTED = "m"
BLOCKED_BY = "b"
HIDDEN_TAG = "t"
UNREAD = "n"
# The targets followed here; works are followed by the thousand, so a work's
# pages read their reader's subscription with the rest of their state on it.
FOLLOWED = ("creator", "series", "tag")


@dataclass(frozen=True)
class ReaderFacts:
    """A reader's mutes, the blocks against them, the tags they hide (each
    hidden tag with the canonical tag it is a synonym of) and their unread
    notifications."""

    muted_ids: frozenset[int] = field(default_factory=frozenset)
    blocker_ids: frozenset[int] = field(default_factory=frozenset)
    hidden_tag_ids: frozenset[int] = field(default_factory=frozenset)
    unread_notifications: int = 0
    # The reader's subscription to each creator, series and tag they follow:
    # ((target, target id, subscription id), ...).
    following: tuple[tuple[str, int, int], ...] = ()

    def subscription_to(self, target, pk):
        """Return the id of the reader's subscription to a creator, series or
        tag, or None."""
        for kind, target_pk, subscription_pk in self.following:
            if kind == target and target_pk == pk:
                return subscription_pk
        return None

    def __bool__(self):
        return bool(self.muted_ids or self.blocker_ids)

    @property
    def cache_key(self):
        """Return a short key that differs for every different set of mutes and
        blocks, so that parts kept for a reader are rendered anew when one
        changes (hidden tags key listings, through Hidden)."""
        if not self:
            return ""
        text = f"{sorted(self.muted_ids)}#{sorted(self.blocker_ids)}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]


NO_FACTS = ReaderFacts()


def reader_facts(reader):
    """Return whom this reader muted, who blocked them, the tags they hide and
    their unread notifications; nothing for guests.

    Read from the cache, where it is kept until they mute or unmute someone,
    hide or show a tag, someone blocks or unblocks them, or their inbox changes.
    """
    if not reader.is_authenticated:
        return NO_FACTS
    pk = reader.pk
    return cached(
        part("reader-facts", pk, scopes=[READER(pk), INBOX(pk), TAGS_REFILED]),
        lambda: _read_facts(reader),
    )


def _read_facts(reader):
    # Each row: (an id or a count, what it is, a subscription's id or 0).
    none = Value(0)
    mutes = (
        Mute.objects.filter(muter=reader)
        .order_by()
        .annotate(kind=Value(MUTED), extra=none)
        .values_list("muted_id", "kind", "extra")
    )
    blocks = (
        Block.objects.filter(blocked=reader)
        .order_by()
        .annotate(kind=Value(BLOCKED_BY), extra=none)
        .values_list("blocker_id", "kind", "extra")
    )
    hidden = HiddenTag.objects.filter(reader=reader).order_by()
    hidden = hidden.annotate(kind=Value(HIDDEN_TAG), extra=none)
    hidden_tags = hidden.values_list("tag_id", "kind", "extra")
    canonical_tags = hidden.values_list(
        Coalesce("tag__merger_id", "tag_id"), "kind", "extra"
    )
    unread = (
        Notification.objects.filter(user=reader, read_at=None)
        .order_by()
        .values("user")
        .annotate(unread=Count("pk"), kind=Value(UNREAD), extra=none)
        .values_list("unread", "kind", "extra")
    )
    followed = [
        Subscription.objects.filter(user=reader, **{f"{target}__isnull": False})
        .order_by()
        .annotate(kind=Value(target))
        .values_list(f"{target}_id", "kind", "pk")
        for target in FOLLOWED
    ]
    rows = list(
        mutes.union(blocks, hidden_tags, canonical_tags, unread, *followed, all=True)
    )
    return ReaderFacts(
        muted_ids=frozenset(pk for pk, kind, _ in rows if kind == MUTED),
        blocker_ids=frozenset(pk for pk, kind, _ in rows if kind == BLOCKED_BY),
        hidden_tag_ids=frozenset(pk for pk, kind, _ in rows if kind == HIDDEN_TAG),
        unread_notifications=sum(count for count, kind, _ in rows if kind == UNREAD),
        following=tuple(
            (kind, pk, subscription_pk)
            for pk, kind, subscription_pk in rows
            if kind in FOLLOWED
        ),
    )
