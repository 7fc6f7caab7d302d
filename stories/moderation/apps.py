from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    """Spam defences, comments held for approval and reports to staff."""

    name = "stories.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        # The form stamp's mark, registered with the page marks before any
        # page (a kept one too) is sent.
        from stories.moderation import guard  # noqa: F401
