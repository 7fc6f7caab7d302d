"""An author's statistics: their numbers, to them and staff only, tables and
charts that agree, in a bounded number of queries on both databases."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree, html

from stories import services as stories_services
from stories.bookmarks import services as bookmarks
from stories.bookmarks.models import Bookmark
from stories.engagement import services as engagement
from stories.engagement.models import Kudos, WorkHits
from stories.models import Chapter, Comment, Status, Work
from stories.statistics import queries
from stories.subscriptions import services as subscriptions
from stories.subscriptions.models import Subscription
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
COUNTS = queries.COUNTS


def at(day, hour=12):
    """Return noon (or another hour) of a day, in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def statistics_url(user, **query):
    address = reverse("statistics:author_statistics", args=[user.username])
    if query:
        address += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return address


def chart_url(user, series, by="week"):
    return (
        reverse(
            "statistics:author_chart",
            kwargs={"username": user.username, "chart": series},
        )
        + f"?by={by}"
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def figures(author, today):
    """An author's posted, restricted and draft works with readers' doings on
    them, dated; and another author's work, which must count nowhere here."""
    readers = [UserFactory(username=f"statreader{n}") for n in range(3)]
    posted = make_work(owner=author, title="Tidewater", chapters=2)
    restricted = make_work(owner=author, title="Members Lantern", restricted=True)
    draft = make_work(owner=author, title="Unfinished Canal", post=False)
    other = make_work(owner=UserFactory(username="elsewriter"), title="Not Theirs")

    for reader in readers:
        engagement.kudos_leave(work=posted, user=reader)
    engagement.kudos_leave(work=restricted, user=readers[0])
    engagement.kudos_leave(work=other, user=readers[0])
    engagement.kudos_leave(work=posted, guest_key="guest-1")

    chapter = posted.chapters.get(number=1)
    for reader in readers[:2]:
        stories_services.comment_post(chapter=chapter, user=reader, body="<p>Oh!</p>")
    stories_services.comment_post(
        chapter=restricted.chapters.get(), user=readers[2], body="<p>Lovely.</p>"
    )
    stories_services.comment_post(
        chapter=other.chapters.get(), user=readers[2], body="<p>Hm.</p>"
    )

    bookmarks.bookmark_create(owner=readers[0], work=posted)
    bookmarks.bookmark_create(owner=readers[1], work=posted)
    # Private: not in the work's count, nor here.
    bookmarks.bookmark_create(owner=readers[2], work=posted, is_private=True)
    bookmarks.bookmark_create(owner=readers[2], work=other)

    subscriptions.subscription_create(user=readers[0], target="work", obj=posted)
    subscriptions.subscription_create(user=readers[1], target="work", obj=restricted)
    subscriptions.subscription_create(user=readers[1], target="work", obj=other)

    engagement.hits_add(counts={posted.pk: 40, restricted.pk: 7, other.pk: 1000})

    # Dated: this week, a week ago and two weeks ago.
    this_week, last_week = at(today), at(today - datetime.timedelta(days=7))
    two_weeks = at(today - datetime.timedelta(days=14))
    kudos = Kudos.objects.filter(work=posted).order_by("pk")
    Kudos.objects.filter(pk__in=list(kudos.values_list("pk", flat=True)[:2])).update(
        created_at=two_weeks
    )
    Kudos.objects.filter(work=posted).exclude(created_at=two_weeks).update(
        created_at=last_week
    )
    Kudos.objects.filter(work=restricted).update(created_at=this_week)
    Comment.objects.update(created_at=last_week)
    Bookmark.objects.update(created_at=this_week)
    Subscription.objects.update(created_at=two_weeks)
    Chapter.objects.filter(work=posted, number=1).update(published_at=two_weeks)
    Chapter.objects.filter(work=posted, number=2).update(published_at=last_week)
    Chapter.objects.filter(work=restricted).update(published_at=this_week)
    works = {
        work.title: Work.objects.get(pk=work.pk)
        for work in (posted, restricted, draft, other)
    }
    return works


def page_of(response):
    assert response.status_code == 200
    return html.fromstring(response.content)


def test_the_author_sees_their_totals(client, author, figures):
    client.force_login(author)
    page = page_of(client.get(statistics_url(author)))
    totals = {
        dd.get("data-count"): dd.text_content().strip()
        for dd in page.cssselect(".statistics-totals dd")
    }
    words = sum(
        figures[title].word_count
        for title in ("Tidewater", "Members Lantern", "Unfinished Canal")
    )
    assert totals == {
        "works": "3",
        "words": f"{words:,}",
        # A draft counts the chapters it will post.
        "chapters": "4",
        "comments": "3",
        "hits": "47",
        "kudos": "5",
        "bookmarks": "2",
        "subscriptions": "2",
    }


def test_each_work_has_its_row_and_others_works_none(client, author, figures):
    client.force_login(author)
    page = page_of(client.get(statistics_url(author, sort="title", order="asc")))
    rows = {
        row.cssselect("th a")[0].text_content(): {
            cell.get("data-count"): cell.text_content().strip()
            for cell in row.cssselect("td[data-count]")
        }
        for row in page.cssselect(".statistics-works tbody tr")
    }
    assert list(rows) == ["Members Lantern", "Tidewater", "Unfinished Canal"]
    assert rows["Tidewater"] == {
        "words": str(figures["Tidewater"].word_count),
        "chapters": "2",
        "comments": "2",
        "hits": "40",
        "kudos": "4",
        "bookmarks": "2",
        "subscriptions": "1",
    }
    assert rows["Members Lantern"]["kudos"] == "1"
    assert rows["Members Lantern"]["subscriptions"] == "1"
    assert rows["Unfinished Canal"]["hits"] == "0"
    notes = [note.text_content() for note in page.cssselect(".statistics-note")]
    assert notes == ["(members only)", "(draft)"]


def test_the_table_sorts_by_a_column_both_ways(client, author, figures):
    client.force_login(author)
    page = page_of(client.get(statistics_url(author, sort="hits", order="desc")))
    titles = [a.text for a in page.cssselect(".statistics-works tbody th a")]
    assert titles == ["Tidewater", "Members Lantern", "Unfinished Canal"]
    sorted_by = page.cssselect(".statistics-works th[aria-sort]")
    assert [(th.text_content().strip(), th.get("aria-sort")) for th in sorted_by] == [
        ("Hits", "descending")
    ]
    # Its heading's link turns the order round.
    assert "order=asc" in sorted_by[0].cssselect("a")[0].get("href")
    page = page_of(client.get(statistics_url(author, sort="hits", order="asc")))
    titles = [a.text for a in page.cssselect(".statistics-works tbody th a")]
    assert titles == ["Unfinished Canal", "Members Lantern", "Tidewater"]


def test_choices_not_understood_are_said_and_the_usual_ones_shown(
    client, author, figures
):
    client.force_login(author)
    response = client.get(statistics_url(author, by="fortnight", sort="evil"))
    page = page_of(response)
    assert "not understood" in page.cssselect("[role=alert]")[0].text_content()
    assert page.cssselect("select[name=by] option[selected]")[0].get("value") == "week"
    # The usual sort: newest published first, drafts last.
    titles = [a.text for a in page.cssselect(".statistics-works tbody th a")]
    assert titles[-1] == "Unfinished Canal"


def series_table(page, name):
    table = page.cssselect(f"table[data-series={name}]")[0]
    return [
        (row.cssselect("time")[0].get("datetime"), int(row.cssselect("td")[0].text))
        for row in table.cssselect("tbody tr")
    ]


def test_the_series_count_by_week(client, author, figures, today):
    client.force_login(author)
    page = page_of(client.get(statistics_url(author, by="week")))
    monday = today - datetime.timedelta(days=today.weekday())
    weeks = [monday - datetime.timedelta(weeks=n) for n in (2, 1, 0)]

    def last_three(name):
        values = series_table(page, name)
        assert len(values) == 26
        assert all(value == 0 for _start, value in values[:-3])
        return values[-3:]

    def expected(*values):
        return [
            (week.isoformat(), value) for week, value in zip(weeks, values, strict=True)
        ]

    assert last_three("kudos") == expected(2, 2, 1)
    assert last_three("comments") == expected(0, 3, 0)
    assert last_three("bookmarks") == expected(0, 0, 2)
    assert last_three("subscriptions") == expected(2, 0, 0)
    words = figures["Tidewater"].word_count // 2
    assert last_three("words") == expected(
        words, words, figures["Members Lantern"].word_count
    )


@pytest.mark.parametrize("by,shown", [("day", 30), ("month", 24)])
def test_the_series_count_by_day_and_by_month(
    client, author, figures, today, by, shown
):
    client.force_login(author)
    page = page_of(client.get(statistics_url(author, by=by)))
    kudos = series_table(page, "kudos")
    assert len(kudos) == shown
    assert sum(value for _start, value in kudos) == 5
    assert kudos[-1] == (
        (today if by == "day" else today.replace(day=1)).isoformat(),
        1
        if by == "day"
        else sum(
            1
            for day in (14, 14, 7, 7, 0)
            if (today - datetime.timedelta(days=day)).month == today.month
        ),
    )


def test_the_series_count_by_the_local_day(author):
    work = make_work(owner=author)
    engagement.kudos_leave(work=work, guest_key="guest-1")
    auckland = zoneinfo.ZoneInfo("Pacific/Auckland")
    with timezone.override(auckland):
        day = timezone.localdate() - datetime.timedelta(days=3)
        # Half past midnight there is the day before in UTC.
        Kudos.objects.update(
            created_at=datetime.datetime.combine(
                day, datetime.time(0, 30), tzinfo=auckland
            )
        )
        points = queries.series_points(
            author, queries.SERIES["kudos"], queries.PERIODS["day"]
        )
    assert [point.start for point in points if point.value] == [day]
    assert len(points) == 30 and points[-1].start == day + datetime.timedelta(days=3)


def test_the_chart_is_svg_with_the_tables_numbers(client, author, figures):
    client.force_login(author)
    page = page_of(client.get(statistics_url(author, by="week")))
    for name in queries.SERIES:
        image = page.cssselect(f"#chart-{name}-heading ~ div img")[0]
        assert image.get("src") == chart_url(author, name)
        assert "table beside it" in image.get("alt")
        response = client.get(image.get("src"))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy
        assert "style-src 'sha256-" in policy
        svg = etree.fromstring(response.content)
        assert svg.tag == f"{SVG}svg"
        assert svg.find(f"{SVG}title").text == f"{queries.SERIES[name].label} by week"
        assert not list(svg.iter(f"{SVG}script"))
        assert not svg.xpath("//*[@style]")
        drawn = [
            int(desc.text)
            for desc in svg.iter(f"{SVG}desc")
            if desc.get("class") == "value"
        ]
        assert drawn == [value for _start, value in series_table(page, name)]


def test_a_guest_is_asked_to_log_in(client, author, figures):
    for address in (statistics_url(author), chart_url(author, "kudos")):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_another_user_finds_no_statistics(client, author, reader, figures):
    client.force_login(reader)
    for address in (statistics_url(author), chart_url(author, "kudos")):
        assert client.get(address).status_code == 404
    # Their own page counts none of the author's works.
    page = page_of(client.get(statistics_url(reader)))
    assert page.cssselect(".statistics-works") == []
    assert page.cssselect("dd[data-count=kudos]")[0].text_content().strip() == "0"


def test_staff_see_an_authors_statistics_drafts_included(
    client, author, staff, figures
):
    client.force_login(staff)
    page = page_of(client.get(statistics_url(author)))
    titles = {a.text for a in page.cssselect(".statistics-works tbody th a")}
    assert titles == {"Tidewater", "Members Lantern", "Unfinished Canal"}
    assert client.get(chart_url(author, "words")).status_code == 200


def test_a_co_creators_statistics_count_the_shared_work(client, author, figures):
    co_author = UserFactory(username="cowriter")
    work = figures["Tidewater"]
    from stories.models import Creatorship, CreatorshipStatus

    Creatorship.objects.create(
        work=work, user=co_author, status=CreatorshipStatus.ACCEPTED
    )
    client.force_login(co_author)
    page = page_of(client.get(statistics_url(co_author)))
    assert [a.text for a in page.cssselect(".statistics-works tbody th a")] == [
        "Tidewater"
    ]
    assert page.cssselect("dd[data-count=kudos]")[0].text_content().strip() == "4"


def test_an_unknown_chart_is_not_found(client, author, figures):
    client.force_login(author)
    assert client.get(chart_url(author, "secrets")).status_code == 404


def test_the_author_finds_their_statistics_from_their_profile(client, author, reader):
    client.force_login(author)
    page = page_of(client.get(reverse("stories:user_detail", args=[author.username])))
    links = [a.get("href") for a in page.cssselect(".owner-actions a")]
    assert statistics_url(author) in links
    client.force_login(reader)
    page = page_of(client.get(reverse("stories:user_detail", args=[author.username])))
    assert statistics_url(author) not in [a.get("href") for a in page.cssselect("a")]


def total(page, count):
    return page.cssselect(f"dd[data-count={count}]")[0].text_content().strip()


def many_works(author, count):
    """Write count posted works of the author in bulk, each with a chapter, a
    kudos, a comment, a public bookmark and a subscription over the last weeks."""
    readers = [UserFactory(username=f"bulkreader{n}") for n in range(2)]
    now = timezone.now()
    works = Work.objects.bulk_create(
        Work(
            owner=author,
            title=f"Work {n:03}",
            status=Status.POSTED,
            word_count=100 + n,
            chapter_count=1,
            comment_count=1,
            kudos_count=1,
            bookmark_count=1,
            hit_count=n,
            published_at=now - datetime.timedelta(days=n),
            updated_at=now,
        )
        for n in range(count)
    )
    chapters = Chapter.objects.bulk_create(
        Chapter(
            work=work,
            number=1,
            body="<p>Words.</p>",
            word_count=work.word_count,
            status=Status.POSTED,
            published_at=work.published_at,
        )
        for work in works
    )
    Kudos.objects.bulk_create(Kudos(work=work, user=readers[0]) for work in works)
    Comment.objects.bulk_create(
        Comment(work=chapter.work, chapter=chapter, user=readers[1], body="<p>Yes</p>")
        for chapter in chapters
    )
    Bookmark.objects.bulk_create(
        Bookmark(owner=readers[0], work=work, title=work.title) for work in works
    )
    Subscription.objects.bulk_create(
        Subscription(user=readers[1], work=work) for work in works
    )
    return works


# The session and its user, the reader's blocks and mutes (the site's menu),
# the page's own: the table, one a series.
PAGE_QUERY_LIMIT = 2 + 1 + 1 + len(queries.SERIES)
# The session and its user, the series.
CHART_QUERY_LIMIT = 2 + 1


@pytest.mark.parametrize("count", [1, 200])
def test_the_page_and_charts_run_few_queries(
    client, author, django_assert_max_num_queries, count
):
    many_works(author, count)
    client.force_login(author)
    for by in queries.PERIODS:
        with django_assert_max_num_queries(PAGE_QUERY_LIMIT):
            page = page_of(client.get(statistics_url(author, by=by)))
        assert total(page, "works") == f"{count:,}"
        assert total(page, "kudos") == f"{count:,}"
        for name in queries.SERIES:
            with django_assert_max_num_queries(CHART_QUERY_LIMIT):
                response = client.get(chart_url(author, name, by=by))
            assert response.status_code == 200
    hits = sum(range(count))
    assert total(page, "hits") == f"{hits:,}"
    assert sum(value for _s, value in series_table(page, "subscriptions")) == count


def test_hits_are_charted_by_the_day_the_hits_job_wrote_them(client, author, today):
    work = make_work(owner=author, title="Tidewater")
    other = make_work(owner=UserFactory(username="hitsother"))
    noon = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    for hour, count, on in (
        (noon, 4, work),
        (noon - datetime.timedelta(hours=1), 2, work),
        (noon - datetime.timedelta(days=2), 5, work),
        (noon, 7, other),
    ):
        WorkHits.objects.create(work=on, hour=hour, hits=count)

    client.force_login(author)
    page = page_of(client.get(statistics_url(author, by="day")))

    hits = dict(series_table(page, "hits"))
    assert hits[today.isoformat()] == 6
    assert hits[(today - datetime.timedelta(days=2)).isoformat()] == 5
    assert sum(hits.values()) == 11
