"""Reader preferences: saved for an account and in a guest's browser, applied
as classes on <html>, never carried by a cached page to another reader; dates
in each reader's time zone."""

from datetime import UTC, datetime

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from archive.preferences import COOKIE_NAME
from stories import services
from stories.models import Comment, Rating, Tag, Work
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db

DEFAULT_CLASSES = {
    "pref-font-serif",
    "pref-size-medium",
    "pref-width-medium",
    "pref-theme-system",
}
CHOSEN = {
    "font": "sans",
    "text_size": "larger",
    "line_width": "wide",
    "theme": "dark",
    "hide_notes": "on",
    "time_zone": "Asia/Tokyo",
}
CHOSEN_CLASSES = {
    "pref-font-sans",
    "pref-size-larger",
    "pref-width-wide",
    "pref-theme-dark",
    "pref-hide-notes",
}
# 23:30 in London is the next morning in Tokyo.
LATE = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)


def html_classes(response):
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.content)
    return set(tree.get("class", "").split())


def times(response):
    """Return the (datetime attribute, text) of every <time> on a page."""
    tree = lxml.html.fromstring(response.content)
    return [(item.get("datetime"), item.text_content()) for item in tree.iter("time")]


def guest_with(**choices):
    guest = Client()
    response = guest.post(reverse("reading_preferences"), choices)
    assert response.status_code == 302
    # The preferences are the browser's: no session starts for them.
    assert "sessionid" not in guest.cookies
    guest.cookies.pop("messages", None)
    return guest


@pytest.fixture
def tag_page(author):
    work = make_work(owner=author, fandoms=["Harbour Lights"])
    Work.objects.filter(pk=work.pk).update(published_at=LATE, updated_at=LATE)
    tag = Tag.objects.get(name="Harbour Lights")
    return work, reverse("stories:tag_works", args=[tag.slug])


def test_an_account_saves_its_reading_preferences(reader_client, reader):
    response = reader_client.post(
        reverse("preferences"), {"keep_history": "on", **CHOSEN}, follow=True
    )
    assert "Your preferences were saved." in response.content.decode()
    reader.refresh_from_db()
    assert (reader.font, reader.text_size, reader.line_width, reader.theme) == (
        "sans",
        "larger",
        "wide",
        "dark",
    )
    assert reader.hide_notes and reader.time_zone == "Asia/Tokyo"
    assert html_classes(response) == CHOSEN_CLASSES
    assert html_classes(reader_client.get(reverse("stories:home"))) == CHOSEN_CLASSES


def test_an_account_sending_nothing_keeps_the_defaults(reader_client, reader):
    reader_client.post(reverse("preferences"), {})
    reader.refresh_from_db()
    assert (reader.font, reader.theme, reader.time_zone) == ("serif", "system", "")
    page = reader_client.get(reverse("stories:home"))
    assert html_classes(page) == DEFAULT_CLASSES


@pytest.mark.parametrize(
    "bad",
    [{"font": "comic"}, {"theme": "neon"}, {"time_zone": "Mars/Olympus_Mons"}],
)
def test_unknown_choices_are_refused_and_change_nothing(reader_client, reader, bad):
    response = reader_client.post(reverse("preferences"), {**CHOSEN, **bad})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    reader.refresh_from_db()
    assert (reader.font, reader.theme, reader.time_zone) == ("serif", "system", "")


def test_a_guest_saves_preferences_in_their_browser(client, work):
    address = work.get_absolute_url()
    response = client.post(reverse("reading_preferences"), {**CHOSEN, "next": address})
    assert response.status_code == 302 and response["Location"] == address
    cookie = client.cookies[COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert html_classes(client.get(address)) == CHOSEN_CLASSES
    # The form shows what the browser keeps.
    form = client.get(reverse("reading_preferences")).context["form"]
    assert form["theme"].value() == "dark"
    assert form["time_zone"].value() == "Asia/Tokyo"


def test_a_guests_bad_choices_are_refused_and_set_nothing(client):
    response = client.post(reverse("reading_preferences"), {"text_size": "huge"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert COOKIE_NAME not in client.cookies


def test_a_cookie_made_up_by_hand_gives_the_defaults(client, work):
    client.cookies[COOKIE_NAME] = 'font="><script>&theme=evil&time_zone=../etc'
    page = client.get(work.get_absolute_url())
    assert html_classes(page) == DEFAULT_CLASSES
    assert "<script>&" not in page.content.decode()


def test_the_guest_page_sends_accounts_to_their_own(reader_client):
    response = reader_client.get(reverse("reading_preferences"))
    assert response.status_code == 302
    assert response["Location"] == reverse("preferences")


def test_guests_are_offered_the_preferences_in_the_header(client):
    page = client.get(reverse("stories:home")).content.decode()
    assert reverse("reading_preferences") in page


def test_a_page_kept_for_guests_carries_no_guests_preferences(
    tag_page, django_assert_num_queries
):
    _, address = tag_page
    dark = guest_with(**CHOSEN)
    assert html_classes(dark.get(address)) == CHOSEN_CLASSES
    plain = Client()
    assert html_classes(plain.get(address)) == DEFAULT_CLASSES
    # A second guest of each kind is served the page kept whole, with their own.
    with django_assert_num_queries(0):
        assert html_classes(Client().get(address)) == DEFAULT_CLASSES
    other = guest_with(theme="light", font="sans", time_zone="Asia/Tokyo")
    with django_assert_num_queries(0):
        classes = html_classes(other.get(address))
    assert classes == {
        "pref-font-sans",
        "pref-size-medium",
        "pref-width-medium",
        "pref-theme-light",
    }


def test_hidden_notes_are_a_class_the_stylesheet_hides(client, author, settings):
    work = make_work(owner=author, notes="The author's own note.")
    guest = guest_with(hide_notes="on")
    page = guest.get(work.get_absolute_url())
    assert "pref-hide-notes" in html_classes(page)
    # The markup AO3's tools read stays; the note is hidden by the stylesheet.
    assert "The author's own note." in page.content.decode()
    css = (settings.BASE_DIR / "static/css/reader.css").read_text()
    assert ".pref-hide-notes .notes { display: none; }" in css


def test_a_guest_may_see_adult_works_without_asking(author):
    work = make_work(owner=author, rating=Rating.EXPLICIT)
    address = work.get_absolute_url()
    notice = "This work could have adult content"
    assert notice in Client().get(address).content.decode()
    trusting = guest_with(view_adult="on")
    page = trusting.get(address).content.decode()
    assert notice not in page and "The lanterns along the canal" in page
    # The kept pages of each kind of guest stay theirs.
    assert notice in Client().get(address).content.decode()
    assert notice not in guest_with(view_adult="on").get(address).content.decode()


def test_dates_are_in_each_readers_time_zone_on_shared_parts(tag_page, author):
    work, address = tag_page
    tokyo = guest_with(time_zone="Asia/Tokyo")
    london = Client()
    assert ("2026-11-26T23:30:00+00:00", "26 Nov 2026") in times(london.get(address))
    assert ("2026-11-27T08:30:00+09:00", "27 Nov 2026") in times(tokyo.get(address))
    # Signed in, the account's zone; the blurb part is shared by zone.
    reader = UserFactory(time_zone="America/New_York")
    signed_in = Client()
    signed_in.force_login(reader)
    assert ("2026-11-26T18:30:00-05:00", "26 Nov 2026") in times(signed_in.get(address))
    assert ("2026-11-26T23:30:00+00:00", "26 Nov 2026") in times(Client().get(address))


def test_a_comments_time_and_a_works_dates_follow_the_zone(author, reader):
    work = make_work(owner=author)
    chapter = work.chapters.get()
    services.comment_post(chapter=chapter, body="Lovely.", user=reader)
    Comment.objects.update(created_at=LATE)
    Work.objects.filter(pk=work.pk).update(published_at=LATE, updated_at=LATE)
    address = work.get_absolute_url()
    london = times(Client().get(address))
    tokyo = times(guest_with(time_zone="Asia/Tokyo").get(address))
    assert ("2026-11-26T23:30:00+00:00", "26 Nov 2026, 23:30") in london
    assert ("2026-11-27T08:30:00+09:00", "27 Nov 2026, 08:30") in tokyo
    # The work's "Published:" is AO3's ISO date, as its tools read it.
    assert ("2026-11-27T08:30:00+09:00", "2026-11-27") in tokyo
