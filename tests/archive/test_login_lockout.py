"""The lock-out after failed log-ins (django-axes): per account from any
address, per address across accounts, over after the cool-off; the admin's
log-in too."""

import html
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RIGHT = "a-long-test-password"


@pytest.fixture(autouse=True)
def lockout(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def log_in(username, password, address="10.0.0.1", url_name="login"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(
        reverse(url_name), {"username": username, "password": password}
    )
    return client, response


def assert_locked_out(client, response):
    assert response.status_code == 429
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    page = html.unescape(response.content.decode())
    assert "Log-in paused" in page
    assert "Please try again in 15 minutes." in page
    assert reverse("password_reset") in page
    assert "_auth_user_id" not in client.session


def test_one_account_is_locked_after_failures_from_many_addresses(reader):
    for number in range(2):
        _client, response = log_in(reader.username, "wrong", f"10.0.2.{number}")
        assert response.status_code == 200
    # The third failure locks the account: its answer says so.
    client, response = log_in(reader.username, "wrong", "10.0.2.2")
    assert_locked_out(client, response)

    client, response = log_in(reader.username, RIGHT, "10.0.2.200")

    assert_locked_out(client, response)
    # Other accounts are not locked.
    other = UserFactory(username="otherfan")
    _client, response = log_in(other.username, RIGHT, "10.0.2.201")
    assert response.status_code == 302


def test_one_address_is_locked_after_failures_across_accounts(reader):
    for name in ("alder", "birch"):
        _client, response = log_in(name, "wrong", "10.0.3.1")
        assert response.status_code == 200
    client, response = log_in("cedar", "wrong", "10.0.3.1")
    assert_locked_out(client, response)

    client, response = log_in(reader.username, RIGHT, "10.0.3.1")
    assert_locked_out(client, response)

    _client, response = log_in(reader.username, RIGHT, "10.0.3.2")
    assert response.status_code == 302


def test_a_log_in_succeeds_after_the_cool_off(reader):
    for _attempt in range(3):
        log_in(reader.username, "wrong")
    client, response = log_in(reader.username, RIGHT)
    assert response.status_code == 429

    # Fifteen minutes and a second pass.
    attempts = AccessAttempt.objects.all()
    for attempt in attempts:
        attempt.attempt_time -= timedelta(minutes=15, seconds=1)
        attempt.save()
    client, response = log_in(reader.username, RIGHT)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_tries_while_locked_out_do_not_lengthen_it(reader):
    for _attempt in range(3):
        log_in(reader.username, "wrong")
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=10)
        attempt.save()
    for _attempt in range(3):
        log_in(reader.username, "wrong")
    _client, response = log_in(reader.username, RIGHT)
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 5 * 60


def test_the_admin_log_in_locks_out_too(staff):
    for number in range(3):
        log_in(staff.username, "wrong", f"10.0.4.{number}", url_name="admin:login")

    client, response = log_in(
        staff.username, RIGHT, "10.0.4.200", url_name="admin:login"
    )

    assert_locked_out(client, response)


def test_a_success_before_the_limit_forgets_the_failures(reader):
    for _attempt in range(2):
        log_in(reader.username, "wrong")
    _client, response = log_in(reader.username, RIGHT)
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=reader.username).exists()
