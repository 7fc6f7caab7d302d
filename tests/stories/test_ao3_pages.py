"""The reading pages carry AO3's addresses and markup where AO3's tools
(FanFicFare above all) read them."""

import re

import pytest
from django.urls import reverse

from stories import services
from stories.downloads.addresses import FORMATS, download_url
from stories.models import Rating, TagKind
from stories.series import services as series_services
from tests.factories import UserFactory, make_work
from tests.pages import element_text as text
from tests.pages import page_of, titles

pytestmark = pytest.mark.django_db

TAGS = {
    TagKind.FANDOM: ["Harbour Lights (TV)"],
    TagKind.RELATIONSHIP: ["Mara Quinn/Tobias Reed"],
    TagKind.CHARACTER: ["Mara Quinn", "Tobias Reed"],
    TagKind.FREEFORM: ["Lighthouses", "Slow Burn"],
}
WARNING = "Graphic Depictions Of Violence"
# A reading address in the old slashed form: /works/1/, /works/1/navigate/,
# /works/1/chapters/2/ (other work addresses, like /works/1/edit/, keep theirs).
SLASHED = re.compile(r"^(https?://[^/]+)?/works/\d+(/chapters/\d+|/navigate)?/([?#]|$)")


@pytest.fixture
def lamp():
    """A work of three chapters with notes, every kind of tag, a summary, a series."""
    author = UserFactory(username="lampwright")
    work = services.work_create(
        owner=author,
        title="The Harbour Lamp",
        first_chapter=services.ChapterText(
            body="<p>The lamp was lit at dusk.</p>",
            title="Beginnings",
            notes="<p>Written for a friend.</p>",
            end_notes="<p>More soon.</p>",
        ),
        rating=Rating.TEEN,
        warnings=[WARNING],
        tags=TAGS,
        summary="<p>A keeper keeps the <em>lamp</em> lit.</p>",
        notes="<p>The work's notes.</p>",
        end_notes="<p>Thanks for reading.</p>",
        expected_chapters=3,
    )
    for title, body in [("The Storm", "Rain off the harbour."), ("Morning", "Home.")]:
        services.chapter_create(
            work=work, text=services.ChapterText(body=f"<p>{body}</p>", title=title)
        )
    series_services.series_create(owner=author, title="Harbour Nights", works=[work])
    work.refresh_from_db()
    return work


def chapters_of(work):
    return list(work.chapters.order_by("position"))


def only(tree, selector):
    found = tree.cssselect(selector)
    assert len(found) == 1, (selector, len(found))
    return found[0]


def reading_urls(work):
    first, *_ = chapters_of(work)
    return [
        reverse("stories:work_detail", args=[work.pk]),
        reverse("stories:chapter_detail", args=[work.pk, first.pk]),
        reverse("stories:work_detail", args=[work.pk]) + "?view_full_work=true",
        reverse("stories:work_navigate", args=[work.pk]),
    ]


def test_reading_addresses_are_ao3s_without_a_trailing_slash(lamp):
    chapter = chapters_of(lamp)[1]
    assert lamp.get_absolute_url() == f"/works/{lamp.pk}"
    assert chapter.get_absolute_url() == f"/works/{lamp.pk}/chapters/{chapter.pk}"
    assert reverse("stories:work_navigate", args=[lamp.pk]) == (
        f"/works/{lamp.pk}/navigate"
    )
    # The other addresses of a work keep their slash.
    assert reverse("stories:work_edit", args=[lamp.pk]) == f"/works/{lamp.pk}/edit/"


@pytest.mark.parametrize(
    "query", ["", "?view_full_work=true", "?view_adult=true&page=2"]
)
def test_slashed_reading_addresses_answer_301_to_ao3s_form(client, lamp, query):
    chapter = chapters_of(lamp)[1]
    for address in (
        lamp.get_absolute_url(),
        chapter.get_absolute_url(),
        reverse("stories:work_navigate", args=[lamp.pk]),
    ):
        response = client.get(address + "/" + query)
        assert response.status_code == 301
        assert response["Location"] == address + query


def test_work_sub_addresses_keep_their_slash(author_client, author):
    work = services.work_create(
        owner=author,
        title="Mine",
        first_chapter=services.ChapterText(body="<p>Text.</p>"),
        rating=Rating.GENERAL,
        warnings=["No Archive Warnings Apply"],
        tags={TagKind.FANDOM: ["Original Work"]},
    )
    edit = reverse("stories:work_edit", args=[work.pk])
    assert author_client.get(edit).status_code == 200
    # Django's APPEND_SLASH still sends the unslashed form there.
    response = author_client.get(edit.removesuffix("/"))
    assert response.status_code == 301 and response["Location"] == edit


def test_no_link_on_the_reading_pages_has_the_slashed_form(client, lamp):
    series = lamp.series.get()
    for url in [*reading_urls(lamp), reverse("series:series_detail", args=[series.pk])]:
        tree = page_of(client, url)
        addresses = tree.xpath("//a/@href | //form/@action")
        assert addresses, url
        assert [a for a in addresses if SLASHED.match(a)] == [], url
        works_links = [a for a in addresses if a.startswith(f"/works/{lamp.pk}")]
        assert works_links, url


def test_work_page_carries_ao3s_header_markup(client, lamp):
    tree = page_of(client, lamp.get_absolute_url())

    assert text(only(tree, "div.preface.group h2.title")) == "The Harbour Lamp"
    byline = only(tree, "div.preface.group h3.byline")
    [creator] = byline.cssselect("a[rel=author]")
    assert creator.text == "lampwright"
    assert creator.get("href") == "/users/lampwright/pseuds/lampwright"

    meta = only(tree, "dl.work.meta.group")
    rating = meta.xpath("dd[@class='rating tags']")
    assert [text(dd) for dd in rating] == ["Teen And Up Audiences"]
    expected = {
        "warning": [WARNING],
        **{kind.value: names for kind, names in TAGS.items()},
    }
    for kind, names in expected.items():
        # AO3's tools match the class exactly: "<kind> tags".
        [dd] = meta.xpath(f"dd[@class='{kind} tags']")
        assert [a.text for a in dd.cssselect("a.tag")] == names, kind
    assert text(only(meta, "dd.language")) == "English"
    series = only(meta, "dd.series")
    [link] = series.cssselect("a")
    assert link.getprevious() is None and link.getparent().text == "Part 1 of "
    assert link.text == "Harbour Nights"

    stats = only(meta, "dl.stats")
    pairs = dict(
        zip(
            [text(dt) for dt in stats.cssselect("dt")],
            # AO3's tools read these values as they are: no spaces around them.
            [dd.text_content() for dd in stats.cssselect("dd")],
            strict=True,
        )
    )
    assert pairs["Published:"].strip() == lamp.published_at.date().isoformat()
    assert pairs["Words:"].strip() == f"{lamp.word_count:,}"
    assert pairs["Chapters:"] == "3/3"

    # The summary is the page's first blockquote.userstuff, as on AO3.
    summary = tree.cssselect("blockquote.userstuff")[0]
    assert text(summary) == "A keeper keeps the lamp lit."
    assert summary.getparent().get("class") == "summary module"
    [preface] = tree.xpath("//div[@class='preface group']")
    assert "The work's notes." in text(only(preface, "div.notes.module"))


def test_a_work_in_progress_shows_its_chapters_as_ao3_does(client, lamp):
    lamp.expected_chapters = None
    lamp.save(update_fields=["expected_chapters"])
    tree = page_of(client, lamp.get_absolute_url() + "?view_full_work=true")
    assert only(tree, "dl.stats dd.chapters").text_content() == "3/?"


def test_chapter_pages_carry_ao3s_chapter_markup(client, lamp):
    first, second, _ = chapters_of(lamp)
    tree = page_of(client, lamp.get_absolute_url())
    chapter = only(tree, "div#chapters > div#chapter-1")
    # Its heading names the chapter; it does not link to the page it is on.
    assert not only(chapter, "div.chapter.preface.group h3.title").xpath(".//a")
    assert text(only(chapter, "div#notes.notes.module blockquote.userstuff")) == (
        "Written for a friend."
    )
    assert chapter.xpath("div[@class='userstuff module']")
    assert text(only(chapter, "div.userstuff.module")) == "The lamp was lit at dusk."
    end = chapter.xpath(".//div[@class='end notes module']")
    assert [text(e) for e in end] == ["Notes: More soon."]

    tree = page_of(client, second.get_absolute_url())
    chapter = only(tree, "div#chapters > div#chapter-2")
    assert text(only(chapter, "div.userstuff.module")) == "Rain off the harbour."


def test_entire_work_shows_every_chapter_in_ao3s_markup(client, lamp):
    tree = page_of(client, lamp.get_absolute_url() + "?view_full_work=true")
    # The tools count the divs whose id holds "chapter-<number>".
    ids = [div.get("id") for div in tree.xpath("//div[@id]")]
    assert [i for i in ids if re.search(r"chapter-\d+", i)] == [
        "chapter-1",
        "chapter-2",
        "chapter-3",
    ]
    chapters = only(tree, "div#chapters").xpath("div")
    assert [text(only(c, "div.userstuff.module")) for c in chapters] == [
        "The lamp was lit at dusk.",
        "Rain off the harbour.",
        "Home.",
    ]
    # The work's own preface comes first: div.preface.group with its notes.
    preface = tree.xpath("//div[@class='preface group']")[0]
    assert "The work's notes." in text(only(preface, "div.notes.module"))
    assert text(only(tree, "div#work_endnotes blockquote")) == "Thanks for reading."
    # AO3 marks the entire work with the way back to chapter by chapter.
    only(tree, "li.bychapter a")


def test_chapter_index_lists_chapters_with_ao3s_dates(client, lamp):
    tree = page_of(client, reverse("stories:work_navigate", args=[lamp.pk]))
    work_links = tree.xpath("//a[re:test(@href, '/works/\\d+$')]", namespaces=RE)
    assert work_links[0].get("href") == lamp.get_absolute_url()
    assert work_links[0].text == "The Harbour Lamp"
    creators = tree.xpath("//a[re:test(@href, '/users/\\w+/pseuds/.+')]", namespaces=RE)
    assert [a.text for a in creators] == ["lampwright"]
    items = tree.cssselect("ol.chapter.index.group > li")
    assert [item.cssselect("a")[0].get("href") for item in items] == [
        chapter.get_absolute_url() for chapter in chapters_of(lamp)
    ]
    for item, chapter in zip(items, chapters_of(lamp), strict=True):
        link = item.cssselect("a")[0]
        date = link.getnext()
        assert date.tag == "span" and date.get("class") == "datetime"
        # The tools read the span's text; the date is also a <time> inside it.
        day = chapter.published_at.date().isoformat()
        assert date.text_content() == f"({day})"
        assert only(date, "time").get("datetime").startswith(day)


RE = {"re": "http://exslt.org/regular-expressions"}


def test_view_adult_reaches_the_reading_views(client, lamp):
    for url in reading_urls(lamp):
        mark = "&" if "?" in url else "?"
        response = client.get(f"{url}{mark}view_adult=true")
        assert response.status_code == 200, url
        assert response.context["view_adult"] is True, url
        assert client.get(url).context["view_adult"] is False, url


def test_a_pseuds_address_shows_its_works(client, lamp):
    url = reverse("stories:pseud_detail", args=["lampwright", "lampwright"])
    assert text(page_of(client, url).cssselect("h1")[0]) == "lampwright"
    assert titles(client.get(url)) == [lamp.title]
    other = reverse("stories:pseud_detail", args=["lampwright", "someone"])
    assert client.get(other).status_code == 404


def test_download_links_are_in_ao3s_form_on_every_reading_page(client, lamp):
    expected = [download_url(lamp, ext) for ext in FORMATS]
    for url in reading_urls(lamp)[:3]:
        tree = page_of(client, url)
        links = tree.cssselect("li.download > ul.expandable.secondary > li > a")
        assert [a.get("href") for a in links] == expected, url
        assert all(a.get("href").startswith(f"/downloads/{lamp.pk}/") for a in links)
        # FanFicFare finds the work of a chapter from the first of them.
        first = tree.cssselect("li.download ul li a")[0]
        assert re.match(rf"/downloads/{lamp.pk}/", first.get("href"))


def test_ao3s_short_chapter_address_leads_to_the_chapter(client, lamp):
    second = chapters_of(lamp)[1]
    url = reverse("stories:chapter_address", args=[second.pk])
    assert url == f"/chapters/{second.pk}"

    response = client.get(url + "?view_adult=true")

    assert response.status_code == 302
    assert response["Location"] == second.get_absolute_url() + "?view_adult=true"
    assert client.get(url)["Location"] == second.get_absolute_url()


def test_the_short_address_of_a_chapter_the_reader_may_not_read_is_not_found(
    client, author, reader
):
    draft = make_work(owner=author, post=False)
    chapter = draft.chapters.get()
    url = reverse("stories:chapter_address", args=[chapter.pk])

    assert client.get(url).status_code == 404
    client.force_login(reader)
    assert client.get(url).status_code == 404
    client.force_login(author)
    assert client.get(url)["Location"] == chapter.get_absolute_url()
    assert client.get(url.replace(str(chapter.pk), "999999")).status_code == 404
