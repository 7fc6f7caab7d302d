from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Accounts")

    def ready(self):
        from archive import ratelimits  # noqa: F401  (registers its check)
