"""What every page's header and footer link to."""

from functools import cache

from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

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
    "signup": "signup",
    "opds": "opds:root",
}
SITE_FILES = {
    "stylesheet": "css/archive.css",
    "autocomplete": "js/tag-autocomplete.js",
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
