import pytest

from stories.bookmarks import services
from stories.bookmarks.models import Bookmark, BookmarkFolder
from stories.models import Work
from tests.factories import make_work

pytestmark = pytest.mark.django_db


def count(work):
    return Work.objects.get(pk=work.pk).bookmark_count


def test_public_bookmark_counts_on_its_work(reader, work):
    services.bookmark_create(owner=reader, work=work)

    assert count(work) == 1


def test_private_bookmark_does_not_count(reader, work):
    services.bookmark_create(owner=reader, work=work, is_private=True)

    assert count(work) == 0


def test_making_a_bookmark_private_and_public_again_recounts(reader, other, work):
    services.bookmark_create(owner=other, work=work)
    bookmark = services.bookmark_create(owner=reader, work=work)
    fields = {"notes": "", "tag_names": [], "is_rec": False, "folder": None}

    services.bookmark_update(bookmark=bookmark, is_private=True, **fields)
    assert count(work) == 1
    services.bookmark_update(bookmark=bookmark, is_private=True, **fields)
    assert count(work) == 1
    services.bookmark_update(bookmark=bookmark, is_private=False, **fields)
    assert count(work) == 2


def test_deleting_bookmarks_recounts(reader, other, work):
    public = services.bookmark_create(owner=reader, work=work)
    private = services.bookmark_create(owner=other, work=work, is_private=True)

    services.bookmark_delete(bookmark=private)
    assert count(work) == 1
    services.bookmark_delete(bookmark=public)
    assert count(work) == 0
    assert not Bookmark.objects.exists()


def test_a_second_bookmark_of_a_work_is_refused(reader, work):
    services.bookmark_create(owner=reader, work=work)

    with pytest.raises(services.BookmarkRefused):
        services.bookmark_create(owner=reader, work=work)

    assert Bookmark.objects.count() == 1
    assert count(work) == 1


def test_drafts_are_not_bookmarked(reader, author):
    draft = make_work(owner=author, post=False)

    with pytest.raises(services.BookmarkRefused):
        services.bookmark_create(owner=reader, work=draft)

    assert not Bookmark.objects.exists()


def test_someone_elses_folder_is_refused(reader, other, work):
    folder = services.folder_create(owner=other, name="Theirs")

    with pytest.raises(services.BookmarkRefused):
        services.bookmark_create(owner=reader, work=work, folder=folder)

    assert not Bookmark.objects.exists()
    assert count(work) == 0


def test_notes_are_sanitized_by_the_service(reader, work):
    bookmark = services.bookmark_create(
        owner=reader, work=work, notes='<p onclick="x()">Hi<script>bad()</script></p>'
    )

    assert bookmark.notes == "<p>Hi</p>"


def test_tags_are_kept_once_each_as_typed(reader, work):
    bookmark = services.bookmark_create(
        owner=reader, work=work, tag_names=["Cozy Reads", "cozy  reads", "Angst"]
    )

    assert [tag.name for tag in bookmark.tags.all()] == ["Cozy Reads", "Angst"]
    assert [tag.key for tag in bookmark.tags.all()] == ["cozy reads", "angst"]


def test_a_series_is_bookmarked_once_and_counts_on_no_work(reader, series):
    bookmark = services.bookmark_create(owner=reader, series=series)

    assert bookmark.title == "Harbour Tales"
    assert bookmark.creator_name == series.owner.username
    with pytest.raises(services.BookmarkRefused):
        services.bookmark_create(owner=reader, series=series)


def test_deleted_work_leaves_the_bookmark_with_its_title_and_notes(
    reader, author, work
):
    from stories import services as stories_services

    bookmark = services.bookmark_create(owner=reader, work=work, notes="Keep me")
    stories_services.work_delete(work=work)

    bookmark.refresh_from_db()
    assert bookmark.work is None
    assert bookmark.title == "The Lantern Keeper"
    assert bookmark.creator_name == author.username
    assert bookmark.notes == "Keep me"


def test_folders_are_ordered_moved_and_deleted(reader, work):
    first = services.folder_create(owner=reader, name="First")
    second = services.folder_create(owner=reader, name="Second")
    third = services.folder_create(owner=reader, name="Third")
    bookmark = services.bookmark_create(owner=reader, work=work, folder=second)

    services.folder_move(folder=third, direction=services.UP)
    services.folder_move(folder=first, direction=services.UP)  # already first

    names = list(
        BookmarkFolder.objects.filter(owner=reader)
        .order_by("position", "id")
        .values_list("name", flat=True)
    )
    assert names == ["First", "Third", "Second"]
    services.folder_delete(folder=second)
    bookmark.refresh_from_db()
    assert bookmark.folder is None
    assert BookmarkFolder.objects.filter(owner=reader).count() == 2


def test_folder_names_are_unique_per_reader(reader, other):
    services.folder_create(owner=reader, name="Faves")
    services.folder_create(owner=other, name="Faves")

    with pytest.raises(services.BookmarkRefused):
        services.folder_create(owner=reader, name="faves")
    folder = services.folder_create(owner=reader, name="Later")
    with pytest.raises(services.BookmarkRefused):
        services.folder_rename(folder=folder, name="FAVES")


def test_bookmarks_in_a_folder_keep_their_order(reader, author):
    folder = services.folder_create(owner=reader, name="Queue")
    works = [make_work(owner=author, title=f"Work {n}") for n in range(3)]
    bookmarks = [
        services.bookmark_create(owner=reader, work=work, folder=folder)
        for work in works
    ]
    assert [b.position for b in bookmarks] == [0, 1, 2]

    services.bookmark_move(bookmark=bookmarks[2], direction=services.UP)

    ordered = list(
        folder.bookmarks.order_by("position").values_list("title", flat=True)
    )
    assert ordered == ["Work 0", "Work 2", "Work 1"]


def test_count_changes_are_declared_for_listings_sorted_by_bookmarks(
    reader, work, monkeypatch
):
    declared = []
    monkeypatch.setattr(services, "changed", lambda **scopes: declared.append(scopes))

    bookmark = services.bookmark_create(owner=reader, work=work)
    services.bookmark_update(
        bookmark=bookmark,
        notes="Edited",
        tag_names=[],
        is_private=False,
        is_rec=True,
        folder=None,
    )
    services.bookmark_delete(bookmark=bookmark)

    assert declared == [
        {"works": [work.pk], "sorted_by": ["bookmarks"]},
        {"works": [work.pk], "sorted_by": ["bookmarks"]},
    ]


def test_bookmarked_work_ids_selects_the_users_works(reader, other, author):
    kept = make_work(owner=author, title="Kept")
    make_work(owner=author, title="Not bookmarked")
    theirs = make_work(owner=author, title="Theirs")
    services.bookmark_create(owner=reader, work=kept, is_private=True)
    services.bookmark_create(owner=other, work=theirs)

    left = Work.objects.exclude(pk__in=Bookmark.objects.bookmarked_work_ids(reader))

    assert set(left.values_list("title", flat=True)) == {"Not bookmarked", "Theirs"}
