from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from archive import preferences
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


class ReadingPreferencesFields(ControlCharactersRefused, forms.Form):
    """How a reader reads: the fields an account and a guest's browser share.

    Every one may be left out (a default then), so a form posted with
    nothing ticked is still an answer.
    """

    font = forms.ChoiceField(
        label=_("Font of works' text"),
        choices=preferences.Font.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    text_size = forms.ChoiceField(
        label=_("Size of works' text"),
        choices=preferences.TextSize.choices,
        required=False,
    )
    line_width = forms.ChoiceField(
        label=_("Line width"),
        choices=preferences.LineWidth.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    theme = forms.ChoiceField(
        label=_("Colours"),
        choices=preferences.Theme.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    hide_notes = forms.BooleanField(
        label=_("Hide creators' notes"),
        required=False,
        help_text=_("Leave out the notes before and after works and chapters."),
    )
    view_adult = forms.BooleanField(
        label=_("Show adult works without asking"),
        required=False,
        help_text=_(
            "Skip the notice before the text of Mature, Explicit and Not Rated works."
        ),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Dates and times are shown in it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [
            ("", _("The archive's own (%(zone)s)") % {"zone": settings.TIME_ZONE}),
            *preferences.time_zone_choices(),
        ]

    def _clean_choice(self, name):
        return self.cleaned_data[name] or getattr(preferences.DEFAULTS, name)

    def clean_font(self):
        return self._clean_choice("font")

    def clean_text_size(self):
        return self._clean_choice("text_size")

    def clean_line_width(self):
        return self._clean_choice("line_width")

    def clean_theme(self):
        return self._clean_choice("theme")


class GuestPreferencesForm(ReadingPreferencesFields):
    """A guest's reading preferences, kept by their browser."""

    def preferences(self):
        """Return the choices made, as ReaderPreferences."""
        return preferences.ReaderPreferences(
            **{name: self.cleaned_data[name] for name in preferences.FIELD_NAMES}
        )


class PreferencesForm(ReadingPreferencesFields, forms.ModelForm):
    """The settings a reader chooses for themselves."""

    class Meta:
        model = User
        fields = ("keep_history", *preferences.FIELD_NAMES)
        help_texts = {
            "keep_history": _(
                "Remember the works you read and the chapter you stopped at. "
                "Switched off, nothing more is added; what your history holds "
                "stays until you clear it, and works marked for later stay "
                "marked."
            ),
        }
