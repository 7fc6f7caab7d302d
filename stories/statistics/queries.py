"""Reads of an author's statistics: their works' counts and series over time.

Every figure is one query: the table of works reads the counts kept on each
work (and the subscriptions to it, counted in a subquery); each series over
time is one query grouped by day, week or month (TruncDay, TruncWeek,
TruncMonth, which both databases run), never a query per work or per date.

Hits over time are read from their hours (stories.engagement.models.WorkHits),
written by the hits job.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDay, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stories.bookmarks.models import Bookmark
from stories.engagement.models import Kudos, WorkHits
from stories.models import Chapter, Comment, Status, Work
from stories.subscriptions.models import Subscription


@dataclass(frozen=True)
class Period:
    """How a series is grouped: by day, week or month, over so many of them."""

    name: str
    label: str
    # The title of a chart by this period: "%(series)s" is the series' name.
    title: str
    trunc: type
    shown: int

    def starts(self, today: datetime.date) -> list[datetime.date]:
        """Return the first day of each period shown, oldest first, up to today's."""
        if self.name == "day":
            return [today - datetime.timedelta(days=n) for n in range(self.shown)][::-1]
        if self.name == "week":
            monday = today - datetime.timedelta(days=today.weekday())
            return [monday - datetime.timedelta(weeks=n) for n in range(self.shown)][
                ::-1
            ]
        months = today.year * 12 + today.month - 1
        return [
            datetime.date((months - n) // 12, (months - n) % 12 + 1, 1)
            for n in range(self.shown)
        ][::-1]


PERIODS = {
    period.name: period
    for period in (
        Period("day", _("Day"), _("%(series)s by day"), TruncDay, 30),
        Period("week", _("Week"), _("%(series)s by week"), TruncWeek, 26),
        Period("month", _("Month"), _("%(series)s by month"), TruncMonth, 24),
    )
}
DEFAULT_PERIOD = "week"


@dataclass(frozen=True)
class Series:
    """A count over time: what is counted, its date, and what is summed."""

    name: str
    label: str
    model: type
    date_field: str
    work_field: str = "work"
    # None counts the rows; a field name sums it.
    summed: str | None = None
    condition: Q = Q()


SERIES = {
    series.name: series
    for series in (
        Series("hits", _("Hits"), WorkHits, "hour", summed="hits"),
        Series("kudos", _("Kudos"), Kudos, "created_at"),
        Series(
            "comments",
            _("Comments"),
            Comment,
            "created_at",
            # As the works' comment counts: shown comments only.
            condition=Q(status="posted", is_deleted=False),
        ),
        Series(
            "bookmarks",
            _("Bookmarks"),
            Bookmark,
            "created_at",
            # As the works' bookmark counts: public bookmarks only.
            condition=Q(is_private=False),
        ),
        Series("subscriptions", _("Subscriptions"), Subscription, "created_at"),
        Series(
            "words",
            _("Words posted"),
            Chapter,
            "published_at",
            summed="word_count",
            condition=Q(status=Status.POSTED),
        ),
    )
}


def author_works(author):
    """Return the works an author owns or is an accepted creator of, drafts
    and works restricted to members included (their statistics are theirs)."""
    return Work.objects.filter(
        Q(owner=author) | Q(pk__in=Work.objects.created_by(author).values("pk"))
    )


@dataclass(frozen=True)
class WorkFigures:
    """One row of the table: a work and its counts."""

    pk: int
    title: str
    status: str
    restricted: bool
    published_at: datetime.datetime | None
    words: int
    chapters: int
    comments: int
    hits: int
    kudos: int
    bookmarks: int
    subscriptions: int

    @property
    def is_posted(self):
        return self.status == Status.POSTED


COUNTS = (
    "words",
    "chapters",
    "comments",
    "hits",
    "kudos",
    "bookmarks",
    "subscriptions",
)
# The table's columns a reader may sort by, and the fields they sort on.
SORTS = {
    "title": "title",
    "published": "published_at",
    "words": "word_count",
    "chapters": "chapter_count",
    "comments": "comment_count",
    "hits": "hit_count",
    "kudos": "kudos_count",
    "bookmarks": "bookmark_count",
    "subscriptions": "subscription_count",
}
DEFAULT_SORT = "published"


def work_figures(author, *, sort=DEFAULT_SORT, descending=True) -> list[WorkFigures]:
    """Return the author's works with their counts, in one query."""
    subscribed = (
        Subscription.objects.filter(work=OuterRef("pk"))
        .order_by()
        .values("work")
        .annotate(total=Count("pk"))
        .values("total")
    )
    field = F(SORTS.get(sort, SORTS[DEFAULT_SORT]))
    # Drafts have no publication date: last either way.
    order = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
    rows = (
        author_works(author)
        .annotate(
            subscription_count=Coalesce(
                Subquery(subscribed, output_field=IntegerField()), 0
            )
        )
        .order_by(order, "pk")
        .values_list(
            "pk",
            "title",
            "status",
            "restricted",
            "published_at",
            "word_count",
            "chapter_count",
            "comment_count",
            "hit_count",
            "kudos_count",
            "bookmark_count",
            "subscription_count",
        )
    )
    return [WorkFigures(*row) for row in rows]


def totals(rows: list[WorkFigures]) -> dict[str, int]:
    """Return the sum of each count over the works of the table."""
    return {count: sum(getattr(row, count) for row in rows) for count in COUNTS}


@dataclass(frozen=True)
class Point:
    """One period of a series: when it starts and its value."""

    start: datetime.date
    value: int


def series_points(author, series: Series, period: Period, today=None) -> list[Point]:
    """Return a series of the author's works by period, zeros included, in
    one query grouped by the period's start (in the current time zone)."""
    today = today or timezone.localdate()
    starts = period.starts(today)
    since = timezone.make_aware(datetime.datetime.combine(starts[0], datetime.time.min))
    counted = Sum(series.summed) if series.summed else Count("pk")
    rows = (
        series.model.objects.filter(
            series.condition,
            **{
                f"{series.work_field}__in": author_works(author).values("pk"),
                f"{series.date_field}__gte": since,
            },
        )
        .annotate(start=period.trunc(series.date_field))
        .order_by()
        .values("start")
        .annotate(value=counted)
        .values_list("start", "value")
    )
    found = {}
    for start, value in rows:
        day = timezone.localtime(start).date() if timezone.is_aware(start) else start
        found[day] = found.get(day, 0) + (value or 0)
    return [Point(start, found.get(start, 0)) for start in starts]
