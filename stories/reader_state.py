"""What one signed-in reader has to do with a work, for what its pages show
them alone, outside the cached parts: where they stopped reading, their
bookmark, their subscription, and whether they are one of its creators. Read in
one query, whatever the page shows of it."""

from datetime import datetime
from typing import NamedTuple

from django.db.models import Exists, FilteredRelation, OuterRef, Q, Subquery

from stories.models import Creatorship, CreatorshipStatus, Status, Work
from stories.subscriptions.models import Subscription


class Reading(NamedTuple):
    """The reader's row of history for the work, as it was before this visit."""

    last_chapter_id: int | None
    last_read_at: datetime | None
    chapters_seen: int
    is_marked_for_later: bool


class WorkReaderState(NamedTuple):
    work_id: int
    is_posted: bool
    is_creator: bool
    reading: Reading | None
    bookmark_pk: int | None
    subscription_pk: int | None


def work_reader_state_of(request, work_pk):
    """Return the request's reader's state on a work, read once a request (the
    page and the hit it counts both ask)."""
    states = request.__dict__.setdefault("_work_reader_states", {})
    if work_pk not in states:
        states[work_pk] = work_reader_state(request.user, work_pk)
    return states[work_pk]


def work_reader_state(reader, work_pk):
    """Return this signed-in reader's state on a work; None for guests and for
    a work that is gone."""
    if not reader.is_authenticated:
        return None
    row = (
        Work.objects.filter(pk=work_pk)
        .annotate(
            mine_reading=FilteredRelation(
                "readings", condition=Q(readings__user=reader)
            ),
            mine_bookmark=FilteredRelation(
                "bookmarks", condition=Q(bookmarks__owner=reader)
            ),
            subscription_pk=Subquery(
                Subscription.objects.filter(user=reader, work=OuterRef("pk")).values(
                    "pk"
                )[:1]
            ),
            is_creator=Exists(
                Creatorship.objects.filter(
                    work=OuterRef("pk"),
                    user=reader,
                    status=CreatorshipStatus.ACCEPTED,
                )
            ),
        )
        .values_list(
            "status",
            "is_creator",
            "mine_reading__id",
            "mine_reading__last_chapter_id",
            "mine_reading__last_read_at",
            "mine_reading__chapters_seen",
            "mine_reading__is_marked_for_later",
            "mine_bookmark__id",
            "subscription_pk",
        )
        .first()
    )
    if row is None:
        return None
    status, is_creator, reading_pk, *reading, bookmark_pk, subscription_pk = row
    return WorkReaderState(
        work_id=work_pk,
        is_posted=status == Status.POSTED,
        is_creator=is_creator,
        reading=None if reading_pk is None else Reading(*reading),
        bookmark_pk=bookmark_pk,
        subscription_pk=subscription_pk,
    )
