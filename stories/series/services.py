"""Every write to a series and its parts goes through these functions.

A series' page shows its details and which works it lists; each of its works'
pages shows "Part N of <series>" with the previous and next parts. So a write
that renames a series, or adds, removes or moves a part, declares the series
and every work in it changed (stories/caching.py).
"""

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from stories.caching import changed
from stories.models import Work
from stories.series.models import Series, SeriesWork
from stories.subscriptions import tasks as subscription_tasks
from stories.text import sanitize_html


def _series_lock(series: Series) -> None:
    """Make other writes to this series' parts wait until this transaction ends,
    so that two posts at once never give two parts one position. SQLite needs
    nothing: its writers already take turns."""
    list(Series.objects.select_for_update().filter(pk=series.pk).values("pk"))


def _work_ids(series: Series) -> list[int]:
    return list(series.parts.order_by("position").values_list("work_id", flat=True))


def _touch(series: Series) -> None:
    series.save(update_fields=["updated_at"])


@transaction.atomic
def series_create(
    *,
    owner: AbstractBaseUser,
    title: str,
    summary: str = "",
    notes: str = "",
    is_complete: bool = False,
    works: Iterable[Work] = (),
) -> Series:
    """Start a series with these works of its owner in this order (none by
    default); HTML fields are sanitized here.

    Raises ValueError, creating nothing, when a work is someone else's.
    """
    series = Series.objects.create(
        owner=owner,
        title=title.strip(),
        summary=sanitize_html(summary),
        notes=sanitize_html(notes),
        is_complete=is_complete,
    )
    changed(series=[series.pk])
    for work in works:
        series_add_work(series=series, work=work)
    return series


@transaction.atomic
def series_update(
    *,
    series: Series,
    title: str,
    summary: str,
    notes: str,
    is_complete: bool,
) -> Series:
    """Change a series' details; a new title shows on every one of its works."""
    renamed = title.strip() != Series.objects.get(pk=series.pk).title
    series.title = title.strip()
    series.summary = sanitize_html(summary)
    series.notes = sanitize_html(notes)
    series.is_complete = is_complete
    series.save(
        update_fields=["title", "summary", "notes", "is_complete", "updated_at"]
    )
    changed(works=_work_ids(series) if renamed else (), series=[series.pk])
    return series


@transaction.atomic
def series_delete(*, series: Series) -> None:
    """Delete a series; its works stay, in no longer this series."""
    work_ids = _work_ids(series)
    series_id = series.pk
    series.delete()
    changed(works=work_ids, series=[series_id])


@transaction.atomic
def series_add_work(*, series: Series, work: Work) -> SeriesWork:
    """Add a work the series' owner is a creator of as the series' last part.

    Raises ValueError, changing nothing, for someone else's work or a work
    already in the series.
    """
    if series.owner_id not in work.creator_ids:
        raise ValueError(_("Only the series' owner's own works can be added to it."))
    _series_lock(series)
    parts = series.parts.all()
    if parts.filter(work=work).exists():
        raise ValueError(
            _("“%(work)s” is already in this series.") % {"work": work.title}
        )
    last = parts.aggregate(last=Max("position"))["last"] or 0
    part = SeriesWork.objects.create(series=series, work=work, position=last + 1)
    _touch(series)
    changed(works=_work_ids(series), series=[series.pk])
    if work.is_posted:
        # A draft's followers hear of it when it is posted (work_posted).
        subscription_tasks.series_part_added_on_commit(
            series_id=series.pk, work_id=work.pk
        )
    return part


@transaction.atomic
def series_remove_work(*, series: Series, work: Work) -> None:
    """Take a work out of a series; the parts after it move up one.

    Raises ValueError, changing nothing, when the work is not in the series.
    """
    _series_lock(series)
    work_ids = _work_ids(series)
    if work.pk not in work_ids:
        raise ValueError(_("“%(work)s” is not in this series.") % {"work": work.title})
    series.parts.filter(work=work).delete()
    _renumber(series, [pk for pk in work_ids if pk != work.pk])
    _touch(series)
    changed(works=work_ids, series=[series.pk])


@transaction.atomic
def series_move_work(*, series: Series, work: Work, by: int) -> bool:
    """Move a work up (by < 0) or down (by > 0) the series by that many places,
    stopping at either end; return whether it moved.

    Raises ValueError, changing nothing, when the work is not in the series.
    """
    _series_lock(series)
    work_ids = _work_ids(series)
    if work.pk not in work_ids:
        raise ValueError(_("“%(work)s” is not in this series.") % {"work": work.title})
    at = work_ids.index(work.pk)
    to = min(max(at + by, 0), len(work_ids) - 1)
    if to == at:
        return False
    work_ids.insert(to, work_ids.pop(at))
    _renumber(series, work_ids)
    _touch(series)
    changed(works=work_ids, series=[series.pk])
    return True


@transaction.atomic
def series_reorder(*, series: Series, work_ids: list[int]) -> None:
    """Put a series' works in this order, given every one of them once.

    Raises ValueError, changing nothing, when the list is not the series' works.
    """
    _series_lock(series)
    current = _work_ids(series)
    if sorted(work_ids) != sorted(current):
        raise ValueError(_("Give every work of the series once."))
    if work_ids == current:
        return
    _renumber(series, work_ids)
    _touch(series)
    changed(works=work_ids, series=[series.pk])


def _renumber(series: Series, work_ids: list[int]) -> None:
    """Number the parts 1, 2, 3... in this order, writing only those that move."""
    parts = {part.work_id: part for part in series.parts.all()}
    moved = []
    for position, work_id in enumerate(work_ids, start=1):
        part = parts[work_id]
        if part.position != position:
            part.position = position
            moved.append(part)
    SeriesWork.objects.bulk_update(moved, ["position"])


def series_parts_shown_changed(*, work_ids: Iterable[int]) -> None:
    """Declare changed the series holding these works, and every work in them.

    A work posted, taken back to draft or deleted changes which parts readers
    see: the series' pages, and the "Part N of" lines of the other parts. The
    stories services call this where a work's status can change, and before
    a work is deleted (its parts go with it).
    """
    rows = list(
        SeriesWork.objects.in_series_of(work_ids).values_list("series_id", "work_id")
    )
    series_ids = {series_id for series_id, _work in rows}
    if series_ids:
        changed(works={work for _series, work in rows}, series=series_ids)
