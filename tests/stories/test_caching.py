"""Cached parts: keyed by the versions of what they show, kept in the process."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from stories import services
from stories.caching import (
    ALL_WORKS,
    SORTED_BY,
    TAG,
    TAG_NAMES,
    USER,
    WORK,
    cached,
    changed,
    part,
    release,
)
from stories.models import Tag
from tests.factories import make_work

pytestmark = pytest.mark.django_db


def computed_again(item):
    """Return whether the part had to be computed again."""
    calls = []
    cached(item, lambda: calls.append(1) or "fresh")
    return bool(calls)


def test_a_part_is_computed_once_until_what_it_shows_changes():
    story = part("story", 7, scopes=[WORK(7)])
    assert cached(story, lambda: "<p>Before.</p>") == "<p>Before.</p>"
    assert cached(story, lambda: "<p>Never.</p>") == "<p>Before.</p>"

    changed(works=[7])

    assert cached(story, lambda: "<p>After.</p>") == "<p>After.</p>"


def test_a_change_leaves_the_parts_of_everything_else_alone():
    parts = [
        part("story", 8, scopes=[WORK(8)]),
        part("listing", scopes=[TAG(3)]),
        part("profile", scopes=[USER(5)]),
        part("every-work", scopes=[ALL_WORKS]),
    ]
    for item in parts:
        cached(item, lambda: "kept")

    changed(works=[7], tags=[4], users=[6])

    assert [computed_again(item) for item in parts] == [False] * 4


def test_a_work_listed_anew_changes_its_tags_author_and_every_works_listing(author):
    work = make_work(owner=author, fandoms=["Harbour Lights (TV)"])
    fandom = Tag.objects.get(name="Harbour Lights (TV)")
    parts = [
        part("tag", scopes=[TAG(fandom.pk)]),
        part("profile", scopes=[USER(author.pk)]),
        part("works", scopes=[ALL_WORKS]),
        part("tag-names", scopes=[TAG_NAMES]),
    ]
    for item in parts:
        cached(item, lambda: "kept")

    changed(works=[work.pk], listed=True)

    assert [computed_again(item) for item in parts] == [True, True, True, False]


def test_a_tag_changing_takes_its_parent_fandoms_and_synonyms_along():
    fandom = Tag.objects.create(name="Harbour Lights (TV)", kind="fandom")
    character = Tag.objects.create(name="Mara Quinn", kind="character")
    character.parents.add(fandom)
    character.canonical = True
    character.save()
    synonym = Tag.objects.create(name="Mara", kind="character", merger=character)
    parts = [part("tag", pk, scopes=[TAG(pk)]) for pk in (fandom.pk, synonym.pk)]
    for item in parts:
        cached(item, lambda: "kept")

    changed(tags=[character.pk])

    assert [computed_again(item) for item in parts] == [True, True]


def test_a_change_shows_again_when_it_commits(django_capture_on_commit_callbacks):
    story = part("story", 9, scopes=[WORK(9)])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        changed(works=[9])
        # Built by a reader while the write was in flight, from the data
        # before it.
        cached(story, lambda: "<p>Before the commit.</p>")
    for callback in callbacks:
        callback()
    assert computed_again(story)


def test_a_lost_version_starts_anew_so_nothing_older_comes_back():
    story = part("story", 10, scopes=[WORK(10)])
    cached(story, lambda: "<p>Old.</p>")
    cache.delete(WORK(10).key)
    assert computed_again(story)


def test_a_part_kept_in_the_process_is_served_without_the_shared_cache():
    story = part("story", 11, scopes=[WORK(11)])
    cached(story, lambda: "<p>Rendered once.</p>")
    version = cache.get(WORK(11).key)
    cache.shared.clear()
    # Only the version is found in the shared cache again: the part is not.
    cache.shared.set(WORK(11).key, version, timeout=None)
    assert not computed_again(story)


def test_a_reader_changing_a_part_it_was_given_changes_nobody_elses():
    facets = part("facets")
    mine = cached(facets, lambda: {"Angst": [1, 2]})
    mine["Angst"].append(3)
    assert cached(facets, lambda: {}) == {"Angst": [1, 2]}


def test_parts_larger_than_the_process_may_keep_come_from_the_shared_cache():
    cache._kept = None
    cache._kept_bytes = 1000
    try:
        big, wide, small = part("big"), part("wide"), part("small")
        cached(big, lambda: "x" * 5000)
        # Fewer characters than the limit, but two bytes each.
        cached(wide, lambda: "語" * 600)
        cached(small, lambda: "y" * 100)
        cache.shared.clear()
        assert [computed_again(item) for item in (big, wide, small)] == [
            True,
            True,
            False,
        ]
    finally:
        cache._kept = None
        cache._kept_bytes = 32 * 1024 * 1024


def test_a_comment_does_not_re_list_the_listings_it_is_on(client, author, reader):
    work = make_work(owner=author, fandoms=["Harbour Lights (TV)"])
    fandom = Tag.objects.get(name="Harbour Lights (TV)")
    by_date = part("listing", scopes=[TAG(fandom.pk)])
    by_comments = part(
        "listing", "comments", scopes=[TAG(fandom.pk), SORTED_BY("comments")]
    )
    for item in (by_date, by_comments):
        cached(item, lambda: "kept")

    services.comment_post(chapter=work.chapters.get(), user=reader, body="Lovely.")

    assert not computed_again(by_date)
    assert computed_again(by_comments)


def test_the_release_names_every_file_of_code_and_templates(tmp_path, settings):
    (tmp_path / "stories").mkdir()
    (tmp_path / "templates").mkdir()
    view = tmp_path / "stories" / "views.py"
    view.write_text("SHOWN = 1\n")
    (tmp_path / "templates" / "page.html").write_text("<p>{{ shown }}</p>\n")
    settings.BASE_DIR = tmp_path
    release.cache_clear()
    try:
        before = release()
        view.write_text("SHOWN = 2\n")
        release.cache_clear()
        assert release() != before
    finally:
        release.cache_clear()


def form_token(response):
    return re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()
    ).group(1)


def test_guests_share_a_whole_page_each_with_a_form_token_of_their_own(
    author, django_assert_num_queries
):
    work = make_work(owner=author, allow_guest_comments=True)
    url = work.chapters.get().get_absolute_url()
    first, second = Client(), Client(enforce_csrf_checks=True)
    first.get(url)

    with django_assert_num_queries(0):
        response = second.get(url)

    token = form_token(response)
    assert token != form_token(first.get(url))
    # The token posts: it goes with the cookie the page set.
    posted = second.post(
        reverse("stories:comment_create", args=[work.pk, work.chapters.get().pk]),
        {
            "csrfmiddlewaretoken": token,
            "guest_name": "Wanderer",
            "guest_email": "w@example.com",
            "body": "Hello!",
        },
    )
    assert posted.status_code == 302


def test_a_guest_with_a_message_waiting_gets_the_page_rendered_for_them(client, author):
    work = make_work(owner=author, allow_guest_comments=True)
    chapter = work.chapters.get()
    Client().get(chapter.get_absolute_url())
    response = client.post(
        reverse("stories:comment_create", args=[work.pk, chapter.pk]),
        {"guest_name": "Wanderer", "guest_email": "w@example.com", "body": "Hi!"},
        follow=True,
    )
    assert "Comment posted." in response.content.decode()
    assert "Hi!" in response.content.decode()


def test_a_whole_page_is_rendered_again_once_what_it_shows_changed(author, reader):
    work = make_work(owner=author, title="Before")
    guest = Client()
    assert "Before" in guest.get(work.get_absolute_url()).content.decode()

    services.work_update(
        work=work,
        title="After",
        tags={"fandom": ["Original Work"]},
        warnings=["No Archive Warnings Apply"],
    )

    assert "After" in guest.get(work.get_absolute_url()).content.decode()
