"""The "Part 2 of <series>" lines of a work's pages, with the parts around it.

They are rendered into the work's cached reading part (stories/reading.py),
kept until the work changes: every write that changes a line (a series
renamed, deleted, a part added, removed or moved, a part posted, taken back
to draft or deleted) declares every work of the series changed
(stories/series/services.py). A reader sees the parts they may read: drafts
are skipped for everyone but their owner (and staff), and numbered past.
"""

from itertools import groupby
from typing import NamedTuple

from stories.series.models import SeriesWork


class SeriesLine(NamedTuple):
    series_id: int
    title: str
    number: int
    previous_id: int | None
    next_id: int | None


def series_lines(work, user):
    """Return a line for every series this work is in, oldest series first,
    in one query, or none when for_reading() found it in no series."""
    if getattr(work, "in_series", True) is False:
        return []
    parts = (
        SeriesWork.objects.filter(series__parts__work=work)
        .visible_to(user)
        .select_related("series")
        .only("work_id", "position", "series__title")
        .order_by("series_id", "position", "pk")
    )
    lines = []
    for _series_id, grouped in groupby(parts, key=lambda part: part.series_id):
        shown = list(grouped)
        work_ids = [part.work_id for part in shown]
        if work.pk not in work_ids:
            continue
        at = work_ids.index(work.pk)
        lines.append(
            SeriesLine(
                series_id=shown[0].series_id,
                title=shown[0].series.title,
                number=at + 1,
                previous_id=work_ids[at - 1] if at > 0 else None,
                next_id=work_ids[at + 1] if at + 1 < len(work_ids) else None,
            )
        )
    return lines
