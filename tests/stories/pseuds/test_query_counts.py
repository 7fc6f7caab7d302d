"""Pages naming pseuds run no more queries than before pseuds: for 1 or 50
works, each credited to pseuds of its owner and of a co-creator."""

import pytest
from django.urls import reverse

from stories import creators
from stories.pseuds import services
from tests.factories import UserFactory, make_work
from tests.stories.test_query_counts import LISTING_QUERY_LIMIT, READING_QUERY_LIMIT

pytestmark = pytest.mark.django_db


@pytest.fixture
def credited(author):
    """Return a co-creator and a pseud of the author's and one of theirs."""
    cowriter = UserFactory(username="inkblot")
    return (
        cowriter,
        services.pseud_create(user=author, name="Gull"),
        services.pseud_create(user=cowriter, name="Quill"),
    )


def make_works(count, author, credited):
    cowriter, gull, quill = credited
    works = []
    for number in range(count):
        pseuds = [gull] if number % 2 else [services.default_pseud_of(author), gull]
        work = make_work(owner=author, title=f"Work {number}", pseuds=pseuds)
        if number % 3 == 0:
            invitation = creators.work_invite_creator(
                work=work, user=cowriter, invited_by=author
            )
            creators.creatorship_accept(
                creatorship=invitation, user=cowriter, pseud=quill
            )
        works.append(work)
    return works


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("signed_in", [False, True])
def test_listings_with_pseuds_run_few_queries(
    client, author, credited, django_assert_max_num_queries, count, signed_in
):
    make_works(count, author, credited)
    if signed_in:
        client.force_login(UserFactory())
    _cowriter, gull, quill = credited
    urls = [
        reverse("stories:work_list"),
        reverse("stories:user_detail", args=[author.username]),
        gull.get_absolute_url(),
        quill.get_absolute_url(),
        reverse("pseuds:pseud_list", args=[author.username]),
    ]
    for url in urls:
        with django_assert_max_num_queries(LISTING_QUERY_LIMIT):
            response = client.get(url)
        assert response.status_code == 200, url
    assert f"Gull ({author.username})".encode() in client.get(urls[0]).content


@pytest.mark.parametrize("signed_in", [False, True])
def test_reading_a_work_under_pseuds_runs_few_queries(
    client, author, credited, django_assert_max_num_queries, signed_in
):
    cowritten, alone = make_works(2, author, credited)
    if signed_in:
        client.force_login(UserFactory())
    for work in (alone, cowritten):
        chapter = work.chapters.get()
        for url in (work.get_absolute_url(), chapter.get_absolute_url()):
            with django_assert_max_num_queries(READING_QUERY_LIMIT):
                response = client.get(url)
            assert response.status_code == 200, url
            assert b"Gull (quillfeather)" in response.content
