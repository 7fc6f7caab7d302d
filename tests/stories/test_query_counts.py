"""Every listing and reading page runs the same few queries for 1 or 50 objects."""

import pytest
from django.urls import reverse

from stories import services
from stories.models import Tag, TagKind
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db

LISTING_QUERY_LIMIT = 12
READING_QUERY_LIMIT = 12


def make_works(count, owner):
    for number in range(count):
        make_work(
            owner=owner,
            title=f"Work {number}",
            fandoms=["Harbour Lights (TV)", f"Fandom {number % 7}"],
            characters=[f"Character {number % 5}", "Mara Quinn"],
            relationships=[f"Character {number % 5}/Mara Quinn"],
            freeforms=["Angst", f"Trope {number % 3}"],
            expected_chapters=1,
        )


def listing_urls(author):
    fandom = Tag.objects.get(kind=TagKind.FANDOM, name="Harbour Lights (TV)")
    return [
        reverse("stories:home"),
        reverse("stories:work_list"),
        reverse("stories:work_list") + "?include=Angst,Mara+Quinn&exclude=Trope+1"
        "&rating=general&rating=teen&complete=complete&sort=title",
        reverse("stories:fandom_list"),
        fandom.get_absolute_url(),
        fandom.get_absolute_url() + "?include=Angst&exclude=Fluff&sort=words&page=1",
        reverse("stories:user_detail", args=[author.username]),
    ]


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("signed_in", [False, True])
def test_listing_pages_run_few_queries(
    client, author, django_assert_max_num_queries, count, signed_in
):
    make_works(count, author)
    if signed_in:
        client.force_login(UserFactory())
    for url in listing_urls(author):
        with django_assert_max_num_queries(LISTING_QUERY_LIMIT):
            response = client.get(url)
        assert response.status_code == 200, url
        shown = b'class="blurb"' if "fandoms" not in url else b"Harbour Lights (TV)"
        assert shown in response.content, url


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("signed_in", [False, True])
def test_reading_pages_run_few_queries(
    client, author, django_assert_max_num_queries, count, signed_in
):
    work = make_work(
        owner=author,
        chapters=count,
        fandoms=["Harbour Lights (TV)"],
        characters=["Mara Quinn", "Tobias Reed"],
        freeforms=["Angst"],
    )
    chapter = work.chapters.order_by("position").last()
    readers = [UserFactory() for _ in range(min(count, 5))]
    parent = None
    for number in range(count):
        parent = services.comment_post(
            chapter=chapter,
            user=readers[number % len(readers)],
            body=f"Comment {number}",
            parent=parent if number % 2 else None,
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
            response = client.get(url)
        assert response.status_code == 200, url
    last = client.get(parent.get_absolute_url(), follow=True)
    assert f"Comment {count - 1}".encode() in last.content
