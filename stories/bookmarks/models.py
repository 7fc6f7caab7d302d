from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

BOOKMARK_NOTES_MAX_LENGTH = 5000


class BookmarkFolder(models.Model):
    """A reader's named, ordered list of bookmarks, private or public."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bookmark_folders",
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_private = models.BooleanField(_("private"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bookmark folder")
        verbose_name_plural = _("bookmark folders")
        ordering = ["owner", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                "owner", "name", name="bookmark_folder_unique_name"
            ),
        ]

    def __str__(self):
        return self.name


class Bookmark(models.Model):
    """A reader's bookmark of a work or a series, with their notes.

    The work's title and creator are copied in, so that a bookmark of a work
    that was deleted keeps its notes and can still say what it was.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    work = models.ForeignKey(
        "stories.Work",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookmarks",
    )
    series = models.ForeignKey(
        "series.Series",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookmarks",
    )
    title = models.CharField(_("title"), max_length=255)
    creator_name = models.CharField(_("by"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_private = models.BooleanField(_("private"), default=False)
    is_rec = models.BooleanField(_("recommendation"), default=False)
    folder = models.ForeignKey(
        BookmarkFolder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookmarks",
    )
    position = models.PositiveIntegerField(_("position in folder"), default=0)
    created_at = models.DateTimeField(_("bookmarked"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "owner",
                "work",
                name="bookmark_once_per_work",
                condition=Q(work__isnull=False),
            ),
            models.UniqueConstraint(
                "owner",
                "series",
                name="bookmark_once_per_series",
                condition=Q(series__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["work", "is_private", "-created_at"]),
            models.Index(fields=["owner", "-created_at"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("bookmarks:bookmark_detail", kwargs={"pk": self.pk})
