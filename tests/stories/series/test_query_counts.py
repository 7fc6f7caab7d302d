"""The series pages run the same few queries for 1 or 50 works; a work page in
a series stays within the reading pages' limit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stories.caching import forget_everything
from tests.factories import UserFactory, make_work
from tests.stories.series.conftest import make_series
from tests.stories.test_query_counts import LISTING_QUERY_LIMIT, READING_QUERY_LIMIT

pytestmark = pytest.mark.django_db


def make_long_series(author, count):
    works = [
        make_work(
            owner=author,
            title=f"Part {number}",
            fandoms=["Harbour Lights (TV)", f"Fandom {number % 7}"],
            characters=[f"Character {number % 5}", "Mara Quinn"],
            freeforms=["Angst"],
        )
        for number in range(count)
    ]
    return make_series(author, works), works


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_series_page_runs_the_same_few_queries_for_1_or_50_works(
    client, author, signed_in
):
    if signed_in:
        client.force_login(UserFactory())
    counts = {}
    for count in (1, 50):
        series, _works = make_long_series(author, count)
        forget_everything()
        response, counts[count] = queries_of(client, series.get_absolute_url())
        assert response.content.count(b'class="blurb"') == count
        _again, counts[count, "again"] = queries_of(client, series.get_absolute_url())

    assert counts[1] == counts[50] <= LISTING_QUERY_LIMIT
    assert counts[1, "again"] == counts[50, "again"]
    # A guest's second view is served whole; a signed-in reader's reads the
    # session, the account, the series and its parts (the blurbs and whether
    # they follow the series are kept).
    assert counts[50, "again"] == (4 if signed_in else 0)


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_persons_series_page_runs_the_same_few_queries_for_1_or_20_series(
    client, author, signed_in
):
    if signed_in:
        client.force_login(UserFactory())
    url = reverse("series:user_series", args=[author.username])
    work = make_work(owner=author)
    make_series(author, [work])
    forget_everything()
    _response, with_one = queries_of(client, url)
    for number in range(19):
        make_series(author, [work], title=f"Series {number}")

    forget_everything()
    response, with_twenty = queries_of(client, url)

    assert response.content.count(b'class="blurb series-blurb"') == 20
    assert with_one == with_twenty <= LISTING_QUERY_LIMIT


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_work_page_in_long_series_stays_within_the_reading_limit(
    client, author, signed_in, django_assert_max_num_queries
):
    series, works = make_long_series(author, 50)
    make_series(author, works[::-1], title="Backwards")
    if signed_in:
        client.force_login(UserFactory())
    middle = works[25]
    chapter = middle.chapters.get()

    for url in (
        middle.get_absolute_url(),
        chapter.get_absolute_url(),
        f"{middle.get_absolute_url()}?view_full_work=true",
    ):
        with django_assert_max_num_queries(READING_QUERY_LIMIT):
            response = client.get(url)
        assert b"Part 26 of" in response.content
        assert b"Part 25 of" in response.content
