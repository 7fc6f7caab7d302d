from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from archive.text import ControlCharactersRefused
from stories.moderation.guard import SpamGuarded
from stories.moderation.models import ReportReason

REPORT_DETAILS_MAX_LENGTH = 5000


class WhoMayComment(models.TextChoices):
    """Who may comment on a work: its two settings as its creators choose them."""

    ANYONE = "anyone", _("Anyone, guests too")
    USERS = "users", _("Only signed-in users")
    HELD = "held", _("Anyone, but guests' comments wait for my approval")


def who_may_comment_field():
    """Return the work form's choice of who may comment (signed-in users, unset)."""
    return forms.ChoiceField(
        label=_("Who may comment"),
        choices=WhoMayComment.choices,
        widget=forms.RadioSelect,
        required=False,
        initial=WhoMayComment.USERS,
    )


def who_may_comment_of(work) -> str:
    """Return who may comment on a work, as the work form offers it."""
    if not work.allow_guest_comments:
        return WhoMayComment.USERS
    return WhoMayComment.HELD if work.hold_guest_comments else WhoMayComment.ANYONE


def who_may_comment_fields(choice: str) -> dict:
    """Return the work's fields for a choice of who may comment."""
    return {
        "allow_guest_comments": choice in (WhoMayComment.ANYONE, WhoMayComment.HELD),
        "hold_guest_comments": choice == WhoMayComment.HELD,
    }


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
