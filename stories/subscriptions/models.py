from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What a reader may subscribe to: one of these per subscription.
TARGETS = ("work", "creator", "series", "tag")


class Subscription(models.Model):
    """A reader's wish to hear of what is new in one work, creator, series or tag."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    work = models.ForeignKey(
        "stories.Work",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscribers",
    )
    series = models.ForeignKey(
        "series.Series",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    tag = models.ForeignKey(
        "stories.Tag", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("subscribed"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(work__isnull=False, creator=None, series=None, tag=None)
                    | Q(work=None, creator__isnull=False, series=None, tag=None)
                    | Q(work=None, creator=None, series__isnull=False, tag=None)
                    | Q(work=None, creator=None, series=None, tag__isnull=False)
                ),
                name="subscription_one_target",
            ),
            *(
                models.UniqueConstraint(
                    "user", target, name=f"subscription_once_per_{target}"
                )
                for target in TARGETS
            ),
        ]
        indexes = [
            models.Index(fields=[target, "user"], name=f"subscribers_of_{target}")
            for target in TARGETS
        ]

    def __str__(self):
        return f"{self.user} follows {self.target}"

    @property
    def target(self):
        return self.work or self.creator or self.series or self.tag


class Kind(models.TextChoices):
    """What a notification tells of."""

    WORK_CHAPTER = "work-chapter", _("New chapters of works I subscribed to")
    CREATOR_WORK = "creator-work", _("New works by creators I subscribed to")
    CREATOR_CHAPTER = "creator-chapter", _("New chapters by creators I subscribed to")
    SERIES_PART = "series-part", _("New parts of series I subscribed to")
    TAG_WORK = "tag-work", _("New works with tags I subscribed to")
    COMMENT = "comment", _("Comments on my works")
    REPLY = "reply", _("Replies to my comments")

    @property
    def field(self):
        """Return the name of the preference that says how it is delivered."""
        return self.value.replace("-", "_")


class Delivery(models.TextChoices):
    """How a notification reaches its reader besides the inbox."""

    AT_ONCE = "at-once", _("Email at once")
    DIGEST = "digest", _("In the daily digest email")
    INBOX = "inbox", _("Inbox only, no email")


def _delivery(default, kind):
    return models.CharField(
        Kind(kind).label, max_length=8, choices=Delivery, default=default
    )


class NotificationPreferences(models.Model):
    """How a reader wants to hear of each kind of notification.

    A reader without a row has the defaults (DEFAULTS): what a reader never
    chose costs no row.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preferences",
    )
    comments_on = models.BooleanField(
        _("tell me of comments on my works"), default=True
    )
    replies_on = models.BooleanField(
        _("tell me of replies to my comments"), default=True
    )
    work_chapter = _delivery(Delivery.AT_ONCE, Kind.WORK_CHAPTER)
    creator_work = _delivery(Delivery.AT_ONCE, Kind.CREATOR_WORK)
    creator_chapter = _delivery(Delivery.AT_ONCE, Kind.CREATOR_CHAPTER)
    series_part = _delivery(Delivery.AT_ONCE, Kind.SERIES_PART)
    tag_work = _delivery(Delivery.DIGEST, Kind.TAG_WORK)
    comment = _delivery(Delivery.AT_ONCE, Kind.COMMENT)
    reply = _delivery(Delivery.AT_ONCE, Kind.REPLY)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user_id}'s notification preferences"

    @classmethod
    def default_delivery(cls, kind):
        return cls._meta.get_field(Kind(kind).field).default


class Notification(models.Model):
    """Something new a reader hears of in their inbox (and maybe by email)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("reader"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    work = models.ForeignKey(
        "stories.Work",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    chapter = models.ForeignKey(
        "stories.Chapter",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.ForeignKey(
        "stories.Comment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    series = models.ForeignKey(
        "series.Series",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    tag = models.ForeignKey(
        "stories.Tag",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    delivery = models.CharField(_("delivery"), max_length=8, choices=Delivery)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="inbox"),
            models.Index(
                fields=["user"], condition=Q(read_at=None), name="inbox_unread"
            ),
            models.Index(
                fields=["user", "id"],
                condition=Q(delivery="digest", emailed_at=None),
                name="digest_pending",
            ),
        ]

    def __str__(self):
        return self.summary

    @property
    def is_unread(self):
        return self.read_at is None

    @property
    def summary(self):
        """Return what happened, in one line of plain text."""
        work = self.work.title if self.work_id else _("a work")
        by = self.actor.username if self.actor_id else ""
        if self.kind in (Kind.WORK_CHAPTER, Kind.CREATOR_CHAPTER):
            chapter = self.chapter.number if self.chapter_id else ""
            return _("New chapter %(number)s of “%(work)s” by %(by)s") % {
                "number": chapter,
                "work": work,
                "by": by,
            }
        if self.kind == Kind.CREATOR_WORK:
            return _("New work by %(by)s: “%(work)s”") % {"work": work, "by": by}
        if self.kind == Kind.SERIES_PART:
            series = self.series.title if self.series_id else _("a series")
            return _("New part of the series “%(series)s”: “%(work)s” by %(by)s") % {
                "series": series,
                "work": work,
                "by": by,
            }
        if self.kind == Kind.TAG_WORK:
            tag = self.tag.name if self.tag_id else _("a tag")
            return _("New work tagged %(tag)s: “%(work)s” by %(by)s") % {
                "tag": tag,
                "work": work,
                "by": by,
            }
        name = self.comment.author_name if self.comment_id else by
        if self.kind == Kind.REPLY:
            return _("%(name)s replied to your comment on “%(work)s”") % {
                "name": name,
                "work": work,
            }
        return _("%(name)s commented on “%(work)s”") % {"name": name, "work": work}

    def get_target_url(self):
        """Return the address of what the notification tells of."""
        if self.comment_id:
            return self.comment.get_absolute_url()
        if self.chapter_id:
            return self.chapter.get_absolute_url()
        if self.work_id:
            return self.work.get_absolute_url()
        return ""
