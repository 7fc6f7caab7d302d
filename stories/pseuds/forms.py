import re

from django import forms
from django.utils.translation import gettext_lazy as _

from archive.params import id_from
from archive.text import ControlCharactersRefused
from stories.pseuds.models import (
    PSEUD_DESCRIPTION_MAX_LENGTH,
    PSEUD_NAME_MAX_LENGTH,
    Pseud,
)

# AO3's rule: letters, numbers, spaces, underscores and hyphens, with at least
# one letter or number.
PSEUD_NAME = re.compile(r"^[\w \-]+$")
HAS_LETTER_OR_NUMBER = re.compile(r"[^\W_]")


class PseudForm(ControlCharactersRefused, forms.ModelForm):
    """A pseud's name and description, as its person adds or changes it."""

    class Meta:
        model = Pseud
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "name": _("Up to 40 letters, numbers, spaces, underscores and hyphens."),
            "description": _("Up to 500 characters. Plain text or HTML."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is None:
            self.instance.user = user
        self.fields["name"].max_length = None
        self.fields["name"].widget.attrs.pop("maxlength", None)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) > PSEUD_NAME_MAX_LENGTH:
            raise forms.ValidationError(
                _("A pseud's name is at most %(limit)s characters long."),
                code="too_long",
                params={"limit": PSEUD_NAME_MAX_LENGTH},
            )
        renamed_as_before = self.instance.pk and name == self.instance.name
        if not renamed_as_before and not (
            PSEUD_NAME.match(name) and HAS_LETTER_OR_NUMBER.search(name)
        ):
            raise forms.ValidationError(
                _(
                    "A pseud's name may only hold letters, numbers, spaces, "
                    "underscores and hyphens, with at least one letter or number."
                ),
                code="invalid_characters",
            )
        taken = Pseud.objects.filter(user=self.user, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("You already have a pseud called “%(name)s”."),
                code="duplicate",
                params={"name": name},
            )
        return name

    def clean_description(self):
        description = self.cleaned_data["description"]
        if len(description) > PSEUD_DESCRIPTION_MAX_LENGTH:
            raise forms.ValidationError(
                _("A description is at most %(limit)s characters long."),
                code="too_long",
                params={"limit": PSEUD_DESCRIPTION_MAX_LENGTH},
            )
        return description


class PseudsChoiceField(forms.ModelMultipleChoiceField):
    """The poster's pseuds a work is credited to."""

    widget = forms.CheckboxSelectMultiple

    def _check_values(self, value):
        # A value no row may have is refused before it reaches the database.
        for pk in value:
            if id_from(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)

    def label_from_instance(self, obj):
        return obj.name


def pseuds_field(user, **kwargs):
    """Return the field choosing which of a person's pseuds a work credits."""
    return PseudsChoiceField(
        queryset=Pseud.objects.filter(user=user),
        label=_("Creator/Pseud(s)"),
        help_text=_(
            "The names of yours the work is posted under; with none ticked, "
            "your default pseud (or, for a posted work, those it has now)."
        ),
        # Forms posted without the field (older pages, scripts) keep working.
        required=False,
        error_messages={
            "invalid_choice": _("Choose among your own pseuds."),
            "invalid_pk_value": _("Choose among your own pseuds."),
        },
        **kwargs,
    )
