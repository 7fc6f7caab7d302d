"""The OPDS catalogue as an e-reader browses it: /opds/ and the feeds it leads to."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from lxml import etree

from stories import creators, services
from stories.blocking.services import user_mute
from stories.downloads.addresses import download_url
from stories.models import Tag, TaggedWork, TagKind, Work
from stories.opds import views
from tests.factories import UserFactory, make_work
from tests.stories.opds.conftest import (
    ACQUISITION,
    ATOM,
    NAVIGATION,
    NS,
    OPEN_ACCESS,
    basic,
)

pytestmark = pytest.mark.django_db

FANDOM = "Harbour Lights (TV)"
PASSWORD = "a-long-test-password"


def set_dates(work, when):
    """Date a work as published and last updated then, on it and its postings."""
    Work.objects.filter(pk=work.pk).update(published_at=when, updated_at=when)
    TaggedWork.objects.filter(content_object=work).update(work_updated_at=when)
    work.refresh_from_db()


def fandom(name=FANDOM):
    return Tag.objects.get(kind=TagKind.FANDOM, name=name)


def test_root_leads_to_newest_works_fandoms_and_search(read_feed, db):
    feed = read_feed(reverse("opds:root"))

    assert feed.response["Content-Type"] == NAVIGATION
    assert feed.titles == ["Newest works", "Fandoms"]
    newest, fandoms = feed.entries
    assert feed.xpath("atom:link/@type", newest) == [ACQUISITION]
    assert feed.link("http://opds-spec.org/sort/new", newest).endswith(
        reverse("opds:work_list")
    )
    assert feed.xpath("atom:link/@type", fandoms) == [NAVIGATION]
    assert feed.link("subsection", fandoms).endswith(reverse("opds:fandom_list"))
    assert feed.link("search") == "http://testserver" + reverse(
        "opds:search_description"
    )
    assert feed.xpath("atom:link[@rel='search']/@type") == [
        "application/opensearchdescription+xml"
    ]
    assert feed.link("start") == feed.link("self") == "http://testserver/opds/"


def test_root_offers_a_signed_in_reader_their_own_works(read_feed, author):
    feed = read_feed(reverse("opds:root"), headers=basic(author.username, PASSWORD))

    assert feed.titles == ["Newest works", "Fandoms", "Your works"]
    assert feed.link("subsection", feed.entry("Your works")).endswith(
        reverse("opds:user_works", args=[author.username])
    )


def test_newest_works_entry_carries_what_an_e_reader_shows(read_feed, author):
    co_author = UserFactory(username="saltwind")
    work = make_work(
        owner=author,
        title="The Lantern Keeper",
        summary="<p>Mara keeps the <em>last</em> lantern lit.</p>",
        fandoms=[FANDOM],
        characters=["Mara Quinn"],
        freeforms=["Slow Burn"],
        categories=["F/F"],
        language="fr",
    )
    creators.creatorship_accept(
        creatorship=creators.work_invite_creator(
            work=work, user=co_author, invited_by=author
        ),
        user=co_author,
    )

    feed = read_feed(reverse("opds:work_list"))

    assert feed.response["Content-Type"] == ACQUISITION
    (entry,) = feed.entries
    assert entry.findtext(f"{{{ATOM}}}title") == "The Lantern Keeper"
    assert feed.xpath("atom:author/atom:name/text()", entry) == [
        "quillfeather",
        "saltwind",
    ]
    # The byline's pseud, at AO3's address of a pseud.
    assert feed.xpath("atom:author/atom:uri/text()", entry)[0] == (
        "http://testserver"
        + reverse("stories:pseud_detail", args=[author.username, author.username])
    )
    assert datetime.fromisoformat(entry.findtext(f"{{{ATOM}}}updated")) == (
        work.updated_at
    )
    assert feed.xpath("dc:language/text()", entry) == ["fr"]
    assert set(feed.xpath("atom:category/@term", entry)) == {
        "General Audiences",
        "No Archive Warnings Apply",
        "F/F",
        FANDOM,
        "Mara Quinn",
        "Slow Burn",
    }
    summary = feed.xpath("atom:summary", entry)[0]
    assert summary.get("type") in (None, "text")
    assert summary.text == "Mara keeps the last lantern lit."
    content = feed.xpath("atom:content", entry)[0]
    assert content.get("type") == "html"
    assert "<em>last</em> lantern" in content.text
    assert "Chapters: 1/?" in content.text
    assert feed.link("alternate", entry) == "http://testserver" + (
        work.get_absolute_url()
    )
    acquisitions = feed.xpath(f"atom:link[@rel='{OPEN_ACCESS}']", entry)
    assert [(link.get("href"), link.get("type")) for link in acquisitions] == [
        ("http://testserver" + download_url(work, "epub"), "application/epub+zip"),
        ("http://testserver" + download_url(work, "pdf"), "application/pdf"),
    ]


def test_an_archived_work_is_by_its_original_creator(read_feed, author):
    make_work(owner=author, creator_credit="Old Harbour Writer")

    (entry,) = read_feed(reverse("opds:work_list")).entries

    assert entry.xpath("atom:author/atom:name/text()", namespaces=NS) == [
        "Old Harbour Writer"
    ]
    assert entry.xpath("atom:contributor/atom:name/text()", namespaces=NS) == [
        author.username
    ]


def test_newest_works_come_newest_first_and_drafts_never(read_feed, author):
    start = datetime(2024, 5, 1, 12, tzinfo=UTC)
    for number in range(5):
        work = make_work(owner=author, title=f"Work {number}")
        set_dates(work, start + timedelta(hours=(number * 3) % 5))
    make_work(owner=author, title="Secret Draft", post=False)
    taken_back = make_work(owner=author, title="Taken Back")
    services.work_unpost(work=taken_back)

    feed = read_feed(reverse("opds:work_list"), headers=basic("quillfeather", PASSWORD))

    assert feed.titles == ["Work 3", "Work 1", "Work 4", "Work 2", "Work 0"]


def test_listing_filters_apply_to_feeds(read_feed, author):
    make_work(owner=author, title="Angsty", freeforms=["Angst"])
    make_work(owner=author, title="Fluffy", freeforms=["Fluff"])

    feed = read_feed(reverse("opds:work_list") + "?exclude=Angst")

    assert feed.titles == ["Fluffy"]
    assert feed.link("self").endswith("/opds/works/?exclude=Angst")


def test_feeds_are_paged_with_next_previous_first_and_last(client, read_feed, author):
    for number in range(23):
        make_work(owner=author, title=f"Work {number}", fandoms=[FANDOM])
    url = reverse("opds:tag_works", args=[fandom().slug])

    first = read_feed(url)

    assert len(first.entries) == 20
    assert first.link("next") == f"http://testserver{url}?page=2"
    assert first.link("previous") is None
    assert first.link("first") == f"http://testserver{url}"
    assert first.link("last") == f"http://testserver{url}?page=2"
    assert first.xpath("atom:link[@rel='next']/@type") == [ACQUISITION]
    assert first.xpath("atom:subtitle/text()") == ["23 works"]

    second = read_feed(f"{url}?page=2")

    assert len(second.entries) == 3
    assert second.link("next") is None
    assert second.link("previous") == f"http://testserver{url}"
    assert set(first.titles).isdisjoint(second.titles)

    assert client.get(f"{url}?page=3").status_code == 404


def test_paging_keeps_the_filters(read_feed, author):
    for number in range(21):
        make_work(owner=author, title=f"Work {number}", freeforms=["Angst"])

    feed = read_feed(reverse("opds:work_list") + "?include=Angst")

    assert feed.link("next") == (
        "http://testserver" + reverse("opds:work_list") + "?include=Angst&page=2"
    )


def test_fandoms_are_listed_by_name_a_page_at_a_time(read_feed, author, monkeypatch):
    monkeypatch.setattr(views, "FANDOMS_PER_PAGE", 2)
    make_work(owner=author, fandoms=["Cedar Hollow"])
    make_work(owner=author, fandoms=["anchor bay", "Cedar Hollow"])
    make_work(owner=author, fandoms=["Birchwood"])
    make_work(owner=author, fandoms=["Unposted Fandom"], post=False)

    first = read_feed(reverse("opds:fandom_list"))
    second = read_feed(first.link("next").removeprefix("http://testserver"))

    assert first.titles == ["anchor bay", "Birchwood"]
    assert second.titles == ["Cedar Hollow"]
    assert second.link("previous") == "http://testserver/opds/fandoms/"
    cedar = second.entry("Cedar Hollow")
    assert cedar.findtext(f"{{{ATOM}}}content") == "2 works"
    assert feed_link_type(second, cedar) == ACQUISITION
    assert second.link("subsection", cedar) == "http://testserver" + reverse(
        "opds:tag_works", args=[fandom("Cedar Hollow").slug]
    )


def feed_link_type(feed, entry):
    return feed.xpath("atom:link[@rel='subsection']/@type", entry)[0]


def test_a_fandoms_works_and_a_synonyms(read_feed, author):
    (canonical,) = services.tags_get_or_create(kind=TagKind.FANDOM, names=[FANDOM])
    canonical.canonical = True
    canonical.save(update_fields=["canonical"])
    (synonym,) = services.tags_get_or_create(kind=TagKind.FANDOM, names=["HL"])
    synonym.merger = canonical
    synonym.save(update_fields=["merger"])
    make_work(owner=author, title="Under the canonical", fandoms=[FANDOM])
    make_work(owner=author, title="Under the synonym", fandoms=["HL"])
    make_work(owner=author, title="Elsewhere", fandoms=["Other Fandom"])

    feed = read_feed(reverse("opds:tag_works", args=[synonym.slug]))

    assert feed.xpath("atom:title/text()") == [FANDOM]
    assert set(feed.titles) == {"Under the canonical", "Under the synonym"}
    assert feed.link("up") == "http://testserver" + reverse("opds:fandom_list")


def test_unknown_fandom_and_person_are_not_found(client, db):
    assert client.get(reverse("opds:tag_works", args=["no-such-tag"])).status_code == (
        404
    )
    assert client.get(reverse("opds:user_works", args=["nobody"])).status_code == 404


def test_a_persons_works_never_show_their_drafts_even_to_them(read_feed, author):
    make_work(owner=author, title="Posted")
    make_work(owner=author, title="Draft", post=False)
    make_work(title="Someone else's")
    url = reverse("opds:user_works", args=[author.username])

    as_guest = read_feed(url)
    as_author = read_feed(url, headers=basic(author.username, PASSWORD))

    assert as_guest.titles == as_author.titles == ["Posted"]
    assert as_guest.xpath("atom:title/text()") == ["Works by quillfeather"]


def test_an_inactive_persons_works_are_not_found(client, author):
    make_work(owner=author)
    author.is_active = False
    author.save(update_fields=["is_active"])

    url = reverse("opds:user_works", args=[author.username])
    assert client.get(url).status_code == 404


def test_search_finds_works_as_the_search_box_does(read_feed, author):
    make_work(owner=author, title="The Lantern Keeper")
    make_work(owner=author, title="Harbour Song", summary="<p>No lights.</p>")
    make_work(owner=author, title="Lantern Draft", post=False)

    feed = read_feed(reverse("opds:search") + "?q=lantern")

    assert feed.titles == ["The Lantern Keeper"]
    assert feed.xpath("atom:title/text()") == ["Search: lantern"]
    assert feed.link("alternate") == "http://testserver/works/search?q=lantern"


def test_an_empty_search_finds_nothing(read_feed, author):
    make_work(owner=author)

    assert read_feed(reverse("opds:search") + "?q=").entries == []
    assert read_feed(reverse("opds:search") + "?q=%21%21").entries == []


def test_opensearch_description_names_the_acquisition_search(client, db):
    response = client.get(reverse("opds:search_description"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/opensearchdescription+xml"
    root = etree.fromstring(response.content)
    assert root.tag == "{http://a9.com/-/spec/opensearch/1.1/}OpenSearchDescription"
    (url,) = root.xpath(
        "os:Url[contains(@type, 'application/atom+xml')]", namespaces=NS
    )
    assert url.get("type") == ACQUISITION
    assert url.get("template") == (
        "http://testserver" + reverse("opds:search") + "?q={searchTerms}"
    )


def test_signed_in_reader_never_sees_hidden_tags_or_muted_creators(read_feed, author):
    reader = UserFactory(username="arachnophobe")
    muted = UserFactory(username="loudmouth")
    make_work(owner=author, title="Kept", fandoms=[FANDOM])
    make_work(owner=author, title="Spidery", fandoms=[FANDOM], freeforms=["Spiders"])
    make_work(owner=muted, title="By the muted", fandoms=[FANDOM])
    make_work(owner=author, title="Hidden fandom", fandoms=["Spider Fandom"])
    services.reader_hide(
        reader=reader,
        tags=Tag.objects.filter(name__in=["Spiders", "Spider Fandom"]),
    )
    user_mute(muter=reader, muted=muted)
    signed_in = basic(reader.username, PASSWORD)
    everything = {"Kept", "Spidery", "By the muted", "Hidden fandom"}

    for url in [
        reverse("opds:work_list"),
        reverse("opds:tag_works", args=[fandom().slug]),
        reverse("opds:search") + "?q=-nowhere",
    ]:
        as_guest = set(read_feed(url).titles)
        as_reader = set(read_feed(url, headers=signed_in).titles)
        assert as_reader == as_guest & {"Kept"}, url
    assert set(read_feed(reverse("opds:work_list")).titles) == everything
    fandoms = read_feed(reverse("opds:fandom_list"), headers=signed_in)
    assert "Spider Fandom" not in fandoms.titles
    assert FANDOM in fandoms.titles


def test_wrong_credentials_are_refused_with_a_challenge(client, author):
    make_work(owner=author)
    for headers in [
        basic(author.username, "wrong-password"),
        basic("nobody", PASSWORD),
        {"Authorization": "Basic not-base64!"},
        {"Authorization": "Basic " + "bm9jb2xvbg=="},  # "nocolon"
    ]:
        response = client.get(reverse("opds:work_list"), headers=headers)
        assert response.status_code == 401, headers
        assert response["WWW-Authenticate"].startswith('Basic realm="')
        assert b"<entry" not in response.content


def test_an_inactive_account_is_refused(client, author):
    author.is_active = False
    author.save(update_fields=["is_active"])

    response = client.get(
        reverse("opds:root"), headers=basic(author.username, PASSWORD)
    )

    assert response.status_code == 401


def test_credentials_make_no_session_and_write_nothing(client, author):
    make_work(owner=author)
    last_login = author.last_login

    response = client.get(
        reverse("opds:work_list"), headers=basic(author.username, PASSWORD)
    )

    assert response.status_code == 200
    assert not response.cookies
    assert Session.objects.count() == 0
    author.refresh_from_db()
    assert author.last_login == last_login
    assert response["Cache-Control"] == "private"
    assert "Authorization" in response["Vary"]


def test_other_schemes_are_a_guest(read_feed, author):
    make_work(owner=author)

    feed = read_feed(reverse("opds:root"), headers={"Authorization": "Bearer abc"})

    assert "Your works" not in feed.titles


def test_signin_asks_for_credentials_then_starts_the_catalogue(client, author):
    response = client.get(reverse("opds:signin"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic ")

    response = client.get(
        reverse("opds:signin"), headers=basic(author.username, PASSWORD)
    )

    assert response.status_code == 200
    assert response["Content-Type"] == NAVIGATION
    assert b"Your works" in response.content


def test_hostile_titles_summaries_and_names_are_escaped(read_feed, author):
    hostile = "<script>alert('x')</script> & \"co\" ]]> <!-- -->"
    make_work(
        owner=author,
        title=hostile,
        creator_credit=hostile,
        summary="<p>Fine</p><script>alert(1)</script><img src=x onerror=alert(1)>",
        fandoms=[FANDOM],
        freeforms=[hostile],
    )

    feed = read_feed(reverse("opds:work_list"))

    assert b"<script" not in feed.response.content
    (entry,) = feed.entries
    assert entry.findtext(f"{{{ATOM}}}title") == hostile
    assert feed.xpath("atom:author/atom:name/text()", entry) == [hostile]
    assert hostile in feed.xpath("atom:category/@term", entry)
    content = feed.xpath("atom:content/text()", entry)[0]
    assert "<script" not in content
    assert "onerror" not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content


def test_characters_xml_cannot_carry_are_left_out(read_feed, author):
    work = make_work(owner=author, title="Plain")
    Work.objects.filter(pk=work.pk).update(title="Bell\x07 and\x0b tab")

    feed = read_feed(reverse("opds:work_list"))

    assert feed.titles == ["Bell and tab"]


def test_a_cached_feed_follows_writes(read_feed, author, django_assert_num_queries):
    work = make_work(owner=author, title="Before", fandoms=[FANDOM])
    url = reverse("opds:tag_works", args=[fandom().slug])
    assert read_feed(url).titles == ["Before"]

    with django_assert_num_queries(1):  # the tag; the feed itself is kept
        assert read_feed(url).titles == ["Before"]

    services.work_update(
        work=work,
        title="After",
        tags={TagKind.FANDOM: [FANDOM]},
        warnings=["No Archive Warnings Apply"],
    )
    assert read_feed(url).titles == ["After"]
    make_work(owner=author, title="Newer", fandoms=[FANDOM])
    assert read_feed(url).titles == ["Newer", "After"]
    services.work_unpost(work=work)
    assert read_feed(url).titles == ["Newer"]


def test_catalogue_is_read_only(client, author):
    response = client.post(reverse("opds:work_list"))

    assert response.status_code == 405


def test_every_page_links_the_catalogue(client, db):
    response = client.get(reverse("stories:home"))

    content = " ".join(response.content.decode().split())
    assert (
        '<link rel="related" type="application/atom+xml;profile=opds-catalog;'
        'kind=navigation" title="Fan Archive catalogue (OPDS)" href="/opds/">'
    ) in content
    assert 'href="/opds/">catalogue for e-readers' in content


def test_a_name_sent_in_latin_1_signs_in(client, db):
    UserFactory(username="zoë")
    token = base64.b64encode("zoë:a-long-test-password".encode("latin-1")).decode()

    response = client.get(
        reverse("opds:root"), headers={"Authorization": f"Basic {token}"}
    )

    assert response.status_code == 200
    assert b"Your works" in response.content


def test_the_search_feed_is_not_the_newest_works_with_q(read_feed, author):
    make_work(owner=author, title="The Lantern Keeper")
    make_work(owner=author, title="Harbour Song")

    newest = read_feed(reverse("opds:work_list") + "?q=lantern")
    searched = read_feed(reverse("opds:search") + "?q=lantern")

    assert set(newest.titles) == {"The Lantern Keeper", "Harbour Song"}
    assert searched.titles == ["The Lantern Keeper"]
