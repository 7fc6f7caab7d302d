"""Writes of moderation: the guest-comment switch, held comments, reports."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stories.caching import GUEST_COMMENTS, cached, changed, part
from stories.models import Comment, CommentStatus, Work
from stories.moderation.models import (
    GuestCommentSwitch,
    Report,
    ReportStatus,
)
from stories.services import comment_refresh_count
from stories.subscriptions import tasks as subscription_tasks


def guest_comments_allowed() -> bool:
    """Return whether the site-wide switch lets guests comment (kept in the cache)."""

    def read():
        row = GuestCommentSwitch.objects.filter(pk=1).first()
        return row is None or row.allowed

    return cached(part("guest-comments-allowed", scopes=[GUEST_COMMENTS]), read)


@transaction.atomic
def guest_comments_switch(*, allowed: bool) -> GuestCommentSwitch:
    """Turn guest comments on or off across the archive."""
    row, _created = GuestCommentSwitch.objects.update_or_create(
        pk=1, defaults={"allowed": allowed}
    )
    changed(guest_comments=True)
    return row


@transaction.atomic
def comment_approve(*, comment: Comment) -> Comment:
    """Show a held comment to readers, count it and tell those who follow it."""
    if not comment.is_held:
        return comment
    comment.status = CommentStatus.POSTED
    comment.save(update_fields=["status", "updated_at"])
    comment_refresh_count(work=comment.work)
    subscription_tasks.comment_posted_on_commit(comment)
    return comment


def held_comments(work: Work):
    """Return a work's comments held for approval, oldest first."""
    return (
        Comment.objects.filter(work=work)
        .held()
        .select_related("chapter", "parent")
        .order_by("created_at", "id")
    )


@transaction.atomic
def report_file(
    *,
    work: Work | None = None,
    comment: Comment | None = None,
    reason: str,
    details: str = "",
    reporter: AbstractBaseUser | None = None,
    reporter_email: str = "",
) -> Report:
    """File a report of a work or a comment for staff."""
    if (work is None) == (comment is None):
        raise ValueError(_("A report names a work or a comment."))
    return Report.objects.create(
        work=work,
        comment=comment,
        reason=reason,
        details=details.strip(),
        reporter=reporter,
        reporter_email="" if reporter else reporter_email.strip(),
    )


@transaction.atomic
def reports_resolve(*, reports) -> int:
    """Mark open reports resolved; return how many were."""
    return reports.filter(status=ReportStatus.OPEN).update(
        status=ReportStatus.RESOLVED, resolved_at=timezone.now()
    )
