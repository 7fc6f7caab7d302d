from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadingsConfig(AppConfig):
    """What a reader has read, where they stopped, and what they saved for later."""

    name = "stories.readings"
    label = "readings"
    verbose_name = _("Reading history")
