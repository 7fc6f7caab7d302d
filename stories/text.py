"""Sanitizing, formatting and counting the text that people write."""

import html
import re

import nh3

# AO3's allow-list: https://archiveofourown.org/faq/formatting-content-on-ao3-with-html
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br",
        "caption", "center", "cite", "code", "col", "colgroup", "details",
        "summary", "dd", "del", "dfn", "div", "dl", "dt", "em", "figure",
        "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
        "ins", "kbd", "li", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s",
        "samp", "small", "span", "strike", "strong", "sub", "sup", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"align", "dir", "lang", "title"},
    "a": {"href"},
    "img": {"src", "alt"},
}
# Removed together with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template"}
)
IMAGE_SCHEMES = ("http://", "https://")

BLOCK_TAG_RE = re.compile(
    r"<\s*(p|div|br|hr|blockquote|ul|ol|table|h[1-6]|pre|dl|center|details)\b",
    re.IGNORECASE,
)
TAG_RE = re.compile(r"<[^>]*>")
IMAGE_RE = re.compile(r"<img\b[^>]*\bsrc=", re.IGNORECASE)
BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")


def _filter_attribute(tag, attribute, value):
    """Keep image sources only when they point at the open web."""
    if tag == "img" and attribute == "src":
        return value if value.strip().lower().startswith(IMAGE_SCHEMES) else None
    return value


def sanitize_html(markup):
    """Return markup reduced to the archive's allow-list of tags and attributes."""
    return nh3.clean(
        markup or "",
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow",
    ).strip()


def html_to_text(markup):
    """Return the visible text of sanitized markup, one space between blocks."""
    spaced = re.sub(
        r"<\s*(br|/p|/div|/li|/h\d|hr)[^>]*>", " ", markup or "", flags=re.I
    )
    return html.unescape(TAG_RE.sub("", spaced))


def has_content(markup):
    """Return whether sanitized markup shows a reader anything: text or an image."""
    return bool(html_to_text(markup).strip()) or bool(IMAGE_RE.search(markup or ""))


def count_words(markup):
    """Return the number of words a reader sees in the markup."""
    return len(html_to_text(markup).split())


def format_typed_text(text):
    """Return what an author typed as safe HTML.

    Like AO3's HTML editor: markup with block elements is kept as written;
    otherwise blank lines become paragraphs and single newlines line breaks,
    with any inline markup (<em>, <a>) kept.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    if BLOCK_TAG_RE.search(text):
        return sanitize_html(text)
    paragraphs = [p.strip() for p in BLANK_LINE_RE.split(text) if p.strip()]
    markup = "".join("<p>{}</p>".format(p.replace("\n", "<br>")) for p in paragraphs)
    return sanitize_html(markup)
