"""A posting costs the same with one follower or thousands; the job batches."""

import math

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import User
from stories.subscriptions import services, tasks
from stories.subscriptions.models import Notification, Subscription

pytestmark = pytest.mark.django_db

MANY = 2000


def inserts(rows, batch):
    """Return the inserts that file rows notifications, batch at a time: one a
    batch on PostgreSQL; SQLite takes at most 999 values an insert."""
    fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
    per_insert = min(batch, connection.ops.bulk_batch_size(fields, [None] * batch))
    return sum(
        math.ceil(min(batch, rows - start) / per_insert)
        for start in range(0, rows, batch)
    )


def job_query_limit(rows):
    """The fan-out's queries: the chapter, its work's creators, a read of
    followers a batch (and an empty one for each kind of follower), the
    inserts, and each emails job's read and update; each job in a transaction
    (in a test, two savepoints)."""
    reads = 2 + math.ceil(rows / services.BATCH) + 2
    email_jobs = math.ceil(rows / tasks.EMAILS_PER_TASK)
    transactions = 2 * (1 + email_jobs)
    return reads + inserts(rows, services.BATCH) + 2 * email_jobs + transactions


def add_subscribers(work, count, start=0):
    users = User.objects.bulk_create(
        User(username=f"follower{n}", email=f"follower{n}@example.org")
        for n in range(start, start + count)
    )
    Subscription.objects.bulk_create(
        Subscription(user=user, work=work) for user in users
    )


def post_chapter(client, work, title, capture):
    """Post a chapter through the form; return its request's queries and the
    on-commit callbacks it left for its commit."""
    with (
        capture(execute=False) as callbacks,
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.post(
            reverse("stories:chapter_create", args=[work.pk]),
            {"chapter_title": title, "body": "More of it.", "action": "post"},
        )
    assert response.status_code == 302
    return len(queries), callbacks


def test_posting_a_chapter_costs_the_same_with_many_subscribers(
    author_client,
    work,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    add_subscribers(work, 1)
    with_one, callbacks = post_chapter(
        author_client, work, "Two", django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert Notification.objects.count() == 1
    add_subscribers(work, MANY - 1, start=1)
    mail.outbox.clear()
    with django_assert_max_num_queries(with_one):
        with_many, callbacks = post_chapter(
            author_client, work, "Three", django_capture_on_commit_callbacks
        )
    assert with_many == with_one
    assert Notification.objects.count() == 1  # nothing is notified in the request
    assert mail.outbox == []

    with (
        CaptureQueriesContext(connection) as job,
        django_capture_on_commit_callbacks(execute=True),
    ):
        for callback in callbacks:
            callback()
    assert len(job) <= job_query_limit(MANY)
    chapter = work.chapters.get(title="Three")
    assert Notification.objects.filter(chapter=chapter).count() == MANY
    assert (
        Notification.objects.filter(chapter=chapter).values("user").distinct().count()
        == MANY
    )
    assert len(mail.outbox) == MANY
    assert not Notification.objects.filter(chapter=chapter, emailed_at=None).exists()


def test_the_fan_out_reads_and_writes_a_batch_at_a_time(
    work, new_chapter, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(services, "BATCH", 100)
    add_subscribers(work, 450)
    chapter = work.chapters.get()
    # A read of the chapter and one of its work's creators, five reads of
    # followers (and an empty one), the inserts, then one empty read for the
    # creators' followers.
    with django_assert_max_num_queries(2 + 6 + inserts(450, 100) + 1):
        ids = services.notify_chapter_posted(chapter_id=chapter.pk)
    assert len(ids) == 450
    assert Notification.objects.count() == 450
