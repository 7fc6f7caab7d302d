from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookmarksConfig(AppConfig):
    """Bookmarks and their folders."""

    name = "stories.bookmarks"
    label = "bookmarks"
    verbose_name = _("Bookmarks")
