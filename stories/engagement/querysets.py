"""Reads of kudos that pages show."""

from typing import NamedTuple

from django.db.models import Case, Count, IntegerField, Q, Value, When, Window

from stories.engagement.models import Kudos

# AO3 names everyone; a work with thousands of kudos names the newest this many.
KUDOS_NAMES_SHOWN = 50


class KudosGivers(NamedTuple):
    """Who left kudos on a work: the newest names, how many more users, guests."""

    names: tuple[str, ...]
    more_users: int
    guests: int


def kudos_givers(work) -> KudosGivers:
    """Return who left kudos on a work: one query, none when it has none.

    Users no longer active are counted among the "more users", not named.
    """
    if not work.kudos_count:
        return KudosGivers((), 0, 0)
    named = Q(user__isnull=False, user__is_active=True)
    rows = list(
        Kudos.objects.filter(work=work)
        # Counted over all the work's kudos, before the first rows are taken.
        .annotate(
            users=Window(Count("user_id")),
            total=Window(Count("pk")),
            unnamed=Case(
                When(named, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("unnamed", "-created_at", "-id")
        .values_list("user__username", "unnamed", "users", "total")[:KUDOS_NAMES_SHOWN]
    )
    if not rows:
        return KudosGivers((), 0, 0)
    names = tuple(name for name, unnamed, _users, _total in rows if not unnamed)
    users, total = rows[0][2], rows[0][3]
    return KudosGivers(names, users - len(names), total - users)
