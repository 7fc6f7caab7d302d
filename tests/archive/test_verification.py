"""Email verification before posting (archive/verification.py), and the
password validators of sign-up."""

import html
import importlib
import re
from datetime import timedelta
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from archive import verification
from archive.models import User
from stories import services
from stories.models import Chapter, Comment, Creatorship, CreatorshipStatus, Work
from stories.series.models import Series
from tests.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db

PASSWORD = "lantern-keeper-2026"
NOTICE = "Confirm your email address to post"
LINK = re.compile(r"https?://\S+/accounts/verify/[^/\s]+/[^/\s]+/")


def signup_data(**overrides):
    return {
        "username": "newfan",
        "email": "newfan@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def link_in(message):
    found = LINK.findall(message.body)
    assert len(found) == 1, message.body
    return urlsplit(found[0]).path


def link_for(user):
    return reverse(
        "verify_email",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": verification.tokens.make_token(user),
        },
    )


@pytest.fixture
def unverified(db):
    return UserFactory(username="newcomer", unverified=True)


@pytest.fixture
def unverified_client(client, unverified):
    client.force_login(unverified)
    return client


# Sign-up, the email and the link.


def test_sign_up_sends_one_email_with_a_link_that_confirms(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("signup"), signup_data())
    assert response.status_code == 302
    assert len(callbacks) == 1
    user = User.objects.get(username="newfan")
    assert not user.email_verified
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newfan@example.org"]
    assert "Confirm your email address" in message.subject
    page = html.unescape(client.get(reverse("stories:home")).content.decode())
    assert "We emailed a link to newfan@example.org" in page
    assert NOTICE in page, "the notice with its resend button, until confirmed"

    response = client.get(link_in(message), follow=True)
    user.refresh_from_db()
    assert user.email_verified
    page = html.unescape(response.content.decode())
    assert "Your email address is confirmed." in page
    assert NOTICE not in page


def test_the_email_is_sent_after_the_commit_not_in_the_request(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("signup"), signup_data())
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_a_link_works_once(client, unverified):
    link = link_for(unverified)
    assert client.get(link).status_code == 302
    response = client.get(link)
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    client.force_login(unverified)
    response = client.get(link)
    assert "Your email address is confirmed already" in response.content.decode()
    unverified.refresh_from_db()
    assert unverified.email_verified


@pytest.mark.parametrize(("days", "works"), [(6.9, True), (7.1, False)])
def test_a_link_runs_out_after_the_set_days(client, unverified, settings, days, works):
    settings.EMAIL_VERIFICATION_TIMEOUT = 7 * 24 * 60 * 60
    link = link_for(unverified)
    later = verification.tokens._now() + timedelta(days=days)
    with mock.patch.object(verification.tokens, "_now", return_value=later):
        response = client.get(link)
    unverified.refresh_from_db()
    assert unverified.email_verified is works
    assert response.status_code == (302 if works else 400)


def test_a_changed_address_spends_the_link(client, unverified):
    link = link_for(unverified)
    User.objects.filter(pk=unverified.pk).update(email="elsewhere@example.org")
    assert client.get(link).status_code == 400
    unverified.refresh_from_db()
    assert not unverified.email_verified


def test_tampered_and_borrowed_links_confirm_nothing(client, unverified):
    other = UserFactory(unverified=True)
    uid = urlsafe_base64_encode(force_bytes(unverified.pk))
    token = verification.tokens.make_token(unverified)
    tampered = token[:-1] + ("a" if token[-1] != "a" else "b")
    others = verification.tokens.make_token(other)
    for kwargs in (
        {"uidb64": uid, "token": tampered},
        {"uidb64": uid, "token": others},
        {"uidb64": "not-base64!", "token": token},
        {"uidb64": urlsafe_base64_encode(b"999999"), "token": token},
        {"uidb64": uid, "token": "zzzzzzzz-" + token.split("-")[1]},
    ):
        response = client.get(reverse("verify_email", kwargs=kwargs))
        assert response.status_code == 400, kwargs
        assert "Log in</a> to have a new link sent" in response.content.decode()
    assert not User.objects.filter(email_verified=True).exists()


def test_a_bad_link_offers_a_signed_in_account_a_new_one(unverified_client):
    response = unverified_client.get(
        reverse("verify_email", kwargs={"uidb64": "MQ", "token": "1-2"})
    )
    assert response.status_code == 400
    assert reverse("verify_resend") in response.content.decode()


# Asking again.


def test_resend_emails_a_new_link_that_works(
    unverified_client, unverified, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = unverified_client.post(
            reverse("verify_resend"), {"next": reverse("stories:work_list")}
        )
    assert response.status_code == 302
    assert response.url == reverse("stories:work_list")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [unverified.email]
    unverified_client.get(link_in(mail.outbox[0]))
    unverified.refresh_from_db()
    assert unverified.email_verified


def test_resend_is_rate_limited_per_account(
    unverified_client, settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify_resend": "2/h"}
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(2):
            assert unverified_client.post(reverse("verify_resend")).status_code == 302
        response = unverified_client.post(reverse("verify_resend"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "asked for several confirmation emails" in response.content.decode()
    assert len(mail.outbox) == 2


def test_resend_needs_an_account_and_a_post(reader_client):
    assert Client().post(reverse("verify_resend")).status_code == 302
    assert reader_client.get(reverse("verify_resend")).status_code == 405
    response = reader_client.post(reverse("verify_resend"), follow=True)
    assert "confirmed already" in response.content.decode()
    assert mail.outbox == []


def test_notice_page_offers_the_resend(unverified_client):
    response = unverified_client.get(reverse("verify_notice"))
    assert response.status_code == 200
    assert reverse("verify_resend") in response.content.decode()


# Posting waits for a confirmed address.


def snapshot():
    return (
        list(Work.objects.values_list("pk", "title", "status", "summary")),
        list(Chapter.objects.values_list("pk", "body", "status")),
        list(Comment.objects.values_list("pk", "body")),
        list(Creatorship.objects.values_list("pk", "status")),
        list(Series.objects.values_list("pk", "title")),
    )


WORK_FORM = {
    "rating": "teen",
    "warnings": ["No Archive Warnings Apply"],
    "fandoms": "Harbour Lights (TV)",
    "title": "Unconfirmed Title",
    "summary": "",
    "language": "en",
    "body": "Words typed by someone unconfirmed.",
    "action": "post",
}


IMPORT_FORM = {
    **{k: v for k, v in WORK_FORM.items() if k != "body"},
    "chapters-TOTAL_FORMS": "1",
    "chapters-INITIAL_FORMS": "1",
    "chapters-0-number": "1",
    "chapters-0-body": "Imported words, kept.",
}


def posting_requests(account, others_work):
    """Every way to post, as (name, method, address, data, text kept or None)."""
    own = make_work(owner=account, title="Own Draft", post=False)
    chapter = own.chapters.get()
    comment = services.comment_post(
        chapter=others_work.chapters.get(), user=account, body="Earlier words."
    )
    parent = services.comment_post(
        chapter=others_work.chapters.get(), user=others_work.owner, body="Hello."
    )
    invitation = Creatorship.objects.create(
        work=others_work,
        user=account,
        invited_by=others_work.owner,
        status=CreatorshipStatus.INVITED,
    )
    series = Series.objects.create(owner=account, title="Own Series")
    other_chapter = others_work.chapters.get()
    comment_url = reverse(
        "stories:comment_create", args=[others_work.pk, other_chapter.pk]
    )
    return [
        (
            "work_create",
            "post",
            reverse("stories:work_create"),
            WORK_FORM,
            "Words typed by someone unconfirmed.",
        ),
        ("work_create GET", "get", reverse("stories:work_create"), None, None),
        ("work_post", "post", reverse("stories:work_post", args=[own.pk]), {}, None),
        ("work_edit", "get", reverse("stories:work_edit", args=[own.pk]), None, None),
        (
            "work_edit POST",
            "post",
            reverse("stories:work_edit", args=[own.pk]),
            {**WORK_FORM, "title": "Changed"},
            None,
        ),
        (
            "chapter_create",
            "post",
            reverse("stories:chapter_create", args=[own.pk]),
            {"body": "A second chapter, typed.", "action": "post"},
            "A second chapter, typed.",
        ),
        (
            "chapter_edit",
            "post",
            reverse("stories:chapter_edit", args=[own.pk, chapter.pk]),
            {"body": "Rewritten and posted.", "action": "post"},
            "Rewritten and posted.",
        ),
        (
            "comment_create",
            "post",
            comment_url,
            {"body": "A comment never to be lost."},
            "A comment never to be lost.",
        ),
        (
            "comment reply",
            "post",
            comment_url,
            {"body": "A reply never to be lost.", "parent": parent.pk},
            "A reply never to be lost.",
        ),
        (
            "comment_edit",
            "post",
            reverse("stories:comment_edit", args=[comment.pk]),
            {"body": "Edited words kept."},
            "Edited words kept.",
        ),
        ("work_import GET", "get", reverse("imports:work_import"), None, None),
        (
            "work_import upload",
            "post",
            reverse("imports:work_import"),
            {"upload": SimpleUploadedFile("w.html", b"<html></html>")},
            None,
        ),
        (
            "work_import confirm",
            "post",
            reverse("imports:work_import"),
            IMPORT_FORM,
            "Imported words, kept.",
        ),
        (
            "invitation_accept",
            "post",
            reverse("stories:invitation_accept", args=[invitation.pk]),
            {},
            None,
        ),
        (
            "series_create",
            "post",
            reverse("series:series_create"),
            {"title": "S"},
            None,
        ),
        (
            "series_edit",
            "post",
            reverse("series:series_edit", args=[series.pk]),
            {"title": "Renamed"},
            None,
        ),
    ]


def test_an_unconfirmed_account_is_refused_on_every_posting_path(client, author):
    account = UserFactory(username="newcomer", unverified=True)
    client.force_login(account)
    requests = posting_requests(account, make_work(owner=author))
    before = snapshot()
    for name, method, address, data, kept in requests:
        response = getattr(client, method)(address, data)
        assert response.status_code == 403, name
        page = html.unescape(response.content.decode())
        assert NOTICE in page, name
        assert reverse("verify_resend") in page, name
        if kept:
            assert kept in page, f"{name} keeps what was typed"
        assert snapshot() == before, name
    assert mail.outbox == []


def test_a_refused_comment_keeps_its_text_in_the_chapter_page(unverified_client, work):
    chapter = work.chapters.get()
    response = unverified_client.post(
        reverse("stories:comment_create", args=[work.pk, chapter.pk]),
        {"body": "Every word of this matters."},
    )
    assert response.status_code == 403
    page = html.unescape(response.content.decode())
    assert "Every word of this matters." in page
    assert chapter.body.split("</p>")[0].removeprefix("<p>") in page
    assert not Comment.objects.exists()


def test_an_unconfirmed_account_may_read_and_bookmark(unverified_client, work):
    chapter = work.chapters.get()
    assert unverified_client.get(chapter.get_absolute_url()).status_code == 200
    assert unverified_client.get(reverse("preferences")).status_code == 200
    response = unverified_client.post(
        reverse("bookmarks:bookmark_create", args=[work.pk]), {"notes": ""}
    )
    assert response.status_code == 302
    assert work.bookmarks.count() == 1


def test_a_confirmed_account_posts(client, unverified, work):
    client.force_login(unverified)
    client.get(link_for(unverified))
    chapter = work.chapters.get()
    response = client.post(
        reverse("stories:comment_create", args=[work.pk, chapter.pk]),
        {"body": "Now I may."},
    )
    assert response.status_code == 302
    assert Comment.objects.get().user == unverified
    response = client.post(reverse("stories:work_create"), WORK_FORM)
    assert response.status_code == 302
    assert Work.objects.get(title="Unconfirmed Title").owner == unverified
    # The same forms the refusals were tested with post once confirmed.
    response = client.post(reverse("imports:work_import"), IMPORT_FORM)
    assert response.status_code == 302
    assert Work.objects.filter(owner=unverified).count() == 2


def test_staff_are_trusted_without_a_confirmed_address(client):
    staff = UserFactory(unverified=True, is_staff=True)
    client.force_login(staff)
    assert client.post(reverse("stories:work_create"), WORK_FORM).status_code == 302


def test_guests_still_comment_where_works_allow_them(client, author):
    work = make_work(owner=author, allow_guest_comments=True)
    chapter = work.chapters.get()
    response = client.post(
        reverse("stories:comment_create", args=[work.pk, chapter.pk]),
        {"body": "A guest's words.", "guest_name": "Wren", "guest_email": "w@x.org"},
    )
    assert response.status_code == 302
    assert Comment.objects.get().user is None


# Which views post: every one of them is guarded, as the URLconf lists them.

GUARDED = {
    "stories:work_create",
    "stories:work_edit",
    "stories:work_post",
    "stories:chapter_create",
    "stories:chapter_edit",
    "stories:comment_create",
    "stories:comment_edit",
    "stories:invitation_accept",
    "imports:work_import",
    "series:series_create",
    "series:series_edit",
    # A pseud's name and description are shown to everyone.
    "pseuds:pseud_create",
    "pseuds:pseud_edit",
}
# Names that sound like posting but are not guarded, and why.
NOT_POSTING = {
    # Bookmarks, kudos and subscriptions are reading: an unconfirmed account
    # may bookmark (with notes), leave kudos and follow.
    "bookmarks:bookmark_create",
    "bookmarks:series_bookmark_create",
    "bookmarks:bookmark_edit",
    "bookmarks:folder_edit",
    "engagement:kudos_create",
    "subscriptions:subscription_create",
}
POSTING_WORDS = ("create", "post", "import", "new", "accept", "reply", "edit")


def named_views(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_views(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def test_every_view_that_posts_is_guarded():
    views = {
        name: callback
        for name, callback in named_views()
        if not name.startswith("admin:")
    }
    guarded = {
        name
        for name, callback in views.items()
        if getattr(callback, "verified_to_post", False)
    }
    assert guarded == GUARDED
    sounds_like_posting = {
        name
        for name in views
        if any(word in name.split(":")[-1] for word in POSTING_WORDS)
    }
    assert sounds_like_posting - GUARDED - NOT_POSTING == set(), (
        "a view that posts is not guarded by verified_to_post: guard it, or "
        "list it in NOT_POSTING with why"
    )


# Accounts from before the rule, and the factory.


def test_accounts_from_before_the_rule_are_confirmed():
    migration = importlib.import_module(
        "archive.migrations.0004_existing_users_verified"
    )
    older = UserFactory.create_batch(2, unverified=True)
    migration.mark_verified(apps, None)
    assert all(User.objects.get(pk=user.pk).email_verified for user in older)


def test_factory_accounts_are_confirmed_unless_asked(author, unverified):
    assert author.email_verified and author.may_post
    assert not unverified.email_verified and not unverified.may_post


# Password validators on sign-up.


@pytest.mark.parametrize(
    ("password", "message"),
    [
        (
            "Ab3$kq",
            "This password is too short. It must contain at least 8 characters.",
        ),
        ("password123", "This password is too common."),
        ("8302917465", "This password is entirely numeric."),
        ("lanternkeeper7", "The password is too similar to the username."),
    ],
)
def test_weak_passwords_are_refused_with_the_form_kept(client, password, message):
    response = client.post(
        reverse("signup"),
        signup_data(username="lanternkeeper", password1=password, password2=password),
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert message in page
    assert 'value="lanternkeeper"' in page
    assert 'value="newfan@example.org"' in page
    assert password not in page.replace(message, ""), "the password is never shown"
    assert not User.objects.exists()
    assert mail.outbox == []


def test_the_password_validators_are_djangos_four(settings):
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert names == {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }


def test_sign_up_page_says_what_a_password_needs(client):
    page = html.unescape(client.get(reverse("signup")).content.decode())
    assert "at least 8 characters" in page
    assert "can’t be entirely numeric" in page


def test_the_link_is_made_with_the_site_address(settings, unverified):
    settings.SITE_URL = "https://archive.example/"
    verification.verification_email_send(user=unverified)
    assert "https://archive.example/accounts/verify/" in mail.outbox[0].body
