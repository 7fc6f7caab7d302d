"""A person's bookmarks page: filters, sorts and the viewer's exclusions."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stories import services as stories_services
from stories.blocking.models import Mute
from stories.blocking.services import user_mute
from stories.bookmarks import services
from stories.bookmarks.models import Bookmark
from stories.caching import forget_everything
from stories.models import Rating, Tag, TagKind, Work
from stories.series.models import Series
from tests.factories import UserFactory, make_work
from tests.stories.test_query_counts import LISTING_QUERY_LIMIT

pytestmark = pytest.mark.django_db


def shown(response):
    """Return the titles of the bookmarked things in a list, in order."""
    return re.findall(
        r'class="blurb-title"[^>]*>\s*<a href="[^"]+">([^<]+)</a>', response.text
    )


def heading_count(response):
    return int(re.search(r"(\d+) bookmarks?\s+by", response.text).group(1))


@pytest.fixture
def shelf(reader, author, other):
    """The reader's bookmarks of three works by two authors."""
    now = timezone.now()
    works = {
        "Alder": make_work(owner=author, title="Alder", freeforms=["Fluff"]),
        "Birch": make_work(
            owner=other, title="Birch", rating=Rating.MATURE, freeforms=["Angst"]
        ),
        "Cedar": make_work(owner=author, title="Cedar", freeforms=["Angst"]),
    }
    updated = {"Alder": 3, "Birch": 1, "Cedar": 2}
    for title, days in updated.items():
        Work.objects.filter(pk=works[title].pk).update(
            updated_at=now - timedelta(days=days)
        )
    services.bookmark_create(owner=reader, work=works["Birch"], tag_names=["reread"])
    services.bookmark_create(
        owner=reader, work=works["Alder"], is_rec=True, tag_names=["reread", "short"]
    )
    services.bookmark_create(owner=reader, work=works["Cedar"], tag_names=["Short"])
    return works


def url(reader, **params):
    return reverse("bookmarks:user_bookmarks", args=[reader.username])


def test_newest_bookmark_first_by_default(client, reader, shelf):
    response = client.get(url(reader))

    assert shown(response) == ["Cedar", "Alder", "Birch"]
    assert heading_count(response) == 3


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("bookmarked", ["Cedar", "Alder", "Birch"]),
        ("updated", ["Birch", "Cedar", "Alder"]),
        ("title", ["Alder", "Birch", "Cedar"]),
    ],
)
def test_sorts(client, reader, shelf, sort, expected):
    assert shown(client.get(url(reader), {"sort": sort})) == expected


def test_filter_by_rec_and_by_bookmark_tags(client, reader, shelf):
    recs = client.get(url(reader), {"rec": "on"})
    tagged = client.get(url(reader), {"bookmark_tags": "SHORT"})
    both = client.get(url(reader), {"bookmark_tags": "short, reread"})

    assert shown(recs) == ["Alder"] and heading_count(recs) == 1
    assert shown(tagged) == ["Cedar", "Alder"] and heading_count(tagged) == 2
    assert shown(both) == ["Alder"]


def test_bookmark_tags_are_listed_with_their_counts(client, reader, shelf):
    response = client.get(url(reader))
    facets = re.sub(r"<[^>]+>|\s+", " ", response.text)

    assert re.search(r"reread +\(2\)", facets)
    assert re.search(r"[Ss]hort +\(2\)", facets)


def test_bookmark_tag_facets_are_buttons_that_keep_the_choices_not_applied(
    client, reader, shelf
):
    page = client.get(url(reader)).text
    assert re.search(r'<button name="facet_bookmark_tag"\s+value="reread"', page)

    # A box ticked and a sort chosen, not applied yet, then a facet pressed.
    chosen = client.get(
        url(reader),
        {
            "rec": "on",
            "sort": "title",
            "bookmark_tags": "",
            "facet_bookmark_tag": "reread",
        },
    )

    assert chosen.status_code == 302
    assert chosen["Location"] == f"{url(reader)}?rec=on&sort=title&bookmark_tags=reread"
    assert shown(client.get(chosen["Location"])) == ["Alder"]


def test_work_filters_apply(client, reader, shelf):
    mature = client.get(url(reader), {"rating": Rating.MATURE})
    angst = client.get(url(reader), {"include": "Angst", "sort": "title"})
    no_angst = client.get(url(reader), {"exclude": "Angst"})

    assert shown(mature) == ["Birch"] and heading_count(mature) == 1
    assert shown(angst) == ["Birch", "Cedar"]
    assert shown(no_angst) == ["Alder"]


def test_viewers_hidden_tags_and_creators_are_left_out(client, reader, other, shelf):
    viewer = UserFactory(username="viewer")
    stories_services.reader_hide(
        reader=viewer, tags=[Tag.objects.get(kind=TagKind.FREEFORM, name="Fluff")]
    )
    client.force_login(viewer)
    without_fluff = client.get(url(reader))
    user_mute(muter=viewer, muted=other)
    without_other = client.get(url(reader))

    assert shown(without_fluff) == ["Cedar", "Birch"]
    assert heading_count(without_fluff) == 2
    assert shown(without_other) == ["Cedar"]
    assert heading_count(without_other) == 1
    assert "reread (1)" not in without_other.text
    client.force_login(reader)
    assert heading_count(client.get(url(reader))) == 3


def test_muting_the_bookmarker_or_the_author_leaves_them_out(
    client, reader, other, shelf
):
    viewer = UserFactory(username="viewer")
    client.force_login(viewer)
    user_mute(muter=viewer, muted=other)
    without_their_work = client.get(url(reader))
    user_mute(muter=viewer, muted=reader)
    without_their_bookmarks = client.get(url(reader))

    assert shown(without_their_work) == ["Cedar", "Alder"]
    assert heading_count(without_their_work) == 2
    assert shown(without_their_bookmarks) == []
    assert heading_count(without_their_bookmarks) == 0


def test_owner_sees_private_bookmarks_others_do_not(client, reader, shelf):
    bookmark = Bookmark.objects.get(title="Alder")
    services.bookmark_update(
        bookmark=bookmark,
        notes="",
        tag_names=[],
        is_private=True,
        is_rec=False,
        folder=None,
    )

    assert heading_count(client.get(url(reader))) == 2
    client.force_login(reader)
    response = client.get(url(reader))
    assert heading_count(response) == 3 and "Private" in response.text


def test_folder_tabs_show_public_folders_to_others(client, reader, shelf):
    public = services.folder_create(owner=reader, name="Trees")
    services.folder_create(owner=reader, name="Secret shelf", is_private=True)
    services.bookmark_update(
        bookmark=Bookmark.objects.get(title="Cedar"),
        notes="",
        tag_names=[],
        is_private=False,
        is_rec=False,
        folder=public,
    )

    response = client.get(url(reader))
    folder_page = client.get(public.get_absolute_url())

    assert "Trees" in response.text and "Secret shelf" not in response.text
    assert shown(folder_page) == ["Cedar"] and heading_count(folder_page) == 1


def test_unknown_person_is_not_found(client):
    response = client.get(reverse("bookmarks:user_bookmarks", args=["nobody"]))

    assert response.status_code == 404


def test_nul_in_a_name_finds_nothing(client):
    assert client.get("/users/a%00b/bookmarks/").status_code == 404


def bookmark_many(reader, author, count):
    folder = services.folder_create(owner=reader, name="All of them")
    for number in range(count):
        work = make_work(
            owner=author,
            title=f"Work {number}",
            characters=[f"Character {number}"],
            freeforms=["Angst"],
        )
        services.bookmark_create(
            owner=reader,
            work=work,
            notes=f"Note {number}",
            tag_names=[f"tag {number}", "shared"],
            is_rec=number % 2 == 0,
            folder=folder,
        )
    return folder


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("signed_in", [False, True])
def test_bookmark_pages_run_few_queries(
    client, reader, author, django_assert_max_num_queries, count, signed_in
):
    folder = bookmark_many(reader, author, count)
    work = Work.objects.get(title="Work 0")
    for _ in range(count - 1):
        services.bookmark_create(owner=UserFactory(), work=work, tag_names=["x"])
    if signed_in:
        viewer = UserFactory(username="viewer")
        user_mute(muter=viewer, muted=UserFactory())
        Mute.objects.create(muter=viewer, muted=UserFactory())
        client.force_login(viewer)
    urls = [
        url(reader),
        url(reader) + "?sort=updated&rec=on&rating=general&include=Angst",
        url(reader) + "?bookmark_tags=shared",
        folder.get_absolute_url(),
        reverse("bookmarks:work_bookmarks", args=[work.pk]),
        Bookmark.objects.filter(owner=reader).first().get_absolute_url(),
    ]
    for address in urls:
        forget_everything()
        with django_assert_max_num_queries(LISTING_QUERY_LIMIT):
            response = client.get(address)
        assert response.status_code == 200, address
        assert b'class="bookmark"' in response.content, address


def test_query_counts_do_not_grow_with_bookmarks(client, reader, author):
    """The same pages read as many queries with 1 bookmark as with 30, with
    nothing cached."""

    def queries(address):
        forget_everything()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured)

    folder = bookmark_many(reader, author, 1)
    work = Work.objects.get(title="Work 0")
    client.force_login(reader)
    addresses = [
        url(reader),
        folder.get_absolute_url(),
        reverse("bookmarks:work_bookmarks", args=[work.pk]),
    ]
    with_one = [queries(address) for address in addresses]
    for number in range(1, 30):
        other_work = make_work(owner=author, title=f"More {number}")
        services.bookmark_create(
            owner=reader, work=other_work, tag_names=[f"t{number}"], folder=folder
        )
        if number % 3 == 0:
            series = Series.objects.create(owner=UserFactory(), title=f"S{number}")
            services.bookmark_create(owner=reader, series=series, folder=folder)
        if number % 5 == 0:
            gone = make_work(owner=UserFactory(), title=f"Gone {number}")
            services.bookmark_create(owner=reader, work=gone, folder=folder)
            stories_services.work_delete(work=gone)
        services.bookmark_create(owner=UserFactory(), work=work, tag_names=["y"])

    assert [queries(address) for address in addresses] == with_one
