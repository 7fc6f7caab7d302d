"""What bookmarking shows on cached pages, and staff's changes in the admin."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from stories.bookmarks import services
from stories.bookmarks.models import Bookmark, BookmarkFolder
from stories.models import Work
from tests.factories import make_work

pytestmark = pytest.mark.django_db


def bookmarks_shown(response):
    match = re.search(r"<dt>Bookmarks:</dt>\s*<dd>\s*<a [^>]+>(\d+)</a>", response.text)
    return int(match.group(1)) if match else 0


def test_guest_pages_show_the_new_count_after_bookmarking(
    reader_client, work, django_capture_on_commit_callbacks
):
    guest = Client()
    assert bookmarks_shown(guest.get(work.get_absolute_url())) == 0
    assert bookmarks_shown(guest.get(reverse("stories:work_list"))) == 0

    with django_capture_on_commit_callbacks(execute=True):
        reader_client.post(
            reverse("bookmarks:bookmark_create", args=[work.pk]),
            {"notes": "", "tags": ""},
        )

    assert bookmarks_shown(guest.get(work.get_absolute_url())) == 1
    assert bookmarks_shown(guest.get(reverse("stories:work_list"))) == 1


def test_listing_sorted_by_bookmarks_follows_the_counts(
    reader_client, reader, author, django_capture_on_commit_callbacks
):
    make_work(owner=author, title="Alder")
    birch = make_work(owner=author, title="Birch")
    guest = Client()
    url = reverse("stories:work_list") + "?sort=bookmarks"
    titles = re.compile(r'class="blurb-title"[^>]*>\s*<a href="[^"]+">([^<]+)</a>')
    assert titles.findall(guest.get(url).text) == ["Birch", "Alder"]
    alder = Work.objects.get(title="Alder")

    with django_capture_on_commit_callbacks(execute=True):
        services.bookmark_create(owner=reader, work=alder)
    assert titles.findall(guest.get(url).text) == ["Alder", "Birch"]

    with django_capture_on_commit_callbacks(execute=True):
        services.bookmark_delete(bookmark=Bookmark.objects.get())
        services.bookmark_create(owner=reader, work=birch)
    assert titles.findall(guest.get(url).text) == ["Birch", "Alder"]


def test_reader_sees_edit_bookmark_right_after_bookmarking(
    reader_client, work, django_capture_on_commit_callbacks
):
    first = reader_client.get(work.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        reader_client.post(
            reverse("bookmarks:bookmark_create", args=[work.pk]),
            {"notes": "", "tags": "", "is_private": "on"},
        )

    second = reader_client.get(work.get_absolute_url())

    assert "Edit bookmark" not in first.text
    assert "Edit bookmark" in second.text


def test_staff_make_a_bookmark_private_in_the_admin_and_it_recounts(
    staff_client, bookmark, work
):
    url = reverse("admin:bookmarks_bookmark_change", args=[bookmark.pk])

    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url, {"notes": "<script>x()</script>Calm", "is_private": "on"}
    )

    assert response.status_code == 302
    bookmark.refresh_from_db()
    assert bookmark.is_private and bookmark.notes == "<p>Calm</p>"
    assert [tag.name for tag in bookmark.tags.all()] == ["cozy"]
    assert Work.objects.get(pk=work.pk).bookmark_count == 0


def test_staff_delete_bookmarks_in_the_admin_and_it_recounts(
    staff_client, bookmark, work
):
    response = staff_client.post(
        reverse("admin:bookmarks_bookmark_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [bookmark.pk],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not Bookmark.objects.exists()
    assert Work.objects.get(pk=work.pk).bookmark_count == 0


def test_staff_rename_and_delete_folders_in_the_admin(staff_client, reader, bookmark):
    folder = services.folder_create(owner=reader, name="Faves")
    services.bookmark_update(
        bookmark=bookmark,
        notes="",
        tag_names=[],
        is_private=False,
        is_rec=False,
        folder=folder,
    )
    change = reverse("admin:bookmarks_bookmarkfolder_change", args=[folder.pk])

    staff_client.post(change, {"name": "Favourites"})
    assert BookmarkFolder.objects.get().name == "Favourites"
    staff_client.post(
        reverse("admin:bookmarks_bookmarkfolder_delete", args=[folder.pk]),
        {"post": "yes"},
    )

    assert not BookmarkFolder.objects.exists()
    bookmark.refresh_from_db()
    assert bookmark.folder is None


def test_readers_cannot_use_the_admin(reader_client, bookmark):
    response = reader_client.get(reverse("admin:bookmarks_bookmark_changelist"))

    assert response.status_code == 302
