from django import forms

from archive.text import ControlCharactersRefused
from stories.readings.models import Reading


class ReadingAdminForm(ControlCharactersRefused, forms.ModelForm):
    """A reading as the admin shows it (staff look, and may delete it)."""

    class Meta:
        model = Reading
        fields = "__all__"
