from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostingConfig(AppConfig):
    """Writing and posting: the writing editor, previews and scheduled posting."""

    name = "stories.posting"
    label = "posting"
    verbose_name = _("Posting")
