"""What every page's header and footer link to."""

from functools import cache

from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

from archive.preferences import reader_preferences

SITE_PAGES = {
    "home": "stories:home",
    "fandoms": "stories:fandom_list",
    "works": "stories:work_list",
    "post_work": "stories:work_create",
    "search": "stories:work_search",
    "tag_autocomplete": "stories:tag_autocomplete",
    "admin": "admin:index",
    "login": "login",
    "logout": "logout",
    "preferences": "preferences",
    "reading_preferences": "reading_preferences",
    "signup": "signup",
    "opds": "opds:root",
}
SITE_FILES = {
    "stylesheet": "css/archive.css",
    "autocomplete": "js/tag-autocomplete.js",
    "reading_stylesheet": "css/reading.css",
    "filters_toggle": "js/filters-toggle.js",
    "reader_stylesheet": "css/reader.css",
    "favicon": "favicon.svg",
    "focus_target": "js/focus-target.js",
}


@cache
def _site_links(script_prefix):
    links = {key: reverse(name) for key, name in SITE_PAGES.items()}
    links.update({key: static(path) for key, path in SITE_FILES.items()})
    return links


def site_links(request):
    """Return the site's own addresses, worked out once per process: every page
    shows them, and reversing a dozen URLs cost a cached page a fifth of its time."""
    return {"site_links": _site_links(get_script_prefix())}


def reader(request):
    """Return the classes of the reader's preferences, which <html> carries.

    A page kept for many readers has a mark in their place instead
    (stories.caching `render_marked`), replaced for each reader.
    """
    return {"reader_classes": reader_preferences(request).classes}
