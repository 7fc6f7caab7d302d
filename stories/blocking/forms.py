from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from archive.text import ControlCharactersRefused


class UserNameForm(ControlCharactersRefused, forms.Form):
    """One user, by name: whom to block or mute."""

    username = forms.CharField(label=_("User name"), max_length=150)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["username"].label = label

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No user is named “%(name)s”."),
                code="unknown_user",
                params={"name": name},
            )
        return user
