from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeriesConfig(AppConfig):
    """Ordered series of works."""

    name = "stories.series"
    label = "series"
    verbose_name = _("Series")
