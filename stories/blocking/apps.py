from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlockingConfig(AppConfig):
    """Blocking and muting other users."""

    name = "stories.blocking"
    label = "blocking"
    verbose_name = _("Blocking and muting")
