"""Works restricted to signed-in members: guests find them nowhere, and are
asked to sign in at their addresses; members read them as any other work."""

import pytest
from django.urls import reverse

from stories import services
from stories.downloads.addresses import download_url
from stories.models import Comment, Tag, Work
from stories.series.services import series_create
from tests.factories import UserFactory, make_work
from tests.stories.opds.conftest import basic

pytestmark = pytest.mark.django_db

SECRET = "Members Lantern"
OPEN = "Harbour Open"
FANDOM = "Harbour Lights"
FREEFORM = "Secret Freeform"


@pytest.fixture
def works(author):
    shown = make_work(owner=author, title=OPEN, fandoms=(FANDOM,))
    restricted = make_work(
        owner=author,
        title=SECRET,
        fandoms=(FANDOM,),
        freeforms=(FREEFORM,),
        restricted=True,
    )
    return shown, restricted


@pytest.fixture
def member(db):
    return UserFactory(username="member")


def pages(author):
    """Every listing that shows either work, by what it is."""
    return {
        "work list": reverse("stories:work_list"),
        "tag page": reverse("stories:tag_works", kwargs={"slug": "harbour-lights"}),
        "search": reverse("stories:work_search") + "?q=harbour",
        "user page": reverse("stories:user_detail", kwargs={"username": author}),
        "home": reverse("stories:home"),
    }


def tag_slug(name):
    return Tag.objects.get(name=name).slug


def test_guests_find_it_in_no_listing_and_members_do(client, author, works, member):
    addresses = pages(author.username)
    addresses["tag page"] = reverse(
        "stories:tag_works", kwargs={"slug": tag_slug(FANDOM)}
    )
    for name, address in addresses.items():
        page = client.get(address).content.decode()
        assert OPEN in page, name
        assert SECRET not in page, name
    client.force_login(member)
    for name, address in addresses.items():
        page = client.get(address).content.decode()
        assert OPEN in page, name
        assert SECRET in page, name
        assert "(members only)" in page, name


def test_the_guest_page_cache_does_not_leak_it(client, author, works, member):
    address = reverse("stories:tag_works", kwargs={"slug": tag_slug(FANDOM)})
    client.force_login(member)
    assert SECRET in client.get(address).content.decode()
    assert SECRET in client.get(reverse("stories:work_list")).content.decode()
    assert SECRET in client.get(reverse("stories:home")).content.decode()
    client.logout()
    client.cookies.clear()
    for where in (address, reverse("stories:work_list"), reverse("stories:home")):
        for _twice in range(2):
            page = client.get(where).content.decode()
            assert OPEN in page
            assert SECRET not in page


def test_guests_counts_and_facets_leave_it_out(client, works, member):
    fandom = Tag.objects.get(name=FANDOM)
    # The tag's count is the guests': the restricted work is not in it.
    assert fandom.work_count == 1
    assert Tag.objects.get(name=FREEFORM).work_count == 0
    address = reverse("stories:tag_works", kwargs={"slug": fandom.slug})
    page = client.get(address).content.decode()
    assert "1 Work" in page or "1 work" in page
    assert FREEFORM not in page
    listing = client.get(reverse("stories:work_list")).content.decode()
    assert FREEFORM not in listing
    client.force_login(member)
    page = client.get(address).content.decode()
    assert "2 Works" in page or "2 works" in page
    assert FREEFORM in page


def test_making_a_work_restricted_recounts_its_tags(works):
    shown, _restricted = works
    services.work_update(
        work=shown,
        tags={},
        warnings=["No Archive Warnings Apply"],
        restricted=True,
    )
    assert Tag.objects.get(name=FANDOM).work_count == 0


def test_guests_do_not_find_it_in_the_tag_feed(client, works):
    feed = client.get(
        reverse("stories:tag_feed", kwargs={"slug": tag_slug(FANDOM)})
    ).content.decode()
    assert OPEN in feed
    assert SECRET not in feed


def test_opds_feeds_leave_it_out_for_guests_but_not_for_members(
    client, author, works, member
):
    feeds = [
        reverse("opds:work_list"),
        reverse("opds:tag_works", kwargs={"slug": tag_slug(FANDOM)}),
        reverse("opds:user_works", kwargs={"username": author.username}),
        reverse("opds:search") + "?q=harbour",
    ]
    for address in feeds:
        feed = client.get(address).content.decode()
        assert OPEN in feed, address
        assert SECRET not in feed, address
    for address in feeds:
        feed = client.get(
            address, headers=basic("member", "a-long-test-password")
        ).content.decode()
        assert SECRET in feed, address


def test_guests_cannot_download_it_and_members_can(client, works, member):
    _shown, restricted = works
    assert client.get(download_url(restricted, "txt")).status_code == 404
    client.force_login(member)
    assert client.get(download_url(restricted, "txt")).status_code == 200


def test_a_series_shows_it_to_members_only(client, author, works, member):
    shown, restricted = works
    series = series_create(owner=author, title="Harbour Tales", works=works)
    address = reverse("series:series_detail", kwargs={"pk": series.pk})
    page = client.get(address).content.decode()
    assert OPEN in page
    assert SECRET not in page
    client.force_login(member)
    assert SECRET in client.get(address).content.decode()


def reading_addresses(work):
    chapter = work.chapters.get()
    return [
        reverse("stories:work_detail", kwargs={"pk": work.pk}),
        reverse("stories:work_detail", kwargs={"pk": work.pk}) + "?view_full_work=true",
        reverse(
            "stories:chapter_detail", kwargs={"work_pk": work.pk, "pk": chapter.pk}
        ),
        reverse("stories:work_navigate", kwargs={"pk": work.pk}),
    ]


def test_its_addresses_ask_a_guest_to_sign_in(client, works):
    _shown, restricted = works
    for address in reading_addresses(restricted):
        response = client.get(address)
        assert response.status_code == 302, address
        login, _mark, query = response["Location"].partition("?")
        assert login == reverse("login")
        assert "next=" in query
        followed = client.get(response["Location"]).content.decode()
        assert "only for signed-in members" in followed
        assert "The lanterns along the canal" not in followed


def test_a_comment_address_asks_a_guest_to_sign_in(client, works, member):
    _shown, restricted = works
    chapter = restricted.chapters.get()
    comment = Comment.objects.create(
        work=restricted, chapter=chapter, user=member, body="<p>Lovely.</p>"
    )
    response = client.get(reverse("stories:comment_detail", kwargs={"pk": comment.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_work_not_there_is_still_not_found(client, works):
    missing = Work.objects.order_by("-pk").first().pk + 100
    response = client.get(reverse("stories:work_detail", kwargs={"pk": missing}))
    assert response.status_code == 404


def test_signing_in_comes_back_to_the_work(client, works, member):
    _shown, restricted = works
    address = reverse("stories:work_detail", kwargs={"pk": restricted.pk})
    login = client.get(address)["Location"]
    response = client.post(
        login,
        {"username": "member", "password": "a-long-test-password"},
    )
    assert response.status_code == 302
    assert response["Location"] == address


def test_members_read_it(client, works, member):
    _shown, restricted = works
    client.force_login(member)
    for address in reading_addresses(restricted):
        response = client.get(address)
        assert response.status_code == 200, address
    page = client.get(reading_addresses(restricted)[0]).content.decode()
    assert "The lanterns along the canal" in page


def test_the_author_sets_it_on_the_work_form(author_client, work):
    form = author_client.get(reverse("stories:work_edit", kwargs={"pk": work.pk}))
    assert 'name="restricted"' in form.content.decode()


def test_a_bookmark_of_it_is_left_out_for_guests(client, works, member):
    from stories.bookmarks.services import bookmark_create

    shown, restricted = works
    bookmark_create(owner=member, work=shown)
    bookmark_create(owner=member, work=restricted)
    address = reverse("bookmarks:user_bookmarks", kwargs={"username": "member"})
    page = client.get(address).content.decode()
    assert OPEN in page
    assert SECRET not in page
    client.force_login(UserFactory(username="another"))
    assert SECRET in client.get(address).content.decode()
