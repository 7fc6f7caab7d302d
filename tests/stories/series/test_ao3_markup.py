"""A series page carries AO3's markup where AO3's tools (FanFicFare) read it:
the name in div.series-show h2.heading, the description in div.wrapper dd
blockquote.userstuff, "Complete:" in dl.series dl.stats, and each work's
address in the first link of its blurb's h4.heading, in the series' order.
Its headings go down one level at a time, and listings keep theirs."""

import itertools
import re

import pytest
from django.urls import reverse

from stories.series import services
from stories.series.models import Series
from tests.factories import make_work
from tests.pages import element_text, page_of

pytestmark = pytest.mark.django_db


def headings(tree):
    """The levels of the page's headings in its main part, in order."""
    return [
        int(h.tag[1])
        for h in tree.xpath(
            "//main//*[self::h1 or self::h2 or "
            "self::h3 or self::h4 or self::h5 or "
            "self::h6]"
        )
    ]


def test_series_page_carries_ao3s_markup(client, cycle):
    Series.objects.filter(pk=cycle.pk).update(
        summary="<p>Three tides.</p>", notes="<p>Read in order.</p>"
    )
    tree = page_of(client, cycle.get_absolute_url())

    [name] = tree.cssselect("div.series-show h2.heading")
    assert element_text(name) == "The Harbour Cycle"
    # The first blockquote under a dd is the description FanFicFare keeps.
    assert element_text(tree.cssselect("div.wrapper dd blockquote.userstuff")[0]) == (
        "Three tides."
    )
    [stats] = tree.cssselect("dl.series dl.stats")
    # FanFicFare joins the stripped texts: "...Complete:No".
    assert "Complete:No" in "".join(t.strip() for t in stats.itertext())
    works = list(cycle.parts.order_by("position").values_list("work", flat=True))
    assert [a.get("href") for a in tree.cssselect("h4.heading a:first-child")] == [
        reverse("stories:work_detail", args=[pk]) for pk in works
    ]


def test_a_complete_series_says_so_where_tools_read_it(client, cycle):
    Series.objects.filter(pk=cycle.pk).update(is_complete=True)
    tree = page_of(client, cycle.get_absolute_url())

    [stats] = tree.cssselect("dl.series dl.stats")
    assert "Complete:Yes" in "".join(t.strip() for t in stats.itertext())


def test_series_headings_go_down_one_level_at_a_time(client, author, cycle):
    for viewer in (client, None):
        if viewer is None:
            client.force_login(author)
        levels = headings(page_of(client, cycle.get_absolute_url()))
        assert levels[0] == 1
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
        assert levels.count(4) == 3


def test_listings_keep_their_blurb_titles_at_h3(client, author, cycle):
    make_work(owner=author, title="Stray")
    for url in (
        reverse("stories:work_list"),
        reverse("stories:user_detail", args=[author.username]),
    ):
        tree = page_of(client, url)
        assert tree.cssselect("h3.blurb-title"), url
        assert not tree.cssselect("h4"), url


def test_the_slashed_series_address_answers_301_to_ao3s_form(client, cycle):
    url = cycle.get_absolute_url()
    assert url == f"/series/{cycle.pk}"

    response = client.get(url + "/?page=2")

    assert response.status_code == 301
    assert response["Location"] == url + "?page=2"


def test_only_works_are_read_from_the_titles_when_a_work_is_archived(
    client, author, cycle
):
    archived = make_work(owner=author, title="Old Harbour", creator_credit="OldWriter")
    services.series_add_work(series=cycle, work=archived)
    tree = page_of(client, cycle.get_absolute_url())

    hrefs = [a.get("href") for a in tree.cssselect("h4.heading a:first-child")]

    assert len(hrefs) == 4
    assert hrefs[-1] == archived.get_absolute_url()
    assert all(re.fullmatch(r"/works/\d+", href) for href in hrefs), hrefs
    assert "by OldWriter (archived by quillfeather)" in element_text(
        tree.cssselect("h4.heading")[-1]
    )
