"""Muting: a muted user's works and comments are left out of everything the
muter sees, with counts that agree, and of nothing anyone else sees, cached
pages included."""

import feedparser
import pytest
from django.test.signals import template_rendered
from django.urls import reverse

from stories import services
from stories.blocking.services import user_block, user_mute, user_unmute
from stories.models import Tag, TagKind
from tests.factories import UserFactory, make_work
from tests.pages import titles, words
from tests.stories.test_query_counts import (
    LISTING_QUERY_LIMIT,
    READING_QUERY_LIMIT,
    listing_urls,
    make_works,
)

pytestmark = pytest.mark.django_db

FANDOM = "Harbour Lights (TV)"
PLACEHOLDER = "(A comment by a user you muted is hidden.)"


@pytest.fixture
def troll(db):
    return UserFactory(username="troll")


@pytest.fixture
def works(author, troll):
    tags = {"fandoms": [FANDOM], "freeforms": ["Angst"]}
    return {
        "kept": make_work(owner=author, title="Kept Lantern", **tags),
        "muted": make_work(owner=troll, title="Muted Lantern", **tags),
    }


@pytest.fixture
def muter(reader, troll):
    user_mute(muter=reader, muted=troll)
    return reader


def listing_pages():
    fandom = Tag.objects.get(kind=TagKind.FANDOM, name=FANDOM)
    angst = Tag.objects.get(kind=TagKind.FREEFORM, name="Angst")
    return {
        "works": reverse("stories:work_list"),
        "works by kudos": reverse("stories:work_list") + "?sort=kudos",
        "home": reverse("stories:home"),
        "fandom": fandom.get_absolute_url(),
        "fandom filtered": fandom.get_absolute_url() + "?include=Angst",
        "freeform": angst.get_absolute_url(),
        "search": reverse("stories:work_search") + "?q=lantern",
    }


COUNTED = {"works", "works by kudos", "fandom", "fandom filtered", "freeform"}


def test_a_muted_users_works_are_left_out_of_every_listing_for_the_muter_alone(
    client, works, muter
):
    pages = listing_pages()
    bystander = UserFactory(username="bystander")
    # The bystander's pages are cached first, the muter's after, and the
    # bystander's read again from the cache.
    for viewer in (bystander, muter, bystander, None):
        if viewer is None:
            client.logout()
        else:
            client.force_login(viewer)
        for name, url in pages.items():
            response = client.get(url)
            shown = sorted(titles(response))
            if viewer == muter:
                assert shown == ["Kept Lantern"], name
                if name in COUNTED:
                    assert "1 – 1 of 1 Works" in words(response), name
            else:
                assert shown == ["Kept Lantern", "Muted Lantern"], name
                if name in COUNTED:
                    assert "1 – 2 of 2 Works" in words(response), name


def test_a_muted_users_works_are_left_out_of_the_muters_feed(client, works, muter):
    fandom = Tag.objects.get(kind=TagKind.FANDOM, name=FANDOM)
    url = reverse("stories:tag_feed", kwargs={"slug": fandom.slug})

    def feed_titles():
        return sorted(
            e.title for e in feedparser.parse(client.get(url).content).entries
        )

    assert feed_titles() == ["Kept Lantern", "Muted Lantern"]
    client.force_login(muter)
    assert feed_titles() == ["Kept Lantern"]
    client.force_login(UserFactory())
    assert feed_titles() == ["Kept Lantern", "Muted Lantern"]


def test_muting_and_unmuting_show_on_the_muters_next_view_of_cached_listings(
    client, works, reader, troll, django_capture_on_commit_callbacks
):
    pages = listing_pages()
    client.force_login(reader)
    for url in pages.values():
        assert "Muted Lantern" in titles(client.get(url)), url
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("blocking:user_mute", args=["troll"]))
    for name, url in pages.items():
        assert "Muted Lantern" not in titles(client.get(url)), name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("blocking:user_unmute", args=["troll"]))
    for name, url in pages.items():
        assert "Muted Lantern" in titles(client.get(url)), name


# Comments.


@pytest.fixture
def thread(works, troll):
    """A chapter of the kept work, commented on by the troll and others."""
    chapter = works["kept"].chapters.get()
    bystander = UserFactory(username="bystander")
    troll_top = services.comment_post(
        chapter=chapter, user=troll, body="<p>Troll top</p>"
    )
    services.comment_post(
        chapter=chapter,
        user=bystander,
        body="<p>Bystander answers</p>",
        parent=troll_top,
    )
    top = services.comment_post(
        chapter=chapter, user=bystander, body="<p>Bystander top</p>"
    )
    services.comment_post(
        chapter=chapter, user=troll, body="<p>Troll reply</p>", parent=top
    )
    services.comment_post(chapter=chapter, user=troll, body="<p>Troll alone</p>")
    return chapter


def comments_of(response):
    page = words(response)
    return page[page.index("Comments on Chapter") :]


def test_a_muted_users_comments_vanish_for_the_muter_alone(client, thread, muter):
    url = thread.get_absolute_url()
    other = UserFactory(username="other")
    bystander_view = None
    for viewer in ("other", "muter", "other", "guest"):
        if viewer == "guest":
            client.logout()
        else:
            client.force_login(muter if viewer == "muter" else other)
        response = client.get(url)
        comments = comments_of(response)
        if viewer == "muter":
            assert "Troll" not in comments
            assert "troll" not in comments
            assert comments.count(PLACEHOLDER) == 1
            assert "Bystander answers" in comments
            assert "Bystander top" in comments
            assert "3 comments by users you muted are hidden." in comments
            assert "Comments: 2" in words(response)
        else:
            for body in ("Troll top", "Troll reply", "Troll alone"):
                assert body in comments, viewer
            assert PLACEHOLDER not in comments
            assert "muted" not in comments
            assert "Comments: 5" in words(response)
            if viewer == "other":
                # The second view, from the cache, is the same as the first.
                assert bystander_view in (None, comments)
                bystander_view = comments


def test_listings_count_the_comments_the_muter_sees(client, thread, muter):
    pages = [reverse("stories:work_list"), reverse("stories:home")]
    other = UserFactory(username="other")
    for viewer, count in ((other, 5), (muter, 2), (other, 5), (None, 5)):
        if viewer is None:
            client.logout()
        else:
            client.force_login(viewer)
        for url in pages:
            page = words(client.get(url))
            assert f"Comments: {count}" in page, (viewer, url)


def test_a_thread_of_muted_comments_alone_is_not_counted_as_a_thread(
    client, thread, muter
):
    client.force_login(muter)
    response = client.get(thread.get_absolute_url())
    content = response.content.decode()
    # The troll's lone comment leaves no placeholder and no empty thread.
    assert content.count('<li class="comment') == 3
    client.force_login(UserFactory())
    other = client.get(thread.get_absolute_url()).content.decode()
    assert other.count('<li class="comment') == 5


def test_muting_shows_on_the_muters_next_view_of_a_cached_chapter(
    client, thread, reader, django_capture_on_commit_callbacks
):
    url = thread.get_absolute_url()
    client.force_login(reader)
    assert "Troll top" in comments_of(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("blocking:muted_list", args=["pageturner"]), {"username": "troll"}
        )
    assert "Troll top" not in comments_of(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        user_unmute(muter=reader, muted=UserFactory(username="troll"))
    assert "Troll top" in comments_of(client.get(url))


def test_the_muted_user_sees_their_own_comments(client, thread, muter, troll):
    client.force_login(troll)
    comments = comments_of(client.get(thread.get_absolute_url()))
    assert "Troll top" in comments and PLACEHOLDER not in comments


# Query counts with a muter: the limits of tests/stories/test_query_counts.py.


@pytest.mark.parametrize("count", [1, 50])
def test_listing_pages_with_a_muter_run_few_queries(
    client, author, reader, django_assert_max_num_queries, count
):
    make_works(count, author)
    user_mute(muter=reader, muted=UserFactory(username="troll"))
    client.force_login(reader)
    for url in listing_urls(author):
        with django_assert_max_num_queries(LISTING_QUERY_LIMIT):
            response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("count", [1, 50])
def test_a_chapter_page_with_a_muter_runs_few_queries(
    client, author, reader, troll, django_assert_max_num_queries, count
):
    work = make_work(owner=author, chapters=count)
    chapter = work.chapters.order_by("position").last()
    others = [UserFactory() for _ in range(4)]
    parent = None
    for number in range(count):
        parent = services.comment_post(
            chapter=chapter,
            user=troll if number % 3 == 0 else others[number % 4],
            body=f"Comment {number}",
            parent=parent if number % 2 else None,
        )
    user_mute(muter=reader, muted=troll)
    client.force_login(reader)
    for url in (work.get_absolute_url(), chapter.get_absolute_url()):
        with django_assert_max_num_queries(READING_QUERY_LIMIT):
            response = client.get(url)
        assert response.status_code == 200, url
    # Seen again, the page comes from the reader's cached part: the session,
    # the account, the reader's state on the work and the record of the visit.
    with django_assert_max_num_queries(4):
        client.get(chapter.get_absolute_url())


# What a block or a mute renders again: nothing anyone else sees.

CACHED_PARTIALS = {
    "stories/_listing.html",
    "stories/_search_listing.html",
    "stories/_home.html",
    "stories/_reading.html",
    "stories/_work_blurb.html",
    "stories/_filters.html",
}


@pytest.mark.parametrize("change", ["mute", "block"])
def test_a_block_or_mute_renders_nothing_again_for_anyone_else(
    client, thread, author, reader, troll, change, django_capture_on_commit_callbacks
):
    urls = [thread.get_absolute_url(), *listing_pages().values()]
    client.force_login(UserFactory(username="other"))
    for url in urls:
        assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        if change == "mute":
            user_mute(muter=reader, muted=troll)
        else:
            user_block(blocker=author, blocked=reader)
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        for url in urls:
            assert client.get(url).status_code == 200
    finally:
        template_rendered.disconnect(record)
    assert not CACHED_PARTIALS.intersection(rendered)
