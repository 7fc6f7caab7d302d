"""The guests' page cache: served from the cache, and emptied by any change."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from stories import services
from stories.models import Comment
from stories.pagecache import GENERATION_KEY
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_guest_pages_are_served_from_the_cache(client, author):
    work = make_work(owner=author, title="Cached Tale")
    assert fetch(client, work.get_absolute_url())["X-Page-Cache"] == "miss"
    second = fetch(client, work.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert b"Cached Tale" in second.content


def test_signed_in_readers_always_get_fresh_pages(client, author):
    work = make_work(owner=author)
    client.force_login(UserFactory())
    fetch(client, work.get_absolute_url())
    assert "X-Page-Cache" not in fetch(client, work.get_absolute_url())


@pytest.mark.parametrize(
    "change",
    ["new chapter", "edit work", "comment", "edit comment", "delete work", "unpost"],
)
def test_any_change_empties_the_cache_at_once(client, author, reader, change):
    work = make_work(owner=author, title="Before")
    comment = services.comment_post(
        chapter=work.chapters.get(), user=reader, body="First words"
    )
    urls = [reverse("stories:work_list"), work.chapters.get().get_absolute_url()]
    for url in urls:
        fetch(client, url)
        assert fetch(client, url)["X-Page-Cache"] == "hit"

    if change == "new chapter":
        services.chapter_create(
            work=work, text=services.ChapterText(body="<p>Fresh chapter</p>")
        )
        expected, url = b"2/?", urls[0]
    elif change == "edit work":
        services.work_update(
            work=work, title="After", tags={"fandom": ["Original Work"]}, warnings=[]
        )
        expected, url = b"After", urls[0]
    elif change == "comment":
        services.comment_post(chapter=work.chapters.get(), user=reader, body="Later")
        expected, url = b"Later", urls[1]
    elif change == "edit comment":
        services.comment_edit(comment=comment, body="Second thoughts")
        expected, url = b"Second thoughts", urls[1]
    elif change == "delete work":
        services.work_delete(work=work)
        expected, url = b"0 Works", urls[0]
    else:
        services.work_unpost(work=work)
        expected, url = b"0 Works", urls[0]

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert expected in response.content


def test_cached_page_with_a_form_gives_each_guest_a_working_token(author):
    work = make_work(owner=author, allow_guest_comments=True)
    url = work.chapters.get().get_absolute_url()
    first = Client(enforce_csrf_checks=True)
    assert fetch(first, url)["X-Page-Cache"] == "miss"

    second = Client(enforce_csrf_checks=True)
    page = fetch(second, url)
    assert page["X-Page-Cache"] == "hit"
    assert page["X-Frame-Options"] == "DENY"
    token = re.search(
        r'name="csrfmiddlewaretoken" value="(\w+)"', page.content.decode()
    )
    assert token, "the cached page carries a form token"
    response = second.post(
        reverse("stories:comment_create", args=[work.pk, work.chapters.get().pk]),
        {
            "body": "Posted from a cached page",
            "guest_name": "Wren",
            "guest_email": "wren@example.org",
            "csrfmiddlewaretoken": token.group(1),
        },
    )
    assert response.status_code == 302
    assert Comment.objects.filter(body__contains="Posted from a cached page").exists()


def test_cache_is_off_unless_configured(client, author, settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0
    work = make_work(owner=author)
    fetch(client, work.get_absolute_url())
    assert "X-Page-Cache" not in fetch(client, work.get_absolute_url())


def test_a_lost_generation_never_brings_back_an_old_page(client, author, reader):
    # A full file cache culls entries at random, the generation among them.
    work = make_work(owner=author)
    chapter = work.chapters.get()
    cache.delete(GENERATION_KEY)
    fetch(client, chapter.get_absolute_url())
    assert fetch(client, chapter.get_absolute_url())["X-Page-Cache"] == "hit"

    cache.delete(GENERATION_KEY)
    services.comment_post(chapter=chapter, user=reader, body="Written after")
    cache.delete(GENERATION_KEY)

    response = fetch(client, chapter.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert b"Written after" in response.content
