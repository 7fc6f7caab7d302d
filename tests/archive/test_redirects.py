"""Addresses taken from a request ("next", a Referer) are shown or followed only
when they lead within the archive."""

import html
from urllib.parse import unquote

import pytest
from django.urls import reverse

from archive.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "lantern-keeper-2026"

# Each address elsewhere, and what of it would show in a page or a redirect.
ELSEWHERE = {
    "javascript:alert(1)": "alert(1)",
    "data:text/html,x": "data:text",
    "//evil.example": "evil.example",
    "\\\\evil.example": "evil.example",
    "/\\evil.example": "evil.example",
    "https://evil.example/": "evil.example",
}


def assert_not_shown(response, address):
    telltale = ELSEWHERE[address]
    assert telltale not in unquote(html.unescape(response.content.decode()))
    assert telltale not in unquote(response.get("Location", ""))


@pytest.fixture
def hide_url(work):
    return reverse("stories:work_hide", args=[work.pk])


@pytest.mark.parametrize("address", ELSEWHERE)
def test_hide_page_shows_no_next_address_elsewhere(reader_client, hide_url, address):
    response = reader_client.get(hide_url, {"next": address})
    assert response.status_code == 200
    assert_not_shown(response, address)


@pytest.mark.parametrize("address", ELSEWHERE)
def test_hide_page_shows_no_referer_elsewhere(reader_client, hide_url, address):
    response = reader_client.get(hide_url, headers={"referer": address})
    assert response.status_code == 200
    assert_not_shown(response, address)


def test_hide_page_cancels_to_a_next_address_within_the_archive(
    reader_client, hide_url, work
):
    response = reader_client.get(hide_url, {"next": "/works/?page=2"})
    assert 'href="/works/?page=2"' in response.content.decode()


@pytest.mark.parametrize("address", ELSEWHERE)
def test_hiding_never_redirects_elsewhere(reader_client, hide_url, address):
    response = reader_client.post(hide_url, {"next": address})
    assert response.status_code == 302
    assert response["Location"] == reverse("stories:hidden_list")
    assert_not_shown(response, address)


@pytest.mark.parametrize("address", ELSEWHERE)
def test_log_in_page_shows_no_next_address_elsewhere(client, address):
    response = client.get(reverse("login"), {"next": address})
    assert response.status_code == 200
    assert_not_shown(response, address)


@pytest.mark.parametrize("address", ELSEWHERE)
def test_logging_in_never_redirects_elsewhere(client, address):
    UserFactory(username="pageturner", password=PASSWORD)
    response = client.post(
        reverse("login"),
        {"username": "pageturner", "password": PASSWORD, "next": address},
    )
    assert response.status_code == 302
    assert_not_shown(response, address)


@pytest.mark.parametrize("address", ELSEWHERE)
def test_sign_up_page_shows_no_next_address_elsewhere(client, address):
    response = client.get(reverse("signup"), {"next": address})
    assert response.status_code == 200
    assert_not_shown(response, address)


@pytest.mark.parametrize("address", ELSEWHERE)
def test_signing_up_never_redirects_elsewhere(client, address):
    response = client.post(
        reverse("signup"),
        {
            "username": "newfan",
            "email": "newfan@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": address,
        },
    )
    assert User.objects.filter(username="newfan").exists()
    assert response["Location"] == reverse("stories:home")
    assert_not_shown(response, address)


@pytest.mark.parametrize("address", ELSEWHERE)
def test_logging_out_never_redirects_elsewhere(reader_client, address):
    response = reader_client.post(reverse("logout"), {"next": address})
    assert_not_shown(response, address)


def test_signing_up_follows_a_next_address_within_the_archive(client):
    response = client.post(
        reverse("signup") + "?next=/works/",
        {
            "username": "newfan",
            "email": "newfan@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "/works/",
        },
    )
    assert response["Location"] == "/works/"


# Found by tests/archive/test_every_page.py: a "next" that is no path was looked
# up as the name of a view, and a name that names none raised.
@pytest.mark.parametrize(
    "address", ["General Audiences", "null", "3", "works/", "{{ x }}"]
)
def test_a_next_that_is_no_path_redirects_to_the_fallback(
    reader_client, hide_url, address
):
    response = reader_client.post(hide_url, {"next": address})
    assert response.status_code == 302
    assert response["Location"] == reverse("stories:hidden_list")


def test_a_next_naming_a_view_is_not_looked_up(reader_client, hide_url):
    response = reader_client.post(hide_url, {"next": "stories:work_list"})
    assert response["Location"] == reverse("stories:hidden_list")
