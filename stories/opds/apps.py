from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpdsConfig(AppConfig):
    """The OPDS catalogue that e-readers browse and download from."""

    name = "stories.opds"
    label = "opds"
    verbose_name = _("OPDS catalogue")
