from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class GuestCommentSwitch(models.Model):
    """The site-wide switch for guest comments: one row, turned by staff in
    the admin (during a spam wave, without a deploy or a restart)."""

    allowed = models.BooleanField(
        _("guests may comment"),
        default=True,
        help_text=_(
            "Off: nobody without an account may comment anywhere, whatever each "
            "work allows; their comment forms ask them to log in."
        ),
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("guest comment switch")
        verbose_name_plural = _("guest comment switch")

    def __str__(self):
        return str(_("Guest comments on") if self.allowed else _("Guest comments off"))


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    HARASSMENT = "harassment", _("Harassment or abuse")
    COPYRIGHT = "copyright", _("Plagiarism or copyright")
    TAGS = "tags", _("Missing or wrong warnings or rating")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Report(models.Model):
    """A reader's report of a work or a comment, for staff to look at."""

    work = models.ForeignKey(
        "stories.Work",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("work"),
    )
    comment = models.ForeignKey(
        "stories.Comment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comment"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason)
    details = models.TextField(_("details"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reporter"),
    )
    reporter_email = models.EmailField(_("reporter's email"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"])]
        constraints = [
            # A report names exactly one thing: a work or a comment.
            models.CheckConstraint(
                condition=models.Q(work__isnull=False, comment__isnull=True)
                | models.Q(work__isnull=True, comment__isnull=False),
                name="moderation_report_names_one_thing",
            ),
        ]

    def __str__(self):
        return _("Report #%(pk)s: %(reason)s") % {
            "pk": self.pk,
            "reason": self.get_reason_display(),
        }

    @property
    def reported(self):
        """Return what was reported: the work or the comment."""
        return self.work if self.work_id else self.comment

    def get_reported_url(self):
        """Return the address of what was reported, as readers find it."""
        if self.work_id:
            return self.work.get_absolute_url()
        return reverse("stories:comment_detail", args=[self.comment_id])
