"""Reads of kudos that pages show."""

from typing import NamedTuple

from django.db.models import Count, Q

from stories.engagement.models import Kudos

# AO3 names everyone; a work with thousands of kudos names the newest this many.
KUDOS_NAMES_SHOWN = 50


class KudosGivers(NamedTuple):
    """Who left kudos on a work: the newest names, how many more users, guests."""

    names: tuple[str, ...]
    more_users: int
    guests: int


def kudos_givers(work) -> KudosGivers:
    """Return who left kudos on a work: two queries, none when it has none.

    Users no longer active are counted among the "more users", not named.
    """
    if not work.kudos_count:
        return KudosGivers((), 0, 0)
    named = Q(user__isnull=False, user__is_active=True)
    kudos = Kudos.objects.filter(work=work)
    names = tuple(
        kudos.filter(named)
        .order_by("-created_at", "-id")
        .values_list("user__username", flat=True)[:KUDOS_NAMES_SHOWN]
    )
    totals = kudos.aggregate(
        users=Count("pk", filter=Q(user__isnull=False)),
        guests=Count("pk", filter=Q(user=None)),
    )
    return KudosGivers(names, totals["users"] - len(names), totals["guests"])
