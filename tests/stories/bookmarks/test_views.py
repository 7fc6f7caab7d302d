import pytest
from django.urls import reverse

from stories import services as stories_services
from stories.blocking.models import Mute
from stories.bookmarks import services
from stories.bookmarks.models import Bookmark, BookmarkFolder
from stories.models import Work
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db


def create_url(work):
    return reverse("bookmarks:bookmark_create", args=[work.pk])


def form(**fields):
    return {"notes": "", "tags": "", **fields}


def count(work):
    return Work.objects.get(pk=work.pk).bookmark_count


# Bookmarking


def test_reader_bookmarks_a_work_with_notes_tags_rec_and_folder(
    reader_client, reader, work
):
    folder = services.folder_create(owner=reader, name="Comfort")

    with_form = reader_client.get(create_url(work))
    response = reader_client.post(
        create_url(work),
        form(
            notes="So *good*.\n\nTruly.",
            tags="Comfort Read, lanterns",
            is_rec="on",
            folder=folder.pk,
        ),
        follow=True,
    )

    assert with_form.status_code == 200
    bookmark = Bookmark.objects.get()
    assert response.redirect_chain[-1][0] == bookmark.get_absolute_url()
    assert "Bookmarked “The Lantern Keeper”." in response.text
    assert bookmark.notes == "<p>So *good*.</p><p>Truly.</p>"
    assert [t.name for t in bookmark.tags.all()] == ["Comfort Read", "lanterns"]
    assert bookmark.is_rec and not bookmark.is_private
    assert bookmark.folder == folder
    assert count(work) == 1


def test_guest_is_sent_to_log_in_and_nothing_is_stored(client, work):
    response = client.post(create_url(work), form(notes="Hi"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Bookmark.objects.exists()


def test_a_second_bookmark_goes_to_the_edit_form(reader_client, bookmark, work):
    response = reader_client.post(create_url(work), form(notes="Again"), follow=True)

    assert response.redirect_chain[0][0] == reverse(
        "bookmarks:bookmark_edit", args=[bookmark.pk]
    )
    assert "You have already bookmarked" in response.text
    assert Bookmark.objects.count() == 1
    bookmark.refresh_from_db()
    assert bookmark.notes == "<p>Loved the lamps.</p>"
    assert count(work) == 1


def test_drafts_and_missing_works_cannot_be_bookmarked(reader_client, author):
    draft = make_work(owner=author, post=False)

    assert reader_client.get(create_url(draft)).status_code == 404
    assert reader_client.post(create_url(draft), form()).status_code == 404
    assert not Bookmark.objects.exists()


def test_owner_cannot_bookmark_their_own_draft_either(author_client, author):
    draft = make_work(owner=author, post=False)

    assert author_client.post(create_url(draft), form()).status_code == 404
    assert not Bookmark.objects.exists()


def test_too_long_notes_are_refused_and_kept(reader_client, work):
    notes = "a" * 5001

    response = reader_client.post(create_url(work), form(notes=notes))

    assert response.status_code == 400
    assert "5,001 characters: notes may have at most 5,000." in response.text
    assert notes in response.text
    assert not Bookmark.objects.exists()


def test_notes_of_exactly_the_limit_are_kept(reader_client, work):
    reader_client.post(create_url(work), form(notes="a" * 5000))

    assert Bookmark.objects.get().notes == f"<p>{'a' * 5000}</p>"


def test_hostile_html_in_notes_is_sanitized(reader_client, work):
    reader_client.post(
        create_url(work),
        form(notes='<p>Nice<script>alert(1)</script> <a href="javascript:x">x</a></p>'),
    )
    bookmark = Bookmark.objects.get()

    response = reader_client.get(bookmark.get_absolute_url())

    assert "<script>" not in bookmark.notes and "javascript:" not in bookmark.notes
    assert "alert(1)" not in response.text
    assert "<p>Nice" in response.text


def test_someone_elses_folder_in_the_form_is_refused(reader_client, other, work):
    theirs = services.folder_create(owner=other, name="Theirs")

    response = reader_client.post(create_url(work), form(folder=theirs.pk))

    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not Bookmark.objects.exists()
    assert count(work) == 0


def test_series_is_bookmarked_with_the_same_form(reader_client, reader, series):
    url = reverse("bookmarks:series_bookmark_create", args=[series.pk])

    reader_client.post(url, form(notes="Whole run", tags="saga"))
    again = reader_client.get(url)

    bookmark = Bookmark.objects.get()
    assert bookmark.series == series and bookmark.work is None
    assert again.status_code == 302
    page = reader_client.get(reverse("bookmarks:user_bookmarks", args=["pageturner"]))
    assert "Harbour Tales" in page.text and "Whole run" in page.text


# The work and chapter pages link to it


def test_work_page_says_bookmark_then_edit_bookmark(reader_client, reader, work):
    chapter = work.chapters.get()
    before = reader_client.get(work.get_absolute_url())
    services.bookmark_create(owner=reader, work=work)
    after = reader_client.get(chapter.get_absolute_url())
    full = reader_client.get(work.get_absolute_url() + "?view_full_work=true")

    assert create_url(work) in before.text
    assert ">Bookmark<" in before.text
    bookmark = Bookmark.objects.get()
    edit = reverse("bookmarks:bookmark_edit", args=[bookmark.pk])
    assert edit in after.text and "Edit bookmark" in after.text
    assert edit in full.text


def test_guests_see_bookmark_and_the_count_links_to_the_list(client, bookmark, work):
    response = client.get(work.get_absolute_url())

    assert create_url(work) in response.text
    assert reverse("bookmarks:work_bookmarks", args=[work.pk]) in response.text


def test_draft_page_offers_no_bookmark(author_client, author):
    draft = make_work(owner=author, post=False)

    response = author_client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert create_url(draft) not in response.text


# One bookmark, its edit and delete


@pytest.fixture
def private_bookmark(reader, author):
    work = make_work(owner=author, title="Secret Garden")
    return services.bookmark_create(
        owner=reader, work=work, notes="Only mine", is_private=True
    )


def test_private_bookmark_is_seen_by_its_owner_alone(
    client, reader, other, staff, private_bookmark
):
    url = private_bookmark.get_absolute_url()

    assert client.get(url).status_code == 404
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 404
    client.force_login(reader)
    response = client.get(url)
    assert response.status_code == 200 and "Only mine" in response.text


def test_private_bookmarks_are_left_out_of_lists_for_others(
    client, reader, other, private_bookmark
):
    mine = reverse("bookmarks:user_bookmarks", args=[reader.username])
    work_list = reverse("bookmarks:work_bookmarks", args=[private_bookmark.work_id])

    assert "Secret Garden" not in client.get(mine).text
    assert "Only mine" not in client.get(work_list).text
    client.force_login(other)
    assert "Secret Garden" not in client.get(mine).text
    client.force_login(reader)
    assert "Secret Garden" in client.get(mine).text
    assert "Only mine" not in client.get(work_list).text


@pytest.mark.parametrize("action", ["bookmark_edit", "bookmark_delete"])
def test_only_the_owner_edits_or_deletes(client, other, staff, bookmark, action):
    url = reverse(f"bookmarks:{action}", args=[bookmark.pk])
    data = form(notes="Hijacked")

    guest = client.post(url, data)
    assert guest.status_code == 302 and guest.url.startswith(reverse("login"))
    for someone in (other, staff):
        client.force_login(someone)
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    bookmark.refresh_from_db()
    assert bookmark.notes == "<p>Loved the lamps.</p>"
    assert count(bookmark.work) == 1


def test_owner_edits_a_bookmark_to_private_and_back(reader_client, bookmark, work):
    url = reverse("bookmarks:bookmark_edit", args=[bookmark.pk])

    shown = reader_client.get(url)
    reader_client.post(url, form(notes="Changed", tags="new", is_private="on"))
    assert count(work) == 0
    response = reader_client.post(url, form(notes="Changed", tags="new"), follow=True)

    assert "Loved the lamps." in shown.text and "cozy" in shown.text
    assert "Bookmark updated." in response.text
    bookmark.refresh_from_db()
    assert bookmark.notes == "<p>Changed</p>"
    assert [t.name for t in bookmark.tags.all()] == ["new"]
    assert count(work) == 1


def test_owner_deletes_after_confirming(reader_client, bookmark, work):
    url = reverse("bookmarks:bookmark_delete", args=[bookmark.pk])

    confirm = reader_client.get(url)
    assert "Yes, delete the bookmark" in confirm.text
    assert Bookmark.objects.exists()
    response = reader_client.post(url, follow=True)

    assert "Bookmark deleted." in response.text
    assert not Bookmark.objects.exists()
    assert count(work) == 0


def test_bookmark_of_a_deleted_work_says_so_and_keeps_its_notes(
    reader_client, reader, bookmark, work
):
    stories_services.work_delete(work=work)

    detail = reader_client.get(bookmark.get_absolute_url())
    listing = reader_client.get(
        reverse("bookmarks:user_bookmarks", args=[reader.username])
    )

    for response in (detail, listing):
        assert "This work has been deleted" in response.text
        assert "The Lantern Keeper" in response.text
        assert "Loved the lamps." in response.text


def test_bookmark_of_a_work_taken_back_to_draft_is_hidden_from_others(
    client, reader, bookmark, work
):
    Work.objects.filter(pk=work.pk).update(status="draft")

    assert client.get(bookmark.get_absolute_url()).status_code == 404


# A work's public bookmarks


def test_work_lists_its_public_bookmarks_with_tags_notes_and_rec(
    client, reader, other, work
):
    services.bookmark_create(
        owner=reader, work=work, notes="A gem", tag_names=["gem"], is_rec=True
    )
    services.bookmark_create(owner=other, work=work, notes="Hidden", is_private=True)

    response = client.get(reverse("bookmarks:work_bookmarks", args=[work.pk]))

    assert "1 bookmark of" in response.text
    assert "A gem" in response.text and "Recommended" in response.text
    assert ">gem<" in response.text and "pageturner" in response.text
    assert "Hidden" not in response.text


def test_work_bookmarks_of_a_draft_are_not_found(client, author):
    draft = make_work(owner=author, post=False)

    assert (
        client.get(reverse("bookmarks:work_bookmarks", args=[draft.pk])).status_code
        == 404
    )


def test_muted_bookmarker_is_hidden_only_for_the_muter(client, reader, other, work):
    services.bookmark_create(owner=reader, work=work, notes="From pageturner")
    muter = UserFactory(username="muter")
    Mute.objects.create(muter=muter, muted=reader)
    work_url = reverse("bookmarks:work_bookmarks", args=[work.pk])
    user_url = reverse("bookmarks:user_bookmarks", args=[reader.username])
    bookmark_url = Bookmark.objects.get().get_absolute_url()

    client.force_login(muter)
    assert "From pageturner" not in client.get(work_url).text
    assert "0 bookmarks" in client.get(work_url).text
    assert "From pageturner" not in client.get(user_url).text
    assert client.get(bookmark_url).status_code == 404
    client.force_login(other)
    assert "From pageturner" in client.get(work_url).text
    assert "From pageturner" in client.get(user_url).text
    client.logout()
    assert "From pageturner" in client.get(work_url).text


def test_work_bookmarks_are_paginated(client, author, work):
    for number in range(25):
        services.bookmark_create(owner=UserFactory(), work=work, notes=f"N{number}")
    url = reverse("bookmarks:work_bookmarks", args=[work.pk])

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert "25 bookmarks" in first.text
    assert first.text.count('class="bookmark"') == 20
    assert second.text.count('class="bookmark"') == 5


# Folders


def test_folders_page_is_the_owners_alone(client, reader, other, staff):
    url = reverse("bookmarks:folder_list", args=[reader.username])

    guest = client.post(url, {"name": "Sneaky"})
    assert guest.status_code == 302 and guest.url.startswith(reverse("login"))
    for someone in (other, staff):
        client.force_login(someone)
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "Sneaky"}).status_code == 404
    assert not BookmarkFolder.objects.exists()


def test_owner_creates_renames_reorders_and_deletes_folders(
    reader_client, reader, work
):
    url = reverse("bookmarks:folder_list", args=[reader.username])
    reader_client.post(url, {"name": "First"})
    reader_client.post(url, {"name": "Second", "is_private": "on"})
    duplicate = reader_client.post(url, {"name": "first"})
    first, second = BookmarkFolder.objects.order_by("position")
    bookmark = services.bookmark_create(owner=reader, work=work, folder=second)

    reader_client.post(
        reverse("bookmarks:folder_edit", args=[reader.username, first.pk]),
        {f"f{first.pk}-name": "Renamed", f"f{first.pk}-is_private": "on"},
    )
    reader_client.post(
        reverse("bookmarks:folder_move", args=[reader.username, second.pk]),
        {"direction": "up"},
    )
    page = reader_client.get(url)
    confirm = reader_client.get(
        reverse("bookmarks:folder_delete", args=[reader.username, second.pk])
    )
    reader_client.post(
        reverse("bookmarks:folder_delete", args=[reader.username, second.pk])
    )

    assert duplicate.status_code == 400
    assert "You already have a folder named “first”." in duplicate.text
    assert page.text.index(f'id="folder-{second.pk}"') < page.text.index(
        f'id="folder-{first.pk}"'
    )
    assert "Its 1 bookmark stays" in confirm.text
    folder = BookmarkFolder.objects.get()
    assert (folder.name, folder.is_private) == ("Renamed", True)
    bookmark.refresh_from_db()
    assert bookmark.folder is None


@pytest.mark.parametrize("action", ["folder_edit", "folder_move", "folder_delete"])
def test_someone_elses_folder_is_not_changed(client, reader, other, action):
    folder = services.folder_create(owner=reader, name="Mine")
    data = {f"f{folder.pk}-name": "Taken", "direction": "down"}

    for url in (
        reverse(f"bookmarks:{action}", args=[reader.username, folder.pk]),
        reverse(f"bookmarks:{action}", args=[other.username, folder.pk]),
    ):
        client.force_login(other)
        assert client.post(url, data).status_code == 404
    assert BookmarkFolder.objects.get().name == "Mine"


def test_private_folder_is_seen_by_its_owner_alone(client, reader, other, work):
    folder = services.folder_create(owner=reader, name="Guilty", is_private=True)
    services.bookmark_create(owner=reader, work=work, folder=folder)
    url = folder.get_absolute_url()
    listing = reverse("bookmarks:user_bookmarks", args=[reader.username])

    assert client.get(url).status_code == 404
    assert "Guilty" not in client.get(listing).text
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert "Guilty" not in client.get(listing).text
    client.force_login(reader)
    response = client.get(url)
    assert response.status_code == 200
    assert "The Lantern Keeper" in response.text


def test_folder_page_lists_its_bookmarks_in_their_order(client, reader, author):
    folder = services.folder_create(owner=reader, name="Queue")
    for title in ("Alpha", "Beta", "Gamma"):
        work = make_work(owner=author, title=title)
        services.bookmark_create(owner=reader, work=work, folder=folder)
    gamma = Bookmark.objects.get(title="Gamma")
    client.force_login(reader)
    client.post(
        reverse("bookmarks:bookmark_move", args=[gamma.pk]),
        {"direction": "up"},
    )

    text = client.get(folder.get_absolute_url()).text

    alpha, beta, gamma = (
        text.index(f'id="bookmark-{Bookmark.objects.get(title=title).pk}"')
        for title in ("Alpha", "Beta", "Gamma")
    )
    assert alpha < gamma < beta
    assert "3 bookmarks" in text


def test_control_characters_in_notes_or_tags_are_refused(reader_client, work):
    for data in (form(notes="Hi\x00there"), form(tags="cozy\x07")):
        response = reader_client.post(create_url(work), data)
        assert response.status_code == 400
        assert "invisible control character" in response.text
    assert not Bookmark.objects.exists()


def test_profile_links_to_the_persons_bookmarks(client, reader):
    response = client.get(reverse("stories:user_detail", args=[reader.username]))

    assert reverse("bookmarks:user_bookmarks", args=[reader.username]) in response.text


def test_too_many_or_too_long_tags_are_refused_and_kept(reader_client, work):
    many = ", ".join(f"tag {number}" for number in range(76))
    long_name = "x" * 151

    too_many = reader_client.post(create_url(work), form(tags=many))
    too_long = reader_client.post(create_url(work), form(tags=long_name))

    assert "76 tags: a bookmark may have at most 75." in too_many.text
    assert "tag 75" in too_many.text
    assert "A tag may have at most 150 characters." in too_long.text
    assert not Bookmark.objects.exists()
