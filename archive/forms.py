from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from archive.models import User
from archive.text import ControlCharactersRefused
from stories.moderation.guard import SpamGuarded


class SignupForm(SpamGuarded, ControlCharactersRefused, UserCreationForm):
    email = forms.EmailField(
        label=_("Email"),
        help_text=_(
            "We email a link to confirm it before you post. Used only for that "
            "and to reset your password; never shown to anyone."
        ),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "An account with this email already exists. Log in instead, "
                    "or reset your password."
                ),
                code="duplicate_email",
            )
        return email

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("That user name is taken."), code="duplicate_username"
            )
        return username


class PreferencesForm(ControlCharactersRefused, forms.ModelForm):
    """The settings a reader chooses for themselves."""

    class Meta:
        model = User
        fields = ("keep_history", "view_adult")
        help_texts = {
            "keep_history": _(
                "Remember the works you read and the chapter you stopped at. "
                "Switched off, nothing more is added; what your history holds "
                "stays until you clear it, and works marked for later stay "
                "marked."
            ),
        }
