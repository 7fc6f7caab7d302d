from django import forms
from django.utils.translation import gettext_lazy as _

from archive.text import ControlCharactersRefused
from stories.statistics.queries import DEFAULT_PERIOD, DEFAULT_SORT, PERIODS, SORTS

ORDERS = (("desc", _("Most first")), ("asc", _("Fewest first")))


class StatisticsForm(ControlCharactersRefused, forms.Form):
    """What the statistics page shows: charts by which period, the table sorted how."""

    by = forms.ChoiceField(
        label=_("Show the charts by"),
        choices=[(name, period.label) for name, period in PERIODS.items()],
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sort the works by"),
        choices=[(name, name) for name in SORTS],
        required=False,
    )
    order = forms.ChoiceField(label=_("Order"), choices=ORDERS, required=False)

    def choices(self):
        """Return the period, sort and order asked for, the defaults for what
        was not asked for or not valid."""
        self.is_valid()
        # A field not valid is left out of cleaned_data: its default is used.
        data = self.cleaned_data
        return (
            PERIODS[data.get("by") or DEFAULT_PERIOD],
            data.get("sort") or DEFAULT_SORT,
            (data.get("order") or "desc") == "desc",
        )
