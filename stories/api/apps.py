from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The read-only JSON API for tools."""

    name = "stories.api"
    label = "api"
    verbose_name = _("Read API")
