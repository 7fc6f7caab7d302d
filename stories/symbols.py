"""AO3's required-tag symbols: a work's rating, warnings, category and
completion, each as a small drawn symbol (static/img/symbols/) with its words
for screen readers and as the symbol's title.

The classes are AO3's (rating-teen, warning-yes, category-slash, complete-yes)
so that stylesheets and tools written for AO3's blurbs recognise them; the
drawings are this archive's own.
"""

from typing import NamedTuple

from django.utils.translation import gettext as _

# Warnings that say nothing is warned for, or that the author chose not to say.
NO_WARNINGS = "No Archive Warnings Apply"
NOT_CHOSEN = "Choose Not To Use Archive Warnings"
CATEGORY_CLASSES = {
    "F/F": "femslash",
    "F/M": "het",
    "Gen": "gen",
    "M/M": "slash",
    "Multi": "multi",
    "Other": "other",
}


class Symbol(NamedTuple):
    """One symbol: what it stands for (kind), its AO3 class and its words."""

    kind: str
    css_class: str
    text: str


def required_symbols(*, rating, rating_label, warnings, categories, is_complete):
    """Return the four symbols of a work, in AO3's order (rating, warnings,
    category, completion); warnings and categories are tag names."""
    warnings = list(warnings)
    if not warnings or set(warnings) == {NOT_CHOSEN}:
        warning_class = "warning-choosenotto"
        warning_text = NOT_CHOSEN if warnings else _("No archive warnings chosen")
    elif set(warnings) == {NO_WARNINGS}:
        warning_class, warning_text = "warning-no", NO_WARNINGS
    else:
        warning_class = "warning-yes"
        warning_text = ", ".join(w for w in warnings if w != NOT_CHOSEN)
    categories = sorted(categories)
    if not categories:
        category_class, category_text = "category-none", _("No category")
    elif len(categories) > 1:
        category_class, category_text = "category-multi", ", ".join(categories)
    else:
        category_class = f"category-{CATEGORY_CLASSES.get(categories[0], 'other')}"
        category_text = categories[0]
    return [
        Symbol("rating", f"rating-{rating}", str(rating_label)),
        Symbol("warnings", warning_class, warning_text),
        Symbol("category", category_class, category_text),
        Symbol(
            "iswip",
            "complete-yes" if is_complete else "complete-no",
            _("Complete Work") if is_complete else _("Work in Progress"),
        ),
    ]
