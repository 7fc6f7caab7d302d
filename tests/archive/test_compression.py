"""Pages sent gzip-compressed when asked, with the form token masked afresh in
every response (BREACH), and downloads, ETags and 304s as before."""

import gzip

import lxml.html
import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from stories.downloads.addresses import download_url
from stories.models import Tag
from tests.factories import make_work

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def downloads_dir(settings, tmp_path):
    settings.DOWNLOADS_DIR = tmp_path / "downloads"


def form_tokens(response):
    content = response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    tree = lxml.html.fromstring(content)
    return tree.xpath("//input[@name='csrfmiddlewaretoken']/@value")


def test_a_tag_page_comes_compressed_when_asked_and_is_smaller(author):
    for number in range(5):
        make_work(owner=author, title=f"Lantern {number}", fandoms=["Harbour"])
    address = reverse("stories:tag_works", args=[Tag.objects.get(name="Harbour").slug])
    plain = Client().get(address)
    assert "Content-Encoding" not in plain
    packed = Client().get(address, **GZIP)
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert len(packed.content) < len(plain.content) / 3
    assert b"Lantern 4" in gzip.decompress(packed.content)


def test_each_response_masks_the_form_token_afresh(reader_client):
    """BREACH needs a secret repeated byte for byte in every response; the
    token is the same secret under a new random mask each time."""
    address = reverse("preferences")
    first = form_tokens(reader_client.get(address, **GZIP))
    # The page's own form and the header's log-out and language forms.
    assert len(first) == 3
    second = form_tokens(reader_client.get(address, **GZIP))
    assert not set(first) & set(second)
    secrets = {_unmask_cipher_token(token) for token in first + second}
    assert len(secrets) == 1


def test_a_guests_kept_page_masks_the_token_afresh_too(author):
    work = make_work(owner=author, allow_guest_comments=True)
    address = work.chapters.get().get_absolute_url()
    guest = Client()
    first = form_tokens(guest.get(address))
    second = form_tokens(guest.get(address))
    assert first and second and first[0] != second[0]


def test_downloads_keep_their_etags_and_304s_compressed_or_not(
    client, work, downloads_dir
):
    page = download_url(work, "html")
    packed = client.get(page, **GZIP)
    assert packed["Content-Encoding"] == "gzip"
    etag = packed["ETag"]
    # Compressed, the ETag is weak; it still matches, weakly, as HTTP says.
    assert etag.startswith('W/"')
    again = client.get(page, HTTP_IF_NONE_MATCH=etag, **GZIP)
    assert again.status_code == 304
    plain = client.get(page)
    assert "Content-Encoding" not in plain
    assert client.get(page, HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304

    # An EPUB is a zip already: sent as it is, with its length.
    book = client.get(download_url(work, "epub"), **GZIP)
    assert "Content-Encoding" not in book
    assert int(book["Content-Length"]) == len(b"".join(book.streaming_content))
    assert (
        client.get(
            download_url(work, "epub"), HTTP_IF_NONE_MATCH=book["ETag"], **GZIP
        ).status_code
        == 304
    )


def test_the_apis_etags_answer_304_when_compressed(client, work):
    address = reverse("api:work_list")
    first = client.get(address, **GZIP)
    assert first["Content-Encoding"] == "gzip"
    again = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"], **GZIP)
    assert again.status_code == 304
