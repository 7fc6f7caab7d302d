"""Background jobs of subscriptions: fanning out notifications and emailing them.

A posting (a work, a chapter, a part of a series) or a comment queues one job
once it commits (the `*_on_commit` functions, called by the services that
post): the request does not grow with the followers. The job files every
notification, a batch of followers a query, and queues the emails to send at
once, EMAILS_PER_TASK a job. The daily digest is a periodic job, also run by
`manage.py send_digest`.
"""

from functools import partial

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from stories.subscriptions import services

EMAILS_PER_TASK = 500


def _email_later(notification_ids: list[int]) -> None:
    for start in range(0, len(notification_ids), EMAILS_PER_TASK):
        batch = notification_ids[start : start + EMAILS_PER_TASK]
        transaction.on_commit(partial(notifications_email, notification_ids=batch))


# A fan-out runs once: retried after a failure half way, it would notify twice.
@db_task()
@transaction.atomic
def work_posted(*, work_id: int) -> None:
    """Notify the followers of a newly posted work."""
    _email_later(services.notify_work_posted(work_id=work_id))


@db_task()
@transaction.atomic
def chapter_posted(*, chapter_id: int) -> None:
    """Notify the followers of a newly posted chapter."""
    _email_later(services.notify_chapter_posted(chapter_id=chapter_id))


@db_task()
@transaction.atomic
def series_part_added(*, series_id: int, work_id: int) -> None:
    """Notify a series' followers of a posted work that joined it."""
    _email_later(services.notify_series_part(series_id=series_id, work_id=work_id))


@db_task()
@transaction.atomic
def comment_posted(*, comment_id: int) -> None:
    """Notify a work's creators of a comment, and a commenter of a reply."""
    _email_later(services.notify_comment_posted(comment_id=comment_id))


# Emailing twice is prevented by emailed_at, so these may be retried.
@db_task(retries=3, retry_delay=60)
def notifications_email(*, notification_ids: list[int]) -> None:
    """Email these notifications, one email each."""
    services.notifications_email(notification_ids=notification_ids)


@db_periodic_task(crontab(hour="6", minute="0"))
def digest_daily() -> None:
    """Send every reader with notifications waiting their daily digest."""
    digests_send()


def digests_send() -> int:
    """Send every waiting digest, a batch of readers a transaction; return how many."""
    sent = 0
    after = 0
    while user_ids := services.digest_readers(after=after):
        sent += services.digest_send(user_ids=user_ids)
        after = user_ids[-1]
    return sent


def work_posted_on_commit(work) -> None:
    """Queue work_posted for this work once the posting commits."""
    transaction.on_commit(partial(work_posted, work_id=work.pk))


def chapter_posted_on_commit(chapter) -> None:
    """Queue chapter_posted for this chapter once the posting commits."""
    transaction.on_commit(partial(chapter_posted, chapter_id=chapter.pk))


def series_part_added_on_commit(*, series_id: int, work_id: int) -> None:
    """Queue series_part_added once adding the work to the series commits."""
    transaction.on_commit(
        partial(series_part_added, series_id=series_id, work_id=work_id)
    )


def comment_posted_on_commit(comment) -> None:
    """Queue comment_posted for this comment once it commits."""
    transaction.on_commit(partial(comment_posted, comment_id=comment.pk))
