from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    """Kudos and hits: how readers tell authors they were here."""

    name = "stories.engagement"
    label = "engagement"
    verbose_name = _("Kudos and hits")
