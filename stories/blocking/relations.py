"""What a signed-in reader's own pages leave out or refuse: the users they
muted, the users who blocked them and the tags they hide, read in one query and
kept in the cache until a block, mute or hidden tag changes them (the reader's
scope, READER) or tags are refiled (what a hidden synonym stands for)."""

import hashlib
from dataclasses import dataclass, field

from django.db.models import Value
from django.db.models.functions import Coalesce

from stories.blocking.models import Block, Mute
from stories.caching import READER, TAGS_REFILED, cached, part
from stories.models import HiddenTag

MUTED = "m"
BLOCKED_BY = "b"
HIDDEN_TAG = "t"


@dataclass(frozen=True)
class Relations:
    """A reader's mutes, the blocks against them and the tags they hide (each
    hidden tag with the canonical tag it is a synonym of)."""

    muted_ids: frozenset[int] = field(default_factory=frozenset)
    blocker_ids: frozenset[int] = field(default_factory=frozenset)
    hidden_tag_ids: frozenset[int] = field(default_factory=frozenset)

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


NO_RELATIONS = Relations()


def relations_of(reader):
    """Return whom this reader muted, who blocked them and the tags they hide;
    nothing for guests.

    Read from the cache, where it is kept until they mute or unmute someone,
    hide or show a tag, or someone blocks or unblocks them.
    """
    if not reader.is_authenticated:
        return NO_RELATIONS
    return cached(
        part("relations", reader.pk, scopes=[READER(reader.pk), TAGS_REFILED]),
        lambda: _read_relations(reader),
    )


def _read_relations(reader):
    mutes = (
        Mute.objects.filter(muter=reader)
        .order_by()
        .annotate(kind=Value(MUTED))
        .values_list("muted_id", "kind")
    )
    blocks = (
        Block.objects.filter(blocked=reader)
        .order_by()
        .annotate(kind=Value(BLOCKED_BY))
        .values_list("blocker_id", "kind")
    )
    hidden = HiddenTag.objects.filter(reader=reader).order_by()
    hidden_tags = hidden.annotate(kind=Value(HIDDEN_TAG)).values_list("tag_id", "kind")
    canonical_tags = hidden.annotate(kind=Value(HIDDEN_TAG)).values_list(
        Coalesce("tag__merger_id", "tag_id"), "kind"
    )
    rows = list(mutes.union(blocks, hidden_tags, canonical_tags, all=True))
    return Relations(
        muted_ids=frozenset(pk for pk, kind in rows if kind == MUTED),
        blocker_ids=frozenset(pk for pk, kind in rows if kind == BLOCKED_BY),
        hidden_tag_ids=frozenset(pk for pk, kind in rows if kind == HIDDEN_TAG),
    )
