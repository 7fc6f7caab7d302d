from django import forms
from django.utils.translation import gettext_lazy as _

from archive.text import ControlCharactersRefused
from stories.moderation.guard import SpamGuarded
from stories.moderation.models import ReportReason

REPORT_DETAILS_MAX_LENGTH = 5000


class ReportForm(SpamGuarded, ControlCharactersRefused, forms.Form):
    """A report of a work or a comment; a guest gives an email to be answered at."""

    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=REPORT_DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What staff should look at, and where. Up to 5,000 characters."),
    )
    email = forms.EmailField(
        label=_("Your email"),
        help_text=_("So staff can answer you. Never shown to anyone."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_authenticated:
            del self.fields["email"]
