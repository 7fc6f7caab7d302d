from django import forms
from django.utils.translation import gettext_lazy as _

from archive.text import ControlCharactersRefused
from stories import limits
from stories.forms import TEXTAREA, _check_length
from stories.models import Work
from stories.series.models import Series


class SeriesForm(ControlCharactersRefused, forms.ModelForm):
    """A series' title, summary, notes and whether it is complete."""

    class Meta:
        model = Series
        fields = ["title", "summary", "notes", "is_complete"]
        widgets = {
            "summary": forms.Textarea(attrs=TEXTAREA),
            "notes": forms.Textarea(attrs=TEXTAREA),
        }
        help_texts = {
            "summary": _("Up to 1,250 characters. Plain text or HTML."),
            "notes": _("Up to 5,000 characters. Plain text or HTML."),
            "is_complete": _("Tick when no more works will be added."),
        }

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Give the series a title."), code="required")
        return title

    def clean_summary(self):
        return _check_length(self.cleaned_data["summary"], limits.SUMMARY_MAX_LENGTH)

    def clean_notes(self):
        return _check_length(self.cleaned_data["notes"], limits.NOTES_MAX_LENGTH)

    def series_fields(self):
        """Return the cleaned fields, as series_create and series_update take them."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class SeriesAddWorkForm(ControlCharactersRefused, forms.Form):
    """One of the series owner's works that the series does not hold yet."""

    work = forms.ModelChoiceField(
        label=_("Add one of your works"),
        queryset=None,
        empty_label=None,
        error_messages={
            "invalid_choice": _("Choose one of your works that is not in the series.")
        },
    )

    def __init__(self, *args, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work"].queryset = (
            Work.objects.created_by(series.owner)
            .exclude(series_parts__series=series)
            .only("pk", "title", "status")
            .order_by("title", "pk")
        )


class WorkAddToSeriesForm(ControlCharactersRefused, forms.Form):
    """A series of one of the work's creators to add it to, or a title for a
    new series of theirs."""

    series = forms.ModelChoiceField(
        label=_("Add to your series"),
        queryset=None,
        required=False,
        empty_label=_("(a new series)"),
        error_messages={"invalid_choice": _("Choose one of your series.")},
    )
    title = forms.CharField(
        label=_("or start a new series titled"),
        max_length=Series._meta.get_field("title").max_length,
        required=False,
    )

    def __init__(self, *args, work, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = (
            Series.objects.filter(owner=owner)
            .exclude(parts__work=work)
            .only("pk", "title")
            .order_by("title", "pk")
        )

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean(self):
        cleaned = super().clean()
        if not self.has_error("series") and not (
            cleaned.get("series") or cleaned.get("title")
        ):
            raise forms.ValidationError(
                _("Choose a series, or give a title for a new one."), code="required"
            )
        if cleaned.get("series") and cleaned.get("title"):
            raise forms.ValidationError(
                _("Choose a series or give a new title, not both."), code="both"
            )
        return cleaned
