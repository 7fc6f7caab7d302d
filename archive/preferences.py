"""How each reader reads: font, size, line width, theme, creators' notes, adult
works without asking, and their time zone.

An account keeps them on the User row; a guest's browser keeps them in one
cookie (set by the form at /preferences/reading/, no JavaScript). Every
request's are read once, by ReaderPreferencesMiddleware, which also turns the
reader's time zone on for the request (templates show dates in it).

They reach a page as classes on <html> (static/css/reader.css styles them),
which differ per reader and so are never kept in a cached page: a page carries
a mark where they go (stories.caching `render_marked`), replaced per request
as the form token's mark is. The time zone and the adult preference change
what a page says, so they are in the keys of the cached pages and parts that
show them (stories.caching).
"""

import zoneinfo
from dataclasses import asdict, dataclass, fields
from functools import cache

from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

COOKIE_NAME = "reader_preferences"
# A year: the browser keeps a guest's choices as an account keeps its own.
COOKIE_MAX_AGE = 365 * 24 * 60 * 60


class Font(models.TextChoices):
    SERIF = "serif", _("Serif")
    SANS = "sans", _("Sans-serif")


class TextSize(models.TextChoices):
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")
    LARGER = "larger", _("Larger")
    LARGEST = "largest", _("Largest")


class LineWidth(models.TextChoices):
    NARROW = "narrow", _("Narrow")
    MEDIUM = "medium", _("Medium")
    WIDE = "wide", _("Wide")


class Theme(models.TextChoices):
    SYSTEM = "system", _("As my device is set (light or dark)")
    LIGHT = "light", _("Light")
    DARK = "dark", _("Dark")


@cache
def time_zone_names():
    """Return the names of the time zones a reader may choose, sorted."""
    return tuple(sorted(zoneinfo.available_timezones()))


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


@dataclass(frozen=True)
class ReaderPreferences:
    """One reader's choices, as an account or a guest's cookie holds them."""

    font: str = Font.SERIF
    text_size: str = TextSize.MEDIUM
    line_width: str = LineWidth.MEDIUM
    theme: str = Theme.SYSTEM
    hide_notes: bool = False
    view_adult: bool = False
    # "" is the site's own (settings.TIME_ZONE).
    time_zone: str = ""

    @property
    def classes(self):
        """Return the classes <html> carries for these choices."""
        names = [
            f"pref-font-{self.font}",
            f"pref-size-{self.text_size}",
            f"pref-width-{self.line_width}",
            f"pref-theme-{self.theme}",
        ]
        if self.hide_notes:
            names.append("pref-hide-notes")
        return " ".join(names)

    def as_cookie(self):
        """Return these choices as a guest's cookie value."""
        query = QueryDict(mutable=True)
        for name, value in asdict(self).items():
            if value != getattr(DEFAULTS, name):
                query[name] = "1" if value is True else value
        return query.urlencode()


DEFAULTS = ReaderPreferences()
FIELD_NAMES = tuple(item.name for item in fields(ReaderPreferences))
_CHOICES = {
    "font": Font.values,
    "text_size": TextSize.values,
    "line_width": LineWidth.values,
    "theme": Theme.values,
}


def clean(values):
    """Return ReaderPreferences from untrusted values: anything unknown is the
    default."""
    kept = {}
    for name, allowed in _CHOICES.items():
        if values.get(name) in allowed:
            kept[name] = values[name]
    for name in ("hide_notes", "view_adult"):
        kept[name] = values.get(name) in ("1", "on", "true", True)
    zone = values.get("time_zone") or ""
    if zone in time_zone_names():
        kept["time_zone"] = zone
    return ReaderPreferences(**kept)


def of_user(user):
    """Return an account's preferences (checked as a cookie's are: a row
    changed by hand never names a class or a time zone that is not one)."""
    return clean({name: getattr(user, name) for name in FIELD_NAMES})


def of_request(request):
    """Return the preferences of whoever is asking: their account's, or
    their browser's cookie (the defaults without one)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return of_user(user)
    cookie = request.COOKIES.get(COOKIE_NAME)
    if not cookie:
        return DEFAULTS
    return clean(QueryDict(cookie))


def reader_preferences(request):
    """Return the request's preferences, read once."""
    found = getattr(request, "_reader_preferences", None)
    if found is None:
        found = request._reader_preferences = of_request(request)
    return found


class ReaderPreferencesMiddleware:
    """Turn the reader's time zone on for the request (after authentication),
    and say that pages vary by the cookie that holds a guest's choices."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = reader_preferences(request).time_zone
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        if response.get("Content-Type", "").startswith("text/html"):
            # A guest's page differs by the cookie that holds their choices.
            patch_vary_headers(response, ["Cookie"])
        return response
