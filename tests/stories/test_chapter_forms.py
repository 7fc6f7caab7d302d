"""The author's chapter form and the admin's: one verdict and one stored chapter."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import (
    BOUNDARY,
    MULTIPART_CONTENT,
    FakePayload,
    encode_multipart,
)
from django.urls import reverse

from stories.forms import ChapterForm
from tests.factories import SEED_CHAPTER as SEED
from tests.factories import make_work

pytestmark = pytest.mark.django_db

# The form fields that hold each part of a chapter, on the site and in the admin.
SITE_FIELDS = {
    "number": "number",
    "title": "chapter_title",
    "notes": "chapter_notes",
    "body": "body",
    "end_notes": "chapter_end_notes",
}
ADMIN_FIELDS = {part: part for part in SITE_FIELDS}
STORED = ("number", "title", "notes", "body", "end_notes", "word_count")
MOTH_CHAPTER = (
    b"The Moth Lantern\n\nBy Inkwell-Fox\n\nChapter 3: Paper wings\n\n"
    b"The moths came to the lantern every night, and every night Mara "
    b"counted them.\n\nShe never told anyone how many there were.\n\n"
    b"To be continued\n"
)
HOSTILE = (
    '<p onclick="steal()">Night fell on the canal.</p>'
    '<script>steal()</script><p><a href="javascript:steal()">home</a></p>'
)
# 600,007 characters typed, of which readers see 250,000.
MARKUP_HEAVY = "<p>" + "<b>word</b> " * 50_000 + "</p>"
TOO_LONG_FILE = ("Chapter 2\n\n" + "word " * 104_000).encode()


def seed_file():
    if not SEED.exists():
        pytest.skip(f"the seed chapter is not at {SEED}")
    return SEED.read_bytes()


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def messages_of(form):
    return sorted(str(message) for errors in form.errors.values() for message in errors)


def added_chapter(work):
    chapter = work.chapters.exclude(number=1, title="Beginnings").first()
    return (
        None if chapter is None else {name: getattr(chapter, name) for name in STORED}
    )


def through_the_site(work, parts, file):
    """Add the chapter as its author does: upload, check the guesses, post."""
    client = client_for(work.owner)
    url = reverse("stories:chapter_create", args=[work.pk])
    data = {name: parts.get(part, "") for part, name in SITE_FIELDS.items()}
    data["action"] = "post"
    if file is not None:
        response = client.post(url, {**data, "upload": upload(*file)})
        if "word_count" not in response.context:
            return messages_of(response.context["chapter_form"]), added_chapter(work)
        shown = response.context["chapter_form"]
        data.update({name: shown[name].value() or "" for name in SITE_FIELDS.values()})
    response = client.post(url, data)
    if response.status_code == 302:
        return [], added_chapter(work)
    return messages_of(response.context["chapter_form"]), added_chapter(work)


def through_the_admin(work, staff, parts, file):
    """Add the chapter as staff do on the admin's chapter form."""
    data = {name: parts.get(part, "") for part, name in ADMIN_FIELDS.items()}
    data["work"] = work.pk
    if file is not None:
        data["upload"] = upload(*file)
    response = client_for(staff).post(reverse("admin:stories_chapter_add"), data)
    if response.status_code == 302:
        return [], added_chapter(work)
    return messages_of(response.context["adminform"].form), added_chapter(work)


CASES = {
    "plain text": (
        {"title": "Low Water", "body": "The lamp turned.\n\nThe sea answered."},
        None,
        {
            "number": 2,
            "title": "Low Water",
            "body": "<p>The lamp turned.</p><p>The sea answered.</p>",
        },
    ),
    "too long": ({"body": "x" * 510_001}, None, "at most 510,000 characters"),
    "markup does not count toward the limit": (
        {"body": MARKUP_HEAVY},
        None,
        {"number": 2, "word_count": 50_000},
    ),
    "too little text once markup is left out": (
        {"body": "<p><em>Hi.</em></p>"},
        None,
        "at least 10 characters",
    ),
    "empty after sanitizing": (
        {"body": "<script>alert('the moths are here')</script>"},
        None,
        "no text left once unsafe HTML is removed",
    ),
    "empty": (
        {"title": "Nothing yet"},
        None,
        "Type the chapter text or upload a file.",
    ),
    "hostile html": (
        {"body": HOSTILE, "notes": "Thanks <b>all</b>"},
        None,
        {
            "number": 2,
            "body": '<p>Night fell on the canal.</p><p><a rel="nofollow">home</a></p>',
            "notes": "<p>Thanks <b>all</b></p>",
            "word_count": 6,
        },
    ),
    "notes too long": (
        {"notes": "n" * 5001, "body": "Enough of a chapter."},
        None,
        "the limit is 5,000",
    ),
    "duplicate number": (
        {"number": "1", "body": "Another first chapter."},
        None,
        "This work already has a chapter 1.",
    ),
    "number zero": (
        {"number": "0", "body": "A chapter numbered nothing."},
        None,
        "Give the chapter a number from 1 to 100,000.",
    ),
    "number too high": (
        {"number": "100001", "body": "A chapter far along."},
        None,
        "Give the chapter a number from 1 to 100,000.",
    ),
    "uploaded file": (
        {},
        ("moth.txt", MOTH_CHAPTER),
        {
            "number": 3,
            "title": "Paper wings",
            "end_notes": "<p>To be continued</p>",
            "word_count": 22,
        },
    ),
    "a number typed wins over the file's": (
        {"number": "7"},
        ("moth.txt", MOTH_CHAPTER),
        {"number": 7, "title": "Paper wings"},
    ),
    "a title the file leaves out keeps the typed one": (
        {"title": "Typed title", "notes": "Typed notes"},
        ("plain.txt", b"The tide went out and did not come back for a week."),
        {
            "number": 2,
            "title": "Typed title",
            "notes": "<p>Typed notes</p>",
            "body": "<p>The tide went out and did not come back for a week.</p>",
        },
    ),
    "seed chapter": (
        {},
        ("000_7d1b53b62188bec3.txt", seed_file),
        {"number": 47, "title": "To say our final goodbyes"},
    ),
    "binary file": (
        {"title": "Typed title"},
        ("scan.txt", b"%PDF-1.4\n\x00\x01"),
        "scan.txt looks like a binary file (a PDF), not text",
    ),
    "wrong encoding": (
        {},
        ("tea.txt", "Chapter 2: Tea\n\nThe tea went cold.".encode("utf-16-le")),
        "tea.txt looks like a binary file, not text",
    ),
    "windows-1252": (
        {},
        ("cafe.txt", "Chapter 4: Café\n\nThe café opened at dawn.".encode("cp1252")),
        {"number": 4, "title": "Café", "body": "<p>The café opened at dawn.</p>"},
    ),
    "file too long": (
        {},
        ("long.txt", TOO_LONG_FILE),
        "at most 510,000 characters",
    ),
}


@pytest.mark.parametrize(("parts", "file", "expected"), CASES.values(), ids=CASES)
def test_site_and_admin_give_one_verdict_and_store_one_chapter(
    author, staff, parts, file, expected
):
    if file is not None and callable(file[1]):
        file = (file[0], file[1]())
    site_work = make_work(owner=author)
    admin_work = make_work(owner=author)

    site = through_the_site(site_work, parts, file)
    admin = through_the_admin(admin_work, staff, parts, file)

    assert site == admin
    messages, chapter = site
    if isinstance(expected, str):
        assert chapter is None
        assert len(messages) == 1
        assert expected in messages[0]
    else:
        assert messages == []
        assert {name: chapter[name] for name in expected} == expected
        assert "steal" not in chapter["body"]
        assert "<script" not in chapter["body"]


def test_file_over_the_limit_is_refused_before_the_author_confirms(author_client, work):
    response = author_client.post(
        reverse("stories:chapter_create", args=[work.pk]),
        {"chapter_title": "Typed title", "upload": upload("long.txt", TOO_LONG_FILE)},
    )

    assert response.status_code == 200
    assert (
        "Chapter text from the file: A chapter may hold at most 510,000 characters"
        in response.text
    )
    assert "Check what we read from your file" not in response.text
    assert 'value="Typed title"' in response.text
    assert work.chapters.count() == 1


def test_uploading_on_the_edit_page_keeps_the_typed_number(author_client, work):
    chapter = work.chapters.get()

    response = author_client.post(
        reverse("stories:chapter_edit", args=[work.pk, chapter.pk]),
        {"number": "1", "upload": upload("moth.txt", MOTH_CHAPTER)},
    )

    shown = response.context["chapter_form"]
    assert shown["number"].value() == 1
    assert shown["chapter_title"].value() == "Paper wings"
    chapter.refresh_from_db()
    assert chapter.title == "Beginnings"


class UnreadableUpload(SimpleUploadedFile):
    """An upload of a given size that fails the test if anything reads it."""

    def __init__(self, name, size):
        super().__init__(name, b"", content_type="text/plain")
        self.size = size

    def read(self, *args):
        raise AssertionError("the upload was read before its size was checked")


def test_chapter_form_refuses_a_file_by_its_size_before_reading_it(work):
    form = ChapterForm(
        data={}, files={"upload": UnreadableUpload("huge.txt", 50 * 1024 * 1024)}
    )
    assert not form.is_valid()
    assert form.errors["upload"] == [
        "huge.txt is 50 MB; the archive reads chapter files of up to 4 MB."
    ]


def test_file_over_the_limit_by_size_shows_the_form_with_the_reason(
    author_client, work
):
    response = author_client.post(
        reverse("stories:chapter_create", args=[work.pk]),
        {"upload": upload("long.txt", b"word " * (1024 * 1024))},
    )
    assert response.status_code == 200
    assert (
        "long.txt is 5 MB; the archive reads chapter files of up to 4 MB."
        in response.text
    )
    assert work.chapters.count() == 1


def test_a_request_too_large_to_read_is_refused_unread_with_a_message(
    author_client, work
):
    body = encode_multipart(
        BOUNDARY, {"upload": upload("huge.txt", b"x" * (50 * 1024 * 1024))}
    )
    payload = FakePayload(body)
    response = author_client.post(
        reverse("stories:chapter_create", args=[work.pk]),
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(len(body)),
        **{"wsgi.input": payload},
    )
    assert response.status_code == 413
    assert "the archive takes up to 12 MB at once" in response.text
    assert not payload.read_started
    assert work.chapters.count() == 1
