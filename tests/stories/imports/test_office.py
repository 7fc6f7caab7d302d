"""Word (.docx) and OpenDocument (.odt) chapters, read through the chapter importer."""

import io
import re
import struct
import zipfile
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from stories.importing import ChapterFileError, import_chapter
from stories.imports.office import MAX_PARTS
from stories.models import Chapter, Work
from tests.factories import SEED_CHAPTER, make_work
from tests.stories.imports.office_files import chapter_blocks, make_docx, make_odt

MAKERS = {".docx": make_docx, ".odt": make_odt}
STORY = [
    ("h", "Salt and Lanterns"),
    "By Wren Ashdown",
    "Chapter Twelve: The Tide Turns",
    ["Mara ", ("i", "knew"), " the lamp would ", ("b", "hold"), "."],
    ["The keeper's log is ", ("a", "online", "https://example.org/log"), "."],
    ("image",),
    "She climbed the stairs again and counted every one of them.",
]


def zipped(parts, *, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(params=sorted(MAKERS))
def extension(request):
    return request.param


def test_office_chapter_keeps_formatting_and_reads_the_header(extension):
    chapter = import_chapter(MAKERS[extension](STORY), f"salt{extension}")
    assert chapter.work_title == "Salt and Lanterns"
    assert chapter.creator == "Wren Ashdown"
    assert chapter.chapter_number == 12
    assert chapter.chapter_title == "The Tide Turns"
    assert "<em>knew</em>" in chapter.body
    assert "<strong>hold</strong>" in chapter.body
    assert '<a href="https://example.org/log"' in chapter.body
    assert chapter.body.count("<p>") == 3


def test_office_chapter_drops_pictures_and_never_embeds_them(extension):
    chapter = import_chapter(MAKERS[extension](STORY), f"salt{extension}")
    assert "<img" not in chapter.body
    assert "data:" not in chapter.body
    assert "1 picture left out: the archive keeps no pictures from files." in (
        chapter.guesses
    )


def test_office_extension_is_read_in_any_case(extension):
    chapter = import_chapter(
        MAKERS[extension](STORY), f"C:\\Fics\\SALT{extension.upper()}"
    )
    assert chapter.work_title == "Salt and Lanterns"


def test_office_chapter_says_how_it_was_read(extension):
    chapter = import_chapter(MAKERS[extension](STORY), f"salt{extension}")
    kind = "a Word" if extension == ".docx" else "an OpenDocument text"
    assert chapter.guesses[0] == f"Read as {kind} document."


def test_hostile_links_and_markup_in_an_office_file_are_sanitized(extension):
    blocks = [
        ["Click ", ("a", "me", "javascript:alert(1)"), " now."],
        '<script>alert("x")</script><b onclick="steal()">bold</b> text here.',
    ]
    chapter = import_chapter(MAKERS[extension](blocks), f"hostile{extension}")
    assert "javascript" not in chapter.body
    assert "<script" not in chapter.body
    assert "<b " not in chapter.body
    assert "&lt;script&gt;" in chapter.body, "markup typed as text stays text"


@pytest.fixture(scope="module")
def seed_bytes():
    if not SEED_CHAPTER.exists():
        pytest.skip(f"the seed chapter is not at {SEED_CHAPTER}")
    return SEED_CHAPTER.read_bytes()


def paragraphs(markup):
    return re.findall(r"<p>(.*?)</p>", markup, re.S)


def test_seed_chapter_as_an_office_file_gets_the_same_guesses(extension, seed_bytes):
    from_text = import_chapter(seed_bytes, "seed.txt")
    blocks = chapter_blocks(seed_bytes.decode("utf-8"))
    office = import_chapter(MAKERS[extension](blocks), f"seed{extension}")
    assert office.work_title == from_text.work_title == "Through the Well"
    assert office.creator == from_text.creator == "Miztikal-Dragon"
    assert office.chapter_number == from_text.chapter_number == 47
    assert office.chapter_title == from_text.chapter_title
    assert office.beginning_notes == from_text.beginning_notes
    assert office.end_notes == from_text.end_notes
    assert office.in_progress == from_text.in_progress
    assert paragraphs(office.body) == paragraphs(from_text.body)
    assert office.body.count("<hr>") == from_text.body.count("<hr>")
    assert office.word_count == from_text.word_count
    # Past the line saying how it was read, the same sentences about the text.
    text_guesses = [g.replace("on line", "in paragraph") for g in from_text.guesses]
    assert [
        re.sub(r"\d+\.$|line \d+|paragraph \d+", "", g) for g in office.guesses[1:]
    ] == [re.sub(r"\d+\.$|line \d+|paragraph \d+", "", g) for g in text_guesses]


def refusal(data, name):
    with pytest.raises(ChapterFileError) as caught:
        import_chapter(data, name)
    return str(caught.value)


def test_text_file_renamed_as_docx_is_refused(extension):
    message = refusal(b"Just a chapter, saved as text.\n\nMore text.", f"a{extension}")
    assert f"a{extension} is not a Word (.docx) or OpenDocument (.odt) document" in (
        message
    )


def test_zip_bomb_is_refused_before_unpacking(extension):
    bomb = zipped({"word/document.xml": b"\0" * (25 * 1024 * 1024)})
    assert len(bomb) < 100_000
    message = refusal(bomb, f"bomb{extension}")
    assert "would unpack to 25 MB" in message
    assert "up to 20 MB unpacked" in message


def test_absurdly_packed_file_is_refused_even_under_the_size_limit(extension):
    packed = zipped({"word/document.xml": b"a" * (8 * 1024 * 1024)})
    message = refusal(packed, f"packed{extension}")
    assert "unpacks to more than 100 times its size" in message


def test_file_of_too_many_parts_is_refused(extension):
    parts = {f"part{number}.xml": b"<x/>" for number in range(MAX_PARTS + 1)}
    message = refusal(zipped(parts), f"parts{extension}")
    assert f"holds {MAX_PARTS + 1:,} parts" in message


def test_directory_that_lies_about_sizes_reads_no_more_than_it_says(extension):
    # The directory says 1,000 bytes; the part unpacks to 10 MB. Python's zipfile
    # stops at the size declared, and the checksum then fails.
    member = "word/document.xml" if extension == ".docx" else "content.xml"
    parts = {member: b"\0" * (10 * 1024 * 1024)}
    if extension == ".docx":
        parts["[Content_Types].xml"] = (
            b"application/vnd.openxmlformats-officedocument."
            b"wordprocessingml.document.main+xml"
        )
    else:
        parts["mimetype"] = b"application/vnd.oasis.opendocument.text"
    data = bytearray(zipped(parts))
    local = data.index(member.encode()) - 30
    struct.pack_into("<I", data, local + 22, 1000)
    directory = data.index(member.encode(), data.index(b"PK\x01\x02")) - 46
    struct.pack_into("<I", data, directory + 24, 1000)
    assert "is damaged" in refusal(bytes(data), f"liar{extension}")


def test_password_protected_file_is_refused(extension):
    # Python writes no encrypted zips: set the "encrypted" bit in both headers.
    data = bytearray(zipped({"word/document.xml": b"scrambled"}, compression=0))
    data[6] |= 0x1
    directory = data.index(b"PK\x01\x02")
    data[directory + 8] |= 0x1
    message = refusal(bytes(data), f"locked{extension}")
    assert "protected by a password" in message


def test_damaged_file_is_refused(extension):
    whole = MAKERS[extension](STORY)
    message = refusal(whole[: len(whole) // 2], f"torn{extension}")
    assert "is damaged" in message


def test_file_whose_compressed_text_is_corrupt_is_refused(extension):
    # Found by tests/stories/test_properties.py: one byte overwritten inside the
    # deflated stream made zlib raise past the importer.
    whole = bytearray(make_docx(["Once upon a time."]) if extension == ".docx"
                      else make_odt(["Once upon a time."]))  # fmt: skip
    whole[28 if extension == ".docx" else 105] = 0xFF
    assert "is damaged" in refusal(bytes(whole), f"corrupt{extension}")


def test_file_needing_a_newer_zip_version_is_refused(extension):
    # Found by tests/stories/test_properties.py: zipfile's NotImplementedError
    # ("zip file version 6.4") went past the importer.
    whole = bytearray(MAKERS[extension](STORY))
    directory = whole.index(b"PK\x01\x02")
    whole[directory + 6] = 64
    assert "is damaged" in refusal(bytes(whole), f"future{extension}")


def test_other_zip_archive_is_refused(extension):
    message = refusal(zipped({"photo.jpg": b"\xff\xd8\xff"}), f"photos{extension}")
    assert "is a zip archive but not a Word (.docx) or OpenDocument text" in message


def test_spreadsheet_saved_as_odt_is_refused():
    sheet = make_odt(STORY, mimetype="application/vnd.oasis.opendocument.spreadsheet")
    assert "not a Word (.docx) or OpenDocument text" in refusal(sheet, "sums.odt")


def test_docx_with_a_broken_document_part_is_refused():
    broken = make_docx(STORY, extra_parts={"word/document.xml": "<w:document"})
    assert "is damaged or not a Word document" in refusal(broken, "broken.docx")


def test_odt_with_an_entity_bomb_is_not_expanded():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:'
        'xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        "<office:body><office:text><text:p>Some words, then &lol3;.</text:p>"
        "</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", bomb)
    try:
        chapter = import_chapter(buffer.getvalue(), "lol.odt")
    except ChapterFileError:
        return
    assert "lollol" not in chapter.body


pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_author_uploads_a_docx_and_sees_the_guesses(author_client):
    upload = SimpleUploadedFile("salt.docx", make_docx(STORY))
    response = author_client.post(
        reverse("stories:work_create"),
        {"rating": "teen", "warnings": ["No Archive Warnings Apply"], "upload": upload},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Check what we read from your file" in content
    assert 'value="Salt and Lanterns"' in content
    assert 'value="Wren Ashdown"' in content
    assert "&lt;em&gt;knew&lt;/em&gt;" in content
    assert not Work.objects.exists()


@pytestmark_db
def test_zip_bomb_uploaded_as_a_chapter_stores_nothing(author_client, author):
    work = make_work(owner=author)
    chapters = Chapter.objects.count()
    bomb = zipped({"word/document.xml": b"\0" * (25 * 1024 * 1024)})
    response = author_client.post(
        reverse("stories:chapter_create", args=[work.pk]),
        {"upload": SimpleUploadedFile("bomb.docx", bomb)},
    )
    assert response.status_code == 200
    assert "would unpack to 25 MB" in response.content.decode()
    assert Chapter.objects.count() == chapters


@pytestmark_db
def test_author_adds_an_odt_chapter_after_confirming(author_client, author):
    work = make_work(owner=author)
    confirm = author_client.post(
        reverse("stories:chapter_create", args=[work.pk]),
        {"upload": SimpleUploadedFile("salt.odt", make_odt(STORY))},
    )
    form = confirm.context["chapter_form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.pop("upload")
    data["number"] = ""
    response = author_client.post(
        reverse("stories:chapter_create", args=[work.pk]), {**data, "action": "post"}
    )
    assert response.status_code == 302
    chapter = work.chapters.order_by("-position").first()
    assert chapter.title == "The Tide Turns"
    assert "<em>knew</em>" in chapter.body


@pytestmark_db
def test_import_chapters_command_reads_office_files(tmp_path, author):
    path = tmp_path / "salt.odt"
    path.write_bytes(make_odt(STORY))
    call_command(
        "import_chapters", str(path), "--owner", author.username, "--fandom", "X",
        stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip
    work = Work.objects.get()
    assert work.title == "Salt and Lanterns"
    assert work.creator_credit == "Wren Ashdown"
    assert "<em>knew</em>" in work.chapters.get().body
