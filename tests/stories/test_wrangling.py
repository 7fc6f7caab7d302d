"""Tag wrangling: canonical tags, synonyms, parent fandoms, autocomplete."""

import pytest
from django.db import connection
from django.urls import reverse

from stories import services
from stories.models import Tag, TaggedWork, TagKind
from tests.factories import UserFactory, make_work
from tests.pages import titles

pytestmark = pytest.mark.django_db

LISTING_QUERY_LIMIT = 12


def tag(name, kind=TagKind.FANDOM):
    return Tag.objects.get(kind=kind, name=name)


def canonical(name, kind=TagKind.FANDOM):
    """Return a canonical tag of this kind and name, creating it if need be."""
    (made,) = services.tags_get_or_create(kind=kind, names=[name])
    return services.tag_make_canonical(tag=made)


def wrangling_state():
    """Return every tag's wrangling and count, and every posting's filter tag."""
    tags = list(
        Tag.objects.order_by("pk").values_list(
            "pk", "canonical", "merger_id", "work_count"
        )
    )
    postings = list(
        TaggedWork.objects.order_by("pk").values_list("pk", "filter_tag_id")
    )
    parents = list(Tag.parents.through.objects.values_list("from_tag_id", "to_tag_id"))
    return tags, postings, sorted(parents)


@pytest.fixture
def potter(author):
    """A canonical "Harry Potter" with one work, and two works tagged "HP"."""
    make_work(owner=author, title="Canon Work", fandoms=["Harry Potter"])
    make_work(owner=author, title="Short Name", fandoms=["HP"])
    make_work(owner=author, title="Also Short", fandoms=["HP", "Good Omens"])
    make_work(owner=author, title="Elsewhere", fandoms=["Good Omens"])
    return services.tag_make_canonical(tag=tag("Harry Potter"))


# Services


def test_synonym_lists_its_works_under_the_canonical_tag(potter):
    synonym = tag("HP")

    services.tag_make_synonym(tag=synonym, canonical=potter)

    synonym.refresh_from_db()
    potter.refresh_from_db()
    assert synonym.merger == potter
    assert not synonym.canonical
    assert set(
        TaggedWork.objects.filter(tag=synonym).values_list("filter_tag", flat=True)
    ) == {potter.pk}
    assert potter.work_count == 3
    assert synonym.work_count == 0


def test_canonical_page_lists_its_synonyms_works(client, potter):
    services.tag_make_synonym(tag=tag("HP"), canonical=potter)

    response = client.get(potter.get_absolute_url())

    assert sorted(titles(response)) == ["Also Short", "Canon Work", "Short Name"]


def test_work_tagged_with_a_synonym_later_lists_under_the_canonical_tag(
    client, potter, author
):
    services.tag_make_synonym(tag=tag("HP"), canonical=potter)

    make_work(owner=author, title="Posted Later", fandoms=["hp"])

    potter.refresh_from_db()
    assert potter.work_count == 4
    assert "Posted Later" in titles(client.get(potter.get_absolute_url()))


def test_including_a_canonical_tag_includes_its_synonyms_works(client, potter):
    services.tag_make_synonym(tag=tag("HP"), canonical=potter)

    by_canonical = client.get(reverse("stories:work_list"), {"include": "Harry Potter"})
    by_synonym = client.get(reverse("stories:work_list"), {"include": "HP"})

    expected = ["Also Short", "Canon Work", "Short Name"]
    assert sorted(titles(by_canonical)) == expected
    assert sorted(titles(by_synonym)) == expected


def test_excluding_a_canonical_tag_excludes_its_synonyms_works(client, potter):
    services.tag_make_synonym(tag=tag("HP"), canonical=potter)

    response = client.get(reverse("stories:work_list"), {"exclude": "Harry Potter"})

    assert titles(response) == ["Elsewhere"]


def test_removing_a_synonym_lists_its_works_under_itself_again(client, potter):
    synonym = services.tag_make_synonym(tag=tag("HP"), canonical=potter)

    services.tag_remove_synonym(tag=synonym)

    synonym.refresh_from_db()
    potter.refresh_from_db()
    assert synonym.merger is None
    assert (potter.work_count, synonym.work_count) == (1, 2)
    assert titles(client.get(potter.get_absolute_url())) == ["Canon Work"]
    assert sorted(titles(client.get(synonym.get_absolute_url()))) == [
        "Also Short",
        "Short Name",
    ]


def test_synonym_moves_from_one_canonical_tag_to_another(potter, author):
    synonym = services.tag_make_synonym(tag=tag("HP"), canonical=potter)
    other = canonical("Harry Potter - J. K. Rowling")

    services.tag_make_synonym(tag=synonym, canonical=other)

    potter.refresh_from_db()
    other.refresh_from_db()
    assert tag("HP").merger == other
    assert (potter.work_count, other.work_count) == (1, 2)


def test_canonical_tag_with_synonyms_becomes_a_synonym_only_with_them(potter):
    services.tag_make_synonym(tag=tag("HP"), canonical=potter)
    other = canonical("Harry Potter - J. K. Rowling")
    before = wrangling_state()

    with pytest.raises(ValueError, match="has synonyms of its own"):
        services.tag_make_synonym(tag=potter, canonical=other)
    assert wrangling_state() == before

    services.tag_make_synonym(tag=potter, canonical=other, move_synonyms=True)

    assert tag("HP").merger == other
    assert tag("Harry Potter").merger == other
    other.refresh_from_db()
    assert other.work_count == 3


@pytest.mark.parametrize(
    ("synonym_name", "canonical_name", "message"),
    [
        ("Harry Potter", "Harry Potter", "cannot be a synonym of itself"),
        ("Sirius Black", "Harry Potter", "has the kind of its canonical tag"),
        ("Harry Potter", "Good Omens", "is not canonical"),
        ("Good Omens", "HP", "is itself a synonym"),
        (
            "No Archive Warnings Apply",
            "Choose Not To Use Archive Warnings",
            "Archive warnings",
        ),
    ],
)
def test_invalid_synonym_raises_and_changes_nothing(
    potter, author, synonym_name, canonical_name, message
):
    make_work(owner=author, title="Padfoot", characters=["Sirius Black"])
    services.tag_make_synonym(tag=tag("HP"), canonical=potter)
    canonical("Choose Not To Use Archive Warnings", TagKind.WARNING)
    before = wrangling_state()

    with pytest.raises(ValueError, match=message):
        services.tag_make_synonym(
            tag=Tag.objects.filter(name=synonym_name).get(),
            canonical=Tag.objects.filter(name=canonical_name).get(),
        )

    assert wrangling_state() == before


def test_synonym_cannot_be_canonical_nor_canonical_with_synonyms_ordinary(potter):
    synonym = services.tag_make_synonym(tag=tag("HP"), canonical=potter)
    before = wrangling_state()

    with pytest.raises(ValueError, match="is a synonym of"):
        services.tag_make_canonical(tag=synonym)
    with pytest.raises(ValueError, match="has synonyms"):
        services.tag_make_noncanonical(tag=potter)

    assert wrangling_state() == before


def test_removing_a_synonym_from_a_tag_that_is_none_raises(potter):
    with pytest.raises(ValueError, match="is not a synonym"):
        services.tag_remove_synonym(tag=potter)


def test_characters_and_relationships_get_parent_fandoms(potter, author):
    make_work(
        owner=author,
        characters=["Sirius Black"],
        relationships=["Sirius Black/Remus Lupin"],
    )
    sirius = tag("Sirius Black", TagKind.CHARACTER)
    pairing = tag("Sirius Black/Remus Lupin", TagKind.RELATIONSHIP)

    services.tag_set_parents(tag=sirius, fandoms=[potter])
    services.tags_add_parent(tags=[sirius, pairing], fandom=tag("Good Omens"))

    assert set(sirius.parents.values_list("name", flat=True)) == {
        "Harry Potter",
        "Good Omens",
    }
    assert list(pairing.parents.values_list("name", flat=True)) == ["Good Omens"]


@pytest.mark.parametrize(
    ("child_name", "child_kind", "fandom_name", "message"),
    [
        ("Good Omens", TagKind.FANDOM, "Harry Potter", "only characters"),
        ("Angst", TagKind.FREEFORM, "Harry Potter", "only characters"),
        ("Sirius Black", TagKind.CHARACTER, "Angst", "is not a fandom"),
        ("Sirius Black", TagKind.CHARACTER, "HP", "is a synonym"),
    ],
)
def test_invalid_parent_fandoms_raise_and_change_nothing(
    potter, author, child_name, child_kind, fandom_name, message
):
    make_work(owner=author, characters=["Sirius Black"], freeforms=["Angst"])
    services.tag_make_synonym(tag=tag("HP"), canonical=potter)
    before = wrangling_state()

    with pytest.raises(ValueError, match=message):
        services.tag_set_parents(
            tag=tag(child_name, child_kind),
            fandoms=[Tag.objects.filter(name=fandom_name).get()],
        )

    assert wrangling_state() == before


def test_synonym_fandom_hands_its_characters_to_the_canonical_fandom(potter, author):
    make_work(owner=author, characters=["Sirius Black"])
    sirius = tag("Sirius Black", TagKind.CHARACTER)
    services.tag_set_parents(tag=sirius, fandoms=[tag("HP")])

    services.tag_make_synonym(tag=tag("HP"), canonical=potter)

    assert list(sirius.parents.all()) == [potter]


def test_synonym_character_gives_its_parent_fandoms_to_the_canonical_one(
    potter, author
):
    make_work(owner=author, characters=["Sirius Black", "Padfoot"])
    padfoot = tag("Padfoot", TagKind.CHARACTER)
    sirius = services.tag_make_canonical(tag=tag("Sirius Black", TagKind.CHARACTER))
    services.tag_set_parents(tag=padfoot, fandoms=[potter])

    services.tag_make_synonym(tag=padfoot, canonical=sirius)

    assert list(sirius.parents.all()) == [potter]


def searched(client, q):
    response = client.get(reverse("stories:work_search"), {"q": q})
    return sorted(titles(response))


def test_search_by_a_canonical_name_finds_its_synonyms_works_until_undone(
    client, potter, django_capture_on_commit_callbacks
):
    # Search entries follow in jobs queued on commit (run at once here).
    with django_capture_on_commit_callbacks(execute=True):
        synonym = services.tag_make_synonym(tag=tag("HP"), canonical=potter)

    wrangled = searched(client, '"harry potter"')
    with django_capture_on_commit_callbacks(execute=True):
        services.tag_remove_synonym(tag=synonym)
    undone = searched(client, '"harry potter"')

    assert wrangled == ["Also Short", "Canon Work", "Short Name"]
    assert undone == ["Canon Work"]


def test_search_forgets_a_deleted_tag(
    client, potter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.tag_delete(tag=tag("Good Omens"))

    assert searched(client, '"good omens"') == []


def test_deleting_a_canonical_tag_keeps_its_synonyms_on_their_works(potter):
    synonym = services.tag_make_synonym(tag=tag("HP"), canonical=potter)

    services.tag_delete(tag=potter)

    synonym.refresh_from_db()
    assert synonym.merger is None
    assert synonym.work_count == 2
    assert set(
        TaggedWork.objects.filter(tag=synonym).values_list("filter_tag", flat=True)
    ) == {synonym.pk}


# Tag pages


def test_synonym_tag_page_redirects_to_its_canonical_page_with_filters(client, potter):
    synonym = services.tag_make_synonym(tag=tag("HP"), canonical=potter)

    response = client.get(synonym.get_absolute_url(), {"sort": "title"})

    assert response.status_code == 302
    assert response["Location"] == f"{potter.get_absolute_url()}?sort=title"


def test_work_with_a_synonym_and_its_canonical_tag_counts_once(author):
    make_work(owner=author, title="Both Spellings", fandoms=["Harry Potter", "HP"])
    potter = canonical("Harry Potter")

    services.tag_make_synonym(tag=tag("HP"), canonical=potter)

    potter.refresh_from_db()
    assert potter.work_count == 1


def test_work_with_a_synonym_and_its_canonical_tag_is_listed_once(client, author):
    for title in ("Both Spellings", "Both Again"):
        make_work(owner=author, title=title, fandoms=["Harry Potter", "HP"])
    potter = canonical("Harry Potter")
    services.tag_make_synonym(tag=tag("HP"), canonical=potter)

    tag_page = client.get(potter.get_absolute_url())
    included = client.get(reverse("stories:work_list"), {"include": "Harry Potter"})

    assert sorted(titles(tag_page)) == ["Both Again", "Both Spellings"]
    assert sorted(titles(included)) == ["Both Again", "Both Spellings"]


@pytest.fixture
def fandom_with_children(author):
    """A fandom whose characters and relationships have 3, 2 and 1 works."""
    for number, characters in enumerate(
        [["Mara Quinn", "Tobias Reed", "Old Sal"], ["Mara Quinn", "Tobias Reed"]]
    ):
        make_work(
            owner=author,
            title=f"Harbour {number}",
            fandoms=["Harbour Lights"],
            characters=characters,
            relationships=["Mara Quinn/Tobias Reed"],
        )
    make_work(
        owner=author,
        fandoms=["Harbour Lights"],
        characters=["Mara Quinn", "Mara"],
    )
    fandom = tag("Harbour Lights")
    for name in ("Mara Quinn", "Tobias Reed", "Old Sal", "Mara"):
        services.tag_set_parents(tag=tag(name, TagKind.CHARACTER), fandoms=[fandom])
    services.tag_set_parents(
        tag=tag("Mara Quinn/Tobias Reed", TagKind.RELATIONSHIP), fandoms=[fandom]
    )
    mara = services.tag_make_canonical(tag=tag("Mara Quinn", TagKind.CHARACTER))
    services.tag_make_synonym(tag=tag("Mara", TagKind.CHARACTER), canonical=mara)
    return fandom


def test_fandom_page_lists_its_characters_and_relationships_by_work_count(
    client, fandom_with_children
):
    response = client.get(fandom_with_children.get_absolute_url())

    characters = list(response.context["fandom_characters"])
    assert [(t.name, t.work_count) for t in characters] == [
        ("Mara Quinn", 3),
        ("Tobias Reed", 2),
        ("Old Sal", 1),
    ]
    assert [t.name for t in response.context["fandom_relationships"]] == [
        "Mara Quinn/Tobias Reed"
    ]
    page = response.content.decode()
    assert "Characters in this fandom" in page
    assert "Relationships in this fandom" in page
    assert f'href="{characters[0].get_absolute_url()}"' in page


def test_other_tag_pages_list_no_fandom_children(client, fandom_with_children):
    response = client.get(tag("Mara Quinn", TagKind.CHARACTER).get_absolute_url())

    assert "fandom_characters" not in response.context
    assert b"in this fandom" not in response.content


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("signed_in", [False, True])
def test_fandom_page_with_children_runs_few_queries(
    client, author, django_assert_max_num_queries, count, signed_in
):
    for number in range(count):
        make_work(
            owner=author,
            title=f"Work {number}",
            fandoms=["Harbour Lights"],
            characters=[f"Character {number % 25}", "Mara Quinn"],
            relationships=[f"Character {number % 25}/Mara Quinn"],
        )
    fandom = tag("Harbour Lights")
    children = Tag.objects.filter(kind__in=[TagKind.CHARACTER, TagKind.RELATIONSHIP])
    services.tags_add_parent(tags=children, fandom=fandom)
    if signed_in:
        client.force_login(UserFactory())

    with django_assert_max_num_queries(LISTING_QUERY_LIMIT):
        response = client.get(fandom.get_absolute_url())

    assert response.status_code == 200
    assert b"Mara Quinn" in response.content
    # Mara Quinn and up to 25 numbered characters, of which the top 20 show.
    assert len(response.context["fandom_characters"]) == min(count + 1, 20)


# Autocomplete


def suggestions(client, **params):
    response = client.get(reverse("stories:tag_autocomplete"), params)
    assert response.status_code == 200
    return response.json()["results"]


def test_autocomplete_offers_canonical_tags_first_then_the_most_used(
    client, potter, author
):
    make_work(owner=author, fandoms=["Harry Potter Fanfic Universe", "Harriet"])
    make_work(owner=author, fandoms=["Harry Potter Fanfic Universe"])
    services.tag_make_synonym(tag=tag("HP"), canonical=potter)

    results = suggestions(client, q="harr", kind="fandom")

    assert results == [
        {"name": "Harry Potter", "kind": "fandom", "canonical": True, "works": 3},
        {
            "name": "Harry Potter Fanfic Universe",
            "kind": "fandom",
            "canonical": False,
            "works": 2,
        },
        {"name": "Harriet", "kind": "fandom", "canonical": False, "works": 1},
    ]


def test_autocomplete_leaves_synonyms_out(client, potter):
    services.tag_make_synonym(tag=tag("HP"), canonical=potter)

    assert suggestions(client, q="HP") == []


def test_autocomplete_matches_inside_names_and_filters_by_kind(client, author):
    make_work(
        owner=author,
        fandoms=["Harbour Lights"],
        characters=["Mara of the Harbour"],
    )

    any_kind = suggestions(client, q="harbour")
    characters = suggestions(client, q="harbour", kind="character")

    assert {row["name"] for row in any_kind} == {
        "Harbour Lights",
        "Mara of the Harbour",
    }
    assert [row["name"] for row in characters] == ["Mara of the Harbour"]


def test_autocomplete_offers_at_most_ten_tags(client, author):
    make_work(owner=author, freeforms=[f"Angst {number}" for number in range(15)])

    assert len(suggestions(client, q="angst")) == 10


def test_autocomplete_needs_two_characters_and_a_known_kind(client, potter):
    assert suggestions(client, q="h") == []
    assert suggestions(client, q="  ") == []
    response = client.get(reverse("stories:tag_autocomplete"), {"q": "ha", "kind": "x"})
    assert response.status_code == 400


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram similarity is PostgreSQL's"
)
def test_autocomplete_on_postgresql_forgives_misspellings(client, potter):
    assert [row["name"] for row in suggestions(client, q="hary poter")] == [
        "Harry Potter"
    ]


def test_tag_inputs_are_marked_for_autocomplete(author_client):
    work_form = author_client.get(reverse("stories:work_create")).content.decode()
    listing = author_client.get(reverse("stories:work_list")).content.decode()

    for kind in ("fandom", "character", "relationship", "freeform"):
        assert f'data-tag-autocomplete="{kind}"' in work_form
    assert listing.count('data-tag-autocomplete=""') == 2
    assert 'src="/static/js/tag-autocomplete.js"' in listing
    assert f'data-url="{reverse("stories:tag_autocomplete")}"' in listing


# Admin


def changelist_action(client, action, tags, **data):
    return client.post(
        reverse("admin:stories_tag_changelist"),
        {"action": action, "_selected_action": [t.pk for t in tags], **data},
    )


@pytest.fixture
def spellings(author):
    """Four spellings of one fandom, on one work each."""
    names = ["HP", "Harry Potter (Books)", "harry potter series", "Potterverse"]
    for name in names:
        make_work(owner=author, title=f"Work in {name}", fandoms=[name])
    return [tag(name) for name in names]


def test_staff_make_several_tags_synonyms_of_one_through_the_intermediate_page(
    staff_client, spellings
):
    page = changelist_action(staff_client, "make_synonyms", spellings, index=0)

    assert page.status_code == 200
    assert page.templates[0].name == "admin/stories/tag/wrangling_action.html"
    for spelling in spellings:
        assert spelling.name in page.content.decode()

    done = changelist_action(
        staff_client,
        "make_synonyms",
        spellings,
        apply="Make them synonyms",
        tag="harry potter (books)",
        make_canonical="on",
    )

    assert done.status_code == 302
    target = tag("Harry Potter (Books)")
    assert target.canonical
    assert target.work_count == 4
    assert set(Tag.objects.filter(merger=target).values_list("name", flat=True)) == {
        "HP",
        "harry potter series",
        "Potterverse",
    }


def test_synonym_action_refuses_an_unknown_or_uncanonical_tag(staff_client, spellings):
    before = wrangling_state()

    unknown = changelist_action(
        staff_client, "make_synonyms", spellings, apply="1", tag="Nope"
    )
    uncanonical = changelist_action(
        staff_client, "make_synonyms", spellings, apply="1", tag="Potterverse"
    )

    assert unknown.status_code == uncanonical.status_code == 200
    assert unknown.context["form"].errors["tag"] == ["There is no fandom named “Nope”."]
    assert uncanonical.context["form"].non_field_errors() == [
        '"Potterverse" is not canonical: make it canonical first.'
    ]
    assert wrangling_state() == before


def test_synonym_action_refuses_tags_of_different_kinds(staff_client, author):
    make_work(owner=author, fandoms=["Harbour Lights"], characters=["Mara Quinn"])
    before = wrangling_state()

    response = changelist_action(
        staff_client,
        "make_synonyms",
        Tag.objects.filter(name__in=["Harbour Lights", "Mara Quinn"]),
        index=0,
    )

    assert response.status_code == 302
    assert wrangling_state() == before


def test_readers_cannot_run_wrangling_actions(reader_client, spellings):
    target = services.tag_make_canonical(tag=spellings[0])
    before = wrangling_state()

    response = changelist_action(
        reader_client, "make_synonyms", spellings, apply="1", tag=target.name
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert wrangling_state() == before


def test_staff_mark_selected_tags_canonical_leaving_synonyms_out(
    staff_client, spellings
):
    first = services.tag_make_canonical(tag=spellings[0])
    services.tag_make_synonym(tag=spellings[1], canonical=first)

    response = changelist_action(staff_client, "make_canonical", spellings[1:], index=0)

    assert response.status_code == 302
    assert set(Tag.objects.filter(canonical=True).values_list("name", flat=True)) == {
        "HP",
        "harry potter series",
        "Potterverse",
    }


def test_staff_set_a_parent_fandom_on_characters_in_bulk(staff_client, author):
    make_work(owner=author, fandoms=["Harbour Lights"], characters=["Mara", "Tobias"])
    characters = Tag.objects.filter(kind=TagKind.CHARACTER)

    response = changelist_action(
        staff_client, "set_parent_fandom", characters, apply="1", tag="harbour lights"
    )

    assert response.status_code == 302
    for character in characters:
        assert list(character.parents.values_list("name", flat=True)) == [
            "Harbour Lights"
        ]


def test_change_form_makes_a_tag_a_synonym_through_the_services(staff_client, potter):
    synonym = tag("HP")

    response = staff_client.post(
        reverse("admin:stories_tag_change", args=[synonym.pk]),
        {"name": "HP", "kind": "fandom", "merger": potter.pk},
    )

    assert response.status_code == 302
    potter.refresh_from_db()
    assert tag("HP").merger == potter
    assert potter.work_count == 3


def test_change_form_refuses_a_synonym_of_another_kind(staff_client, potter, author):
    make_work(owner=author, characters=["Harry"])
    harry = tag("Harry", TagKind.CHARACTER)
    before = wrangling_state()

    response = staff_client.post(
        reverse("admin:stories_tag_change", args=[harry.pk]),
        {"name": "Harry", "kind": "character", "merger": potter.pk},
    )

    assert response.status_code == 200
    assert "has the kind of its canonical tag" in str(
        response.context["adminform"].form.errors["merger"]
    )
    assert wrangling_state() == before


def test_change_form_sets_parent_fandoms_and_removes_a_synonym(staff_client, potter):
    synonym = services.tag_make_synonym(tag=tag("HP"), canonical=potter)
    make_work(characters=["Sirius Black"])
    sirius = tag("Sirius Black", TagKind.CHARACTER)

    staff_client.post(
        reverse("admin:stories_tag_change", args=[sirius.pk]),
        {"name": "Sirius Black", "kind": "character", "parents": [potter.pk]},
    )
    staff_client.post(
        reverse("admin:stories_tag_change", args=[synonym.pk]),
        {"name": "HP", "kind": "fandom"},
    )

    assert list(sirius.parents.all()) == [potter]
    synonym.refresh_from_db()
    assert synonym.merger is None
    assert synonym.work_count == 2


@pytest.mark.parametrize("wrangling", ["", "has-synonyms", "synonym", "unwrangled"])
def test_tag_changelist_filters_by_wrangling(staff_client, potter, wrangling):
    services.tag_make_synonym(tag=tag("HP"), canonical=potter)

    response = staff_client.get(
        reverse("admin:stories_tag_changelist"), {"wrangling": wrangling}
    )

    assert response.status_code == 200
    shown = {t.name for t in response.context["cl"].result_list}
    expected = {
        "has-synonyms": {"Harry Potter"},
        "synonym": {"HP"},
        "unwrangled": set(
            Tag.objects.filter(canonical=False, merger=None).values_list(
                "name", flat=True
            )
        ),
    }.get(wrangling, set(Tag.objects.values_list("name", flat=True)))
    assert shown == expected


def test_parent_fandom_autocomplete_in_the_admin_leaves_synonyms_out(
    staff_client, potter
):
    services.tag_make_synonym(tag=tag("HP"), canonical=potter)

    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "stories",
            "model_name": "tag",
            "field_name": "parents",
            "term": "h",
        },
    )

    assert [row["text"] for row in response.json()["results"]] == ["Harry Potter"]


def test_renaming_a_tag_in_the_admin_shows_everywhere_once_its_job_ran(
    client, staff_client, author, django_capture_on_commit_callbacks
):
    work = make_work(owner=author, title="Tidewater", fandoms=["Harbour Lites"])
    make_work(owner=author, title="Shorthand", fandoms=["HL"])
    typo = services.tag_make_canonical(tag=tag("Harbour Lites"))
    services.tag_make_synonym(tag=tag("HL"), canonical=typo)
    for page in (work.get_absolute_url(), typo.get_absolute_url()):
        assert b"Harbour Lites" in client.get(page).content

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:stories_tag_change", args=[typo.pk]),
            {"name": "Harbour Lights", "kind": "fandom", "canonical": "on"},
        )

    assert response.status_code == 302
    for page in (work.get_absolute_url(), typo.get_absolute_url()):
        content = client.get(page).content
        assert b"Harbour Lights" in content
        assert b"Harbour Lites" not in content
    found = client.get(reverse("stories:work_search"), {"q": "lights"})
    assert sorted(titles(found)) == ["Shorthand", "Tidewater"]
    assert titles(client.get(reverse("stories:work_search"), {"q": "lites"})) == []


def messages_shown(response):
    return [str(message) for message in response.context["messages"]]


def test_admin_says_a_renamed_tags_works_follow_in_the_background(staff_client, author):
    make_work(owner=author, title="Tidewater", fandoms=["Harbour Lites"])
    make_work(owner=author, title="Shorthand", fandoms=["Harbour Lites"])

    response = staff_client.post(
        reverse("admin:stories_tag_change", args=[tag("Harbour Lites").pk]),
        {"name": "Harbour Lights", "kind": "fandom"},
        follow=True,
    )

    assert (
        "“Harbour Lights” renamed. 2 works are being updated in the background: "
        "search and blurbs follow within a minute." in messages_shown(response)
    )


def test_admin_says_nothing_of_the_background_for_a_tag_on_no_work(staff_client):
    (lonely,) = services.tags_get_or_create(kind=TagKind.FANDOM, names=["Lonely"])

    response = staff_client.post(
        reverse("admin:stories_tag_change", args=[lonely.pk]),
        {"name": "Alone", "kind": "fandom"},
        follow=True,
    )

    assert response.status_code == 200
    assert tag("Alone")
    assert not any("background" in message for message in messages_shown(response))


def test_admin_says_a_deleted_tags_works_follow_in_the_background(staff_client, potter):
    response = staff_client.post(
        reverse("admin:stories_tag_delete", args=[tag("Good Omens").pk]),
        {"post": "yes"},
        follow=True,
    )

    assert (
        "“Good Omens” deleted. 2 works are being updated in the background: "
        "search and blurbs follow within a minute." in messages_shown(response)
    )


def test_admin_says_new_synonyms_works_follow_in_the_background(
    staff_client, spellings
):
    response = changelist_action(
        staff_client,
        "make_synonyms",
        spellings,
        apply="Make them synonyms",
        tag="potterverse",
        make_canonical="on",
    )

    shown = messages_shown(staff_client.get(response.url))
    assert "Made 3 tags synonyms of “Potterverse”." in shown
    assert (
        "Their works are listed under it already. 3 works are being updated in "
        "the background: search follows within a minute." in shown
    )


def test_admin_says_deleted_tags_works_follow_in_the_background(staff_client, potter):
    response = changelist_action(
        staff_client, "delete_selected", [tag("Good Omens"), tag("HP")], post="yes"
    )

    shown = messages_shown(staff_client.get(response.url))
    assert "Successfully deleted 2 tags." in shown
    assert (
        "3 works are being updated in the background: search and blurbs follow "
        "within a minute." in shown
    )
