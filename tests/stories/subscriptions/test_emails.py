"""Emails by each reader's preference: at once, in the daily digest, or none."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from stories import services
from stories.subscriptions.models import Delivery, Notification
from stories.subscriptions.services import notification_preferences_set
from tests.factories import UserFactory, make_work

from .conftest import subscribe

pytestmark = pytest.mark.django_db


def test_a_new_chapter_is_emailed_at_once_by_default(
    work, reader, new_chapter, settings
):
    settings.SITE_URL = "https://archive.example"
    subscribe(reader, work=work)
    chapter = new_chapter(work)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [reader.email]
    assert (
        email.subject
        == f"[Fan Archive] New chapter 2 of “{work.title}” by {work.owner}"
    )
    assert f"https://archive.example{chapter.get_absolute_url()}" in email.body
    inbox = reverse("subscriptions:inbox", args=[reader.username])
    assert f"https://archive.example{inbox}" in email.body
    assert f"https://archive.example{reverse('preferences')}" in email.body
    assert Notification.objects.get(user=reader).emailed_at is not None


def test_a_digest_reader_is_emailed_once_a_day_with_everything_waiting(
    author, reader, post, new_chapter
):
    notification_preferences_set(user=reader, creator_work=Delivery.DIGEST,
                                 work_chapter=Delivery.DIGEST)  # fmt: skip
    subscribe(reader, creator=author)
    work = post(make_work, owner=author, title="First")
    subscribe(reader, work=work)
    new_chapter(work)
    assert mail.outbox == []
    call_command("send_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [reader.email]
    assert "2 new notifications" in digest.subject
    assert "New work by quillfeather: “First”" in digest.body
    assert "New chapter 2 of “First”" in digest.body
    assert reverse("preferences") in digest.body
    # What a digest sent is not sent again.
    call_command("send_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1


def test_the_periodic_job_sends_the_digests(author, reader, post):
    from stories.subscriptions.tasks import digest_daily

    subscribe(reader, tag=services.tags_get_or_create(kind="freeform", names=["X"])[0])
    post(make_work, owner=author, freeforms=["X"])
    assert mail.outbox == []  # new works of a tag wait for the digest by default
    digest_daily.call_local()
    assert [email.to for email in mail.outbox] == [[reader.email]]


def test_inbox_only_sends_no_email_but_keeps_the_notification(
    work, reader, new_chapter
):
    notification_preferences_set(user=reader, work_chapter=Delivery.INBOX)
    subscribe(reader, work=work)
    new_chapter(work)
    call_command("send_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []
    assert Notification.objects.filter(user=reader).count() == 1


def test_each_reader_gets_their_own_delivery(work, new_chapter):
    at_once, digest, inbox = UserFactory(), UserFactory(), UserFactory()
    notification_preferences_set(user=digest, work_chapter=Delivery.DIGEST)
    notification_preferences_set(user=inbox, work_chapter=Delivery.INBOX)
    for reader in (at_once, digest, inbox):
        subscribe(reader, work=work)
    new_chapter(work)
    assert [email.to for email in mail.outbox] == [[at_once.email]]
    call_command("send_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [email.to for email in mail.outbox] == [[at_once.email], [digest.email]]


def test_comment_emails_follow_their_own_preference(work, reader, post):
    notification_preferences_set(user=work.owner, comment=Delivery.INBOX)
    post(services.comment_post, chapter=work.chapters.get(), user=reader, body="Hi")
    assert mail.outbox == []
    notification_preferences_set(user=work.owner, comment=Delivery.AT_ONCE)
    post(services.comment_post, chapter=work.chapters.get(), user=reader, body="Yo")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == (
        f"[Fan Archive] {reader.username} commented on “{work.title}”"
    )


def test_no_email_is_sent_inside_the_posting_request(
    author_client, work, reader, django_capture_on_commit_callbacks
):
    subscribe(reader, work=work)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        author_client.post(
            reverse("stories:chapter_create", args=[work.pk]),
            {"chapter_title": "Two", "body": "More of it.", "action": "post"},
        )
    assert mail.outbox == []
    assert Notification.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert Notification.objects.filter(user=reader).count() == 1
    assert len(mail.outbox) == 1
