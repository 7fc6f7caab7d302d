"""The download address: who may have a file, how it is sent, when it is built."""

import io
import zipfile

import pytest
from django.core.cache import cache
from django.urls import reverse

from stories import services
from stories.caching import WORK
from stories.downloads import services as download_services
from stories.downloads.addresses import download_url
from stories.engagement.services import kudos_leave
from stories.models import Chapter, Work
from stories.querysets import WorkQuerySet
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db


def body_of(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("ext", "content_type"),
    [
        ("epub", "application/epub+zip"),
        ("pdf", "application/pdf"),
        ("html", "text/html; charset=utf-8"),
        ("txt", "text/plain; charset=utf-8"),
    ],
)
def test_guest_downloads_each_format_as_an_attachment(client, work, ext, content_type):
    response = client.get(download_url(work, ext))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="The_Lantern_Keeper.{ext}"'
    )
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    data = body_of(response)
    assert int(response["Content-Length"]) == len(data)
    if ext == "txt":
        assert data.decode().startswith("The Lantern Keeper\nby quillfeather")


def test_address_is_aos_form_with_an_ascii_title(author):
    work = make_work(owner=author, title="Café: the «Lanterns»!")
    assert download_url(work, "epub") == f"/downloads/{work.pk}/Cafe_the_Lanterns.epub"


def test_a_wrong_name_redirects_permanently_to_the_right_one(client, work):
    address = reverse(
        "downloads:download",
        kwargs={"pk": work.pk, "name": "Old_Title", "ext": "pdf"},
    )
    response = client.get(address)

    assert response.status_code == 301
    assert response["Location"] == download_url(work, "pdf")


def test_a_repeat_download_with_its_etag_is_not_modified(client, work):
    first = client.get(download_url(work, "txt"))
    body_of(first)

    again = client.get(download_url(work, "txt"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(
        download_url(work, "txt"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert since.status_code == 304


def test_a_draft_is_not_downloadable_even_by_its_creator(client, author):
    draft = make_work(owner=author, post=False)
    for who in (None, UserFactory(), author):
        if who is not None:
            client.force_login(who)
        assert client.get(download_url(draft, "epub")).status_code == 404


def test_a_missing_work_is_404(client):
    address = reverse(
        "downloads:download", kwargs={"pk": 999999, "name": "Work", "ext": "epub"}
    )
    assert client.get(address).status_code == 404


def test_a_work_the_reader_may_not_see_is_404(client, work, reader, monkeypatch):
    """Whatever visible_to leaves out (hidden, restricted works) is refused."""
    visible_to = WorkQuerySet.visible_to
    monkeypatch.setattr(
        WorkQuerySet,
        "visible_to",
        lambda self, user: visible_to(self, user).exclude(pk=work.pk),
    )
    assert client.get(download_url(work, "epub")).status_code == 404
    client.force_login(reader)
    assert client.get(download_url(work, "epub")).status_code == 404


def test_another_user_downloads_a_posted_work(reader_client, work):
    assert reader_client.get(download_url(work, "html")).status_code == 200


def test_a_posted_works_draft_chapter_is_left_out(author_client, work):
    services.chapter_create(
        work=work,
        text=services.ChapterText(body="<p>Secret draft words.</p>", title="Hidden"),
        post=False,
    )
    data = body_of(author_client.get(download_url(work, "txt"))).decode()
    assert "Beginnings" in data
    assert "Secret draft words" not in data


def test_only_get_and_head(client, work):
    head = client.head(download_url(work, "txt"))
    assert head.status_code == 200
    assert head["Content-Type"] == "text/plain; charset=utf-8"
    assert client.post(download_url(work, "txt")).status_code == 405
    assert Work.objects.filter(pk=work.pk).exists()


def test_a_download_is_built_once_and_kept(client, work, downloads_dir, monkeypatch):
    built = []
    build = download_services.BUILDERS["txt"]
    monkeypatch.setitem(
        download_services.BUILDERS,
        "txt",
        lambda book: built.append(book.pk) or build(book),
    )
    first = client.get(download_url(work, "txt"))
    body_of(first)
    second = client.get(download_url(work, "txt"))
    body_of(second)

    assert built == [work.pk]
    assert second["ETag"] == first["ETag"]
    assert len(list((downloads_dir / str(work.pk)).glob("*.txt"))) == 1


def test_a_change_that_a_download_does_not_show_builds_nothing(
    client, work, reader, monkeypatch
):
    built = []
    build = download_services.BUILDERS["txt"]
    monkeypatch.setitem(
        download_services.BUILDERS,
        "txt",
        lambda book: built.append(book.pk) or build(book),
    )
    first = client.get(download_url(work, "txt"))
    body_of(first)
    # Kudos change the work's pages, and so its version, but not its file.
    version = cache.get(WORK(work.pk).key)
    kudos_leave(work=work, user=reader)
    assert cache.get(WORK(work.pk).key) != version

    again = client.get(download_url(work, "txt"))
    body_of(again)
    assert built == [work.pk]
    assert again["ETag"] == first["ETag"]


def test_an_edit_builds_the_download_again(client, work, downloads_dir):
    first = client.get(download_url(work, "epub"))
    old = body_of(first)
    chapter = Chapter.objects.get(work=work)
    services.chapter_update(
        chapter=chapter,
        text=services.ChapterText(body="<p>Rewritten by dawn.</p>", title="Anew"),
    )

    again = client.get(download_url(work, "epub"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    new = zipfile.ZipFile(io.BytesIO(body_of(again)))
    chapter_file = new.read("EPUB/chapter-1.xhtml").decode()
    assert "Rewritten by dawn." in chapter_file
    assert "Chapter 1: Anew" in chapter_file
    assert old != body_of(client.get(download_url(work, "epub")))
    # The older file is gone: one file a format.
    assert len(list((downloads_dir / str(work.pk)).glob("*.epub"))) == 1


def test_a_new_title_moves_the_address(client, work):
    old_address = download_url(work, "txt")
    services.work_update(
        work=work,
        tags={},
        warnings=["No Archive Warnings Apply"],
        title="The Lamplighter",
    )
    work.refresh_from_db()

    response = client.get(old_address)
    assert response.status_code == 301
    assert response["Location"] == download_url(work, "txt")
    text = body_of(client.get(download_url(work, "txt"))).decode()
    assert text.startswith("The Lamplighter\n")


def test_a_file_removed_from_disk_is_built_again(client, work, downloads_dir):
    body_of(client.get(download_url(work, "txt")))
    for path in (downloads_dir / str(work.pk)).glob("*.txt"):
        path.unlink()

    response = client.get(download_url(work, "txt"))
    assert response.status_code == 200
    assert body_of(response).startswith(b"The Lantern Keeper")


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_kept_download_reads_almost_nothing(
    client, work, reader, signed_in, django_assert_max_num_queries
):
    if signed_in:
        client.force_login(reader)
    body_of(client.get(download_url(work, "epub")))

    # The work that may be downloaded (and the session and reader when signed in).
    with django_assert_max_num_queries(3 if signed_in else 1):
        response = client.get(download_url(work, "epub"))
        body_of(response)
    assert response.status_code == 200


def test_the_work_pages_link_each_download(client, work):
    services.chapter_create(
        work=work, text=services.ChapterText(body="<p>Two.</p>", title="Two")
    )
    chapter = Chapter.objects.filter(work=work).order_by("position").last()
    pages = [
        work.get_absolute_url(),
        f"{work.get_absolute_url()}?view_full_work=true",
        chapter.get_absolute_url(),
    ]
    for address in pages:
        html = client.get(address).content.decode()
        assert "Download" in html
        for ext in ("epub", "pdf", "html", "txt"):
            assert f'href="{download_url(work, ext)}"' in html, (address, ext)


def test_a_drafts_page_offers_no_download(author_client, author):
    draft = make_work(owner=author, post=False)
    html = author_client.get(draft.get_absolute_url()).content.decode()
    assert download_url(draft, "epub") not in html


def test_a_lock_left_by_a_build_that_died_delays_but_does_not_stop_it(
    client, work, downloads_dir, monkeypatch
):
    monkeypatch.setattr(download_services, "BUILD_WAIT_SECONDS", 0.3)
    book = download_services.book_of(work.pk)
    folder = downloads_dir / str(work.pk)
    folder.mkdir(parents=True)
    lock = folder / f".{book.digest}.txt.lock"
    lock.touch()

    response = client.get(download_url(work, "txt"))
    assert response.status_code == 200
    assert body_of(response).startswith(b"The Lantern Keeper")
    assert not lock.exists()
