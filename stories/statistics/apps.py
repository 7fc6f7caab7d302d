from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    """Author statistics: what became of an author's works, in numbers and charts."""

    name = "stories.statistics"
    label = "statistics"
    verbose_name = _("Author statistics")
