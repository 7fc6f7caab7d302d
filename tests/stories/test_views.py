"""What readers see: listings, filters, tag pages and reading pages."""

import pytest
from django.urls import reverse

from stories import services
from stories.models import Rating, Tag, TagKind
from tests.factories import UserFactory, make_work
from tests.pages import text, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(author):
    """Three posted works and a draft, with overlapping tags."""
    return {
        "lanterns": make_work(
            owner=author,
            title="Lanterns",
            fandoms=["Harbour Lights (TV)"],
            characters=["Mara Quinn"],
            freeforms=["Angst", "Slow Burn"],
            rating=Rating.TEEN,
            expected_chapters=1,
        ),
        "tides": make_work(
            owner=author,
            title="Tides",
            fandoms=["Harbour Lights (TV)"],
            characters=["Mara Quinn", "Tobias Reed"],
            freeforms=["Fluff"],
            rating=Rating.GENERAL,
        ),
        "gears": make_work(
            owner=author,
            title="Gears",
            fandoms=["The Clockwork Kingdom"],
            freeforms=["Angst"],
            rating=Rating.EXPLICIT,
            warnings=["Graphic Depictions Of Violence"],
        ),
        "draft": make_work(
            owner=author,
            title="Secret Draft",
            fandoms=["Harbour Lights (TV)"],
            post=False,
        ),
    }


def test_work_list_shows_posted_works_and_never_drafts(client, shelf):
    response = client.get(reverse("stories:work_list"))
    assert response.status_code == 200
    assert sorted(titles(response)) == ["Gears", "Lanterns", "Tides"]
    assert b"Secret Draft" not in response.content
    assert "1 \u2013 3 of 3 Works" in text(response)


def test_tag_page_lists_the_works_with_that_tag(client, shelf):
    tag = Tag.objects.get(kind=TagKind.FANDOM, name="Harbour Lights (TV)")
    response = client.get(tag.get_absolute_url())
    assert response.status_code == 200
    assert sorted(titles(response)) == ["Lanterns", "Tides"]
    assert "1 \u2013 2 of 2 Works in" in text(response)
    assert "Harbour Lights (TV)" in response.content.decode()


def test_unknown_tag_page_is_not_found(client, db):
    assert client.get("/tags/no-such-tag/works/").status_code == 404


def test_include_filter_requires_every_tag(client, shelf):
    response = client.get(
        reverse("stories:work_list"), {"include": "Mara Quinn, Tobias Reed"}
    )
    assert titles(response) == ["Tides"]


def test_include_filter_matches_names_without_regard_to_case(client, shelf):
    response = client.get(reverse("stories:work_list"), {"include": "angst"})
    assert sorted(titles(response)) == ["Gears", "Lanterns"]


def test_include_of_a_tag_nobody_has_finds_nothing(client, shelf):
    response = client.get(reverse("stories:work_list"), {"include": "Dragons"})
    assert titles(response) == []
    assert b"No works match" in response.content


def test_exclude_filter_hides_works_with_any_excluded_tag(client, shelf):
    response = client.get(reverse("stories:work_list"), {"exclude": "Fluff, Slow Burn"})
    assert titles(response) == ["Gears"]


def test_exclude_works_on_warnings_too(client, shelf):
    response = client.get(
        reverse("stories:work_list"), {"exclude": "Graphic Depictions Of Violence"}
    )
    assert sorted(titles(response)) == ["Lanterns", "Tides"]


def test_rating_and_complete_filters(client, shelf):
    url = reverse("stories:work_list")
    assert sorted(titles(client.get(url, {"rating": ["teen", "general"]}))) == [
        "Lanterns",
        "Tides",
    ]
    assert titles(client.get(url, {"complete": "complete"})) == ["Lanterns"]


def test_filters_combine_on_a_tag_page(client, shelf):
    tag = Tag.objects.get(kind=TagKind.FANDOM, name="Harbour Lights (TV)")
    response = client.get(tag.get_absolute_url(), {"exclude": "Angst"})
    assert titles(response) == ["Tides"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["Gears", "Lanterns", "Tides"]),
        ("updated", ["Gears", "Tides", "Lanterns"]),
    ],
)
def test_sorting(client, shelf, sort, expected):
    response = client.get(reverse("stories:work_list"), {"sort": sort})
    assert titles(response) == expected


def test_sort_by_word_count(client, author, db):
    make_work(owner=author, title="Short", body="<p>Two words.</p>")
    make_work(owner=author, title="Long", body="<p>" + "word " * 50 + "</p>")
    response = client.get(reverse("stories:work_list"), {"sort": "words"})
    assert titles(response) == ["Long", "Short"]


def test_bad_filter_values_are_ignored_not_an_error(client, shelf):
    response = client.get(reverse("stories:work_list"), {"sort": "nonsense"})
    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_listing_paginates_twenty_a_page_and_keeps_filters(client, author):
    for number in range(23):
        make_work(owner=author, title=f"Work {number:02}", freeforms=["Fluff"])
    response = client.get(reverse("stories:work_list"), {"include": "Fluff"})
    assert len(titles(response)) == 20
    content = response.content.decode()
    assert "1 \u2013 20 of 23 Works" in text(response)
    assert "?include=Fluff&amp;page=2" in content
    second = client.get(reverse("stories:work_list"), {"include": "Fluff", "page": 2})
    assert len(titles(second)) == 3


def test_fandom_list_counts_posted_works_only(client, shelf):
    response = client.get(reverse("stories:fandom_list"))
    counts = {tag.name: tag.work_count for tag in response.context["fandoms"]}
    assert counts == {"Harbour Lights (TV)": 2, "The Clockwork Kingdom": 1}
    assert "Harbour Lights (TV)</a> (2)" in response.content.decode()


def test_home_page_shows_recent_works_and_fandoms(client, shelf):
    response = client.get(reverse("stories:home"))
    content = response.content.decode()
    assert "Lanterns" in content and "Gears" in content
    assert "Secret Draft" not in content
    assert "The Clockwork Kingdom" in content


def test_blurb_shows_what_ao3_shows(client, shelf):
    content = client.get(reverse("stories:work_list")).content.decode()
    assert "Teen And Up Audiences" in content
    assert "Graphic Depictions Of Violence" in content
    assert "Complete" in content and "Work in Progress" in content
    assert '<dt class="chapters">Chapters:</dt>' in content


def test_user_profile_lists_their_posted_works(client, shelf, author):
    response = client.get(reverse("stories:user_detail", args=[author.username]))
    assert sorted(titles(response)) == ["Gears", "Lanterns", "Tides"]


def test_owner_sees_own_drafts_on_profile(client, shelf, author):
    client.force_login(author)
    response = client.get(reverse("stories:user_detail", args=[author.username]))
    assert "Secret Draft" in titles(response)


@pytest.mark.parametrize("sort", ["updated", "title", "words"])
def test_owner_filtering_own_profile_by_tag_still_sees_drafts(
    client, shelf, author, reader, sort
):
    url = reverse("stories:user_detail", args=[author.username])
    query = {"include": "Harbour Lights (TV)", "sort": sort}
    client.force_login(author)
    assert sorted(titles(client.get(url, query))) == [
        "Lanterns",
        "Secret Draft",
        "Tides",
    ]
    client.force_login(reader)
    assert sorted(titles(client.get(url, query))) == ["Lanterns", "Tides"]


def test_unknown_user_profile_is_not_found(client, db):
    assert client.get("/users/nobody/").status_code == 404


# Reading pages


def test_work_page_shows_metadata_and_first_chapter(client, author):
    work = make_work(
        owner=author,
        title="Lanterns",
        fandoms=["Harbour Lights (TV)"],
        relationships=["Mara Quinn/Tobias Reed"],
        characters=["Mara Quinn"],
        freeforms=["Angst"],
        chapters=2,
        summary="A <em>quiet</em> story.",
    )
    response = client.get(work.get_absolute_url())
    content = " ".join(response.content.decode().split())
    assert response.status_code == 200
    for expected in (
        "Rating:",
        "Archive Warning:",
        "Fandom:",
        "Relationship:",
        "Character:",
        "Additional Tags:",
        "Language:",
        "Published:",
        "Words:",
        '<dt class="chapters">Chapters:</dt> <dd class="chapters">2/?</dd>',
        "Chapter 1: Beginnings",
        "A <em>quiet</em> story.",
        "Next Chapter",
    ):
        assert expected in content, expected
    assert (
        "Chapter 2: Part 2"
        not in content.split('class="userstuff module"')[1].split("</div>")[0]
    )


def test_chapter_page_links_previous_and_next(client, author):
    work = make_work(owner=author, chapters=3)
    first, second, third = work.chapters.order_by("position")
    content = client.get(second.get_absolute_url()).content.decode()
    assert f'<a href="{first.get_absolute_url()}" rel="prev">' in content
    assert f'<a href="{third.get_absolute_url()}" rel="next">' in content


def test_entire_work_shows_every_chapter(client, author):
    work = make_work(owner=author, chapters=3)
    response = client.get(work.get_absolute_url(), {"view_full_work": "true"})
    content = response.content.decode()
    for heading in ("Chapter 1: Beginnings", "Chapter 2: Part 2", "Chapter 3: Part 3"):
        assert heading in content


def test_chapter_index_lists_chapters_and_jumps_to_one(client, author):
    work = make_work(owner=author, chapters=3)
    third = work.chapters.get(number=3)
    index = client.get(reverse("stories:work_navigate", args=[work.pk]))
    assert "Chapter 3: Part 3" in index.content.decode()
    jump = client.get(
        reverse("stories:work_navigate", args=[work.pk]), {"chapter": third.pk}
    )
    assert jump.status_code == 302
    assert jump.url == third.get_absolute_url()


def test_chapter_of_another_work_is_not_found(client, author):
    work = make_work(owner=author)
    other = make_work(owner=author)
    url = reverse("stories:chapter_detail", args=[work.pk, other.chapters.get().pk])
    assert client.get(url).status_code == 404


def test_archived_work_shows_credit_and_archivist(client):
    owner = UserFactory(username="archivist")
    work = make_work(owner=owner, creator_credit="OldFicWriter")
    content = client.get(work.get_absolute_url()).content.decode()
    assert "OldFicWriter" in content
    assert "(archived by" in content and "archivist</a>)" in content


def test_titles_and_tags_are_escaped(client, author):
    work = make_work(
        owner=author,
        title="<script>alert('t')</script>",
        freeforms=["<b>bold tag</b>"],
    )
    for url in (work.get_absolute_url(), reverse("stories:work_list")):
        content = client.get(url).content.decode()
        assert "<script>alert" not in content
        assert "&lt;script&gt;alert" in content
        assert "&lt;b&gt;bold tag&lt;/b&gt;" in content


def test_draft_chapter_of_posted_work_is_hidden_from_readers(client, work, reader):
    draft = services.chapter_create(
        work=work, text=services.ChapterText(body="<p>Coming soon.</p>"), post=False
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(reader)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(work.owner)
    assert client.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("who", ["guest", "reader"])
def test_draft_work_is_not_found_for_others(client, author, reader, who):
    draft = make_work(owner=author, post=False)
    if who == "reader":
        client.force_login(reader)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.chapters.get().get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["author", "staff"])
def test_draft_work_is_shown_to_owner_and_staff(client, author, staff, who):
    draft = make_work(owner=author, post=False)
    client.force_login(author if who == "author" else staff)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert b"This work is a draft" in response.content
