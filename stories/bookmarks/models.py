from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from stories.bookmarks.querysets import BookmarkQuerySet, FolderQuerySet
from stories.tagging import TAG_NAME_MAX_LENGTH

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

    objects = FolderQuerySet.as_manager()

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

    def get_absolute_url(self):
        return reverse(
            "bookmarks:folder_detail",
            kwargs={"username": self.owner.username, "folder_pk": self.pk},
        )


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

    objects = BookmarkQuerySet.as_manager()

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
            models.Index(fields=["folder", "position"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("bookmarks:bookmark_detail", kwargs={"pk": self.pk})

    @property
    def target(self):
        """Return the work or series bookmarked, or None once it was deleted."""
        return self.work if self.work_id else self.series if self.series_id else None

    @property
    def is_of_series(self):
        return self.series_id is not None

    @property
    def target_url(self):
        """Return the address of what is bookmarked, or "" when it has none."""
        target = self.target
        if target is None:
            return ""
        try:
            return target.get_absolute_url()
        except NoReverseMatch:
            # A series has a page only once the series app serves one.
            return ""


class BookmarkTag(models.Model):
    """One of a bookmarker's own tags on one of their bookmarks.

    A row per tag per bookmark, as typed, with a case-folded key to match
    and count it by: bookmarkers' tags are their own words, never wrangled,
    so they share no table with the works' typed tags.
    """

    bookmark = models.ForeignKey(
        Bookmark, on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(_("name"), max_length=TAG_NAME_MAX_LENGTH)
    key = models.CharField(max_length=TAG_NAME_MAX_LENGTH, db_index=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bookmark tag")
        verbose_name_plural = _("bookmark tags")
        ordering = ["bookmark", "position", "id"]
        constraints = [
            models.UniqueConstraint("bookmark", "key", name="bookmark_tag_once"),
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def key_of(name):
        """Return the key a tag name is matched by: case-folded, spaces single."""
        return " ".join(name.split()).casefold()
