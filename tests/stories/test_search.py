"""Searching works: the query reader, the index and the search page.

The cases in SEARCHES run on whichever database the suite runs on; CI runs the
suite on SQLite and on PostgreSQL, so both must give the same works.
"""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from stories import services
from stories.models import Rating, Tag, TagKind, Work
from stories.search import (
    MAX_QUERY_PARTS,
    SearchQuery,
    parse_query,
    search_works,
)
from tests.factories import UserFactory, make_work
from tests.pages import titles

SEARCH_QUERY_LIMIT = 12


def search(client, q, **params):
    response = client.get(reverse("stories:work_search"), {"q": q, **params})
    assert response.status_code == 200
    return response


def found(q):
    """Return the titles of the posted works a search finds, best first."""
    works = search_works(Work.objects.posted(), parse_query(q))
    return [work.title for work in works.order_by("-rank", "-updated_at", "-id")]


def index_rows():
    """Return the ids of the works the search index holds a document for."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id FROM stories_work WHERE search_document IS NOT NULL"
            )
        else:
            cursor.execute("SELECT rowid FROM stories_worksearch_fts")
        return [row[0] for row in cursor.fetchall()]


# The query reader needs no database.


def test_plain_words_are_folded_to_lower_case():
    assert parse_query("Slow BURN") == SearchQuery(terms=("slow", "burn"))


def test_quoted_words_are_a_phrase():
    assert parse_query('"slow burn" lighthouse') == SearchQuery(
        terms=("lighthouse",), phrases=(("slow", "burn"),)
    )


def test_an_unclosed_quote_runs_to_the_end():
    assert parse_query('lighthouse "slow burn') == SearchQuery(
        terms=("lighthouse",), phrases=(("slow", "burn"),)
    )


def test_one_quoted_word_is_a_plain_word():
    assert parse_query('"angst"') == SearchQuery(terms=("angst",))


def test_minus_excludes_a_word_or_a_phrase():
    assert parse_query('lighthouse -angst -"major character death"') == SearchQuery(
        terms=("lighthouse",),
        excluded=(("angst",), ("major", "character", "death")),
    )


def test_a_minus_inside_a_word_does_not_exclude():
    assert parse_query("slow-burn") == SearchQuery(phrases=(("slow", "burn"),))


def test_punctuation_splits_words_into_phrases_and_alone_is_ignored():
    assert parse_query("don't! *** ^ NEAR( - -- _ ,") == SearchQuery(
        terms=("near",), phrases=(("don", "t"),)
    )


def test_accents_width_and_case_fold_away():
    assert parse_query("Pokémon ＣＡＦＥ Straße ÉCLAIR") == SearchQuery(
        terms=("pokemon", "cafe", "strasse", "eclair")
    )


def test_search_operators_are_plain_words():
    assert parse_query("harbour OR lights AND NOT") == SearchQuery(
        terms=("harbour", "or", "lights", "and", "not")
    )


def test_repeats_count_once():
    assert parse_query("angst Angst ANGST -fluff -Fluff") == SearchQuery(
        terms=("angst",), excluded=(("fluff",),)
    )


def test_nothing_to_search_for_is_an_empty_query():
    assert not parse_query("")
    assert not parse_query('"" - * ^ ()')
    assert not parse_query("a" * 500)


def test_a_long_query_keeps_its_first_parts():
    query = parse_query(" ".join(f"word{number}" for number in range(200)))
    assert len(query.terms) == MAX_QUERY_PARTS
    assert query.terms[0] == "word0"


# The index and the search page.


@pytest.fixture
def library(db):
    quill = UserFactory(username="quillfeather")
    ink = UserFactory(username="inkwell")
    canonical = Tag.objects.create(
        name="Harbour Lights (TV)", kind=TagKind.FANDOM, canonical=True
    )
    Tag.objects.create(name="HLTV", kind=TagKind.FANDOM, merger=canonical)
    works = {
        "keeper": make_work(
            owner=quill,
            title="The Lighthouse Keeper",
            summary="<p>A storm, a boat and a <em>slow burn</em> romance.</p>",
            fandoms=["Harbour Lights (TV)"],
            characters=["Mara Quinn"],
            freeforms=["Angst"],
            rating=Rating.TEEN,
        ),
        "tides": make_work(
            owner=ink,
            title="Tide Tables",
            summary="<p>The old lighthouse will burn, slow and bright.</p>",
            fandoms=["HLTV"],
            freeforms=["Fluff"],
            rating=Rating.GENERAL,
            chapters=3,
        ),
        "gears": make_work(
            owner=quill,
            creator_credit="Anonymous Tinker",
            title="Gears & Ghosts",
            summary="<p>Clockwork.</p>",
            notes="<p>Written for the Café exchange.</p>",
            fandoms=["Original Work"],
            freeforms=["Steampunk"],
            rating=Rating.MATURE,
        ),
        "pokemon": make_work(
            owner=ink,
            title="Pokémon: 日本語のタイトル",
            fandoms=["Pokémon"],
        ),
        "draft": make_work(
            owner=quill,
            title="Secret Lighthouse Draft",
            summary="<p>Steampunk clockwork.</p>",
            post=False,
        ),
    }
    return works


# (query, the titles it finds, the title it finds first when ranks differ)
SEARCHES = [
    ("lighthouse", {"The Lighthouse Keeper", "Tide Tables"}, "The Lighthouse Keeper"),
    ("LIGHTHOUSE keeper", {"The Lighthouse Keeper"}, None),
    ('"slow burn"', {"The Lighthouse Keeper"}, None),
    ("slow burn", {"The Lighthouse Keeper", "Tide Tables"}, None),
    ('"burn slow"', {"Tide Tables"}, None),
    ('"slow bright"', set(), None),
    ("lighthouse -angst", {"Tide Tables"}, None),
    ('lighthouse -"slow burn"', {"Tide Tables"}, None),
    ("-lighthouse", {"Gears & Ghosts", "Pokémon: 日本語のタイトル"}, None),
    ("inkwell", {"Tide Tables", "Pokémon: 日本語のタイトル"}, None),
    ("tinker", {"Gears & Ghosts"}, None),
    ("quillfeather", {"The Lighthouse Keeper", "Gears & Ghosts"}, None),
    ("steampunk", {"Gears & Ghosts"}, None),
    ("mara quinn", {"The Lighthouse Keeper"}, None),
    ('"harbour lights"', {"The Lighthouse Keeper", "Tide Tables"}, None),
    ("hltv", {"Tide Tables"}, None),
    ("clockwork", {"Gears & Ghosts"}, None),
    ("cafe exchange", {"Gears & Ghosts"}, None),
    ("gears ghosts", {"Gears & Ghosts"}, None),
    ("POKEMON", {"Pokémon: 日本語のタイトル"}, None),
    ("日本語のタイトル", {"Pokémon: 日本語のタイトル"}, None),
    ('"keeper quillfeather"', set(), None),
    ("secret", set(), None),
    ("em", set(), None),
    ("nowhere", set(), None),
]


@pytest.mark.parametrize(("q", "titles_found", "first"), SEARCHES)
def test_search_finds_the_same_works_on_every_database(library, q, titles_found, first):
    result = found(q)
    assert set(result) == titles_found
    assert len(result) == len(titles_found)
    if first:
        assert result[0] == first


def test_title_ranks_above_summary(client, library):
    assert titles(search(client, "lighthouse")) == [
        "The Lighthouse Keeper",
        "Tide Tables",
    ]


def test_search_page_heads_the_results_with_the_query(client, library):
    response = search(client, "lighthouse")
    page = " ".join(response.content.decode().split())
    assert "1 – 2 of 2 Works found for “lighthouse”" in page


def test_search_combines_with_tag_and_rating_filters(client, library):
    assert titles(search(client, "lighthouse", include="Angst")) == [
        "The Lighthouse Keeper"
    ]
    assert titles(search(client, "lighthouse", exclude="Angst")) == ["Tide Tables"]
    assert titles(search(client, "lighthouse", rating=Rating.GENERAL)) == [
        "Tide Tables"
    ]
    assert titles(search(client, "lighthouse", include="Steampunk")) == []


def test_a_chosen_sort_overrides_relevance(client, library):
    assert titles(search(client, "lighthouse", sort="words")) == [
        "Tide Tables",
        "The Lighthouse Keeper",
    ]
    assert titles(search(client, "lighthouse", sort="relevance")) == [
        "The Lighthouse Keeper",
        "Tide Tables",
    ]


def test_filters_keep_the_search(client, library):
    content = search(client, "lighthouse", include="Angst").content.decode()
    assert '<input type="hidden" name="q" value="lighthouse"' in content
    assert 'name="facet_include"' in content
    assert 'href="/works/search?q=lighthouse">Clear filters' in content


@pytest.mark.parametrize("signed_in", ["guest", "reader", "owner", "staff"])
def test_drafts_never_appear_even_to_their_owner(client, library, signed_in):
    users = {
        "reader": UserFactory(),
        "owner": library["draft"].owner,
        "staff": UserFactory(is_staff=True),
    }
    if signed_in in users:
        client.force_login(users[signed_in])
    assert "Secret Lighthouse Draft" not in titles(search(client, "lighthouse"))
    assert titles(search(client, "secret")) == []


def test_index_holds_posted_works_only(library):
    posted = {work.pk for name, work in library.items() if name != "draft"}
    ids = {work.pk for work in library.values()}
    assert ids & set(index_rows()) == posted


def test_empty_search_shows_the_form_and_no_works(client, library):
    for q in ("", "   ", '"*"'):
        response = search(client, q)
        assert titles(response) == []
        assert b'id="search-q"' in response.content
        assert b"Works found" not in response.content


def test_header_search_box_goes_to_the_search_page(client, library):
    content = client.get(reverse("stories:work_list")).content.decode()
    assert 'action="/works/search"' in content
    assert '<label for="site-search-q">Search works</label>' in content


def test_search_address_takes_a_trailing_slash(client, library):
    response = client.get("/works/search/", {"q": "steampunk"})
    assert titles(response) == ["Gears & Ghosts"]


def test_editing_title_tags_and_notes_updates_the_index(library):
    work = library["gears"]
    services.work_update(
        work=work,
        tags={TagKind.FANDOM: ["Original Work"], TagKind.FREEFORM: ["Dieselpunk"]},
        warnings=["No Archive Warnings Apply"],
        title="Rust & Rivets",
        notes="<p>For the winter swap.</p>",
    )
    assert found("rivets") == ["Rust & Rivets"]
    assert found("dieselpunk") == ["Rust & Rivets"]
    assert found("winter swap") == ["Rust & Rivets"]
    assert found("ghosts") == []
    assert found("steampunk") == []
    assert found("cafe") == []


def test_adding_a_chapter_keeps_the_work_found_once(library):
    services.chapter_create(
        work=library["keeper"], text=services.ChapterText(body="<p>More.</p>")
    )
    assert found("keeper") == ["The Lighthouse Keeper"]


def test_unposting_takes_a_work_out_and_posting_brings_it_back(library):
    work = library["keeper"]
    services.work_unpost(work=work)
    assert found("keeper") == []
    assert work.pk not in index_rows()
    services.work_post(work=work)
    assert found("keeper") == ["The Lighthouse Keeper"]


def test_posting_a_draft_makes_it_searchable(library):
    services.work_post(work=library["draft"])
    assert found("secret") == ["Secret Lighthouse Draft"]


def test_deleting_a_work_takes_it_out_of_the_index(library):
    work_id = library["tides"].pk
    services.work_delete(work=library["tides"])
    assert found("tide") == []
    assert work_id not in index_rows()


def test_migration_backfills_posted_works(library):
    migration = importlib.import_module("stories.migrations.0005_work_search")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("UPDATE stories_work SET search_document = NULL")
        else:
            cursor.execute("DELETE FROM stories_worksearch_fts")
    assert found("lighthouse") == []
    migration.index_posted_works(apps, SimpleNamespace(connection=connection))
    assert found("lighthouse") == ["The Lighthouse Keeper", "Tide Tables"]
    assert found("secret") == []


HOSTILE_QUERIES = [
    '"',
    '""',
    '"unclosed phrase',
    "*",
    "lighthouse*",
    "^lighthouse",
    "NEAR(",
    "NEAR(lighthouse keeper, 2)",
    "OR",
    "lighthouse OR",
    "AND NOT",
    "-",
    "--",
    "- -lighthouse",
    "'",
    "it's",
    "\\",
    "lighthouse:*",
    "!lighthouse",
    "a & b | c <-> d",
    "((",
    "title:lighthouse",
    "{title people}: lighthouse",
    "%_%",
    "\x00",
    "lighthouse " * 2000,
    "x" * 10000,
    "🦊 الفانوس 日本語 ﷺ \u200b",
]


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
def test_hostile_queries_never_fail(client, library, q):
    response = search(client, q)
    assert "Secret Lighthouse Draft" not in titles(response)


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("signed_in", [False, True])
def test_search_page_runs_few_queries(
    client, author, django_assert_max_num_queries, count, signed_in
):
    for number in range(count):
        make_work(
            owner=author,
            title=f"Lighthouse {number}",
            fandoms=["Harbour Lights (TV)", f"Fandom {number % 7}"],
            characters=[f"Character {number % 5}", "Mara Quinn"],
            freeforms=["Angst", f"Trope {number % 3}"],
        )
    if signed_in:
        client.force_login(UserFactory())
    urls = [
        {"q": "lighthouse"},
        {"q": '"harbour lights" -fluff', "include": "Angst", "rating": "general"},
        {"q": "lighthouse", "sort": "title", "exclude": "Trope 1", "page": 1},
    ]
    for params in urls:
        with django_assert_max_num_queries(SEARCH_QUERY_LIMIT):
            response = client.get(reverse("stories:work_search"), params)
        assert response.status_code == 200
        assert response.context["blurbs"], params


@pytest.mark.django_db
def test_a_listing_with_q_in_its_address_is_not_the_search(client, author):
    make_work(owner=author, title="The Lantern Keeper")
    make_work(owner=author, title="Harbour Song")

    listed = client.get(reverse("stories:work_list"), {"q": "lantern"})
    searched = search(client, "lantern")

    assert titles(listed) == ["Harbour Song", "The Lantern Keeper"]
    assert titles(searched) == ["The Lantern Keeper"]
