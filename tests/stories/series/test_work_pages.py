"""The "Part N of <series>" line on a work's pages, and that every change to a
series shows on the next view of the pages showing it (stories/caching.py)."""

import re
from dataclasses import dataclass
from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from archive.models import User
from stories import services as stories_services
from stories.models import Work
from stories.series import services
from stories.series.models import Series
from stories.series.navigation import series_lines
from tests.factories import make_work
from tests.pages import admin_work_form, titles, words
from tests.stories.series.conftest import make_series

pytestmark = pytest.mark.django_db

SERIES_NAV = re.compile(r'<nav class="series-nav".*?</nav>', re.S)


def series_nav(response):
    """Return the series lines of a work's page as a reader reads them, with
    the addresses of their links."""
    found = SERIES_NAV.search(response.content.decode())
    if not found:
        return ""
    html = re.sub(r'<a href="([^"]*)"[^>]*>', r"[\1] ", found.group())
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def line(series, number, previous=None, following=None):
    """Return what a series line says: links before and after, and the part."""
    parts = []
    if previous:
        parts.append(f"[{previous.get_absolute_url()}] ← Previous work")
    parts.append(f"Part {number} of [{series.get_absolute_url()}] {series.title}")
    if following:
        parts.append(f"[{following.get_absolute_url()}] Next work →")
    return " ".join(parts)


def work_urls(work):
    chapter = work.chapters.order_by("position").first()
    return [
        work.get_absolute_url(),
        chapter.get_absolute_url(),
        f"{work.get_absolute_url()}?view_full_work=true",
    ]


def test_a_work_page_says_which_part_it_is_with_the_parts_around_it(client, cycle):
    first, high, low = cycle.works.order_by("series_parts__position")

    for url in work_urls(high):
        assert series_nav(client.get(url)) == line(cycle, 2, first, low), url
    assert series_nav(client.get(first.get_absolute_url())) == line(
        cycle, 1, following=high
    )
    assert series_nav(client.get(low.get_absolute_url())) == line(
        cycle, 3, previous=high
    )


def test_a_work_in_no_series_has_no_series_line(client, author):
    work = make_work(owner=author)

    assert series_nav(client.get(work.get_absolute_url())) == ""


def test_a_work_in_several_series_shows_a_line_for_each(client, author, cycle):
    first, high, low = cycle.works.order_by("series_parts__position")
    prologue = make_work(owner=author, title="Prologue")
    second = make_series(author, [prologue, low], title="Before and After")

    shown = series_nav(client.get(low.get_absolute_url()))

    assert shown == " ".join(
        [line(cycle, 3, previous=high), line(second, 2, previous=prologue)]
    )


def test_drafts_are_skipped_for_readers_but_not_for_their_owner(
    client, author, reader, cycle
):
    first, high, low = cycle.works.order_by("series_parts__position")
    Work.objects.filter(pk=high.pk).update(status="draft")

    client.force_login(reader)
    assert series_nav(client.get(low.get_absolute_url())) == line(
        cycle, 2, previous=first
    )
    client.logout()
    assert series_nav(client.get(first.get_absolute_url())) == line(
        cycle, 1, following=low
    )
    client.force_login(author)
    assert series_nav(client.get(low.get_absolute_url())) == line(
        cycle, 3, previous=high
    )


def test_series_lines_read_one_query(author, cycle, django_assert_num_queries):
    low = cycle.works.get(title="Low Tide")
    make_series(author, [low], title="Another")

    with django_assert_num_queries(1):
        lines = series_lines(low, AnonymousUser())

    assert [(found.title, found.number) for found in lines] == [
        ("The Harbour Cycle", 3),
        ("Another", 1),
    ]


# Every change shows on the next view.


@dataclass
class Scene:
    author: User
    cycle: Series
    first: Work
    high: Work
    low: Work
    spring: Work
    aside: Work
    other_series: Series


@pytest.fixture
def scene(author, cycle):
    first, high, low = cycle.works.order_by("series_parts__position")
    spring = make_work(owner=author, title="Spring Tide")
    aside = make_work(owner=author, title="Aside")
    other_series = make_series(author, [aside], title="Asides")
    return Scene(author, cycle, first, high, low, spring, aside, other_series)


def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


def admin_status(scene, staff, work, status):
    response = staff_client(staff).post(
        reverse("admin:stories_work_change", args=[work.pk]),
        admin_work_form(work, status=status),
    )
    assert response.status_code == 302


def rename(scene, title):
    services.series_update(
        series=scene.cycle, title=title, summary="", notes="", is_complete=False
    )


HC = "The Harbour Cycle"
FIRST, HIGH, LOW = "First Light", "High Water", "Low Tide"

# Each change; what the pages of the high-water work (the middle part) show
# after it; and the series page's heading and works (None: not found).
CHANGES = {
    "series renamed": (
        lambda s, staff: rename(s, "The Tide Cycle"),
        lambda s: line(s.cycle, 2, s.first, s.low).replace(HC, "The Tide Cycle"),
        ("The Tide Cycle", [FIRST, HIGH, LOW]),
    ),
    "work added": (
        lambda s, staff: services.series_add_work(series=s.cycle, work=s.spring),
        lambda s: line(s.cycle, 2, s.first, s.low),
        (HC, [FIRST, HIGH, LOW, "Spring Tide"]),
    ),
    "previous part removed": (
        lambda s, staff: services.series_remove_work(series=s.cycle, work=s.first),
        lambda s: line(s.cycle, 1, following=s.low),
        (HC, [HIGH, LOW]),
    ),
    "moved up": (
        lambda s, staff: services.series_move_work(series=s.cycle, work=s.high, by=-1),
        lambda s: line(s.cycle, 1, following=s.first),
        (HC, [HIGH, FIRST, LOW]),
    ),
    "next part moved up": (
        lambda s, staff: services.series_move_work(series=s.cycle, work=s.low, by=-1),
        lambda s: line(s.cycle, 3, previous=s.low),
        (HC, [FIRST, LOW, HIGH]),
    ),
    "series deleted": (
        lambda s, staff: services.series_delete(series=s.cycle),
        lambda s: "",
        None,
    ),
    "added to another series": (
        lambda s, staff: services.series_add_work(series=s.other_series, work=s.high),
        lambda s: " ".join(
            [line(s.cycle, 2, s.first, s.low), line(s.other_series, 2, s.aside)]
        ),
        (HC, [FIRST, HIGH, LOW]),
    ),
    "previous part taken back to draft": (
        lambda s, staff: stories_services.work_unpost(work=s.first),
        lambda s: line(s.cycle, 1, following=s.low),
        (HC, [HIGH, LOW]),
    ),
    "previous part made a draft in the admin": (
        lambda s, staff: admin_status(s, staff, s.first, "draft"),
        lambda s: line(s.cycle, 1, following=s.low),
        (HC, [HIGH, LOW]),
    ),
    "previous part deleted": (
        lambda s, staff: stories_services.work_delete(work=s.first),
        lambda s: line(s.cycle, 1, following=s.low),
        (HC, [HIGH, LOW]),
    ),
    "next part retitled": (
        lambda s, staff: stories_services.work_update(
            work=s.low,
            title="Ebb Tide",
            tags={"fandom": ["Original Work"]},
            warnings=["No Archive Warnings Apply"],
        ),
        lambda s: line(s.cycle, 2, s.first, s.low),
        (HC, [FIRST, HIGH, "Ebb Tide"]),
    ),
}
# Changes that leave the work's series line as it was.
SAME_LINE = {"work added", "next part retitled"}
SERIES_TITLE = re.compile(r'<h2 class="heading series-title">([^<]*)</h2>')


def series_page(response):
    """Return the series page's heading and the titles of its works, or None."""
    if response.status_code == 404:
        return None
    heading = SERIES_TITLE.search(response.content.decode()).group(1)
    return (unescape(heading), titles(response))


def view_all(scene, viewers, series_url):
    pages = {}
    for name, viewer in viewers.items():
        for url in work_urls(scene.high):
            pages[name, url] = series_nav(viewer.get(url))
        pages[name, "series"] = series_page(viewer.get(series_url))
    return pages


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_shows_on_the_next_view_of_the_work_and_series_pages(
    scene, reader, staff, change, django_capture_on_commit_callbacks
):
    apply, expected_line, expected_series = CHANGES[change]
    reader_client = Client()
    reader_client.force_login(reader)
    viewers = {"guest": Client(), "reader": reader_client}
    series_url = scene.cycle.get_absolute_url()
    before = view_all(scene, viewers, series_url)
    assert before["guest", "series"] == (HC, [FIRST, HIGH, LOW])

    with django_capture_on_commit_callbacks(execute=True):
        apply(scene, staff)

    after = view_all(scene, viewers, series_url)
    for name in viewers:
        for url in work_urls(scene.high):
            assert after[name, url] == expected_line(scene), (name, url)
            if change not in SAME_LINE:
                assert after[name, url] != before[name, url], (name, url)
        assert after[name, "series"] == expected_series, name


def test_posting_a_draft_part_shows_on_the_next_view_of_its_neighbours(
    client, author, cycle, django_capture_on_commit_callbacks
):
    first, high, low = cycle.works.order_by("series_parts__position")
    neap = make_work(owner=author, title="Neap Tide", post=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.series_add_work(series=cycle, work=neap)
        services.series_reorder(
            series=cycle, work_ids=[first.pk, high.pk, neap.pk, low.pk]
        )
    assert series_nav(client.get(high.get_absolute_url())) == line(cycle, 2, first, low)
    assert titles(client.get(cycle.get_absolute_url())) == [FIRST, HIGH, LOW]

    with django_capture_on_commit_callbacks(execute=True):
        stories_services.work_post(work=neap)

    assert series_nav(client.get(high.get_absolute_url())) == line(
        cycle, 2, first, neap
    )
    assert series_nav(client.get(low.get_absolute_url())) == line(
        cycle, 4, previous=neap
    )
    assert titles(client.get(cycle.get_absolute_url())) == [
        FIRST,
        HIGH,
        "Neap Tide",
        LOW,
    ]


def test_a_series_title_is_escaped_everywhere(client, author, cycle):
    Series.objects.filter(pk=cycle.pk).update(title="<b>Tides</b> & Co")
    high = cycle.works.get(title=HIGH)

    for url in (
        high.get_absolute_url(),
        cycle.get_absolute_url(),
        reverse("series:user_series", args=[author.username]),
    ):
        html = client.get(url).content.decode()
        assert "&lt;b&gt;Tides&lt;/b&gt; &amp; Co" in html, url
        assert "<b>Tides</b>" not in html, url


def test_renaming_the_owner_shows_on_the_next_view_of_the_series_page(
    client, author, staff, cycle, django_capture_on_commit_callbacks
):
    url = cycle.get_absolute_url()
    assert "A series by quillfeather" in words(client.get(url))

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client(staff).post(
            reverse("admin:archive_user_change", args=[author.pk]),
            {
                "username": "lamplighter",
                "email": author.email,
                "is_active": "on",
                "date_joined_0": author.date_joined.strftime("%Y-%m-%d"),
                "date_joined_1": author.date_joined.strftime("%H:%M:%S"),
                "bio": "",
            },
        )
    assert response.status_code == 302

    page = words(client.get(url))
    assert "A series by lamplighter" in page
    assert "quillfeather" not in page
