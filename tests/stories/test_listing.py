"""Finding works: every filter, the facet sidebar, capped counts, saved exclusions."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from lxml import html

from stories import listing, services
from stories.blocking.models import Mute
from stories.blocking.services import user_mute
from stories.models import HiddenTag, Rating, Tag, TagKind, Work
from tests.factories import UserFactory, make_work
from tests.pages import text, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(author):
    works = {
        "short": make_work(
            owner=author,
            title="Short",
            fandoms=["Harbour Lights (TV)"],
            freeforms=["Fluff"],
            body="<p>" + "word " * 100 + "</p>",
            expected_chapters=1,
        ),
        "long": make_work(
            owner=author,
            title="Long",
            fandoms=["Harbour Lights (TV)"],
            characters=["Mara Quinn"],
            freeforms=["Angst"],
            warnings=["Major Character Death"],
            body="<p>" + "word " * 3000 + "</p>",
            language="fr",
        ),
        "old": make_work(
            owner=UserFactory(username="oldtimer"),
            title="Old",
            fandoms=["The Clockwork Kingdom"],
            freeforms=["Angst"],
            rating=Rating.MATURE,
        ),
    }
    Work.objects.filter(pk=works["old"].pk).update(
        updated_at=timezone.now() - timedelta(days=400)
    )
    return works


def listed(client, **params):
    return sorted(titles(client.get(reverse("stories:work_list"), params)))


def test_exclude_warning(client, shelf):
    assert listed(client, exclude_warning="Major Character Death") == ["Old", "Short"]


def test_completion_filters(client, shelf):
    assert listed(client, complete="complete") == ["Short"]
    assert listed(client, complete="in-progress") == ["Long", "Old"]


def test_word_count_range(client, shelf):
    assert listed(client, words_from=50, words_to=500) == ["Short"]
    assert listed(client, words_from=1000) == ["Long"]
    assert listed(client, words_to=50) == ["Old"]


def test_language(client, shelf):
    assert listed(client, language="fr") == ["Long"]


def test_updated_within(client, shelf):
    assert listed(client, updated_within="30") == ["Long", "Short"]
    assert listed(client, updated_within="365") == ["Long", "Short"]
    assert listed(client) == ["Long", "Old", "Short"]


def test_invalid_filter_is_reported_and_the_others_still_apply(client, shelf):
    response = client.get(
        reverse("stories:work_list"), {"words_from": "lots", "language": "fr"}
    )
    assert titles(response) == ["Long"]
    assert "Some filters could not be read" in text(response)


def test_filters_survive_in_the_url_of_the_next_page(client, author):
    for number in range(21):
        make_work(owner=author, title=f"W{number}", freeforms=["Fluff"])
    response = client.get(
        reverse("stories:work_list"), {"include": "Fluff", "language": "en"}
    )
    assert "include=Fluff&amp;language=en&amp;page=2" in response.content.decode()


def test_facets_count_the_tags_of_the_results(client, shelf):
    response = client.get(reverse("stories:work_list"))
    facets = dict(response.context["facets"])
    freeforms = {tag["name"]: tag["works"] for tag in facets[TagKind.FREEFORM]}
    fandoms = {tag["name"]: tag["works"] for tag in facets[TagKind.FANDOM]}
    assert freeforms == {"Angst": 2, "Fluff": 1}
    assert fandoms == {"Harbour Lights (TV)": 2, "The Clockwork Kingdom": 1}


def test_facets_follow_the_filters(client, shelf):
    response = client.get(reverse("stories:work_list"), {"include": "Angst"})
    facets = dict(response.context["facets"])
    assert {tag["name"] for tag in facets[TagKind.FREEFORM]} == {"Angst"}
    assert TagKind.CHARACTER in facets


def test_facet_buttons_include_or_exclude_in_one_click(client, shelf):
    response = client.get(reverse("stories:work_list"), {"include": "Angst"})
    tree = html.fromstring(response.content)
    assert "Mara Quinn" in tree.xpath("//form//button[@name='facet_include']/@value")
    assert "Mara Quinn" in tree.xpath("//form//button[@name='facet_exclude']/@value")
    # The button sends the form as it stands, the tag among its choices.
    chosen = client.get(
        reverse("stories:work_list"),
        {"include": "Angst", "facet_include": "Mara Quinn"},
    )
    included = reverse("stories:work_list") + "?include=Angst%2C+Mara+Quinn"
    assert chosen.status_code == 302
    assert chosen["Location"] == included
    assert titles(client.get(included)) == ["Long"]
    excluded = client.get(
        reverse("stories:work_list"),
        {"include": "Angst", "facet_exclude": "Mara Quinn"},
        follow=True,
    )
    assert titles(excluded) == ["Old"]


def test_at_most_ten_facets_per_kind(client, author):
    make_work(owner=author, freeforms=[f"Trope {n}" for n in range(15)])
    facets = dict(client.get(reverse("stories:work_list")).context["facets"])
    assert len(facets[TagKind.FREEFORM]) == 10


def test_count_is_capped_past_the_limit(client, author, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 40)
    for number in range(45):
        make_work(owner=author, title=f"W{number:02}", freeforms=["Fluff"])
    response = client.get(reverse("stories:work_list"), {"include": "Fluff"})
    assert "1 \u2013 20 of 40+ Works" in text(response)
    assert response.context["paginator"].num_pages == 2


def test_tag_page_count_comes_from_the_cached_count(
    client, shelf, django_assert_max_num_queries
):
    tag = Tag.objects.get(kind=TagKind.FANDOM, name="Harbour Lights (TV)")
    assert tag.work_count == 2
    response = client.get(tag.get_absolute_url())
    assert "1 \u2013 2 of 2 Works in" in text(response)


def test_rarest_tag_drives_and_every_include_still_applies(client, author):
    for number in range(5):
        make_work(owner=author, title=f"Common {number}", freeforms=["Angst"])
    make_work(owner=author, title="Both", freeforms=["Angst", "Rare"])
    make_work(owner=author, title="Rare only", freeforms=["Rare"])
    assert listed(client, include="Angst, Rare") == ["Both"]
    assert listed(client, include="Rare") == ["Both", "Rare only"]


# Saved exclusions


@pytest.fixture
def hider(shelf):
    user = UserFactory(username="picky")
    services.reader_hide(
        reader=user, tags=[Tag.objects.get(kind=TagKind.FREEFORM, name="Fluff")]
    )
    return user


def test_hidden_tags_are_left_out_of_listings_and_counts(client, hider, shelf):
    client.force_login(hider)
    response = client.get(reverse("stories:work_list"))
    assert sorted(titles(response)) == ["Long", "Old"]
    assert "1 \u2013 2 of 2 Works" in text(response)
    assert "Works with the tags you hide, and by the users you muted, are left out" in (
        text(response)
    )
    fandom = Tag.objects.get(kind=TagKind.FANDOM, name="Harbour Lights (TV)")
    tag_page = client.get(fandom.get_absolute_url())
    assert titles(tag_page) == ["Long"]
    assert "1 \u2013 1 of 1 Works in" in text(tag_page)


def test_muted_authors_are_left_out(client, shelf):
    reader = UserFactory(username="picky")
    user_mute(muter=reader, muted=shelf["old"].owner)
    client.force_login(reader)
    assert listed(client) == ["Long", "Short"]


def test_exclusions_are_one_readers_only(client, hider):
    client.force_login(UserFactory(username="other"))
    assert listed(client) == ["Long", "Old", "Short"]
    client.logout()
    assert listed(client) == ["Long", "Old", "Short"]


def test_hide_page_from_a_blurb(client, shelf):
    reader = UserFactory(username="picky")
    client.force_login(reader)
    listing_page = client.get(reverse("stories:work_list"))
    hide_url = reverse("stories:work_hide", args=[shelf["long"].pk])
    assert hide_url in listing_page.content.decode()
    page = client.get(hide_url, {"next": "/works/"})
    assert "Mara Quinn" in page.content.decode()
    angst = Tag.objects.get(kind=TagKind.FREEFORM, name="Angst")
    response = client.post(
        hide_url,
        {"tag": [angst.pk], "creator_id": shelf["long"].owner_id, "next": "/works/"},
    )
    assert response.url == "/works/"
    assert list(
        HiddenTag.objects.filter(reader=reader).values_list("tag", flat=True)
    ) == [angst.pk]
    assert Mute.objects.get(muter=reader).muted == shelf["long"].owner
    assert listed(client) == []


def test_hide_page_ignores_tags_of_other_works_and_outside_next(client, shelf):
    reader = UserFactory(username="picky")
    client.force_login(reader)
    fluff = Tag.objects.get(kind=TagKind.FREEFORM, name="Fluff")
    response = client.post(
        reverse("stories:work_hide", args=[shelf["long"].pk]),
        {"tag": [fluff.pk], "next": "https://evil.example/"},
    )
    assert response.url == reverse("stories:hidden_list")
    assert not HiddenTag.objects.exists()


def test_guests_are_asked_to_log_in_to_hide(client, shelf):
    response = client.get(reverse("stories:work_hide", args=[shelf["long"].pk]))
    assert response.url.startswith(reverse("login"))
    assert (
        "Hide this tag" not in client.get(reverse("stories:work_list")).content.decode()
    )


def test_hidden_list_adds_by_name_and_shows_again(client, shelf):
    reader = UserFactory(username="picky")
    client.force_login(reader)
    url = reverse("stories:hidden_list")
    client.post(url, {"action": "add", "tags": "angst"})
    page = client.get(url).content.decode()
    assert "Angst" in page
    assert listed(client) == ["Short"]
    angst = Tag.objects.get(kind=TagKind.FREEFORM, name="Angst")
    client.post(url, {"action": "remove", "tag": [angst.pk]})
    assert listed(client) == ["Long", "Old", "Short"]


def test_hidden_list_lists_muted_authors_with_a_link_to_the_muted_page(client, shelf):
    reader = UserFactory(username="picky")
    user_mute(muter=reader, muted=shelf["old"].owner)
    client.force_login(reader)
    page = client.get(reverse("stories:hidden_list")).content.decode()
    assert "oldtimer" in page
    assert reverse("blocking:muted_list", args=["picky"]) in page
    assert listed(client) == ["Long", "Short"]


def test_hidden_list_explains_unknown_names_and_keeps_them(client, shelf):
    client.force_login(UserFactory(username="picky"))
    response = client.post(
        reverse("stories:hidden_list"),
        {"action": "add", "tags": "Angst, Dragons"},
    )
    content = response.content.decode()
    assert "No tag is named “Dragons”." in content
    assert 'value="Angst, Dragons"' in content
    assert not HiddenTag.objects.exists()


def test_removing_only_touches_ones_own_list(client, hider):
    fluff = Tag.objects.get(kind=TagKind.FREEFORM, name="Fluff")
    client.force_login(UserFactory(username="meddler"))
    client.post(reverse("stories:hidden_list"), {"action": "remove", "tag": [fluff.pk]})
    assert HiddenTag.objects.filter(reader=hider).count() == 1


@pytest.mark.parametrize("count", [1, 50])
def test_listing_with_exclusions_and_every_filter_stays_few_queries(
    client, author, django_assert_max_num_queries, count
):
    for number in range(count):
        make_work(owner=author, title=f"W{number}", freeforms=["Angst", "Fluff"])
    reader = UserFactory(username="picky")
    services.reader_hide(
        reader=reader, tags=[Tag.objects.get(kind=TagKind.FREEFORM, name="Fluff")]
    )
    user_mute(muter=reader, muted=UserFactory())
    client.force_login(reader)
    params = {
        "include": "Angst",
        "exclude": "Crack",
        "exclude_warning": "Major Character Death",
        "rating": "general",
        "complete": "in-progress",
        "words_from": "1",
        "words_to": "100000",
        "language": "en",
        "updated_within": "30",
        "sort": "words",
    }
    with django_assert_max_num_queries(12):
        response = client.get(reverse("stories:work_list"), params)
    assert response.status_code == 200


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the tag arrays are PostgreSQL's"
)
def test_each_works_tag_array_follows_its_taggings(author):
    def filed_under(work):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT filter_tag_ids FROM stories_work WHERE id = %s", [work.pk]
            )
            ids = cursor.fetchone()[0]
        return sorted(Tag.objects.filter(pk__in=ids).values_list("name", flat=True))

    work = make_work(owner=author, fandoms=["Harbour Lights (TV)"], freeforms=["Fluff"])
    assert filed_under(work) == [
        "Fluff",
        "Harbour Lights (TV)",
        "No Archive Warnings Apply",
    ]

    services.work_set_tags(work=work, kind=TagKind.FREEFORM, names=["Angst", "Rain"])
    assert "Fluff" not in filed_under(work)
    assert {"Angst", "Rain"} <= set(filed_under(work))

    canonical = services.tag_make_canonical(
        tag=Tag.objects.create(name="Hurt/Comfort", kind=TagKind.FREEFORM)
    )
    services.tag_make_synonym(tag=Tag.objects.get(name="Rain"), canonical=canonical)
    assert "Rain" not in filed_under(work)
    assert "Hurt/Comfort" in filed_under(work)

    services.tag_delete(tag=Tag.objects.get(name="Angst"))
    assert filed_under(work) == [
        "Harbour Lights (TV)",
        "Hurt/Comfort",
        "No Archive Warnings Apply",
    ]


@pytest.mark.parametrize(
    ("sort", "field"),
    [
        ("kudos", "kudos_count"),
        ("hits", "hit_count"),
        ("bookmarks", "bookmark_count"),
        ("comments", "comment_count"),
    ],
)
def test_a_listing_sorts_by_what_readers_left(client, shelf, sort, field):
    for name, count in (("short", 3), ("long", 7), ("old", 5)):
        Work.objects.filter(pk=shelf[name].pk).update(**{field: count})
    response = client.get(reverse("stories:work_list"), {"sort": sort})
    assert titles(response) == ["Long", "Old", "Short"]


def test_a_listing_keeps_works_with_at_least_so_many_kudos_and_hits(client, shelf):
    counts = {"short": (3, 40), "long": (7, 90), "old": (12, 10)}
    for name, (kudos, hits) in counts.items():
        Work.objects.filter(pk=shelf[name].pk).update(kudos_count=kudos, hit_count=hits)
    assert listed(client, kudos_min="5") == ["Long", "Old"]
    assert listed(client, kudos_min="5", hits_min="50") == ["Long"]
    response = client.get(reverse("stories:work_list"), {"kudos_min": "-1"})
    assert "Some filters could not be read" in text(response)
    assert sorted(titles(response)) == ["Long", "Old", "Short"]
