"""The addresses a listing's filters lead to: a facet chosen with the rest of
the form, and each active filter taken away.

A listing's facets are buttons of its filter form (named FACET_INCLUDE,
FACET_EXCLUDE or, on bookmark lists, FACET_BOOKMARK_TAG; the tag's name as
value), so choosing one sends the boxes the reader changed but did not apply
yet; the listing then redirects to its one address for those filters, with the
tag among the included, excluded or bookmark tags.
"""

from typing import NamedTuple

from django import forms
from django.utils.translation import gettext as _

from stories.tagging import join_tag_names, parse_tag_names

FACET_INCLUDE = "facet_include"
FACET_EXCLUDE = "facet_exclude"
FACET_BOOKMARK_TAG = "facet_bookmark_tag"
# Each facet button and the field it adds its tag to.
FACETS = {
    FACET_INCLUDE: "include",
    FACET_EXCLUDE: "exclude",
    FACET_BOOKMARK_TAG: "bookmark_tags",
}
# What a listing's parameters hold that is not a filter to list or take away.
NOT_FILTERS = ("page", "sort", "q")


def _address(path, params):
    query = params.urlencode()
    return f"{path}?{query}" if query else path


def facet_choice_address(request):
    """Return the listing's address with the facets chosen in the request
    added to its included or excluded tags, or None when none was chosen."""
    params = request.GET.copy()
    if not any(name in params for name in FACETS):
        return None
    params.pop("page", None)
    for button, field in FACETS.items():
        chosen = params.pop(button, [])
        if not chosen:
            continue
        names = parse_tag_names(params.get(field, ""))
        names = parse_tag_names(join_tag_names([*names, *chosen]))
        params[field] = join_tag_names(names)
    return _address(request.path, params)


class ActiveFilter(NamedTuple):
    """One filter a listing applies, as the list above its results shows it."""

    label: str
    value: str
    remove_address: str


def _without(params, name, value, *, tag_names):
    """Return the parameters without one value of one field."""
    params = params.copy()
    params.pop("page", None)
    if tag_names:
        kept = [
            each
            for each in parse_tag_names(params.get(name, ""))
            if each.casefold() != value.casefold()
        ]
        if kept:
            params[name] = join_tag_names(kept)
        else:
            params.pop(name, None)
    elif isinstance(value, str) and len(params.getlist(name)) > 1:
        params.setlist(name, [each for each in params.getlist(name) if each != value])
    else:
        params.pop(name, None)
    return params


def active_filters(path, params, form, *, not_applied=()):
    """Return the filters the form applies, each with the address of the
    listing without it, in the form's order.

    Only the values the form could read count: a filter it left out (a word
    count that is not a number) is not listed, as it is not applied; nor are
    the fields named in not_applied (a guest's "hide what I read").
    """
    if not params:
        return []
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    shown = []
    for name, field in form.fields.items():
        value = data.get(name)
        if name in NOT_FILTERS or name in not_applied or value in (None, "", [], ()):
            continue
        if isinstance(field.widget, forms.HiddenInput):
            continue
        choices = dict(getattr(field, "choices", ()) or ())
        tag_names = isinstance(value, list) and not choices
        values = value if isinstance(value, list | tuple) else [value]
        for each in values:
            raw = each if isinstance(each, str) else params.get(name, str(each))
            text = _("yes") if each is True else str(choices.get(each, each))
            remaining = _without(params, name, raw, tag_names=tag_names)
            shown.append(
                ActiveFilter(str(field.label), text, _address(path, remaining))
            )
    return shown


def clear_all_address(path, params):
    """Return the listing's address without any filter (its search and sort kept)."""
    kept = params.copy()
    for name in list(kept):
        if name not in ("q", "sort"):
            kept.pop(name)
    return _address(path, kept)
