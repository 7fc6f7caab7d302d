from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kudos(models.Model):
    """A reader's kudos on a work: a user's once, a guest's once a day per browser."""

    work = models.ForeignKey(
        "stories.Work", on_delete=models.CASCADE, related_name="kudos"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kudos",
    )
    # For a guest: a digest of their browser, address and the day, never the
    # address itself.
    guest_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("left"), auto_now_add=True)

    class Meta:
        verbose_name = _("kudos")
        verbose_name_plural = _("kudos")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "work",
                "user",
                name="kudos_once_per_user",
                condition=Q(user__isnull=False),
            ),
            models.UniqueConstraint(
                "work",
                "guest_key",
                name="kudos_once_per_guest",
                condition=Q(user__isnull=True),
            ),
        ]
        indexes = [models.Index(fields=["user", "work"])]

    def __str__(self):
        return f"Kudos on {self.work_id}"


class WorkHits(models.Model):
    """A work's hits in one hour, for its author's statistics over time.

    Written by the hits job with the work's total (stories.engagement.services
    hits_add), from the minutes the hits were counted in.
    """

    work = models.ForeignKey(
        "stories.Work", on_delete=models.CASCADE, related_name="hits_by_hour"
    )
    hour = models.DateTimeField(_("hour"))
    hits = models.PositiveIntegerField(_("hits"), default=0)

    class Meta:
        verbose_name = _("hits in an hour")
        verbose_name_plural = _("hits by hour")
        constraints = [
            models.UniqueConstraint("work", "hour", name="work_hits_once_per_hour")
        ]

    def __str__(self):
        return f"{self.hits} hits on {self.work_id} at {self.hour:%Y-%m-%d %H:00}"
