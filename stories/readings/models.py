from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stories.readings.querysets import ReadingQuerySet


class Reading(models.Model):
    """A reader's history with one work: when, how far, and whether saved for later."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="readings"
    )
    work = models.ForeignKey(
        "stories.Work", on_delete=models.CASCADE, related_name="readings"
    )
    last_chapter = models.ForeignKey(
        "stories.Chapter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The chapters the work had posted when the reader was last here.
    chapters_seen = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)
    is_marked_for_later = models.BooleanField(_("marked for later"), default=False)
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True)

    objects = ReadingQuerySet.as_manager()

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        ordering = ["-last_read_at", "-id"]
        constraints = [
            models.UniqueConstraint("user", "work", name="reading_once_per_work"),
        ]
        indexes = [models.Index(fields=["user", "-last_read_at"])]

    def __str__(self):
        return f"{self.user} read {self.work_id}"
