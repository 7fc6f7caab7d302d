"""Scheduled posting: a draft work or chapter set to post at a chosen time.

Until then it is a draft like any other (Work.objects.visible_to hides it from
everyone but its creators and staff). The periodic job (stories/posting/tasks.py)
posts what is due through the same services as the Post button, so followers
are notified then, and listings and pages follow through their changed().
"""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stories import services
from stories.caching import changed
from stories.models import Chapter, Status, Work

logger = logging.getLogger(__name__)


class SchedulingRefused(ValueError):
    """A time or a thing that cannot be scheduled; the message says why."""


def check_post_at(post_at: datetime, *, now: datetime | None = None) -> None:
    """Refuse a time that is not in the future."""
    if post_at <= (now or timezone.now()):
        raise SchedulingRefused(
            _("Choose a time in the future: that time has already passed.")
        )


@transaction.atomic
def work_schedule(*, work: Work, post_at: datetime) -> Work:
    """Set a draft work to be posted at post_at, with its draft chapters."""
    if work.is_posted:
        raise SchedulingRefused(_("This work is posted already."))
    check_post_at(post_at)
    work.scheduled_for = post_at
    work.save(update_fields=["scheduled_for", "modified_at"])
    # Its page tells its creators when it will be posted.
    changed(works=[work.pk])
    return work


@transaction.atomic
def work_unschedule(*, work: Work) -> Work:
    """Keep a scheduled work as a draft, posted only when its author says so."""
    work.scheduled_for = None
    work.save(update_fields=["scheduled_for", "modified_at"])
    changed(works=[work.pk])
    return work


@transaction.atomic
def chapter_schedule(*, chapter: Chapter, post_at: datetime) -> Chapter:
    """Set a draft chapter of a posted work to be posted at post_at."""
    if chapter.is_posted:
        raise SchedulingRefused(_("This chapter is posted already."))
    if not chapter.work.is_posted:
        raise SchedulingRefused(
            _("A draft work's chapters are posted with it: schedule the work instead.")
        )
    check_post_at(post_at)
    chapter.scheduled_for = post_at
    chapter.save(update_fields=["scheduled_for", "updated_at"])
    changed(works=[chapter.work_id])
    return chapter


@transaction.atomic
def chapter_unschedule(*, chapter: Chapter) -> Chapter:
    """Keep a scheduled chapter as a draft."""
    chapter.scheduled_for = None
    chapter.save(update_fields=["scheduled_for", "updated_at"])
    changed(works=[chapter.work_id])
    return chapter


def scheduled_post_due(*, now: datetime | None = None) -> int:
    """Post every scheduled work and chapter whose time has come; return how many.

    Each is posted in its own transaction, so one that fails leaves the
    others posted (and is tried again by the next run).
    """
    now = now or timezone.now()
    posted = 0
    due_works = Work.objects.filter(status=Status.DRAFT, scheduled_for__lte=now)
    for pk in due_works.order_by("scheduled_for", "pk").values_list("pk", flat=True):
        posted += _post_due(Work, pk, now, services.work_post, "work")
    # A chapter of a work still a draft waits for its work.
    due_chapters = Chapter.objects.filter(
        status=Status.DRAFT,
        scheduled_for__lte=now,
        work__status=Status.POSTED,
    ).order_by("scheduled_for", "position", "pk")
    for pk in due_chapters.values_list("pk", flat=True):
        posted += _post_due(Chapter, pk, now, services.chapter_post, "chapter")
    return posted


def _post_due(model, pk, now, post, keyword):
    try:
        with transaction.atomic():
            # Locked and read again: the author may have posted, changed or
            # cancelled it since it was found due.
            thing = (
                model.objects.select_for_update()
                .filter(pk=pk, status=Status.DRAFT, scheduled_for__lte=now)
                .first()
            )
            if thing is None:
                return 0
            post(**{keyword: thing})
            return 1
    except Exception:
        logger.exception("Posting scheduled %s %s failed", keyword, pk)
        return 0
