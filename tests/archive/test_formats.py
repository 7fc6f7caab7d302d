"""One way to show dates, times and numbers (archive/templatetags/formats.py),
used by every template."""

import re
from datetime import UTC, date, datetime

import pytest
from django.conf import settings
from django.utils import timezone

from archive.templatetags.formats import number, same_day, when

MOMENT = datetime(2026, 11, 26, 14, 5, tzinfo=UTC)


def test_dates_and_times_read_as_ao3s_in_a_time_element():
    assert when(MOMENT) == (
        '<time datetime="2026-11-26T14:05:00+00:00">26 Nov 2026</time>'
    )
    assert when(MOMENT, "time") == (
        '<time datetime="2026-11-26T14:05:00+00:00">26 Nov 2026, 14:05</time>'
    )
    assert when(MOMENT, "ao3") == (
        '<time datetime="2026-11-26T14:05:00+00:00">2026-11-26</time>'
    )
    assert when(date(2026, 7, 3)) == '<time datetime="2026-07-03">03 Jul 2026</time>'
    assert when(None) == "" and when("") == ""


def test_the_moment_is_a_valid_html_date_string():
    # Microseconds are more digits than HTML (and EPUBCheck) allow.
    moment = MOMENT.replace(microsecond=123456)
    assert 'datetime="2026-11-26T14:05:00+00:00"' in when(moment, "time")


def test_dates_are_in_the_zone_turned_on():
    with timezone.override("Pacific/Auckland"):
        assert when(MOMENT, "time") == (
            '<time datetime="2026-11-27T03:05:00+13:00">27 Nov 2026, 03:05</time>'
        )
        assert not same_day(MOMENT, datetime(2026, 11, 26, 10, 0, tzinfo=UTC))
    assert same_day(MOMENT, datetime(2026, 11, 26, 10, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("value", "shown"),
    [(3964, "3,964"), (1234567, "1,234,567"), (7, "7"), (0, "0"), ("12000", "12,000")],
)
def test_numbers_have_thousands_separators(value, shown):
    assert number(value) == shown


def test_number_leaves_what_is_not_a_number():
    assert number(None) is None and number("many") == "many"


def test_no_template_formats_a_date_or_number_its_own_way():
    found = []
    for path in (settings.BASE_DIR / "templates").rglob("*.*"):
        for line_number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\|date\b|intcomma|naturaltime|naturalday|humanize", line):
                # Machine-read dates (a book's <meta>) are ISO 8601, as they must.
                if "<meta" in line and "|date:'c'" in line:
                    continue
                found.append(f"{path.name}:{line_number}: {line.strip()}")
    assert found == []
