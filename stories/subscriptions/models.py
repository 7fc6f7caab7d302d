from django.conf import settings
from django.db import models
from django.db.models import Q
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
