"""Reading and finding as readers expect: the filters before the results, the
filters applied listed with their remove links, facets that keep the choices
not applied yet, categories, the required-tag symbols and the entire work."""

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html

from stories import services
from stories.blocking.services import user_mute
from stories.models import Tag, TagKind, Work
from tests.factories import UserFactory, make_work
from tests.pages import titles

pytestmark = pytest.mark.django_db

WORKS = reverse("stories:work_list")


def tree_of(response):
    assert response.status_code == 200
    return html.fromstring(response.content)


def folded(element):
    return " ".join(element.text_content().split())


@pytest.fixture
def shelf(author):
    return {
        "femslash": make_work(
            owner=author,
            title="Tide and Lantern",
            freeforms=["Angst"],
            categories=["F/F"],
        ),
        "slash": make_work(
            owner=author,
            title="Gears",
            freeforms=["Angst", "Fluff"],
            categories=["M/M"],
            expected_chapters=1,
        ),
        "both": make_work(
            owner=author, title="Crowded House", categories=["F/F", "M/M"]
        ),
        "none": make_work(owner=author, title="Plain"),
    }


def active(tree):
    """Return (what each applied filter says, its remove address)."""
    return [
        (folded(li.xpath("span")[0]), li.xpath("a[@class='filter-remove']/@href")[0])
        for li in tree.xpath("//section[@class='active-filters']//li")
    ]


# The filters come first


def test_the_filter_form_comes_before_the_results(client, shelf):
    tree = tree_of(client.get(WORKS))
    order = [
        element.get("class")
        for element in tree.iter()
        if element.get("class") in ("filters", "work-index")
    ]
    assert order == ["filters", "work-index"]
    # Open without JavaScript, behind a "Filters" toggle on small screens.
    toggle = tree.xpath("//aside[@class='filters']/details")[0]
    assert toggle.get("open") is not None
    assert folded(toggle.xpath("summary")[0]) == "Filters"


def test_without_filters_nothing_is_listed_as_applied(client, shelf):
    tree = tree_of(client.get(WORKS))
    assert not tree.xpath("//section[@class='active-filters']")


# The filters applied, each with its remove link


def test_each_filter_applied_is_listed_with_a_link_without_it(client, shelf):
    params = "include=Angst%2C+Fluff&rating=general&rating=teen&words_from=5&sort=title"
    tree = tree_of(client.get(f"{WORKS}?{params}"))
    assert active(tree) == [
        ("Include tags: Angst", f"{WORKS}?include=Fluff&rating=general&rating=teen"
         "&words_from=5&sort=title"),
        ("Include tags: Fluff", f"{WORKS}?include=Angst&rating=general&rating=teen"
         "&words_from=5&sort=title"),
        ("Ratings: General Audiences", f"{WORKS}?include=Angst%2C+Fluff&rating=teen"
         "&words_from=5&sort=title"),
        ("Ratings: Teen And Up Audiences", f"{WORKS}?include=Angst%2C+Fluff"
         "&rating=general&words_from=5&sort=title"),
        ("Words from: 5", f"{WORKS}?include=Angst%2C+Fluff&rating=general"
         "&rating=teen&sort=title"),
    ]  # fmt: skip
    # "Clear all" keeps the order the reader chose.
    [clear] = tree.xpath(
        "//section[@class='active-filters']//a[@class='filters-clear']"
    )
    assert clear.get("href") == f"{WORKS}?sort=title"
    assert folded(clear) == "Clear all"


def test_a_remove_link_lists_what_the_listing_lists_without_that_filter(client, shelf):
    tree = tree_of(client.get(WORKS, {"include": "Angst, Fluff"}))
    assert titles(client.get(WORKS, {"include": "Angst, Fluff"})) == ["Gears"]
    without_fluff = dict(active(tree))["Include tags: Fluff"]
    assert titles(client.get(without_fluff)) == ["Gears", "Tide and Lantern"]


def test_a_page_number_is_not_kept_by_a_remove_link(client, author):
    for number in range(21):
        make_work(owner=author, title=f"W{number}", freeforms=["Fluff"])
    tree = tree_of(client.get(WORKS, {"include": "Fluff", "page": "2"}))
    assert active(tree) == [("Include tags: Fluff", WORKS)]


def test_a_filter_that_could_not_be_read_is_not_listed(client, shelf):
    tree = tree_of(client.get(WORKS, {"words_from": "lots", "complete": "complete"}))
    # Its remove link leaves the rest of the address as it was.
    assert active(tree) == [
        ("Completion: Complete works only", f"{WORKS}?words_from=lots")
    ]


def test_tag_pages_and_search_list_their_filters_applied_too(client, shelf):
    angst = Tag.objects.get(name="Angst")
    tag_page = reverse("stories:tag_works", kwargs={"slug": angst.slug})
    tree = tree_of(client.get(tag_page, {"category": "M/M"}))
    assert active(tree) == [("Categories: M/M", tag_page)]
    search = reverse("stories:work_search")
    tree = tree_of(client.get(search, {"q": "gears", "category": "M/M"}))
    assert active(tree) == [("Categories: M/M", f"{search}?q=gears")]


def test_each_guest_page_lists_its_own_filters(client, shelf):
    # Guests are served whole pages from the cache: one per address.
    general = tree_of(client.get(WORKS, {"category": "F/F"}))
    teen = tree_of(client.get(WORKS, {"category": "M/M"}))
    assert [text for text, _ in active(general)] == ["Categories: F/F"]
    assert [text for text, _ in active(teen)] == ["Categories: M/M"]
    again = tree_of(client.get(WORKS, {"category": "F/F"}))
    assert active(again) == active(general)


# Facets are buttons of the filter form


def test_facets_are_buttons_of_the_filter_form(client, shelf):
    tree = tree_of(client.get(WORKS))
    [form] = tree.xpath("//aside[@class='filters']//form")
    included = form.xpath(".//button[@name='facet_include']/@value")
    excluded = form.xpath(".//button[@name='facet_exclude']/@value")
    assert "Angst" in included and "Angst" in excluded
    # Enter in a field applies the filters: the form's first button is theirs.
    first = form.xpath(".//button")[0]
    assert first.get("name") is None and folded(first) == "Sort and filter"


def test_a_facet_keeps_the_choices_not_applied_yet(client, shelf):
    # The form as the reader left it: a box ticked, a category chosen, not applied.
    chosen = client.get(
        WORKS,
        {
            "include": "Angst",
            "category": "M/M",
            "complete": "complete",
            "sort": "title",
            "facet_include": "Fluff",
            "page": "3",
        },
    )
    assert chosen.status_code == 302
    assert chosen["Location"] == (
        f"{WORKS}?include=Angst%2C+Fluff&category=M%2FM&complete=complete&sort=title"
    )
    assert titles(client.get(chosen["Location"])) == ["Gears"]


def test_an_excluding_facet_joins_the_excluded_tags(client, shelf):
    chosen = client.get(
        WORKS, {"exclude": "Fluff", "rating": "general", "facet_exclude": "Angst"}
    )
    assert chosen["Location"] == f"{WORKS}?exclude=Fluff%2C+Angst&rating=general"
    assert sorted(titles(client.get(chosen["Location"]))) == ["Crowded House", "Plain"]


def test_a_facet_already_chosen_is_not_repeated(client, shelf):
    chosen = client.get(WORKS, {"include": "angst", "facet_include": "Angst"})
    assert chosen["Location"] == f"{WORKS}?include=angst"


# Categories


def test_categories_filter_listings(client, shelf):
    assert sorted(titles(client.get(WORKS, {"category": "F/F"}))) == [
        "Crowded House",
        "Tide and Lantern",
    ]
    # Like every included tag, two categories ask for works with both.
    both = client.get(f"{WORKS}?category=F%2FF&category=M%2FM")
    assert titles(both) == ["Crowded House"]


def test_categories_are_facets_with_their_counts(client, shelf):
    facets = dict(client.get(WORKS).context["facets"])
    counts = {tag["name"]: tag["works"] for tag in facets[TagKind.CATEGORY]}
    assert counts == {"F/F": 2, "M/M": 2}


def test_a_category_has_its_own_tag_page_with_its_count(client, shelf):
    femslash = Tag.objects.get(kind=TagKind.CATEGORY, name="F/F")
    assert femslash.work_count == 2
    response = client.get(femslash.get_absolute_url())
    assert sorted(titles(response)) == ["Crowded House", "Tide and Lantern"]


def test_an_author_chooses_categories_when_posting_and_editing(author_client):
    from tests.stories.test_authoring import work_form_data

    create = reverse("stories:work_create")
    tree = tree_of(author_client.get(create))
    assert tree.xpath("//input[@type='checkbox'][@name='categories']/@value") == [
        "F/F", "F/M", "Gen", "M/M", "Multi", "Other",
    ]  # fmt: skip
    author_client.post(create, work_form_data(categories=["F/M", "Gen"]))
    work = Work.objects.get()
    assert [t.name for t in work.tags_by_kind[TagKind.CATEGORY]] == ["F/M", "Gen"]

    edit = reverse("stories:work_edit", args=[work.pk])
    form = tree_of(author_client.get(edit))
    checked = form.xpath("//input[@name='categories'][@checked]/@value")
    assert checked == ["F/M", "Gen"]
    author_client.post(edit, work_form_data(categories=["Other"]))
    work = Work.objects.get()
    assert [t.name for t in work.tags_by_kind[TagKind.CATEGORY]] == ["Other"]


def test_a_category_not_on_the_list_is_refused_and_changes_nothing(author_client):
    from tests.stories.test_authoring import work_form_data

    response = author_client.post(
        reverse("stories:work_create"), work_form_data(categories=["Slash"])
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Work.objects.exists()
    with pytest.raises(ValueError, match="Not a category"):
        make_work(categories=["Slash"])


def test_categories_are_a_fixed_list_without_synonyms(shelf):
    femslash = Tag.objects.get(kind=TagKind.CATEGORY, name="F/F")
    other = Tag.objects.get(kind=TagKind.CATEGORY, name="Other")
    with pytest.raises(ValueError, match="fixed list"):
        services.tag_check_synonym(tag=femslash, canonical=other)


def test_the_work_page_lists_categories_in_ao3s_markup(client, shelf):
    tree = tree_of(client.get(shelf["both"].get_absolute_url()))
    [dt] = tree.xpath("//dl[contains(@class, 'work')]/dt[@class='category tags']")
    assert folded(dt) == "Category:"
    [dd] = tree.xpath("//dl[contains(@class, 'work')]/dd[@class='category tags']")
    assert dd.xpath(".//a[@class='tag']/text()") == ["F/F", "M/M"]


def test_the_api_gives_a_works_categories(client, shelf):
    response = client.get(reverse("api:work_detail", args=[shelf["both"].pk]))
    assert [tag["name"] for tag in response.json()["categories"]] == ["F/F", "M/M"]


# The required-tag symbols


def symbols_of(tree, work):
    [block] = tree.xpath(f"//li[@id='work-{work.pk}']//ul[@class='required-tags']")
    return [
        (span.get("class"), span.get("title"), folded(span))
        for span in block.xpath("li/span")
    ]


def test_blurbs_show_the_four_symbols_with_their_words(client, author):
    warned = make_work(
        owner=author,
        title="Warned",
        rating="explicit",
        warnings=["Major Character Death", "Graphic Depictions Of Violence"],
        categories=["F/F"],
        expected_chapters=1,
    )
    quiet = make_work(owner=author, title="Quiet", rating="not-rated", warnings=[])
    tree = tree_of(client.get(WORKS))
    assert symbols_of(tree, warned) == [
        ("symbol rating rating-explicit", "Explicit", "Explicit"),
        (
            "symbol warnings warning-yes",
            "Graphic Depictions Of Violence, Major Character Death",
            "Graphic Depictions Of Violence, Major Character Death",
        ),
        ("symbol category category-femslash", "F/F", "F/F"),
        ("symbol iswip complete-yes", "Complete Work", "Complete Work"),
    ]
    assert symbols_of(tree, quiet) == [
        ("symbol rating rating-not-rated", "Not Rated", "Not Rated"),
        (
            "symbol warnings warning-choosenotto",
            "No archive warnings chosen",
            "No archive warnings chosen",
        ),
        ("symbol category category-none", "No category", "No category"),
        ("symbol iswip complete-no", "Work in Progress", "Work in Progress"),
    ]


@pytest.mark.parametrize(
    ("warnings", "categories", "warning_class", "category_class"),
    [
        (["No Archive Warnings Apply"], ["M/M"], "warning-no", "category-slash"),
        (["Choose Not To Use Archive Warnings"], ["F/M"], "warning-choosenotto",
         "category-het"),
        (["Underage Sex"], ["Gen"], "warning-yes", "category-gen"),
        (["No Archive Warnings Apply"], ["Multi"], "warning-no", "category-multi"),
        (["No Archive Warnings Apply"], ["Gen", "M/M"], "warning-no",
         "category-multi"),
        (["No Archive Warnings Apply"], ["Other"], "warning-no", "category-other"),
    ],
)  # fmt: skip
def test_each_warning_and_category_has_its_drawing(
    client, author, warnings, categories, warning_class, category_class
):
    work = make_work(owner=author, warnings=warnings, categories=categories)
    classes = [c for c, _, _ in symbols_of(tree_of(client.get(WORKS)), work)]
    assert classes[1].endswith(warning_class)
    assert classes[2].endswith(category_class)


def test_every_symbol_drawn_has_its_file(settings):
    css = (settings.BASE_DIR / "static/css/reading.css").read_text()
    images = settings.BASE_DIR / "static/img/symbols"
    for name in ["rating-general", "rating-teen", "rating-mature",
                 "rating-explicit", "rating-not-rated", "warning-yes",
                 "warning-no", "warning-choosenotto", "category-femslash",
                 "category-het", "category-gen", "category-slash",
                 "category-multi", "category-other", "category-none",
                 "complete-yes", "complete-no"]:  # fmt: skip
        assert f'url("../img/symbols/{name}.svg")' in css
        assert (images / f"{name}.svg").read_text().startswith("<svg")


# The entire work


@pytest.fixture
def three_chapters(author):
    work = make_work(owner=author, title="Gull Point", chapters=3)
    first, second, third = work.chapters.order_by("position")
    reader = UserFactory(username="reader_one")
    for body in ("Lovely.", "More please."):
        services.comment_post(chapter=first, body=body, user=reader)
    services.comment_post(chapter=third, body="The end!", user=reader)
    return work


def chapter_links(tree):
    return [
        [(folded(a), a.get("href")) for a in div.xpath("ul[@class='chapter-links']//a")]
        for div in tree.xpath("//div[@id='chapters']/div[@class='chapter']")
    ]


def test_the_entire_work_links_each_chapters_comments_and_page(client, three_chapters):
    first, second, third = three_chapters.chapters.order_by("position")
    url = three_chapters.get_absolute_url() + "?view_full_work=true"
    tree = tree_of(client.get(url))
    assert chapter_links(tree) == [
        [
            (f"2 comments on {first.heading}", first.get_absolute_url() + "#comments"),
            (f"Read {first.heading} chapter by chapter", first.get_absolute_url()),
        ],
        [
            (
                f"0 comments on {second.heading}",
                second.get_absolute_url() + "#comments",
            ),
            (f"Read {second.heading} chapter by chapter", second.get_absolute_url()),
        ],
        [
            (f"1 comment on {third.heading}", third.get_absolute_url() + "#comments"),
            (f"Read {third.heading} chapter by chapter", third.get_absolute_url()),
        ],
    ]
    # Back to chapter by chapter, and no heading linking to its own page.
    [back] = tree.xpath("//li[@class='bychapter']/a")
    assert back.get("href") == three_chapters.get_absolute_url()
    assert not tree.xpath("//h3[contains(@class, 'chapter-title')]//a")


def test_the_entire_work_leaves_out_the_comments_of_muted_users(client, three_chapters):
    muter = UserFactory()
    user_mute(muter=muter, muted=three_chapters.chapters.first().comments.first().user)
    client.force_login(muter)
    url = three_chapters.get_absolute_url() + "?view_full_work=true"
    counts = [
        links[0][0].split()[0] for links in chapter_links(tree_of(client.get(url)))
    ]
    assert counts == ["0", "0", "0"]


def test_a_chapter_page_heading_does_not_link_to_itself(client, three_chapters):
    second = three_chapters.chapters.order_by("position")[1]
    tree = tree_of(Client().get(second.get_absolute_url()))
    [heading] = tree.xpath("//h3[contains(@class, 'chapter-title')]")
    assert not heading.xpath(".//a")
    assert folded(heading) == second.heading


# Bookmarks share the work filters


def test_bookmarks_list_their_filters_first_with_the_filters_applied(client, shelf):
    from stories.bookmarks import services as bookmarks

    reader = UserFactory(username="shelf_reader")
    for work in shelf.values():
        bookmarks.bookmark_create(owner=reader, work=work, is_rec=True)
    address = reverse("bookmarks:user_bookmarks", args=[reader.username])
    response = client.get(address, {"category": "M/M", "rec": "on"})
    tree = tree_of(response)
    assert sorted(folded(a) for a in tree.xpath("//li[@class='blurb']//h3/a[1]")) == [
        "Crowded House",
        "Gears",
    ]
    assert sorted(active(tree)) == [
        ("Categories: M/M", f"{address}?rec=on"),
        ("Recommendations only: yes", f"{address}?category=M%2FM"),
    ]
    order = [
        element.get("class")
        for element in tree.iter()
        if element.get("class") in ("filters", "bookmark-list")
    ]
    assert order[0] == "filters"
