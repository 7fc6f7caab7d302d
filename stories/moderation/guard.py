"""Keeping robots out of the forms anyone may send: a honeypot and a fill time.

Every form a guest may send (comments, sign-up, reports) mixes in
`SpamGuarded`: it adds a field humans never see (hidden by the stylesheet,
skipped by screen readers and the tab key) that robots fill in, and a signed
stamp of when the form was shown, refused when the form comes back sooner
than SPAM_MIN_FILL_SECONDS (a person reads and types) or later than
SPAM_MAX_FORM_AGE, or when it was not made by the archive.

Pages are cached whole or in parts for many readers, so the stamp is not
rendered into them: the form renders a mark, and stories.caching's
`MarksMiddleware` puts a fresh stamp in its place in every page it answers
with, as it puts in each reader's form token.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stories.caching import response_mark

HONEYPOT_FIELD = "website"
STAMP_FIELD = "form_stamp"
STAMP_SALT = "stories.moderation.form-stamp"


def form_stamp(at: float | None = None) -> str:
    """Return a signed stamp of when a form was shown (now, unless at is given)."""
    return signing.dumps(round(time.time() if at is None else at, 3), salt=STAMP_SALT)


STAMP_MARK = response_mark("form-stamp", lambda request: form_stamp())


class HoneypotInput(forms.TextInput):
    """A text box humans never see, with a label telling them to leave it empty."""

    def __init__(self):
        super().__init__(
            attrs={"autocomplete": "off", "tabindex": "-1", "class": "honeypot-input"}
        )

    # Rendered among a form's hidden fields, with its own label: no field group.
    is_hidden = True

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, "", attrs, renderer)
        return format_html(
            '<div class="honeypot" aria-hidden="true">'
            '<label for="{}">{}</label>{}</div>',
            (attrs or {}).get("id", ""),
            _("Leave this empty if you are a person:"),
            box,
        )


class StampInput(forms.HiddenInput):
    """A hidden field rendered with the mark a fresh stamp replaces."""

    def format_value(self, value):
        return STAMP_MARK


class SpamGuarded:
    """Mix into a form to add the honeypot and the fill-time stamp.

    A refusal is a form error that names no field, so the form is shown again
    with what was typed, and a fresh stamp.
    """

    too_fast_message = _(
        "That was quicker than a person types: please take a moment and post again."
    )
    too_old_message = _(
        "This form was open for more than a day: please look over it and post again."
    )
    refused_message = _(
        "This form could not be checked: please reload the page and post again."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False, widget=HoneypotInput(), label=""
        )
        self.fields[STAMP_FIELD] = forms.CharField(required=False, widget=StampInput())

    def clean(self):
        cleaned = super().clean()
        if self.data.get(HONEYPOT_FIELD, ""):
            raise forms.ValidationError(self.refused_message, code="honeypot")
        minimum = settings.SPAM_MIN_FILL_SECONDS
        if not minimum:
            # The fill-time check is off (the test settings turn it off).
            return cleaned
        try:
            shown_at = float(
                signing.loads(self.data.get(STAMP_FIELD, ""), salt=STAMP_SALT)
            )
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(self.refused_message, code="stamp") from None
        age = time.time() - shown_at
        if age < minimum:
            raise forms.ValidationError(self.too_fast_message, code="too_fast")
        if age > settings.SPAM_MAX_FORM_AGE:
            raise forms.ValidationError(self.too_old_message, code="too_old")
        return cleaned
