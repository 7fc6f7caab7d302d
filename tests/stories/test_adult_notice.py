"""The notice before the text of Mature, Explicit and Not Rated works."""

import pytest
from django.urls import reverse

from stories.models import Rating
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db

TEXT = "The lanterns along the canal"
NOTICE = "This work could have adult content"


@pytest.fixture
def adult_work(author):
    return make_work(owner=author, title="Night Harbour", rating=Rating.EXPLICIT)


def addresses(work):
    chapter = work.chapters.order_by("position").first()
    work_address = reverse("stories:work_detail", kwargs={"pk": work.pk})
    return [
        work_address,
        f"{work_address}?view_full_work=true",
        reverse(
            "stories:chapter_detail", kwargs={"work_pk": work.pk, "pk": chapter.pk}
        ),
    ]


def shown(client, address):
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("rating", [Rating.MATURE, Rating.EXPLICIT, Rating.NOT_RATED])
def test_the_notice_comes_before_the_text_of_adult_works(client, author, rating):
    work = make_work(owner=author, rating=rating)
    for address in addresses(work):
        page = shown(client, address)
        assert NOTICE in page, address
        assert TEXT not in page, address
        assert "Yes, Continue" in page
        assert "view_adult=true" in page


@pytest.mark.parametrize("rating", [Rating.GENERAL, Rating.TEEN])
def test_no_notice_for_general_and_teen_works(client, author, rating):
    work = make_work(owner=author, rating=rating)
    for address in addresses(work):
        page = shown(client, address)
        assert NOTICE not in page
        assert TEXT in page


def test_view_adult_true_shows_the_text(client, adult_work):
    for address in addresses(adult_work):
        mark = "&" if "?" in address else "?"
        page = shown(client, f"{address}{mark}view_adult=true")
        assert NOTICE not in page
        assert TEXT in page


def test_continuing_is_remembered_for_the_work_in_the_session(
    client, author, adult_work
):
    first, full, chapter = addresses(adult_work)
    assert NOTICE in shown(client, first)
    assert TEXT in shown(client, f"{first}?view_adult=true")
    for address in (first, full, chapter, first):
        page = shown(client, address)
        assert NOTICE not in page, address
        assert TEXT in page
    # Another adult work asks again.
    other = make_work(owner=author, title="Other Harbour", rating=Rating.MATURE)
    assert NOTICE in shown(client, addresses(other)[0])


def test_signed_in_readers_are_asked_once_per_work_too(client, adult_work):
    client.force_login(UserFactory(username="nightowl"))
    first = addresses(adult_work)[0]
    assert NOTICE in shown(client, first)
    shown(client, f"{first}?view_adult=true")
    assert TEXT in shown(client, first)


def test_the_preference_skips_the_notice(client, adult_work):
    reader = UserFactory(username="nightowl")
    client.force_login(reader)
    response = client.post(
        reverse("preferences"), {"keep_history": "on", "view_adult": "on"}
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.view_adult
    for address in addresses(adult_work):
        page = shown(client, address)
        assert NOTICE not in page
        assert TEXT in page


def test_a_guests_kept_page_is_the_notice_until_they_continue(client, adult_work):
    first = addresses(adult_work)[0]
    # Twice: the second is served whole from the cache.
    for _twice in range(2):
        page = shown(client, first)
        assert NOTICE in page
        assert TEXT not in page
    client.cookies.clear()
    assert TEXT in shown(client, f"{first}?view_adult=true")
    # The session it started remembers it, though the page was kept.
    assert TEXT in shown(client, first)
    client.cookies.clear()
    assert NOTICE in shown(client, first)
