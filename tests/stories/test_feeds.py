"""The Atom feed of a tag's newest works, read as a feed reader reads it."""

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from django.urls import reverse

from stories import services
from stories.models import Tag, TaggedWork, TagKind, Work
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db

FANDOM = "Harbour Lights (TV)"
ATOM = "{http://www.w3.org/2005/Atom}"


def fandom_tag():
    return Tag.objects.get(kind=TagKind.FANDOM, name=FANDOM)


def feed_url(tag):
    return reverse("stories:tag_feed", kwargs={"slug": tag.slug})


def read_feed(client, tag):
    response = client.get(feed_url(tag))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def set_dates(work, when):
    """Date a work as published and last updated then, on it and its postings."""
    Work.objects.filter(pk=work.pk).update(published_at=when, updated_at=when)
    TaggedWork.objects.filter(content_object=work).update(work_updated_at=when)
    work.refresh_from_db()


def as_datetime(text):
    return datetime.fromisoformat(text)


def test_feed_lists_the_20_newest_posted_works_under_the_tag(client, author):
    start = datetime(2024, 5, 1, 12, tzinfo=UTC)
    works = []
    for number in range(23):
        work = make_work(owner=author, title=f"Work {number}", fandoms=[FANDOM])
        # Updated dates out of creation order, so the feed must sort by them.
        set_dates(work, start + timedelta(hours=(number * 7) % 23))
        works.append(work)
    draft = make_work(owner=author, title="Secret Draft", fandoms=[FANDOM], post=False)
    set_dates(draft, start + timedelta(days=30))
    elsewhere = make_work(owner=author, title="Elsewhere", fandoms=["Other Fandom"])
    set_dates(elsewhere, start + timedelta(days=30))

    feed = read_feed(client, fandom_tag())

    newest = sorted(works, key=lambda work: work.updated_at, reverse=True)[:20]
    assert [entry.title for entry in feed.entries] == [work.title for work in newest]
    titles = {entry.title for entry in feed.entries}
    assert "Secret Draft" not in titles
    assert "Elsewhere" not in titles
    assert as_datetime(feed.feed.updated) == newest[0].updated_at


def test_feed_describes_the_tag(client, author):
    make_work(owner=author, fandoms=[FANDOM])
    tag = fandom_tag()

    feed = read_feed(client, tag)

    assert feed.feed.title == f"{FANDOM} – Fan Archive"
    assert feed.feed.link == f"http://testserver{tag.get_absolute_url()}"
    assert FANDOM in feed.feed.subtitle
    assert any(
        link.rel == "self" and link.href == f"http://testserver{feed_url(tag)}"
        for link in feed.feed.links
    )


def test_entry_has_title_link_author_dates_and_tags(client, author):
    work = make_work(
        owner=author,
        title="The Lantern Keeper",
        fandoms=[FANDOM],
        characters=["Mara Quinn"],
        relationships=["Mara Quinn/Tobias Reed"],
        freeforms=["Slow Burn"],
        creator_credit="Old Harbour Writer",
    )

    (entry,) = read_feed(client, fandom_tag()).entries

    assert entry.title == "The Lantern Keeper"
    assert entry.link == f"http://testserver{work.get_absolute_url()}"
    assert entry.author == "Old Harbour Writer"
    assert "by Old Harbour Writer (archived by" in entry.summary
    assert as_datetime(entry.published) == work.published_at
    assert as_datetime(entry.updated) == work.updated_at
    assert {tag.term for tag in entry.tags} == {
        FANDOM,
        "Mara Quinn",
        "Mara Quinn/Tobias Reed",
        "Slow Burn",
        "No Archive Warnings Apply",
    }


def test_entry_author_is_the_owner_without_an_original_creator(client, author):
    make_work(owner=author, fandoms=[FANDOM])

    (entry,) = read_feed(client, fandom_tag()).entries

    assert entry.author == author.username


def test_entry_summary_shows_the_blurb(client, author):
    make_work(
        owner=author,
        fandoms=[FANDOM],
        warnings=["Major Character Death"],
        summary="<p>Mara keeps the <em>last</em> lantern lit.</p>",
        chapters=3,
        body="<p>" + "wave " * 1200 + "</p>",
        rating="teen",
    )

    (entry,) = read_feed(client, fandom_tag()).entries

    assert "Mara keeps the <em>last</em> lantern lit." in entry.summary
    assert "Rating: Teen And Up Audiences" in entry.summary
    assert "Major Character Death" in entry.summary
    assert FANDOM in entry.summary
    assert "Chapters: 3/?" in entry.summary
    assert "Words: 3,600," in entry.summary
    pseud = reverse("stories:pseud_detail", args=[author.username, author.username])
    assert f'by <a href="http://testserver{pseud}">{author.username}</a>' in (
        entry.summary
    )


def test_draft_chapters_stay_out_of_the_feed(client, author):
    work = make_work(owner=author, fandoms=[FANDOM], expected_chapters=2)
    services.chapter_create(
        work=work,
        text=services.ChapterText(body="<p>Unfinished secret scene.</p>"),
        post=False,
    )

    response = client.get(feed_url(fandom_tag()))

    assert b"Unfinished secret scene" not in response.content
    (entry,) = feedparser.parse(response.content).entries
    assert "Chapters: 1/2" in entry.summary


def test_hostile_titles_credits_and_tags_are_escaped(client, author):
    hostile = "<script>alert('x')</script> & co"
    make_work(
        owner=author,
        title=hostile,
        creator_credit=hostile,
        fandoms=[FANDOM],
        freeforms=[hostile],
    )

    response = client.get(feed_url(fandom_tag()))

    assert b"<script" not in response.content
    summary = ElementTree.fromstring(response.content).find(
        f"{ATOM}entry/{ATOM}summary"
    )
    assert summary.get("type") == "html"
    # The summary's HTML, once the XML is read, shows the text, never a tag.
    assert "<script" not in summary.text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in (
        summary.text
    )
    (entry,) = feedparser.parse(response.content).entries
    assert entry.title == hostile
    assert entry.author == hostile
    assert hostile in {tag.term for tag in entry.tags}


def test_feed_is_served_as_atom(client, author):
    make_work(owner=author, fandoms=[FANDOM])

    response = client.get(feed_url(fandom_tag()))

    assert response["Content-Type"].startswith("application/atom+xml")
    assert ElementTree.fromstring(response.content).tag == f"{ATOM}feed"


def test_unknown_tag_feed_is_not_found(client, db):
    url = reverse("stories:tag_feed", kwargs={"slug": "no-such-tag"})

    assert client.get(url).status_code == 404


def test_synonym_feed_lists_its_canonical_tags_works(client, author):
    (canonical,) = services.tags_get_or_create(kind=TagKind.FANDOM, names=[FANDOM])
    canonical.canonical = True
    canonical.save(update_fields=["canonical"])
    (synonym,) = services.tags_get_or_create(kind=TagKind.FANDOM, names=["HL"])
    synonym.merger = canonical
    synonym.save(update_fields=["merger"])
    make_work(owner=author, title="Under the canonical", fandoms=[FANDOM])
    make_work(owner=author, title="Under the synonym", fandoms=["HL"])

    feed = read_feed(client, synonym)

    assert feed.feed.title == f"{FANDOM} – Fan Archive"
    assert {entry.title for entry in feed.entries} == {
        "Under the canonical",
        "Under the synonym",
    }


def test_tag_page_links_its_feed(client, author):
    make_work(owner=author, fandoms=[FANDOM])
    tag = fandom_tag()

    response = client.get(tag.get_absolute_url())

    content = response.content.decode()
    assert (
        f'<link rel="alternate" type="application/atom+xml" '
        f'title="{FANDOM} – Fan Archive" href="{feed_url(tag)}">'
    ) in " ".join(content.split())
    assert "Subscribe to this tag (Atom feed)" in content


def test_works_page_has_no_tag_feed(client, author):
    make_work(owner=author, fandoms=[FANDOM])

    response = client.get(reverse("stories:work_list"))

    assert b'type="application/atom+xml"' not in response.content


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize("signed_in", [False, True])
def test_feed_runs_few_queries(
    client, author, django_assert_max_num_queries, count, signed_in
):
    for number in range(count):
        make_work(
            owner=author,
            title=f"Work {number}",
            fandoms=[FANDOM, f"Fandom {number % 7}"],
            characters=[f"Character {number % 5}"],
            freeforms=["Angst"],
        )
    if signed_in:
        client.force_login(UserFactory())
    tag = fandom_tag()

    with django_assert_max_num_queries(8):
        response = client.get(feed_url(tag))

    assert len(feedparser.parse(response.content).entries) == count


def test_feed_leaves_out_what_a_signed_in_reader_hides(client, author):
    kept = make_work(owner=author, title="Kept", fandoms=["Harbour Lights (TV)"])
    make_work(
        owner=author,
        title="Hidden",
        fandoms=["Harbour Lights (TV)"],
        freeforms=["Spiders"],
    )
    reader = UserFactory(username="arachnophobe")
    services.reader_hide(
        reader=reader, tags=[Tag.objects.get(kind=TagKind.FREEFORM, name="Spiders")]
    )
    client.force_login(reader)
    fandom = Tag.objects.get(kind=TagKind.FANDOM, name="Harbour Lights (TV)")
    feed = feedparser.parse(client.get(f"/tags/{fandom.slug}/feed.atom").content)
    assert [entry.title for entry in feed.entries] == [kept.title]
