from django import forms

from archive.text import ControlCharactersRefused
from stories.readings.models import Reading


class ReadingAdminForm(ControlCharactersRefused, forms.ModelForm):
    """A reading as the admin shows it (staff look, and may delete it)."""

    class Meta:
        model = Reading
        fields = (
            "user",
            "work",
            "last_chapter",
            "chapters_seen",
            "visits",
            "is_marked_for_later",
            "last_read_at",
        )
