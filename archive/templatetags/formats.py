"""The archive's one way of showing dates, times and numbers.

Dates read as AO3's do, "26 Nov 2026", times "26 Nov 2026, 14:05", both in
the reader's time zone (archive/preferences.py turns it on for the request)
and in <time datetime="..."> with the moment in ISO 8601; numbers have
thousands separators, "3,964", as AO3's tools read them.
"""

import datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.formats import number_format
from django.utils.html import format_html

register = template.Library()

FORMATS = {
    "date": "d M Y",
    "time": "d M Y, H:i",
    # A month of a chart by month.
    "month": "M Y",
    # Where AO3's own pages, and the tools that read them, have the ISO date:
    # a work's "Published:" and "Updated:", the chapter index.
    "ao3": "Y-m-d",
}


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def when(value, style="date"):
    """Show a date or a moment in the reader's time zone, in a <time>
    element: style "date" (the default), "time" (with the hour) or "ao3"."""
    if not isinstance(value, datetime.date):
        return ""
    local = _local(value)
    # HTML's valid date strings allow at most milliseconds: seconds are enough.
    if isinstance(local, datetime.datetime):
        moment = local.isoformat(timespec="seconds")
    else:
        moment = local.isoformat()
    return format_html('<time datetime="{}">{}</time>', moment, shown(value, style))


def shown(value, style="date"):
    """Return a date or a moment as text in the reader's time zone, for
    messages and emails, where no <time> element goes."""
    return dateformat.format(_local(value), FORMATS[style])


@register.filter
def same_day(value, other):
    """Return whether two moments fall on the same day in the reader's time
    zone."""
    return _day(value) is not None and _day(value) == _day(other)


def _day(value):
    if isinstance(value, datetime.datetime):
        return _local(value).date()
    return value if isinstance(value, datetime.date) else None


@register.filter
def number(value):
    """Show a count with the reader's language's thousands separators: 3,964
    in English (as AO3's tools read it), 3 964 in French."""
    try:
        return number_format(int(value), force_grouping=True)
    except (TypeError, ValueError):
        return value
