"""Reading values a request gives in its parameters."""

from django.http import Http404

from archive.text import has_control_characters

# The largest id a row of any table may have (a BigAutoField).
MAX_ID = 2**63 - 1


def id_from(value):
    """Return the id a parameter gives, or None when it gives none a row may have."""
    value = value.strip()
    if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
        return int(value)
    return None


def id_or_404(value):
    """Return the id an address gives (an int converter's value, which may be any
    size), or answer 404 when no row may have it."""
    number = id_from(str(value))
    if number is None:
        raise Http404("No such id.")
    return number


def ids_from(values):
    """Return the ids these parameters give, leaving out what gives none."""
    return [number for number in map(id_from, values) if number is not None]


def text_from(params, name):
    """Return a parameter's text, or "" when it holds control characters."""
    value = params.get(name, "")
    return "" if has_control_characters(value) else value
