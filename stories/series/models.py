from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stories.series.querysets import SeriesQuerySet, SeriesWorkQuerySet


class Series(models.Model):
    """An ordered run of works, each of which may be in other series too."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="series",
        verbose_name=_("owner"),
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_complete = models.BooleanField(_("complete"), default=False)
    works = models.ManyToManyField(
        "stories.Work", through="SeriesWork", related_name="series"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["-updated_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("series:series_detail", kwargs={"pk": self.pk})

    def is_editable_by(self, user):
        return user.is_authenticated and (user.pk == self.owner_id or user.is_staff)


class SeriesWork(models.Model):
    """A work's place in a series: part 1, 2, 3..."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="parts")
    work = models.ForeignKey(
        "stories.Work", on_delete=models.CASCADE, related_name="series_parts"
    )
    position = models.PositiveIntegerField(_("part"))

    objects = SeriesWorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("part of a series")
        verbose_name_plural = _("parts of series")
        ordering = ["series", "position"]
        constraints = [
            models.UniqueConstraint("series", "work", name="series_work_once"),
        ]
        indexes = [models.Index(fields=["work", "series"])]

    def __str__(self):
        return f"Part {self.position} of {self.series_id}"
