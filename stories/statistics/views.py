"""The author's statistics page and the charts it shows."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from stories.statistics import queries
from stories.statistics.forms import StatisticsForm
from stories.statistics.queries import COUNTS

HEADINGS = {
    "title": gettext_lazy("Work"),
    "published": gettext_lazy("Published"),
    "words": gettext_lazy("Words"),
    "chapters": gettext_lazy("Chapters"),
    "comments": gettext_lazy("Comments"),
    "hits": gettext_lazy("Hits"),
    "kudos": gettext_lazy("Kudos"),
    "bookmarks": gettext_lazy("Bookmarks"),
    "subscriptions": gettext_lazy("Subscriptions"),
}


def _author(request, username):
    """Return the author whose statistics these are: only they and staff may
    see them; to anyone else the page is not found."""
    if request.user.username == username:
        return request.user
    if not request.user.is_staff:
        raise Http404(_("No such page."))
    return get_object_or_404(get_user_model(), username=username)


def _chart_title(series, period):
    return period.title % {"series": series.label}


@never_cache
@login_required
def author_statistics(request, username):
    """An author's works with their counts, and their series over time."""
    author = _author(request, username)
    form = StatisticsForm(request.GET)
    period, sort, descending = form.choices()
    rows = queries.work_figures(author, sort=sort, descending=descending)
    number = number_formatter()
    totals = queries.totals(rows)
    charted = []
    for series in queries.SERIES.values():
        charted.append(
            {
                "series": series,
                "title": _chart_title(series, period),
                "points": [
                    (point.start, number(point.value))
                    for point in queries.series_points(author, series, period)
                ],
                "address": reverse(
                    "statistics:author_chart",
                    kwargs={"username": author.username, "chart": series.name},
                )
                + f"?by={period.name}",
            }
        )
    return render(
        request,
        "statistics/author_statistics.html",
        {
            "author": author,
            "form": form,
            "period": period,
            "rows": [
                {
                    "work": row,
                    "cells": [(count, number(getattr(row, count))) for count in COUNTS],
                }
                for row in rows
            ],
            "totals": [
                ("works", _("Works"), number(len(rows))),
                *((count, HEADINGS[count], number(totals[count])) for count in COUNTS),
            ],
            "sort": sort,
            "descending": descending,
            "columns": _columns(sort, descending, period),
            "charts": charted,
        },
    )


def number_formatter():
    """Return a function that writes a whole number as intcomma does in the
    active language, its separator read once: a page of hundreds of works
    writes thousands of numbers."""
    separator = get_format("THOUSAND_SEPARATOR")
    return lambda value: f"{value:,}".replace(",", separator)


def _columns(sort, descending, period):
    """Return the table's sortable columns: heading, address, and aria-sort."""
    columns = []
    for name, heading in HEADINGS.items():
        sorted_here = name == sort
        # A second click on the sorted column turns it round; a title sorts
        # from A, counts and dates from the most.
        if sorted_here:
            order = "asc" if descending else "desc"
        else:
            order = "asc" if name == "title" else "desc"
        columns.append(
            {
                "name": name,
                "heading": heading,
                "query": f"?by={period.name}&sort={name}&order={order}",
                "aria_sort": (
                    ("descending" if descending else "ascending") if sorted_here else ""
                ),
            }
        )
    return columns


@never_cache
@login_required
def author_chart(request, username, chart):
    """One of an author's series over time, as an SVG image."""
    author = _author(request, username)
    if chart not in queries.SERIES:
        raise Http404(_("No such chart."))
    period, _sort, _descending = StatisticsForm(request.GET).choices()
    chosen = queries.SERIES[chart]
    # pygal takes a good part of a second to import: only the processes that
    # draw a chart pay it, not every start of the site or of a command.
    from stories.statistics import charts

    svg, style_sources = charts.chart_svg(
        title=_chart_title(chosen, period),
        points=queries.series_points(author, chosen, period),
        period=period,
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    # Opened on its own, the SVG is a document: it may use its own <style>
    # (by hash) and nothing else.
    response._csp_replace = {
        "default-src": ["'none'"],
        "style-src": style_sources,
        "img-src": ["'none'"],
    }
    return response
