"""Reading pages as a reader sees them."""

import re
from html import unescape

BLURB_TITLE = re.compile(r'<h3 class="blurb-title">\s*<a href="[^"]*">([^<]*)</a>')


def titles(response):
    """Return the titles of the works a listing shows, in order."""
    return [unescape(title) for title in BLURB_TITLE.findall(response.content.decode())]


def text(response):
    """Return the page with runs of white space folded, as a reader sees it."""
    return " ".join(response.content.decode().split())


def words(response):
    """Return the page's words without its markup, as a reader reads them."""
    return " ".join(
        unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split()
    )
