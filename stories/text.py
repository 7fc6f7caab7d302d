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
# A line of marks that fan writers draw between scenes ("* * *", "~~~", "xXx",
# "<hr>"): a scene break, in a typed chapter as in an uploaded file.
SCENE_MARK = r"[*~#=_+\-–—•·°§◇◆♦❖☆★]"
LETTER_MARK = r"(?:(?:x+X+)+x+|(?:X+x+)+X+|(?:o+[O0]+)+o+|(?:[O0]+o+)+[O0]+)"
SCENE_BREAK_RE = re.compile(
    rf"<[hH][rR]\s*/?>"
    rf"|(?:{SCENE_MARK}\s*){{3,}}"
    rf"|(?:{SCENE_MARK}\s*)*{LETTER_MARK}(?:\s*{SCENE_MARK})*"
    rf"|(?:{SCENE_MARK}\s*)+[xXoO0]{{1,5}}(?:\s*{SCENE_MARK})+"
)
# How a scene break is written back into a chapter box.
TYPED_SCENE_BREAK = "* * *"
# A chapter as the chapter box gives it: paragraphs without attributes, scene breaks.
TYPED_BLOCK_RE = re.compile(r"(\s*(?:<p>(.*?)</p>|<hr>)\s*)", re.S)
# HTML's own white space, which markup may spread as it likes; other spaces (the
# ideographic one, U+3000; the Ogham one, U+1680) are the writer's characters.
HTML_SPACE_RE = re.compile(r"[ \t\n\r\f]+")
BR_RE = re.compile(r"[ \t\n\r\f]*<br>[ \t\n\r\f]*")
BLOCK_SPACING_RE = re.compile(r"[ \t\n\r\f]*(</?(?:p|hr|br)>)[ \t\n\r\f]*")
EDGE_NBSP_RE = re.compile("^\xa0+|\xa0+$")
# Entities that, spelled out, do not start a tag or another entity.
LOOSE_ENTITY_RE = re.compile(
    r"&lt;(?![\s/!?]*[A-Za-z/!?])|&gt;|&amp;(?![A-Za-z#][A-Za-z0-9]*;)"
    r"|&(?:nbsp|quot|#x?[0-9A-Fa-f]+);"
)


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
    paragraphs = [p.strip() for p in BLANK_LINE_RE.split(text) if p.strip()]
    if any(
        BLOCK_TAG_RE.search(p) and not SCENE_BREAK_RE.fullmatch(p) for p in paragraphs
    ):
        return sanitize_html(text)
    markup = "".join(
        "<hr>"
        if SCENE_BREAK_RE.fullmatch(p)
        else "<p>{}</p>".format(p.replace("\n", "<br>"))
        for p in paragraphs
    )
    return sanitize_html(markup)


def typed_text_of(markup):
    """Return sanitized markup as an author would type it in a chapter box.

    The inverse of format_typed_text: paragraphs apart by a blank line, line
    breaks as newlines, scene breaks as "* * *", inline markup (<em>, <a>)
    kept. Markup that typed text cannot say as well (lists, tables, headings,
    paragraphs with attributes) is returned as it is, which the box also takes.
    """
    markup = (markup or "").strip()
    blocks = TYPED_BLOCK_RE.findall(markup)
    if not markup or "".join(whole for whole, _ in blocks) != markup:
        return markup
    paragraphs = []
    for whole, inside in blocks:
        if whole.strip() == "<hr>":
            paragraphs.append(TYPED_SCENE_BREAK)
            continue
        lines = BR_RE.split(_html_spaces_joined(inside))
        if any(BLOCK_TAG_RE.search(line) for line in lines):
            return markup
        paragraphs.append("\n".join(_unescape_typed(line.strip()) for line in lines))
    typed = "\n\n".join(paragraphs)
    # Whatever would not read back as the same chapter stays as markup.
    same = _spacing_ignored(format_typed_text(typed)) == _spacing_ignored(markup)
    return typed if same else markup


def _unescape_typed(text):
    """Return text with the entities a typist would not write spelled out,
    keeping those that would otherwise read back as markup ("&lt;em&gt;")."""
    text = LOOSE_ENTITY_RE.sub(lambda m: html.unescape(m[0]), text)
    # A typed line loses its outer spaces, no-break ones too: keep those spelled.
    return EDGE_NBSP_RE.sub(lambda m: "&nbsp;" * len(m[0]), text)


def _html_spaces_joined(markup):
    return HTML_SPACE_RE.sub(" ", markup).strip(" ")


def _spacing_ignored(markup):
    return BLOCK_SPACING_RE.sub(r"\1", _html_spaces_joined(markup))
