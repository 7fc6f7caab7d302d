import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from archive.models import User
from tests.factories import make_work

pytestmark = pytest.mark.django_db

PASSWORD = "lantern-keeper-2026"


def signup_data(**overrides):
    data = {
        "username": "newfan",
        "email": "newfan@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def test_sign_up_creates_the_account_and_logs_in(client):
    response = client.post(reverse("signup"), signup_data())
    assert response.status_code == 302
    user = User.objects.get(username="newfan")
    assert user.email == "newfan@example.org"
    assert client.get(reverse("stories:home")).context["user"] == user


def test_sign_up_returns_to_a_local_next_page_only(client):
    response = client.post(reverse("signup"), {**signup_data(), "next": "/fandoms/"})
    assert response.url == "/fandoms/"
    client.logout()
    response = client.post(
        reverse("signup"),
        {
            **signup_data(username="other", email="o@example.org"),
            "next": "https://evil.example/",
        },
    )
    assert response.url == reverse("stories:home")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password2": "something-else-entirely"}, "didn’t match"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"password1": "123", "password2": "123"}, "too short"),
        ({"username": ""}, "This field is required."),
    ],
)
def test_bad_sign_up_explains_and_keeps_what_was_typed(client, overrides, message):
    response = client.post(reverse("signup"), signup_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
    if overrides.get("username", "newfan"):
        assert 'value="newfan"' in response.content.decode()


def test_user_name_and_email_must_be_new(client, reader):
    response = client.post(
        reverse("signup"), signup_data(username="PageTurner", email="x@example.org")
    )
    assert "That user name is taken." in response.content.decode()
    response = client.post(reverse("signup"), signup_data(email=reader.email.upper()))
    assert "An account with this email already exists." in response.content.decode()
    assert User.objects.count() == 1


def test_log_in_and_log_out(client, reader):
    response = client.post(
        reverse("login"),
        {"username": reader.username, "password": "a-long-test-password"},
    )
    assert response.status_code == 302
    assert client.get(reverse("stories:home")).context["user"] == reader
    client.post(reverse("logout"))
    assert not client.get(reverse("stories:home")).context["user"].is_authenticated


def test_wrong_password_is_refused(client, reader):
    response = client.post(
        reverse("login"), {"username": reader.username, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_change_password(reader_client, reader):
    response = reader_client.post(
        reverse("password_change"),
        {
            "old_password": "a-long-test-password",
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
        },
    )
    assert response.url == reverse("password_change_done")
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)


def test_reset_password_by_email(client, reader):
    client.post(reverse("password_reset"), {"email": reader.email})
    assert len(mail.outbox) == 1
    link = re.search(
        r"https?://[^/]+(/password/reset/\S+/)", mail.outbox[0].body
    ).group(1)
    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)


def test_reset_for_an_unknown_email_says_the_same_and_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_logout_needs_a_post(reader_client):
    assert reader_client.get(reverse("logout")).status_code == 405


def test_a_name_changed_by_staff_shows_at_once_on_cached_pages(staff_client, author):
    work = make_work(owner=author, title="Renamed Byline")
    guest = Client()
    pages = [work.get_absolute_url(), reverse("stories:work_list")]
    for page in pages:
        assert "quillfeather" in guest.get(page).content.decode()
    change_url = reverse("admin:archive_user_change", args=[author.pk])
    form = staff_client.get(change_url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | set)
    }
    joined = timezone.localtime(author.date_joined)
    data.update(
        username="inkwell",
        date_joined_0=joined.date().isoformat(),
        date_joined_1=joined.time().strftime("%H:%M:%S"),
        _save="Save",
    )
    response = staff_client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    for page in pages:
        shown = guest.get(page).content.decode()
        assert "inkwell" in shown
        assert "quillfeather" not in shown


def test_preferences_need_an_account(client):
    response = client.get(reverse("preferences"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_reader_switches_their_history_off(client):
    reader = User.objects.create_user("quill", "quill@example.org", PASSWORD)
    client.force_login(reader)
    assert client.get(reverse("preferences")).context["form"]["keep_history"].value()
    response = client.post(reverse("preferences"), {}, follow=True)
    assert "Your preferences were saved." in response.content.decode()
    reader.refresh_from_db()
    assert reader.keep_history is False
