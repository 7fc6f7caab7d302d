"""Every listing can leave out the works a signed-in reader has read, left
kudos on or bookmarked; guests are offered nothing and nothing changes."""

import pytest
from django.urls import reverse

from stories.bookmarks.models import Bookmark
from stories.engagement.models import Kudos
from stories.models import Tag, TagKind
from stories.readings import services
from stories.readings.models import Reading
from tests.factories import UserFactory, make_work
from tests.stories.test_query_counts import LISTING_QUERY_LIMIT

pytestmark = pytest.mark.django_db

WORKS = reverse("stories:work_list")


def titles(response):
    page = response.content.decode()
    return {
        title
        for title in ("Lantern", "Tidewater", "Shorthand", "Far Shore")
        if f">{title}</a>" in page
    }


@pytest.fixture
def works(author):
    return {
        title: make_work(owner=author, title=title, fandoms=["Harbour Lights"])
        for title in ("Lantern", "Tidewater", "Shorthand", "Far Shore")
    }


def test_a_reader_hides_the_works_they_read(reader_client, works):
    reader_client.get(works["Lantern"].get_absolute_url())

    response = reader_client.get(WORKS + "?hide=read")

    assert titles(response) == {"Tidewater", "Shorthand", "Far Shore"}
    assert "1 – 3 of 3 Works" in " ".join(response.content.decode().split())


def test_a_reader_hides_the_works_they_left_kudos_on(reader_client, reader, works):
    Kudos.objects.create(user=reader, work=works["Tidewater"])
    Kudos.objects.create(user=UserFactory(), work=works["Shorthand"])
    Kudos.objects.create(guest_key="a-guest", work=works["Far Shore"])

    response = reader_client.get(WORKS + "?hide=kudosed")

    assert titles(response) == {"Lantern", "Shorthand", "Far Shore"}


def test_a_reader_hides_the_works_they_bookmarked(reader_client, reader, works):
    Bookmark.objects.create(owner=reader, work=works["Shorthand"], title="Shorthand")
    Bookmark.objects.create(owner=UserFactory(), work=works["Lantern"], title="L")

    response = reader_client.get(WORKS + "?hide=bookmarked")

    assert titles(response) == {"Lantern", "Tidewater", "Far Shore"}


def test_the_three_together_on_a_tag_page(reader_client, reader, works):
    reader_client.get(works["Lantern"].get_absolute_url())
    Kudos.objects.create(user=reader, work=works["Tidewater"])
    Bookmark.objects.create(owner=reader, work=works["Shorthand"], title="Shorthand")
    tag = Tag.objects.get(kind=TagKind.FANDOM, name="Harbour Lights")

    response = reader_client.get(
        tag.get_absolute_url() + "?hide=read&hide=kudosed&hide=bookmarked"
    )

    assert titles(response) == {"Far Shore"}
    assert "1 – 1 of 1 Works" in " ".join(response.content.decode().split())


def test_a_work_only_marked_for_later_is_not_read(reader_client, reader, works):
    services.work_mark_for_later(reader=reader, work=works["Lantern"])

    response = reader_client.get(WORKS + "?hide=read")

    assert "Lantern" in titles(response)


def test_search_and_a_profile_hide_them_too(reader_client, reader, author, works):
    Kudos.objects.create(user=reader, work=works["Tidewater"])

    search = reader_client.get(reverse("stories:work_search") + "?q=t&hide=kudosed")
    profile = reader_client.get(
        reverse("stories:user_detail", args=[author.username]) + "?hide=kudosed"
    )

    assert "Tidewater" not in titles(search)
    assert titles(profile) == {"Lantern", "Shorthand", "Far Shore"}


def test_signed_in_readers_are_offered_the_three_checkboxes(client, reader, works):
    # Each is kept a sidebar of their own: the one kept first is not shown
    # to the other.
    guest_page = client.get(WORKS).content.decode()
    client.force_login(reader)
    page = client.get(WORKS).content.decode()
    client.logout()
    guest_again = client.get(WORKS + "?").content.decode()

    assert "Hide works I have" in page
    for value in ("read", "kudosed", "bookmarked"):
        assert f'name="hide" value="{value}"' in page
    assert "Hide works I have" not in guest_page
    assert "Hide works I have" not in guest_again


def test_the_filter_stays_checked(reader_client, works):
    page = " ".join(reader_client.get(WORKS + "?hide=kudosed").content.decode().split())

    assert 'name="hide" value="kudosed"' in page
    box = page.split('value="kudosed"')[1].split(">")[0]
    assert "checked" in box


def test_for_guests_the_checkboxes_do_nothing_and_are_not_shown(client, reader, works):
    Reading.objects.create(
        user=reader, work=works["Lantern"], last_read_at="2026-05-02T10:00Z"
    )
    Kudos.objects.create(user=reader, work=works["Tidewater"])

    response = client.get(WORKS + "?hide=read&hide=kudosed&hide=bookmarked")

    assert titles(response) == {"Lantern", "Tidewater", "Shorthand", "Far Shore"}
    assert "Hide works I have" not in response.content.decode()


def test_one_readers_hiding_is_not_served_to_another(client, works):
    one, two = UserFactory(), UserFactory()
    Kudos.objects.create(user=one, work=works["Lantern"])
    client.force_login(one)
    assert "Lantern" not in titles(client.get(WORKS + "?hide=kudosed"))

    client.force_login(two)
    response = client.get(WORKS + "?hide=kudosed")

    assert "Lantern" in titles(response)


def test_a_hiding_listing_follows_a_new_read_kudos_and_bookmark(
    reader_client, reader, works
):
    url = WORKS + "?hide=read&hide=kudosed&hide=bookmarked"
    assert len(titles(reader_client.get(url))) == 4

    reader_client.get(works["Lantern"].get_absolute_url())
    assert titles(reader_client.get(url)) == {"Tidewater", "Shorthand", "Far Shore"}

    Kudos.objects.create(user=reader, work=works["Tidewater"])
    assert titles(reader_client.get(url)) == {"Shorthand", "Far Shore"}

    Bookmark.objects.create(owner=reader, work=works["Shorthand"], title="Shorthand")
    assert titles(reader_client.get(url)) == {"Far Shore"}

    services.reading_forget(reader=reader, work_id=works["Lantern"].pk)
    assert titles(reader_client.get(url)) == {"Lantern", "Far Shore"}


def test_listings_without_the_filter_stay_cached_for_everyone(client, reader, works):
    client.force_login(reader)
    client.get(WORKS)
    Kudos.objects.create(user=reader, work=works["Lantern"])

    # Nothing about the reader's kudos re-lists the plain listing.
    assert "Lantern" in titles(client.get(WORKS))


@pytest.mark.parametrize("count", [1, 50])
def test_a_hiding_listing_runs_few_queries(
    client, author, reader, django_assert_max_num_queries, count
):
    for number in range(count):
        work = make_work(owner=author, title=f"Work {number}", fandoms=["Fandom"])
        if number % 3 == 0:
            Kudos.objects.create(user=reader, work=work)
    client.force_login(reader)
    tag = Tag.objects.get(kind=TagKind.FANDOM, name="Fandom")
    for url in (
        WORKS + "?hide=read&hide=kudosed&hide=bookmarked",
        tag.get_absolute_url() + "?hide=kudosed&sort=title",
    ):
        for _repeat in range(2):
            with django_assert_max_num_queries(LISTING_QUERY_LIMIT):
                response = client.get(url)
            assert response.status_code == 200
