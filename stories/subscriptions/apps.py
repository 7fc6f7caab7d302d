from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    """Subscriptions, the inbox and the emails they send."""

    name = "stories.subscriptions"
    label = "subscriptions"
    verbose_name = _("Subscriptions")
