"""Keeping control characters (NUL and the like) out of what people send.

PostgreSQL refuses NUL in text outright and SQLite stores it; neither belongs in
a tag, a name or a chapter. Forms refuse them with a message, and addresses
that carry them name nothing.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTERS = "\x00-\x1f\x7f-\x9f"
CONTROL_RE = re.compile(f"[{CONTROL_CHARACTERS}]")
# Multi-line text keeps its tabs and line ends.
MULTILINE_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(text, *, multiline=False):
    """Return whether text holds a control character it may not hold."""
    return bool((MULTILINE_CONTROL_RE if multiline else CONTROL_RE).search(text))


@deconstructible
class ControlCharactersValidator:
    """Refuse text, or a list of texts, holding control characters."""

    message = _(
        "This holds an invisible control character (such as a NUL byte) that the "
        "archive cannot store: retype it, or paste it as plain text."
    )
    code = "control_characters"

    def __init__(self, *, multiline=False):
        self.multiline = multiline

    def __call__(self, value):
        texts = value if isinstance(value, list | tuple) else [value]
        if any(
            isinstance(text, str)
            and has_control_characters(text, multiline=self.multiline)
            for text in texts
        ):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return (
            isinstance(other, ControlCharactersValidator)
            and self.multiline == other.multiline
        )


class ControlCharactersRefused:
    """A mixin for every form of the archive: its text fields refuse control
    characters, tabs and line ends allowed in multi-line ones."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(ControlCharactersValidator(multiline=multiline))


class TextConverter:
    """A path part of any text but control characters, which match nothing."""

    regex = f"[^/{CONTROL_CHARACTERS}]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
