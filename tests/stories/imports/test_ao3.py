"""Importing a whole work from an AO3 "Download as HTML" file."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from stories.imports import services
from stories.imports.ao3 import (
    MAX_CHAPTERS,
    MAX_FILE_BYTES,
    WorkFileError,
    import_ao3_work,
)
from stories.models import Chapter, Rating, Status, TagKind, Work
from stories.services import ChapterText
from tests.factories import UserFactory

SAMPLES = Path(__file__).parent / "ao3_samples"


def sample(name):
    return (SAMPLES / name).read_bytes()


@pytest.fixture(scope="module")
def lamp():
    return import_ao3_work(sample("multi_chapter.html"), "lamp.html")


def test_work_details_are_read_from_the_preface(lamp):
    assert lamp.title == "The Lamp at Gull Point"
    assert lamp.creators == ("wren_ashdown",)
    assert lamp.summary == (
        "<p>Mara keeps the lamp lit through the <em>worst</em> storm "
        "in forty years.</p>"
    )
    assert (
        lamp.notes == "<p>Written for the Seaside Exchange. Thank you to my beta!</p>"
    )
    assert lamp.end_notes == "<p>Thank you for reading. Part three is on its way.</p>"
    assert lamp.language == "es"
    assert lamp.expected_chapters == 5
    assert lamp.series == ("Part 2 of The Gull Point Cycle",)


def test_tags_are_mapped_to_ours_by_kind(lamp):
    assert lamp.rating == Rating.TEEN
    assert lamp.warnings == (
        "Choose Not To Use Archive Warnings",
        "Major Character Death",
    )
    assert lamp.tags[TagKind.FANDOM] == ("Harbour Lights (TV)",)
    assert lamp.tags[TagKind.RELATIONSHIP] == ("Mara Quinn/Tobias Reed",)
    assert lamp.tags[TagKind.CHARACTER] == (
        "Mara Quinn",
        "Tobias Reed",
        "The Harbourmaster",
    )
    assert lamp.categories == ("F/M", "Gen")
    assert lamp.tags[TagKind.FREEFORM] == (
        "Slow Burn",
        "Lighthouses",
        "Storms",
    )


def test_every_chapter_is_read_with_its_title_and_notes(lamp):
    first, second, third = lamp.chapters
    assert [c.number for c in lamp.chapters] == [1, 2, 3]
    assert [c.title for c in lamp.chapters] == ["The First Night", "", "Low Water"]
    assert first.notes == "<p>The storm begins.</p>"
    assert first.end_notes == "<p>More soon, I promise.</p>"
    assert "<strong>one hundred and twelve</strong>" in first.body
    assert "Chapter Notes" not in first.body
    assert second.notes == second.end_notes == ""
    assert "<hr>" in second.body
    assert third.notes.startswith("<p><strong>Chapter summary:</strong></p>")
    assert "The tide goes out further" in third.notes
    assert '<a href="https://example.org/map" rel="nofollow">climbing down</a>' in (
        third.body
    )
    assert lamp.word_count == sum(c.word_count for c in lamp.chapters) > 60


def test_guesses_say_what_was_read_and_what_was_left_out(lamp):
    guesses = " ".join(lamp.guesses)
    assert "Categories F/M, Gen from the tags." in guesses
    assert "Collections left out" in guesses
    assert 'Series: "Part 2 of The Gull Point Cycle"' in guesses
    assert "3 chapters, 2 with a title." in guesses
    assert "Chapter summaries (chapter 3) kept at the top" in guesses


def test_file_saved_as_xhtml_with_an_xml_declaration_is_read():
    data = b'<?xml version="1.0" encoding="utf-8"?>\n' + sample("one_shot.html")
    assert import_ao3_work(data, "boats.xhtml").title == "Paper Boats"


def test_one_chapter_work_has_one_untitled_chapter():
    work = import_ao3_work(sample("one_shot.html"), "boats.html")
    assert work.title == "Paper Boats"
    assert work.creators == ("river_moss",)
    assert work.rating == Rating.GENERAL
    assert work.warnings == ("No Archive Warnings Apply",)
    assert work.language == "en"
    assert len(work.chapters) == 1
    assert work.chapters[0].title == ""
    assert "folded one boat" in work.chapters[0].body
    assert "Paper Boats" not in work.chapters[0].body


def test_hostile_markup_is_sanitized_and_unknown_kinds_kept():
    work = import_ao3_work(sample("hostile.html"), "night.html")
    everything = " ".join(
        [work.summary, work.notes, work.end_notes]
        + [c.body + c.notes + c.title for c in work.chapters]
    )
    for bad in ("<script", "onclick", "onmouseover", "onerror", "javascript:",
                "data:", "<iframe", "style=", "steal"):  # fmt: skip
        assert bad not in everything
    assert work.chapters[0].title == "Dark"
    assert "<em>look</em>" in work.chapters[0].body
    assert work.tags[TagKind.FREEFORM] == ("Gloomy",)
    assert 'Tags of the kind "mood" kept as additional tags' in " ".join(work.guesses)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><body><p>A chapter of my own.</p></body></html>", "not an AO3 HTML"),
        (b"Just some text.\n\nMore text.", "not an AO3 HTML download"),
        (b"", "not an AO3 HTML download"),
        (b"\x00\x01\x02binary", "not an AO3 HTML download"),
        (b"PK\x03\x04mimetypeapplication/epub+zip", "is an EPUB or another zip"),
        (b'<div id="preface"></div><div id="chapters"></div>', "has no work title"),
    ],
    ids=["plain-html", "text", "empty", "binary", "epub", "no-title"],
)
def test_file_that_is_not_an_ao3_download_is_refused(data, message):
    with pytest.raises(WorkFileError, match=message):
        import_ao3_work(data, "story.html")


def test_huge_file_is_refused_by_its_size():
    with pytest.raises(WorkFileError, match="up to 5 MB"):
        import_ao3_work(b" " * (MAX_FILE_BYTES + 1), "huge.html")


def test_work_of_too_many_chapters_is_refused():
    chapter = (
        '<div class="meta group"><h2 class="heading">Chapter {n}</h2></div>'
        '<div class="userstuff"><p>Words of chapter {n}.</p></div>'
    )
    chapters = "".join(chapter.format(n=n) for n in range(1, MAX_CHAPTERS + 2))
    data = (
        '<div id="preface"><div class="meta"><h1>Long</h1></div></div>'
        f'<div id="chapters">{chapters}</div>'
    ).encode()
    with pytest.raises(WorkFileError, match=f"holds {MAX_CHAPTERS + 1} chapters"):
        import_ao3_work(data, "long.html")


# The pages: guests, the confirmation, posting.

IMPORT_URL = "imports:work_import"


def upload(name="multi_chapter.html", data=None):
    return SimpleUploadedFile(name, data if data is not None else sample(name))


def confirmed_data(response, **overrides):
    """Return what the confirmation page's form posts, changed by overrides."""
    work_form = response.context["work_form"]
    chapters = response.context["chapter_forms"]
    data = {"action": "post", "guess": response.context["guesses"]}
    for name in work_form.fields:
        value = work_form.initial.get(name)
        data[name] = "" if value is None else value
    data.update(
        {
            f"{chapters.prefix}-TOTAL_FORMS": len(chapters.forms),
            f"{chapters.prefix}-INITIAL_FORMS": len(chapters.forms),
        }
    )
    for form in chapters.forms:
        for name in form.fields:
            value = form.initial.get(name)
            data[form.add_prefix(name)] = "" if value is None else value
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_guest_is_sent_to_log_in(client):
    address = reverse(IMPORT_URL)
    response = client.get(address)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(address, {"upload": upload()})
    assert response.status_code == 302
    assert not Work.objects.exists()


@pytest.mark.django_db
def test_reading_without_a_file_asks_for_one(author_client):
    response = author_client.post(reverse(IMPORT_URL), {"action": "read"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


@pytest.mark.django_db
def test_post_work_page_links_to_the_import(author_client):
    response = author_client.get(reverse("stories:work_create"))
    assert reverse(IMPORT_URL) in response.content.decode()


@pytest.mark.django_db
def test_upload_shows_the_guessed_work_before_anything_is_posted(author_client):
    response = author_client.post(reverse(IMPORT_URL), {"upload": upload()})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Check what we read from your file" in content
    assert 'value="The Lamp at Gull Point"' in content
    assert "Harbour Lights (TV)" in content
    assert "Mara Quinn/Tobias Reed" in content
    assert "Slow Burn, Lighthouses, Storms" in content
    # The file's categories are ticked among the archive's.
    assert re.search(r'value="F/M"[^>]*checked', content)
    assert re.search(r'value="Gen"[^>]*checked', content)
    assert "The First Night" in content and "Low Water" in content
    assert "Mara keeps the lamp lit" in content
    assert 'value="wren_ashdown"' in content, "offered as the original creator"
    assert not Work.objects.exists()


@pytest.mark.django_db
def test_author_posts_the_imported_work_with_every_chapter(
    author_client, author, django_capture_on_commit_callbacks
):
    confirm = author_client.post(reverse(IMPORT_URL), {"upload": upload()})
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(reverse(IMPORT_URL), confirmed_data(confirm))
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == work.get_absolute_url()
    assert work.owner == author
    assert work.status == Status.POSTED
    assert work.title == "The Lamp at Gull Point"
    assert work.creator_credit == "wren_ashdown"
    assert work.rating == Rating.TEEN
    assert work.language == "es"
    assert work.expected_chapters == 5
    assert "Seaside Exchange" in work.notes
    assert "Part three" in work.end_notes
    kinds = {}
    for item in work.tagged_items.select_related("tag"):
        kinds.setdefault(item.tag.kind, set()).add(item.tag.name)
    assert kinds[TagKind.FANDOM] == {"Harbour Lights (TV)"}
    assert kinds[TagKind.WARNING] == {
        "Choose Not To Use Archive Warnings",
        "Major Character Death",
    }
    assert kinds[TagKind.CATEGORY] == {"F/M", "Gen"}
    assert "Storms" in kinds[TagKind.FREEFORM]
    chapters = list(work.chapters.order_by("position"))
    assert [c.number for c in chapters] == [1, 2, 3]
    assert [c.title for c in chapters] == ["The First Night", "", "Low Water"]
    assert all(c.status == Status.POSTED for c in chapters)
    assert chapters[0].end_notes == "<p>More soon, I promise.</p>"
    assert work.chapter_count == 3


@pytest.mark.django_db
def test_byline_naming_the_poster_makes_it_their_own_work(client):
    wren = UserFactory(username="wren_ashdown")
    client.force_login(wren)
    confirm = client.post(reverse(IMPORT_URL), {"upload": upload()})
    assert "The byline names you" in confirm.content.decode()
    client.post(reverse(IMPORT_URL), confirmed_data(confirm))
    work = Work.objects.get()
    assert work.owner == wren
    assert work.creator_credit == ""


@pytest.mark.django_db
def test_imported_work_may_be_kept_as_a_draft(author_client):
    confirm = author_client.post(reverse(IMPORT_URL), {"upload": upload()})
    author_client.post(reverse(IMPORT_URL), confirmed_data(confirm, action="draft"))
    work = Work.objects.get()
    assert work.status == Status.DRAFT
    assert set(work.chapters.values_list("status", flat=True)) == {Status.DRAFT}


@pytest.mark.django_db
def test_failed_post_keeps_everything_and_stores_nothing(author_client):
    confirm = author_client.post(reverse(IMPORT_URL), {"upload": upload()})
    data = confirmed_data(confirm, title="", **{"chapters-2-chapter_title": "Ebb"})
    response = author_client.post(reverse(IMPORT_URL), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Give the work a title." in content or "This field is required" in content
    assert 'value="Ebb"' in content
    assert "one hundred and twelve" in content
    assert "Harbour Lights (TV)" in content
    assert "Collections left out" in content, "the guesses are kept"
    assert not Work.objects.exists()
    assert not Chapter.objects.exists()


@pytest.mark.django_db
def test_edited_chapters_are_posted_as_edited(author_client):
    confirm = author_client.post(reverse(IMPORT_URL), {"upload": upload()})
    data = confirmed_data(
        confirm,
        **{
            "chapters-1-chapter_title": "Bread and Bad News",
            "chapters-0-body": "<p>A new opening, <em>rewritten</em>.</p>",
        },
    )
    author_client.post(reverse(IMPORT_URL), data)
    chapters = list(Work.objects.get().chapters.order_by("position"))
    assert chapters[1].title == "Bread and Bad News"
    assert chapters[0].body == "<p>A new opening, <em>rewritten</em>.</p>"


@pytest.mark.django_db
def test_two_chapters_with_one_number_are_refused(author_client):
    confirm = author_client.post(reverse(IMPORT_URL), {"upload": upload()})
    data = confirmed_data(confirm, **{"chapters-1-number": "1"})
    response = author_client.post(reverse(IMPORT_URL), data)
    assert "Two chapters have the number 1" in response.content.decode()
    assert not Work.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("mine.html", b"<html><body><p>Mine.</p></body></html>", "not an AO3 HTML"),
        ("huge.html", b" " * (MAX_FILE_BYTES + 1), "up to 5 MB"),
        ("book.epub", b"PK\x03\x04epub", "is an EPUB"),
    ],
    ids=["not-ao3", "huge", "epub"],
)
def test_unreadable_file_gets_a_clear_message_and_stores_nothing(
    author_client, name, data, message
):
    response = author_client.post(reverse(IMPORT_URL), {"upload": upload(name, data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Work.objects.exists()


@pytest.mark.django_db
def test_hostile_file_is_posted_sanitized(author_client):
    confirm = author_client.post(
        reverse(IMPORT_URL), {"upload": upload("hostile.html")}
    )
    data = confirmed_data(confirm, warnings=["No Archive Warnings Apply"])
    author_client.post(reverse(IMPORT_URL), data)
    work = Work.objects.get()
    stored = work.summary + "".join(c.body for c in work.chapters.all())
    assert "steal" not in stored
    assert "<script" not in stored


@pytest.mark.django_db
def test_work_import_stores_nothing_when_a_chapter_fails(author):
    chapters = [
        ChapterText(body="<p>The first chapter.</p>", number=1),
        ChapterText(body="<p>The second chapter.</p>", number=1),
    ]
    with pytest.raises(IntegrityError):
        services.work_import(
            owner=author,
            chapters=chapters,
            title="Twice One",
            rating=Rating.GENERAL,
            warnings=["No Archive Warnings Apply"],
            tags={TagKind.FANDOM: ["Original Work"]},
        )
    assert not Work.objects.exists()


@pytest.mark.django_db
def test_confirmation_of_the_longest_work_posts_fewer_fields_than_django_takes(
    author_client, settings
):
    chapter = (
        '<div class="meta group"><h2 class="heading">Chapter {n}: Part {n}</h2>'
        '<p>Chapter Summary</p><blockquote class="userstuff"><p>S{n}</p></blockquote>'
        "</div>"
        '<div class="userstuff"><p>Words of chapter {n}, enough of them.</p></div>'
    )
    chapters = "".join(chapter.format(n=n) for n in range(1, MAX_CHAPTERS + 1))
    data = (
        '<div id="preface"><div class="meta"><h1>Long</h1></div></div>'
        f'<div id="chapters">{chapters}</div>'
    ).encode()
    response = author_client.post(
        reverse(IMPORT_URL), {"upload": upload("long.html", data)}
    )
    content = response.content.decode()
    assert f"Chapter {MAX_CHAPTERS}: Part {MAX_CHAPTERS}" in content
    fields = set(
        re.findall(r'<(?:input|textarea|select)[^>]*\sname="([^"]+)"', content)
    )
    fields_posted = content.count('type="hidden" name="guess"') + len(fields)
    assert fields_posted < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
