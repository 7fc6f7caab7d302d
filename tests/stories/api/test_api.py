"""The read API: what it shows, what it never shows, and how it answers."""

import re
from datetime import datetime

import pytest
from django.urls import reverse

from stories import services
from stories.bookmarks.models import Bookmark
from stories.downloads.addresses import FORMATS, download_url
from stories.engagement.services import kudos_leave
from stories.models import Chapter, Work
from tests.factories import UserFactory, make_work

from .conftest import walk

pytestmark = pytest.mark.django_db


def ids(items):
    return [item["id"] for item in items]


def titles(items):
    return sorted(item["title"] for item in items)


def test_works_lists_posted_works_newest_first_never_a_draft(api, archive):
    items, _pages = walk(api, reverse("api:work_list"))

    assert titles(items) == ["A River in Winter", "Lost Letters", "The Lantern Keeper"]
    assert ids(items) == list(
        Work.objects.posted()
        .order_by("-updated_at", "-id")
        .values_list("pk", flat=True)
    )


def test_a_work_shows_its_details_tags_chapters_series_and_downloads(api, archive):
    lantern = archive["lantern"]
    response = api.get(reverse("api:work_detail", kwargs={"pk": lantern.pk}))

    assert response.status_code == 200
    work = response.json()
    assert work["title"] == "The Lantern Keeper"
    assert work["url"] == f"http://testserver{lantern.get_absolute_url()}"
    assert work["creators"][0]["username"] == "quillfeather"
    assert work["rating"] == "teen"
    assert [tag["name"] for tag in work["characters"]] == ["Mira"]
    assert [tag["name"] for tag in work["additional_tags"]] == ["Angst"]
    assert [tag["name"] for tag in work["warnings"]] == ["No Archive Warnings Apply"]
    assert work["chapter_count"] == 2
    assert work["downloads"] == {
        ext: f"http://testserver{download_url(lantern, ext)}" for ext in FORMATS
    }
    datetime.fromisoformat(work["published"])
    chapters = work["chapters"]
    assert [chapter["title"] for chapter in chapters] == ["Beginnings", "Part 2"]
    first = Chapter.objects.get(work=lantern, number=1)
    assert chapters[0]["api_url"] == "http://testserver" + reverse(
        "api:chapter_detail", kwargs={"work_pk": lantern.pk, "pk": first.pk}
    )
    assert chapters[0]["words"] == first.word_count
    assert work["series"] == [
        {
            "id": archive["series"].pk,
            "title": "Lanterns and Rivers",
            "part": 1,
            "url": "http://testserver"
            + reverse("series:series_detail", kwargs={"pk": archive["series"].pk}),
            "api_url": "http://testserver"
            + reverse("api:series_detail", kwargs={"pk": archive["series"].pk}),
        }
    ]


def test_a_works_draft_chapter_is_not_listed_nor_served(api, archive):
    lantern = archive["lantern"]
    draft_chapter = services.chapter_create(
        work=lantern, text=services.ChapterText(body="<p>Not yet.</p>"), post=False
    )

    work = api.get(reverse("api:work_detail", kwargs={"pk": lantern.pk})).json()
    response = api.get(
        reverse(
            "api:chapter_detail", kwargs={"work_pk": lantern.pk, "pk": draft_chapter.pk}
        )
    )

    assert draft_chapter.pk not in ids(work["chapters"])
    assert response.status_code == 404


def test_a_chapter_gives_its_sanitized_text_and_notes(api, archive):
    lantern = archive["lantern"]
    chapter = Chapter.objects.get(work=lantern, number=2)
    response = api.get(
        reverse("api:chapter_detail", kwargs={"work_pk": lantern.pk, "pk": chapter.pk})
    )

    body = response.json()
    assert body["text"] == chapter.body
    assert "<p>The lanterns along the canal" in body["text"]
    assert body["title"] == "Part 2"
    assert body["work"]["id"] == lantern.pk
    assert body["notes"] == "" and body["end_notes"] == ""


@pytest.mark.parametrize(
    "address",
    [
        lambda a: reverse("api:work_detail", kwargs={"pk": a["draft"].pk}),
        lambda a: reverse(
            "api:chapter_detail",
            kwargs={"work_pk": a["draft"].pk, "pk": a["draft"].chapters.get().pk},
        ),
        lambda a: reverse(
            "api:chapter_detail",
            kwargs={"work_pk": a["river"].pk, "pk": a["lantern"].chapters.first().pk},
        ),
        lambda a: reverse("api:work_bookmarks", kwargs={"pk": a["draft"].pk}),
        lambda a: reverse("api:work_detail", kwargs={"pk": 999999}),
        lambda a: reverse("api:tag_detail", kwargs={"slug": "draft-only-tag"}),
        lambda a: reverse("api:tag_works", kwargs={"slug": "draft-only-tag"}),
        lambda a: reverse("api:tag_detail", kwargs={"slug": "no-such-tag"}),
        lambda a: reverse("api:user_detail", kwargs={"username": "nobody"}),
        lambda a: reverse("api:user_works", kwargs={"username": "nobody"}),
        lambda a: reverse("api:bookmark_detail", kwargs={"pk": a["private"].pk}),
        lambda a: reverse(
            "api:bookmark_detail", kwargs={"pk": a["hidden_in_folder"].pk}
        ),
        lambda a: reverse("api:series_detail", kwargs={"pk": 999999}),
    ],
    ids=[
        "draft work",
        "draft's chapter",
        "chapter of another work",
        "draft's bookmarks",
        "no such work",
        "tag on drafts alone",
        "works of a tag on drafts alone",
        "no such tag",
        "no such person",
        "no such person's works",
        "private bookmark",
        "bookmark in a private folder",
        "no such series",
    ],
)
def test_what_a_guest_may_not_see_is_not_found(api, archive, address):
    response = api.get(address(archive))

    assert response.status_code == 404
    assert response.json() == {"detail": response.json()["detail"]}


def test_a_signed_in_reader_is_answered_as_a_guest(client, archive):
    client.force_login(archive["author"])

    listed = client.get(reverse("api:user_works", kwargs={"username": "quillfeather"}))
    draft = client.get(reverse("api:work_detail", kwargs={"pk": archive["draft"].pk}))

    assert "Secret Draft" not in titles(listed.json()["results"])
    assert draft.status_code == 404


def test_only_reads_are_answered_and_change_nothing(api, archive):
    address = reverse("api:work_detail", kwargs={"pk": archive["lantern"].pk})
    works = Work.objects.count()

    for method in (api.post, api.put, api.patch, api.delete):
        assert method(address, {"title": "Changed"}).status_code == 405
    assert api.head(address).status_code == 200
    assert api.options(address).status_code == 200
    assert Work.objects.count() == works
    assert Work.objects.get(pk=archive["lantern"].pk).title == "The Lantern Keeper"


def test_tags_are_listed_with_synonyms_and_parents_but_not_drafts_tags(api, archive):
    items, _pages = walk(api, reverse("api:tag_list"))
    by_name = {tag["name"]: tag for tag in items}

    assert "Draft Only Tag" not in by_name
    assert [tag["name"] for tag in by_name["Fluff"]["synonyms"]] == ["fluffy"]
    assert by_name["fluffy"]["synonym_of"]["name"] == "Fluff"
    assert [tag["name"] for tag in by_name["Mira"]["parents"]] == ["Original Work"]
    assert by_name["Fluff"]["canonical"] is True
    assert by_name["Fluff"]["work_count"] == 2


def test_tags_are_filtered_by_kind_canonical_and_name(api, archive):
    address = reverse("api:tag_list")

    fandoms, _ = walk(api, address, kind="fandom")
    canonical, _ = walk(api, address, canonical="true")
    named, _ = walk(api, address, q="FLUF")

    assert titles([{"title": t["name"]} for t in fandoms]) == [
        "Original Work",
        "Winter Tales",
    ]
    assert {tag["name"] for tag in canonical} == {"Fluff", "Winter Tales"}
    assert {tag["name"] for tag in named} == {"Fluff", "fluffy"}
    assert api.get(address, {"kind": "colour"}).status_code == 400


def test_a_synonyms_works_are_its_canonical_tags(api, archive):
    synonym, _ = walk(api, reverse("api:tag_works", kwargs={"slug": "fluffy"}))
    canonical, _ = walk(api, reverse("api:tag_works", kwargs={"slug": "fluff"}))

    assert titles(synonym) == titles(canonical) == ["A River in Winter", "Lost Letters"]


def test_a_persons_works_series_and_public_bookmarks(api, archive):
    person = api.get(reverse("api:user_detail", kwargs={"username": "pageturner"}))
    works, _ = walk(api, person.json()["works_api_url"])
    bookmarks, _ = walk(api, person.json()["bookmarks_api_url"])
    series, _ = walk(
        api, reverse("api:user_series", kwargs={"username": "quillfeather"})
    )

    assert person.json()["username"] == "pageturner"
    assert titles(works) == ["Lost Letters"]
    # Neither the private bookmark nor the one in the private folder.
    assert ids(bookmarks) == [archive["public"].pk]
    assert bookmarks[0]["notes"] == "<p>Lovely.</p>"
    assert bookmarks[0]["tags"] == ["cosy"]
    assert bookmarks[0]["work"]["id"] == archive["lantern"].pk
    assert [(s["title"], s["work_count"]) for s in series] == [
        ("Lanterns and Rivers", 2)
    ]


def test_a_works_bookmarks_are_its_public_ones(api, archive):
    lantern, _ = walk(
        api, reverse("api:work_bookmarks", kwargs={"pk": archive["lantern"].pk})
    )
    river, _ = walk(
        api, reverse("api:work_bookmarks", kwargs={"pk": archive["river"].pk})
    )

    assert ids(lantern) == [archive["public"].pk]
    assert river == []


def test_a_bookmark_of_a_work_taken_back_to_draft_is_gone(api, archive):
    services.work_unpost(work=archive["lantern"])

    bookmarks, _ = walk(
        api, reverse("api:user_bookmarks", kwargs={"username": "pageturner"})
    )
    one = api.get(reverse("api:bookmark_detail", kwargs={"pk": archive["public"].pk}))

    assert bookmarks == []
    assert one.status_code == 404


def test_a_series_lists_its_posted_works_numbered_past_drafts(api, archive):
    response = api.get(
        reverse("api:series_detail", kwargs={"pk": archive["series"].pk})
    )

    body = response.json()
    assert [(part["part"], part["work"]["title"]) for part in body["parts"]] == [
        (1, "The Lantern Keeper"),
        (2, "A River in Winter"),
    ]
    assert body["work_count"] == 2
    assert body["words"] == archive["lantern"].word_count + archive["river"].word_count


def test_a_series_of_drafts_alone_is_not_found(api, archive):
    from stories.series import services as series_services

    drafts = series_services.series_create(
        owner=archive["author"], title="Hidden", works=[archive["draft"]]
    )

    response = api.get(reverse("api:series_detail", kwargs={"pk": drafts.pk}))
    listed, _ = walk(
        api, reverse("api:user_series", kwargs={"username": "quillfeather"})
    )

    assert response.status_code == 404
    assert drafts.pk not in ids(listed)


def test_bad_parameters_are_refused_with_their_reasons(api, archive):
    address = reverse("api:work_list")

    for params, name in [
        ({"sort": "sideways"}, "sort"),
        ({"words_from": "many"}, "words_from"),
        ({"rating": "spicy"}, "rating"),
        ({"include": "Angst\x00"}, "include"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "WyJ4Il0"}, "cursor"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
    ]:
        response = api.get(address, params)
        assert response.status_code == 400, params
        assert name in response.json()


def html_ids(client, address, params):
    """Return the works an HTML listing shows, page by page, in order."""
    found, number = [], 1
    while True:
        response = client.get(address, {**params, "page": number})
        if response.status_code == 404:
            return found
        page = [int(pk) for pk in re.findall(r'id="work-(\d+)"', response.text)]
        if not page:
            return found
        found.extend(page)
        number += 1


QUERIES = [
    {},
    {"include": "Angst"},
    {"include": "Winter Tales, Fluff"},
    {"exclude": "Angst"},
    {"include": "fluffy"},
    {"rating": ["teen", "mature"]},
    {"exclude_warning": "No Archive Warnings Apply"},
    {"complete": "complete"},
    {"complete": "in-progress", "sort": "title"},
    {"words_from": "20"},
    {"words_to": "20", "sort": "words"},
    {"language": "fr"},
    {"updated_within": "7"},
    {"sort": "published"},
    {"sort": "title"},
    {"sort": "kudos"},
    {"sort": "kudos", "kudos_min": "1"},
    {"sort": "bookmarks"},
    {"sort": "hits"},
    {"sort": "comments", "include": "Angst"},
    {"include": "Angst", "sort": "words"},
]


@pytest.fixture
def many(archive):
    """A dozen more works, some sharing titles, sizes and tags, a kudos or two."""
    author = archive["author"]
    made = []
    for number in range(12):
        made.append(
            make_work(
                owner=author,
                title=f"Tale {number % 4}",
                fandoms=("Winter Tales",) if number % 2 else ("Original Work",),
                freeforms=("Angst",) if number % 3 else ("Fluff",),
                chapters=1 + number % 3,
            )
        )
    kudos_leave(work=made[3], user=archive["reader"])
    kudos_leave(work=archive["river"], user=archive["reader"])
    return made


def test_filters_and_sorts_find_what_the_html_listing_finds(api, client, many):
    found = {}
    for params in QUERIES:
        from_api, _ = walk(api, reverse("api:work_list"), page_size=5, **params)
        from_html = html_ids(client, reverse("stories:work_list"), params)
        assert ids(from_api) == from_html, params
        found[str(params)] = len(from_html)

    assert found["{}"] == 15
    assert found["{'include': 'Winter Tales, Fluff'}"] == 4
    assert found["{'sort': 'kudos', 'kudos_min': '1'}"] == 2


def test_a_tags_and_a_persons_works_are_their_html_listings(api, client, many):
    tag = {"slug": "winter-tales"}
    person = {"username": "quillfeather"}
    for params in ({}, {"sort": "title"}, {"exclude": "Fluff", "sort": "words"}):
        tag_api, _ = walk(
            api, reverse("api:tag_works", kwargs=tag), page_size=3, **params
        )
        person_api, _ = walk(
            api, reverse("api:user_works", kwargs=person), page_size=3, **params
        )
        tag_html = html_ids(client, reverse("stories:tag_works", kwargs=tag), params)
        person_html = html_ids(
            client, reverse("stories:user_detail", kwargs=person), params
        )
        assert ids(tag_api) == tag_html and tag_html, params
        assert ids(person_api) == person_html and person_html, params


def test_search_finds_what_the_search_page_finds(api, client, many):
    found = {}
    # Ranks all alike, then ranks that differ (title, tag and summary matches).
    for params in ({"q": "tale"}, {"q": "winter"}, {"q": "winter", "sort": "title"}):
        from_api, _ = walk(api, reverse("api:work_search"), page_size=2, **params)
        from_html = html_ids(client, reverse("stories:work_search"), params)
        assert ids(from_api) == from_html, params
        found[params["q"]] = len(from_api)

    assert found == {"tale": 12, "winter": 8}


def test_paging_walks_every_work_once_while_works_are_posted(api, many):
    for sort in ("updated", "title", "words", "kudos"):
        expected = set(Work.objects.posted().values_list("pk", flat=True))
        first = api.get(reverse("api:work_list"), {"page_size": 4, "sort": sort})
        # A work posted mid-walk may come on a later page or not at all, but
        # nothing is repeated or skipped.
        newcomer = make_work(title="Tale 0", chapters=2)
        rest, pages = walk(api, first.json()["next"])
        walked = ids(first.json()["results"]) + ids(rest)

        assert len(walked) == len(set(walked)), sort
        assert expected <= set(walked) <= expected | {newcomer.pk}, sort
        assert pages >= 3


def test_an_unchanged_answer_is_not_modified_and_a_change_changes_it(api, archive):
    address = reverse("api:work_detail", kwargs={"pk": archive["lantern"].pk})
    first = api.get(address)
    etag = first["ETag"]

    again = api.get(address, HTTP_IF_NONE_MATCH=etag)
    kudos_leave(work=archive["lantern"], user=archive["reader"])
    changed = api.get(address, HTTP_IF_NONE_MATCH=etag)

    assert first["Cache-Control"] == "public, max-age=60"
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["kudos"] == 1


def test_a_listing_changes_its_etag_when_a_work_is_posted(api, archive):
    address = reverse("api:work_list")
    etag = api.get(address)["ETag"]

    services.work_post(work=archive["draft"])

    assert api.get(address, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_past_the_rate_a_client_waits_and_others_do_not(api, archive, rates):
    rates(api="3/m")
    address = reverse("api:work_list")

    answers = [api.get(address, REMOTE_ADDR="192.0.2.1") for _ in range(4)]
    forged = api.get(
        address, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    other = api.get(address, REMOTE_ADDR="192.0.2.2")

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert 0 < int(answers[-1]["Retry-After"]) <= 60
    assert forged.status_code == 429
    assert other.status_code == 200


def test_lists_cost_the_same_queries_for_few_and_many(
    api, archive, django_assert_max_num_queries
):
    for address in (
        reverse("api:work_list"),
        reverse("api:tag_works", kwargs={"slug": "winter-tales"}),
        reverse("api:user_works", kwargs={"username": "quillfeather"}),
        reverse("api:tag_list"),
        reverse("api:user_bookmarks", kwargs={"username": "pageturner"}),
        reverse("api:user_series", kwargs={"username": "quillfeather"}),
        reverse("api:work_detail", kwargs={"pk": archive["lantern"].pk}),
        reverse("api:series_detail", kwargs={"pk": archive["series"].pk}),
    ):
        with django_assert_max_num_queries(8):
            assert api.get(address, {"page_size": 100}).status_code == 200


def test_lists_of_fifty_cost_no_more_queries(
    api, archive, django_assert_max_num_queries
):
    reader = archive["reader"]
    series = archive["series"]
    from stories.bookmarks import services as bookmark_services
    from stories.series import services as series_services

    for number in range(50):
        author = UserFactory()
        work = make_work(
            owner=author,
            title=f"Work {number}",
            fandoms=("Winter Tales",),
            characters=(f"Character {number}",),
            chapters=2,
        )
        bookmark_services.bookmark_create(owner=reader, work=work, tag_names=["a", "b"])
        services.tag_set_parents(
            tag=work.tags_by_kind["character"][0],
            fandoms=[work.tags_by_kind["fandom"][0]],
        )
        if number < 20:
            series_services.series_create(
                owner=author, title=f"S{number}", works=[work]
            )
    for address in (
        reverse("api:work_list"),
        reverse("api:tag_works", kwargs={"slug": "winter-tales"}),
        reverse("api:tag_list"),
        reverse("api:user_bookmarks", kwargs={"username": "pageturner"}),
        reverse("api:series_detail", kwargs={"pk": series.pk}),
    ):
        with django_assert_max_num_queries(8):
            body = api.get(address, {"page_size": 50}).json()
        assert "results" not in body or len(body["results"]) == 50


def test_the_schema_and_its_docs_are_served(api, client, archive):
    schema = api.get(reverse("api:schema"), {"format": "json"})
    docs = client.get(reverse("api:docs"))

    assert schema.status_code == 200
    assert "/api/v1/works/" in schema.json()["paths"]
    assert docs.status_code == 200
    text = docs.text
    for path in (
        "/api/v1/works/",
        "/api/v1/works/{work_pk}/chapters/{id}/",
        "/api/v1/tags/{slug}/",
        "/api/v1/series/{id}/",
    ):
        assert f"GET {path}" in text
    assert "exclude_warning" in text and "Retry-After" in text
    # Nothing from elsewhere, no inline script or style.
    assert not re.search(r'(src|href)="https?://(?!testserver)', text)
    assert "<script>" not in text and "style=" not in text


def test_bookmarks_listed_publicly_leave_out_private_ones_and_folders(archive):
    # Of four bookmarks: the private one and the one in a private folder go.
    assert set(Bookmark.objects.listed_publicly().values_list("pk", flat=True)) == {
        archive["public"].pk,
        archive["foldered"].pk,
    }


def test_a_filter_naming_an_unknown_tag_finds_nothing(api, archive):
    response = api.get(reverse("api:work_list"), {"include": "No Such Tag"})

    assert response.status_code == 200
    assert response.json() == {"next": None, "results": []}


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("api:work_detail", {"pk": 2**63}),
        ("api:chapter_detail", {"work_pk": 2**125, "pk": 1024}),
        ("api:chapter_detail", {"work_pk": 1, "pk": 2**125}),
        ("api:series_detail", {"pk": 10**30}),
        ("api:bookmark_detail", {"pk": 10**30}),
    ],
)
def test_ids_no_row_may_have_are_not_found(api, archive, name, kwargs):
    assert api.get(reverse(name, kwargs=kwargs)).status_code == 404


def test_a_work_for_members_only_is_never_in_the_api(api, archive, author):
    hidden = make_work(owner=author, title="Members Lantern", restricted=True)

    listed = api.get(reverse("api:work_list")).json()

    assert hidden.pk not in [work["id"] for work in listed["results"]]
    assert api.get(reverse("api:work_detail", args=[hidden.pk])).status_code == 404
    chapter = hidden.chapters.get()
    address = reverse("api:chapter_detail", args=[hidden.pk, chapter.pk])
    assert api.get(address).status_code == 404
