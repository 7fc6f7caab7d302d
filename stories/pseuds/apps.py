from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PseudsConfig(AppConfig):
    """The names a person writes under, as AO3 has them."""

    name = "stories.pseuds"
    label = "pseuds"
    verbose_name = _("Pseuds")

    def ready(self):
        from stories.pseuds import signals  # noqa: F401
