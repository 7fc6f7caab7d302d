"""The listings' own filter forms, as the API reads them and documents them.

The API takes the very fields of the HTML listings' WorkFilterForm, by the
same names, read into the same Criteria, so it cannot drift from the site.
"""

from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from archive.text import ControlCharactersRefused
from stories.forms import WorkFilterForm, WorkSearchForm
from stories.models import TagKind
from stories.tagging import TAG_NAME_MAX_LENGTH


class ApiWorkFilterForm(WorkFilterForm):
    """A listing's filters for a guest: what the reader read is not theirs to hide."""

    hide = None


class ApiWorkSearchForm(WorkSearchForm):
    """The search page's filters for a guest."""

    hide = None
    q = forms.CharField(
        label=WorkSearchForm.base_fields["q"].label,
        required=False,
        help_text="Words that must all be found; a “quoted phrase”; -word leaves out.",
    )


def _choices(field):
    return [str(value) for value, _label in field.choices if value != ""]


def form_parameters(form_class):
    """Return the OpenAPI query parameters of a filter form's fields."""
    parameters = []
    for name, field in form_class.base_fields.items():
        description = str(field.help_text or field.label or "")
        if isinstance(field, forms.MultipleChoiceField):
            parameter = OpenApiParameter(
                name,
                {"type": "array", "items": {"type": "string", "enum": _choices(field)}},
                explode=True,
                description=f"{description} (repeat the parameter for several).",
            )
        elif isinstance(field, forms.ChoiceField):
            parameter = OpenApiParameter(
                name, str, enum=_choices(field), description=description
            )
        elif isinstance(field, forms.IntegerField):
            parameter = OpenApiParameter(
                name,
                {"type": "integer", "minimum": field.min_value or 0},
                description=description,
            )
        else:
            parameter = OpenApiParameter(
                name, OpenApiTypes.STR, description=description
            )
        parameters.append(parameter)
    return parameters


class TagFilterForm(ControlCharactersRefused, forms.Form):
    """The filters of the list of tags."""

    kind = forms.ChoiceField(
        label="Kind", choices=[("", "Any"), *TagKind.choices], required=False
    )
    canonical = forms.NullBooleanField(
        label="Canonical",
        required=False,
        widget=forms.Select(choices=[("", "Either"), ("true", "Yes"), ("false", "No")]),
        help_text="true for canonical tags only, false for the others.",
    )
    q = forms.CharField(
        label="Name contains", required=False, max_length=TAG_NAME_MAX_LENGTH
    )

    def tags(self, tags):
        """Return the tags that match the valid filters."""
        data = self.cleaned_data
        if data.get("kind"):
            tags = tags.filter(kind=data["kind"])
        if data.get("canonical") is not None:
            tags = tags.filter(canonical=data["canonical"])
        if data.get("q"):
            tags = tags.filter(name__icontains=data["q"])
        return tags


TAG_FILTER_PARAMETERS = [
    OpenApiParameter("kind", str, enum=[kind.value for kind in TagKind]),
    OpenApiParameter("canonical", bool, description="Canonical tags only, or none."),
    OpenApiParameter("q", str, description="Tags whose name contains this."),
]
