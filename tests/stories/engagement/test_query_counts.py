"""The reading pages with kudos and hits stay within the reading pages' limit."""

import pytest
from django.urls import reverse

from stories import services as stories_services
from stories.engagement import services
from tests.factories import UserFactory, make_work
from tests.pages import words
from tests.stories.test_query_counts import READING_QUERY_LIMIT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("signed_in", [False, True])
def test_reading_pages_with_kudos_run_few_queries(
    client, author, django_assert_max_num_queries, count, signed_in
):
    work = make_work(
        owner=author,
        chapters=count,
        fandoms=["Harbour Lights (TV)"],
        characters=["Mara Quinn", "Tobias Reed"],
        freeforms=["Angst"],
    )
    readers = [UserFactory() for _ in range(count)]
    for reader in readers:
        services.kudos_leave(work=work, user=reader)
    for number in range(count):
        services.kudos_leave(work=work, guest_key=f"guest-{number}")
    chapter = work.chapters.order_by("position").last()
    for number in range(count):
        stories_services.comment_post(
            chapter=chapter, user=readers[number], body=f"Comment {number}"
        )
    if signed_in:
        client.force_login(readers[0])
    urls = [
        work.get_absolute_url(),
        chapter.get_absolute_url(),
        work.get_absolute_url() + "?view_full_work=true",
        reverse("stories:work_navigate", args=[work.pk]),
    ]
    for url in urls:
        with django_assert_max_num_queries(READING_QUERY_LIMIT):
            response = client.get(url, HTTP_USER_AGENT="Mozilla/5.0 Firefox/128.0")
        assert response.status_code == 200, url
    shown = words(client.get(work.get_absolute_url()))
    assert f"{count} guest" in shown
    assert readers[-1].username in shown


def test_a_guests_repeat_view_with_kudos_reads_nothing(
    client, author, django_assert_num_queries
):
    work = make_work(owner=author)
    services.kudos_leave(work=work, guest_key="guest-1")
    services.kudos_leave(work=work, user=UserFactory())
    client.get(work.get_absolute_url())
    with django_assert_num_queries(0):
        assert "Kudos: 2" in words(client.get(work.get_absolute_url()))
