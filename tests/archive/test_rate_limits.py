"""Rate limits (archive/ratelimits.py): N allowed, the next refused with a 429
page and Retry-After, nothing stored for it; separate per client; shared by every
process through the cache."""

import html
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from archive.models import User
from archive.settings.base import cache_from_url
from stories.engagement.models import Kudos
from stories.models import Comment
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db

PASSWORD = "lantern-keeper-2026"


def assert_refused(response, text, period):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= period
    page = html.unescape(response.content.decode())
    assert text in page
    assert "Please try again in" in page
    return page


def signup_data(name):
    return {
        "username": name,
        "email": f"{name}@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }


def test_sign_ups_past_the_limit_keep_the_form_and_make_no_account(rates):
    rates(signup="2/h")
    for name in ("firstfan", "secondfan"):
        response = Client().post(reverse("signup"), signup_data(name))
        assert response.status_code == 302

    response = Client().post(reverse("signup"), signup_data("thirdfan"))

    page = assert_refused(response, "You have made several accounts", 3600)
    assert 'value="thirdfan"' in page
    assert 'value="thirdfan@example.org"' in page
    assert not User.objects.filter(username="thirdfan").exists()
    assert User.objects.count() == 2
    # Another address may still sign up.
    other = Client(REMOTE_ADDR="10.0.0.9").post(
        reverse("signup"), signup_data("thirdfan")
    )
    assert other.status_code == 302


def test_log_in_posts_past_the_limit_get_the_429_page(rates, reader):
    rates(login="3/h")
    client = Client()
    for _attempt in range(3):
        response = client.post(
            reverse("login"), {"username": "nobody", "password": "wrong"}
        )
        assert response.status_code == 200

    response = client.post(
        reverse("login"),
        {"username": reader.username, "password": "a-long-test-password"},
    )

    assert_refused(response, "tried to log in many times", 3600)
    assert "_auth_user_id" not in client.session
    # The page itself stays open, and other addresses log in.
    assert client.get(reverse("login")).status_code == 200
    other = Client(REMOTE_ADDR="10.0.0.9")
    response = other.post(
        reverse("login"),
        {"username": reader.username, "password": "a-long-test-password"},
    )
    assert response.status_code == 302


def test_the_admin_log_in_has_the_same_limit(rates, staff):
    rates(login="2/h")
    client = Client()
    for _attempt in range(2):
        client.post(reverse("admin:login"), {"username": "x", "password": "y"})
    response = client.post(
        reverse("admin:login"),
        {"username": staff.username, "password": "a-long-test-password"},
    )
    assert_refused(response, "tried to log in many times", 3600)
    assert "_auth_user_id" not in client.session


def test_password_resets_are_limited_per_address(rates, db):
    rates(password_reset="2/h")
    users = UserFactory.create_batch(3)
    client = Client()
    for user in users[:2]:
        response = client.post(reverse("password_reset"), {"email": user.email})
        assert response.status_code == 302

    response = client.post(reverse("password_reset"), {"email": users[2].email})

    assert_refused(response, "asked for several password reset emails", 3600)
    assert len(mail.outbox) == 2
    assert users[2].email not in {message.to[0] for message in mail.outbox}


def test_password_resets_are_limited_per_email_from_any_address(rates, reader):
    rates(password_reset_email="2/h")
    for number in range(2):
        response = Client(REMOTE_ADDR=f"10.0.1.{number}").post(
            reverse("password_reset"), {"email": reader.email}
        )
        assert response.status_code == 302

    response = Client(REMOTE_ADDR="10.0.1.99").post(
        reverse("password_reset"), {"email": reader.email.upper()}
    )

    assert_refused(response, "for one address", 3600)
    assert len(mail.outbox) == 2


@pytest.fixture
def open_work(author):
    return make_work(owner=author, allow_guest_comments=True)


def comment_url(work):
    return reverse("stories:comment_create", args=[work.pk, work.chapters.get().pk])


def guest_comment(number):
    return {
        "body": f"Guest comment number {number}, about the lanterns.",
        "guest_name": "Wanderer",
        "guest_email": "wanderer@example.org",
    }


def test_guest_comments_past_the_limit_keep_the_text_and_save_nothing(rates, open_work):
    rates(comment_guest="2/h")
    client = Client()
    for number in range(2):
        assert client.post(comment_url(open_work), guest_comment(number)).status_code
    assert Comment.objects.count() == 2

    response = client.post(comment_url(open_work), guest_comment(3))

    page = assert_refused(response, "You have posted several comments", 3600)
    assert "Guest comment number 3, about the lanterns." in page
    assert "<textarea" in page
    assert 'value="Wanderer"' in page
    assert Comment.objects.count() == 2
    open_work.refresh_from_db()
    assert open_work.comment_count == 2
    # A guest at another address is counted apart.
    other = Client(REMOTE_ADDR="10.0.0.9").post(
        comment_url(open_work), guest_comment(4)
    )
    assert other.status_code == 302
    assert Comment.objects.count() == 3


def test_new_accounts_have_a_tighter_comment_limit_than_older_ones(
    rates, settings, work
):
    rates(comment_new_account="1/h", comment="3/h")
    settings.RATE_LIMIT_NEW_ACCOUNT_DAYS = 7
    newcomer = UserFactory(username="newcomer")
    regular = UserFactory(
        username="regular", date_joined=timezone.now() - timedelta(days=30)
    )
    new_client, regular_client = Client(), Client()
    new_client.force_login(newcomer)
    regular_client.force_login(regular)

    assert new_client.post(comment_url(work), {"body": "First!"}).status_code == 302
    refused = new_client.post(comment_url(work), {"body": "Second thoughts."})
    page = assert_refused(refused, "You have posted several comments", 3600)
    assert "Second thoughts." in page

    for number in range(3):
        response = regular_client.post(comment_url(work), {"body": f"Note {number}"})
        assert response.status_code == 302
    assert_refused(
        regular_client.post(comment_url(work), {"body": "Note 3"}),
        "posted several comments",
        3600,
    )
    assert Comment.objects.filter(user=newcomer).count() == 1
    assert Comment.objects.filter(user=regular).count() == 3


def test_accounts_on_one_address_are_counted_apart(rates, work):
    rates(comment="1/h")
    for name in ("alder", "birch"):
        client = Client()
        client.force_login(
            UserFactory(username=name, date_joined=timezone.now() - timedelta(days=30))
        )
        assert client.post(comment_url(work), {"body": "Hello"}).status_code == 302
    assert Comment.objects.count() == 2


def test_kudos_past_the_limit_are_refused(rates, reader_client, author):
    rates(kudos="2/h")
    works = [make_work(owner=author, title=f"Work {number}") for number in range(3)]
    for work in works[:2]:
        url = reverse("engagement:kudos_create", args=[work.pk])
        assert reader_client.post(url).status_code == 302

    response = reader_client.post(
        reverse("engagement:kudos_create", args=[works[2].pk])
    )

    assert_refused(response, "left kudos many times", 3600)
    assert Kudos.objects.count() == 2
    assert not Kudos.objects.filter(work=works[2]).exists()


def test_every_page_counts_against_one_budget_per_address(rates, work):
    rates(requests="3/h")
    client = Client()
    pages = [
        reverse("stories:home"),
        reverse("stories:work_list"),
        work.get_absolute_url(),
    ]
    for address in pages:
        assert client.get(address, follow=True).status_code == 200

    response = client.get(reverse("stories:work_list"))

    assert_refused(response, "You have asked for many pages", 3600)
    # Static files are not counted; other addresses have budgets of their own.
    assert client.get("/static/archive.css").status_code != 429
    assert Client(REMOTE_ADDR="10.0.0.9").get(pages[0]).status_code == 200


def test_the_window_frees_after_retry_after(rates, clock, work):
    rates(requests="1/h")
    client = Client()
    assert client.get(reverse("stories:home")).status_code == 200
    refused = client.get(reverse("stories:home"))
    assert refused.status_code == 429
    clock[0] += int(refused["Retry-After"])
    assert client.get(reverse("stories:home")).status_code == 200


def test_ipv6_clients_share_their_slash_64(rates):
    rates(requests="1/h")
    first = Client(REMOTE_ADDR="2001:db8:1:2::10")
    assert first.get(reverse("stories:home")).status_code == 200
    neighbour = Client(REMOTE_ADDR="2001:db8:1:2::99")
    assert neighbour.get(reverse("stories:home")).status_code == 429
    elsewhere = Client(REMOTE_ADDR="2001:db8:1:3::10")
    assert elsewhere.get(reverse("stories:home")).status_code == 200


def test_the_address_comes_from_the_proxy_header_when_set(rates, settings):
    rates(requests="1/h")
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    # Behind the proxy, every request comes from its address.
    one = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_REAL_IP="192.0.2.1")
    two = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_REAL_IP="192.0.2.2")
    assert one.get(reverse("stories:home")).status_code == 200
    assert two.get(reverse("stories:home")).status_code == 200
    assert one.get(reverse("stories:home")).status_code == 429


def test_a_limit_set_to_none_is_off(rates):
    rates(requests=None)
    client = Client()
    for _request in range(5):
        assert client.get(reverse("stories:home")).status_code == 200


def test_limits_are_shared_by_processes_through_redis(rates, settings, redis_url):
    """Two cache clients on one Redis, as two processes or machines have: what
    one counted, the other refuses."""
    rates(signup="1/h")
    settings.CACHES = {
        "default": cache_from_url(redis_url),
        "other_process": cache_from_url(redis_url),
    }
    from django.core.cache import caches

    caches["default"].clear()
    settings.RATELIMIT_USE_CACHE = "default"
    assert Client().post(reverse("signup"), signup_data("firstfan")).status_code == 302

    settings.RATELIMIT_USE_CACHE = "other_process"
    response = Client().post(reverse("signup"), signup_data("secondfan"))

    assert_refused(response, "made several accounts", 3600)
    assert not User.objects.filter(username="secondfan").exists()
    counters = caches["other_process"].shared._cache.get_client().keys("*s:rl:*")
    assert counters
    caches["default"].clear()


def test_the_per_address_budget_costs_little(rates, db):
    """Counting one request (two cache calls) stays far below a page's cost."""
    from django.test import RequestFactory

    from archive.ratelimits import check

    request = RequestFactory().get("/")
    started = time.perf_counter()
    for _request in range(1000):
        check(request, "requests")
    assert (time.perf_counter() - started) / 1000 < 0.001


def test_a_misnamed_or_malformed_rate_is_a_check_error(settings):
    from archive.ratelimits import check_rates

    assert check_rates() == []
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comentx": "3/m", "kudos": "lots"}
    del settings.RATE_LIMITS["signup"]
    assert {error.id for error in check_rates()} == {
        "archive.E101",
        "archive.E102",
        "archive.E103",
    }


def test_the_rates_come_from_the_environment():
    from archive.settings.base import rate_limits_from

    rates = rate_limits_from(
        " requests=600/m , comment_guest=off,", {"requests": "1/s"}
    )
    assert rates == {"requests": "600/m", "comment_guest": None}


def test_the_issues_floods_at_the_production_rates(settings, clock, open_work):
    """What issue 10 tried, at the rates a deployment starts with."""
    from archive.settings import base

    settings.RATE_LIMITS = {**base.RATE_LIMITS, "requests": None}
    settings.AXES_FAILURE_LIMIT = base.AXES_FAILURE_LIMIT
    guest = Client()
    answers = [
        guest.post(comment_url(open_work), guest_comment(number)).status_code
        for number in range(20)
    ]
    assert answers == [302] * 3 + [429] * 17
    assert Comment.objects.count() == 3

    answers = [
        Client().post(reverse("signup"), signup_data(f"fan{number}")).status_code
        for number in range(20)
    ]
    assert answers == [302] * 5 + [429] * 15
    assert User.objects.filter(username__startswith="fan").count() == 5

    victim = UserFactory(username="victim")
    answers = [
        Client(REMOTE_ADDR=f"10.0.5.{number}")
        .post(reverse("login"), {"username": victim.username, "password": "wrong"})
        .status_code
        for number in range(20)
    ]
    assert answers == [200] * 4 + [429] * 16


def test_a_cache_that_cannot_count_lets_requests_through(rates, settings, caplog):
    rates(requests="1/h")
    # Nothing listens on port 1: every call is refused, as by a Redis down.
    settings.CACHES = {
        **settings.CACHES,
        "limits": cache_from_url("redis://127.0.0.1:1/0"),
    }
    settings.RATELIMIT_USE_CACHE = "limits"
    client = Client()
    for _request in range(3):
        assert client.get(reverse("stories:home")).status_code == 200
    assert "could not be counted" in caplog.text
