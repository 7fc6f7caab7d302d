from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from archive.preferences import Font, LineWidth, TextSize, Theme


class User(AbstractUser):
    """A person with an account: a reader, and an author once they post."""

    email = models.EmailField(_("email address"), unique=True)
    bio = models.TextField(
        _("about me"),
        blank=True,
        max_length=2000,
        help_text=_("Plain text shown on your profile page."),
    )
    keep_history = models.BooleanField(
        _("keep my reading history"),
        default=True,
        help_text=_("Remember the works you read and the chapter you stopped at."),
    )

    view_adult = models.BooleanField(
        _("show adult works without asking"),
        default=False,
        # Rows written in bulk without it (stories/seeding.py) take it too.
        db_default=False,
        help_text=_(
            "Skip the notice before the text of Mature, Explicit and Not Rated works."
        ),
    )

    # How the reader reads (archive/preferences.py). Rows written in bulk
    # without them (stories/seeding.py) take the defaults too.
    font = models.CharField(
        _("font of the text"),
        max_length=8,
        choices=Font.choices,
        default=Font.SERIF,
        db_default=Font.SERIF,
    )
    text_size = models.CharField(
        _("size of the text"),
        max_length=8,
        choices=TextSize.choices,
        default=TextSize.MEDIUM,
        db_default=TextSize.MEDIUM,
    )
    line_width = models.CharField(
        _("line width"),
        max_length=8,
        choices=LineWidth.choices,
        default=LineWidth.MEDIUM,
        db_default=LineWidth.MEDIUM,
    )
    theme = models.CharField(
        _("colours"),
        max_length=8,
        choices=Theme.choices,
        default=Theme.SYSTEM,
        db_default=Theme.SYSTEM,
    )
    hide_notes = models.BooleanField(
        _("hide creators' notes"),
        default=False,
        db_default=False,
        help_text=_("Leave out the notes before and after works and chapters."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        default="",
        db_default="",
        help_text=_("Dates and times are shown in it. Empty: the archive's own."),
    )

    email_verified = models.BooleanField(
        _("email address confirmed"),
        default=False,
        help_text=_(
            "Set once the person follows the link emailed to them. Until then "
            "they may read, bookmark and follow, but not post works or comments."
        ),
    )

    language = models.CharField(
        _("interface language"),
        max_length=10,
        blank=True,
        default="",
        db_default="",
        choices=settings.LANGUAGES,
        help_text=_(
            "The language of the archive's pages, chosen with the switcher at the "
            "top of every page; empty follows the browser's."
        ),
    )

    @property
    def may_post(self):
        """Whether this account may post works, chapters and comments: once
        its email address is confirmed (staff are trusted)."""
        return self.email_verified or self.is_staff

    def __str__(self):
        return self.username

    def get_absolute_url(self):
        return reverse("stories:user_detail", kwargs={"username": self.username})
