from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DownloadsConfig(AppConfig):
    """A work as a file to keep: EPUB, PDF, one HTML file, plain text."""

    name = "stories.downloads"
    label = "downloads"
    verbose_name = _("Downloads")
