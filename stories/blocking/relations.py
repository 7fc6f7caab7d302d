"""What a signed-in reader's own pages leave out or refuse: the users they
muted and the users who blocked them, read in one query and kept in the cache
until a block or mute changes them (the reader's scope, READER)."""

import hashlib
from dataclasses import dataclass, field

from django.db.models import Value

from stories.blocking.models import Block, Mute
from stories.caching import READER, cached, part

MUTED = "m"
BLOCKED_BY = "b"


@dataclass(frozen=True)
class Relations:
    """A reader's mutes and the blocks against them."""

    muted_ids: frozenset[int] = field(default_factory=frozenset)
    blocker_ids: frozenset[int] = field(default_factory=frozenset)

    def __bool__(self):
        return bool(self.muted_ids or self.blocker_ids)

    @property
    def cache_key(self):
        """Return a short key that differs for every different set of relations,
        so that parts kept for a reader are rendered anew when one changes."""
        if not self:
            return ""
        text = f"{sorted(self.muted_ids)}#{sorted(self.blocker_ids)}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]


NO_RELATIONS = Relations()


def relations_of(reader):
    """Return whom this reader muted and who blocked them; nothing for guests.

    Read from the cache, where it is kept until they mute or unmute someone,
    or someone blocks or unblocks them.
    """
    if not reader.is_authenticated:
        return NO_RELATIONS
    return cached(
        part("relations", reader.pk, scopes=[READER(reader.pk)]),
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
    rows = list(mutes.union(blocks, all=True))
    return Relations(
        muted_ids=frozenset(pk for pk, kind in rows if kind == MUTED),
        blocker_ids=frozenset(pk for pk, kind in rows if kind == BLOCKED_BY),
    )
