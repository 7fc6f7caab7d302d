"""Subscriptions, notifications and their emails: every write of this app.

A posting or a comment is told to the readers who follow it by a background
job (tasks.py), queued once the posting commits: the request that posts does
the same work with one subscriber or ten thousand. The job walks the
subscribers a batch at a time, newest subscription id last, and files each
batch's notifications in one insert; the ones to email at once are sent by
further jobs, the others wait for the daily digest.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.languages import in_language_of
from stories.blocking.models import Mute
from stories.caching import changed
from stories.models import Chapter, Comment, HiddenTag, Tag, Work
from stories.series.models import SeriesWork
from stories.subscriptions.models import (
    Delivery,
    Kind,
    Notification,
    NotificationPreferences,
    Subscription,
)

# Subscribers read, and notifications inserted, per query.
BATCH = 1000
# Emails handed to the mail server per connection.
EMAILS_PER_CONNECTION = 100
# A digest lists at most this many notifications, and says how many more.
DIGEST_SHOWN = 50


# Subscribing


class SubscriptionRefused(ValueError):
    """A subscription a reader may not have, with the reason to tell them."""


@transaction.atomic
def subscription_create(
    *, user: AbstractBaseUser, target: str, obj
) -> tuple[Subscription, bool]:
    """Subscribe a reader to a work, creator, series or tag; return the
    subscription and whether it is new (subscribing twice keeps one)."""
    if target == "creator" and obj.pk == user.pk:
        raise SubscriptionRefused(_("You cannot subscribe to yourself."))
    if target == "work" and user.pk in obj.creator_ids:
        raise SubscriptionRefused(_("You cannot subscribe to your own work."))
    subscription, created = Subscription.objects.get_or_create(
        user=user, **{target: obj}
    )
    # The creators, series and tags a reader follows are among their facts.
    changed(readers=[user.pk])
    return subscription, created


@transaction.atomic
def subscription_delete(*, subscription: Subscription) -> None:
    """Unsubscribe: the reader hears no more of its target."""
    subscription.delete()
    changed(readers=[subscription.user_id])


# The inbox


@transaction.atomic
def notifications_mark(
    *, user: AbstractBaseUser, ids: Iterable[int], read: bool
) -> int:
    """Mark these notifications of this reader read or unread; return how many
    changed (another reader's ids change nothing)."""
    count = _mark(Notification.objects.filter(user=user, pk__in=list(ids)), read)
    changed(inboxes=[user.pk])
    return count


def _mark(notifications: QuerySet, read: bool) -> int:
    if read:
        return notifications.filter(read_at=None).update(read_at=timezone.now())
    return notifications.exclude(read_at=None).update(read_at=None)


@transaction.atomic
def notifications_delete(*, user: AbstractBaseUser, ids: Iterable[int]) -> int:
    """Delete these notifications of this reader; return how many went."""
    count, _ = Notification.objects.filter(user=user, pk__in=list(ids)).delete()
    changed(inboxes=[user.pk])
    return count


# Preferences


def preferences_of(user: AbstractBaseUser) -> NotificationPreferences:
    """Return a reader's notification preferences, the defaults if never set."""
    found = NotificationPreferences.objects.filter(user=user).first()
    return found or NotificationPreferences(user=user)


@transaction.atomic
def notification_preferences_set(
    *, user: AbstractBaseUser, **values
) -> NotificationPreferences:
    """Save how a reader wants to hear of each kind of notification."""
    preferences, _ = NotificationPreferences.objects.update_or_create(
        user=user, defaults=values
    )
    return preferences


# Fanning out


@dataclass
class FanOut:
    """The notifications of one event as they are filed, a batch at a time."""

    actor_id: int | None
    work_id: int | None = None
    chapter_id: int | None = None
    comment_id: int | None = None
    series_id: int | None = None
    notified: set[int] = field(default_factory=set)
    at_once: list[int] = field(default_factory=list)

    def file(self, rows: Iterable[tuple[int, Kind, str | None, dict]]) -> None:
        """File one notification for each (user, kind, delivery, extra) row
        whose user has none yet for this event."""
        batch = []
        for user_id, kind, delivery, extra in rows:
            if user_id in self.notified:
                continue
            self.notified.add(user_id)
            batch.append(
                Notification(
                    user_id=user_id,
                    kind=kind,
                    actor_id=self.actor_id,
                    work_id=self.work_id,
                    chapter_id=self.chapter_id,
                    comment_id=self.comment_id,
                    series_id=self.series_id,
                    delivery=delivery or NotificationPreferences.default_delivery(kind),
                    **extra,
                )
            )
        if not batch:
            return
        Notification.objects.bulk_create(batch)
        self.at_once += [n.pk for n in batch if n.delivery == Delivery.AT_ONCE]
        changed(inboxes=[n.user_id for n in batch])


def _batches(subscriptions: QuerySet, kind: Kind, *extra: str) -> Iterator[list]:
    """Yield the (user, kind, delivery, extra) rows of these subscriptions,
    BATCH at a time, by subscription id."""
    columns = ("pk", "user_id", f"user__notification_preferences__{kind.field}")
    last = 0
    while True:
        rows = list(
            subscriptions.filter(pk__gt=last, user__is_active=True)
            .order_by("pk")
            .values_list(*columns, *extra)[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        yield [
            (row[1], kind, row[2], dict(zip(extra, row[3:], strict=True)))
            for row in rows
        ]


def _not_muting(creator_ids: list[int]) -> Q:
    """Return the subscriptions of readers who muted none of these people."""
    return ~Q(
        Exists(Mute.objects.filter(muter=OuterRef("user_id"), muted__in=creator_ids))
    )


def _work_tag_ids(work: Work) -> set[int]:
    """Return the tags a work is listed under, and the tags it carries."""
    rows = work.tagged_items.values_list("tag_id", "filter_tag_id")
    return {pk for pair in rows for pk in pair if pk is not None}


def _tag_subscriptions(work: Work) -> QuerySet:
    """Return the subscriptions to a tag of this work (or to a synonym of one)
    of readers who hide none of its tags (those who muted a creator are left
    out by _not_muting)."""
    tag_ids = _work_tag_ids(work)
    hidden_tag = HiddenTag.objects.filter(reader=OuterRef("user_id")).filter(
        Q(tag_id__in=tag_ids) | Q(tag__merger_id__in=tag_ids)
    )
    synonyms = Tag.objects.filter(merger_id__in=tag_ids).values("pk")
    return Subscription.objects.filter(
        Q(tag_id__in=tag_ids) | Q(tag_id__in=synonyms),
        ~Q(Exists(hidden_tag)),
    )


def notify_work_posted(*, work_id: int) -> list[int]:
    """Tell a newly posted work's followers: of its series, its creators and
    its tags, once each. Return the notifications to email at once."""
    work = Work.objects.filter(pk=work_id).first()
    if work is None or not work.is_posted:
        return []
    creators = work.creator_ids
    out = FanOut(actor_id=work.owner_id, work_id=work.pk, notified=set(creators))
    not_muting = _not_muting(creators)
    for part in SeriesWork.objects.filter(work=work).order_by("series_id"):
        out.series_id = part.series_id
        followers = Subscription.objects.filter(not_muting, series_id=part.series_id)
        for batch in _batches(followers, Kind.SERIES_PART):
            out.file(batch)
    out.series_id = None
    followers = Subscription.objects.filter(not_muting, creator_id__in=creators)
    for batch in _batches(followers, Kind.CREATOR_WORK):
        out.file(batch)
    followers = _tag_subscriptions(work).filter(not_muting)
    for batch in _batches(followers, Kind.TAG_WORK, "tag_id"):
        out.file(batch)
    return out.at_once


def notify_series_part(*, series_id: int, work_id: int) -> list[int]:
    """Tell a series' followers of a posted work added to it."""
    work = Work.objects.filter(pk=work_id).first()
    if work is None or not work.is_posted:
        return []
    creators = work.creator_ids
    out = FanOut(
        actor_id=work.owner_id,
        work_id=work.pk,
        series_id=series_id,
        notified=set(creators),
    )
    followers = Subscription.objects.filter(_not_muting(creators), series_id=series_id)
    for batch in _batches(followers, Kind.SERIES_PART):
        out.file(batch)
    return out.at_once


def notify_chapter_posted(*, chapter_id: int) -> list[int]:
    """Tell the followers of a posted chapter's work and of its creators."""
    chapter = Chapter.objects.select_related("work").filter(pk=chapter_id).first()
    if chapter is None or not (chapter.is_posted and chapter.work.is_posted):
        return []
    work = chapter.work
    creators = work.creator_ids
    out = FanOut(
        actor_id=work.owner_id,
        work_id=work.pk,
        chapter_id=chapter.pk,
        notified=set(creators),
    )
    not_muting = _not_muting(creators)
    for batch in _batches(
        Subscription.objects.filter(not_muting, work=work), Kind.WORK_CHAPTER
    ):
        out.file(batch)
    followers = Subscription.objects.filter(not_muting, creator_id__in=creators)
    for batch in _batches(followers, Kind.CREATOR_CHAPTER):
        out.file(batch)
    return out.at_once


def notify_comment_posted(*, comment_id: int) -> list[int]:
    """Tell a comment's work's creators of it, and the commenter it answers;
    each only if they want to hear of it and did not mute the commenter."""
    comment = (
        Comment.objects.select_related("work", "parent").filter(pk=comment_id).first()
    )
    if comment is None or comment.is_deleted:
        return []
    wanted = []
    if comment.parent is not None and comment.parent.user_id:
        wanted.append((comment.parent.user_id, Kind.REPLY, "replies_on"))
    wanted += [(pk, Kind.COMMENT, "comments_on") for pk in comment.work.creator_ids]
    users = {pk for pk, _kind, _switch in wanted} - {comment.user_id}
    muting = set(
        Mute.objects.filter(muter__in=users, muted=comment.user_id).values_list(
            "muter_id", flat=True
        )
        if comment.user_id
        else ()
    )
    preferences = {
        p.user_id: p for p in NotificationPreferences.objects.filter(user__in=users)
    }
    active = set(
        get_user_model()
        .objects.filter(pk__in=users, is_active=True)
        .values_list("pk", flat=True)
    )
    out = FanOut(
        actor_id=comment.user_id,
        work_id=comment.work_id,
        chapter_id=comment.chapter_id,
        comment_id=comment.pk,
    )
    rows = []
    for user_id, kind, switch in wanted:
        chosen = preferences.get(user_id) or NotificationPreferences()
        if user_id in active and user_id not in muting and getattr(chosen, switch):
            rows.append((user_id, kind, getattr(chosen, kind.field), {}))
    out.file(rows)
    return out.at_once


# Emails


def _site_address(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _email_context(user) -> dict:
    return {
        "user": user,
        "site_url": settings.SITE_URL.rstrip("/"),
        "inbox_url": _site_address("subscriptions:inbox", user.username),
        "preferences_url": _site_address("preferences"),
    }


def _shown(notifications: QuerySet) -> QuerySet:
    return notifications.select_related(
        "user", "actor", "work", "chapter", "comment__user", "series", "tag"
    )


def _send(messages: list[EmailMessage]) -> None:
    for start in range(0, len(messages), EMAILS_PER_CONNECTION):
        with get_connection() as connection:
            connection.send_messages(messages[start : start + EMAILS_PER_CONNECTION])


@transaction.atomic
def notifications_email(*, notification_ids: Iterable[int]) -> int:
    """Email these notifications, one email each, unless emailed already;
    return how many were sent."""
    pending = _shown(
        Notification.objects.select_for_update(of=("self",))
        .filter(pk__in=list(notification_ids), emailed_at=None)
        .exclude(user__email="")
    )
    notifications = list(pending)
    messages = []
    for notification in notifications:
        context = {
            **_email_context(notification.user),
            "notification": notification,
            "target_url": settings.SITE_URL.rstrip("/") + notification.get_target_url(),
        }
        with in_language_of(notification.user):
            messages.append(
                EmailMessage(
                    subject=render_to_string(
                        "subscriptions/email/notification_subject.txt", context
                    ).strip(),
                    body=render_to_string(
                        "subscriptions/email/notification_body.txt", context
                    ),
                    to=[notification.user.email],
                )
            )
    _send(messages)
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        emailed_at=timezone.now()
    )
    return len(messages)


def digest_readers(*, after: int = 0, limit: int = BATCH) -> list[int]:
    """Return the ids of readers with notifications waiting for the digest."""
    waiting = Notification.objects.filter(
        user_id__gt=after, delivery=Delivery.DIGEST, emailed_at=None
    )
    return list(
        waiting.order_by("user_id").values_list("user_id", flat=True).distinct()[:limit]
    )


@transaction.atomic
def digest_send(*, user_ids: Iterable[int]) -> int:
    """Email each of these readers one digest of the notifications waiting
    for it; return how many digests were sent."""
    waiting = Notification.objects.filter(
        user_id__in=list(user_ids), delivery=Delivery.DIGEST, emailed_at=None
    )
    by_user: dict[int, list[Notification]] = {}
    for notification in _shown(waiting.order_by("user_id", "created_at", "pk")):
        by_user.setdefault(notification.user_id, []).append(notification)
    messages = []
    for notifications in by_user.values():
        user = notifications[0].user
        if not user.email:
            continue
        site = settings.SITE_URL.rstrip("/")
        context = {
            **_email_context(user),
            "entries": [
                (n, site + n.get_target_url()) for n in notifications[:DIGEST_SHOWN]
            ],
            "count": len(notifications),
            "more": max(0, len(notifications) - DIGEST_SHOWN),
        }
        with in_language_of(user):
            messages.append(
                EmailMessage(
                    subject=render_to_string(
                        "subscriptions/email/digest_subject.txt", context
                    ).strip(),
                    body=render_to_string(
                        "subscriptions/email/digest_body.txt", context
                    ),
                    to=[user.email],
                )
            )
    _send(messages)
    waiting.filter(pk__in=[n.pk for ns in by_user.values() for n in ns]).update(
        emailed_at=timezone.now()
    )
    return len(messages)
