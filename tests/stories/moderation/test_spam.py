"""Robots kept out of the forms guests send: honeypot, fill time, duplicates."""

import html
from pathlib import Path

import pytest
from django.core import signing
from django.urls import reverse

from archive.models import User
from stories import services
from stories.models import Comment
from stories.moderation.guard import HONEYPOT_FIELD, STAMP_FIELD, STAMP_MARK
from tests.factories import make_work
from tests.stories.moderation.conftest import stamp_ago, stamp_from

pytestmark = pytest.mark.django_db

GUEST = {"guest_name": "Wren", "guest_email": "wren@example.org"}


@pytest.fixture
def open_work(author):
    return make_work(owner=author, allow_guest_comments=True)


def comment_url(work):
    return reverse("stories:comment_create", args=[work.pk, work.chapters.get().pk])


def test_the_honeypot_is_hidden_by_the_stylesheet_and_labelled_for_people(
    client, open_work
):
    page = client.get(open_work.chapters.get().get_absolute_url()).content.decode()
    box = page.split('class="honeypot"')[1].split("</div>")[0]
    assert 'aria-hidden="true"' in box
    assert 'tabindex="-1"' in box and 'autocomplete="off"' in box
    assert "Leave this empty" in box
    assert "style=" not in box
    css = Path("static/css/archive.css").read_text()
    assert ".honeypot {" in css


def test_a_filled_honeypot_is_refused_with_the_text_kept(client, open_work):
    response = client.post(
        comment_url(open_work),
        {"body": "Cheap pills here", **GUEST, HONEYPOT_FIELD: "http://spam.example"},
    )
    assert response.status_code == 400
    content = html.unescape(response.content.decode())
    assert "Cheap pills here" in content
    assert "please reload the page and post again" in content
    assert not Comment.objects.exists()


def test_the_stamp_is_fresh_on_every_view_of_a_cached_page(client, open_work):
    url = open_work.chapters.get().get_absolute_url()
    first, second = client.get(url), client.get(url)
    assert STAMP_MARK not in first.content.decode()
    assert int(first["Content-Length"]) == len(first.content)
    assert stamp_from(first) != stamp_from(second)


def test_a_comment_sent_too_fast_is_refused_with_a_new_stamp(
    client, open_work, fill_time
):
    page = client.get(open_work.chapters.get().get_absolute_url())
    sent = stamp_from(page)
    response = client.post(
        comment_url(open_work), {"body": "Quick!", **GUEST, STAMP_FIELD: sent}
    )
    assert response.status_code == 400
    content = html.unescape(response.content.decode())
    assert "please take a moment and post again" in content
    assert "Quick!" in content and "Wren" in content
    assert stamp_from(response) != sent
    assert not Comment.objects.exists()


def test_a_comment_sent_after_a_while_is_posted(client, open_work, fill_time):
    response = client.post(
        comment_url(open_work),
        {"body": "Took my time.", **GUEST, STAMP_FIELD: stamp_ago(20)},
    )
    assert response.status_code == 302
    assert Comment.objects.get().guest_name == "Wren"


@pytest.mark.parametrize(
    "stamp",
    [
        "",
        "12345",
        signing.dumps(0.0, salt="another-salt"),
        signing.dumps(1.0, salt="stories.moderation.form-stamp", key="x" * 50),
    ],
    ids=["missing", "unsigned", "other-salt", "other-key"],
)
def test_a_forged_or_missing_stamp_is_refused(client, open_work, fill_time, stamp):
    response = client.post(
        comment_url(open_work), {"body": "Forged.", **GUEST, STAMP_FIELD: stamp}
    )
    assert response.status_code == 400
    assert "Forged." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_form_older_than_a_day_is_refused(client, open_work, fill_time):
    response = client.post(
        comment_url(open_work),
        {"body": "Left open.", **GUEST, STAMP_FIELD: stamp_ago(25 * 3600)},
    )
    assert response.status_code == 400
    assert "open for more than a day" in html.unescape(response.content.decode())
    assert not Comment.objects.exists()


def test_signed_in_readers_are_held_to_the_fill_time_too(
    reader_client, work, fill_time
):
    response = reader_client.post(
        comment_url(work), {"body": "Hi", STAMP_FIELD: stamp_ago(1)}
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_the_comment_edit_form_carries_the_guard(reader_client, work, reader):
    comment = services.comment_post(
        chapter=work.chapters.get(), user=reader, body="First"
    )
    url = reverse("stories:comment_edit", args=[comment.pk])
    page = reader_client.get(url).content.decode()
    assert 'class="honeypot"' in page and f'name="{STAMP_FIELD}"' in page
    response = reader_client.post(url, {"body": "Second", HONEYPOT_FIELD: "x"})
    assert response.status_code == 200
    comment.refresh_from_db()
    assert "First" in comment.body


SIGNUP = {
    "username": "newfan",
    "email": "newfan@example.org",
    "password1": "lantern-keeper-2026",
    "password2": "lantern-keeper-2026",
}


def test_sign_up_with_the_honeypot_filled_makes_no_account(client):
    response = client.post(reverse("signup"), {**SIGNUP, HONEYPOT_FIELD: "bot"})
    assert response.status_code == 200
    assert "newfan@example.org" in response.content.decode()
    assert not User.objects.filter(username="newfan").exists()


def test_sign_up_too_fast_is_refused_and_after_a_while_accepted(client, fill_time):
    sent = stamp_from(client.get(reverse("signup")))
    response = client.post(reverse("signup"), {**SIGNUP, STAMP_FIELD: sent})
    assert "please take a moment" in html.unescape(response.content.decode())
    assert not User.objects.filter(username="newfan").exists()
    response = client.post(reverse("signup"), {**SIGNUP, STAMP_FIELD: stamp_ago(30)})
    assert response.status_code == 302
    assert User.objects.filter(username="newfan").exists()


def test_the_same_comment_twice_is_refused_with_the_form_kept(reader_client, work):
    reader_client.post(comment_url(work), {"body": "Wonderful chapter."})
    response = reader_client.post(comment_url(work), {"body": "Wonderful chapter."})
    assert response.status_code == 400
    content = html.unescape(response.content.decode())
    assert "You just posted this comment here" in content
    assert "Wonderful chapter." in content
    assert Comment.objects.count() == 1
    work.refresh_from_db()
    assert work.comment_count == 1


def test_the_same_guest_comment_twice_is_refused(client, open_work):
    data = {"body": "Buy now", **GUEST}
    client.post(comment_url(open_work), data)
    response = client.post(
        comment_url(open_work), {**data, "guest_email": "WREN@example.org"}
    )
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_the_same_text_is_fine_from_someone_else_elsewhere_or_later(
    client, reader, author, open_work, settings
):
    chapter = open_work.chapters.get()
    services.comment_post(chapter=chapter, user=reader, body="Same words")
    services.comment_post(chapter=chapter, user=author, body="Same words")
    other = make_work(owner=author)
    services.comment_post(chapter=other.chapters.get(), user=reader, body="Same words")
    settings.SPAM_DUPLICATE_SECONDS = 0
    services.comment_post(chapter=chapter, user=reader, body="Same words")
    assert Comment.objects.count() == 4


def test_a_duplicate_raises_in_the_service(reader, work):
    chapter = work.chapters.get()
    services.comment_post(chapter=chapter, user=reader, body="Twice")
    with pytest.raises(services.CommentDuplicate):
        services.comment_post(chapter=chapter, user=reader, body="Twice")


def test_a_guest_changing_email_is_still_known_by_address_and_browser(
    client, open_work
):
    client.post(comment_url(open_work), {"body": "Buy now", **GUEST})
    response = client.post(
        comment_url(open_work),
        {"body": "Buy now", "guest_name": "Wren", "guest_email": "new@example.org"},
    )
    assert response.status_code == 400
    assert Comment.objects.count() == 1
    assert "127.0.0.1" not in Comment.objects.get().guest_digest
    other = client.post(
        comment_url(open_work),
        {"body": "Buy now", "guest_name": "Kit", "guest_email": "kit@example.org"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert other.status_code == 302
    assert Comment.objects.count() == 2
