"""The archive's sanitized HTML made fit for files that leave it.

Chapters are stored as HTML the sanitizer allowed (stories/text.py): AO3's
allow-list, which keeps elements HTML5 made obsolete (center, big, tt,
strike), the align attribute, and nesting the HTML parser accepts but the
content models refuse (a list inside a paragraph, a paragraph inside <em>).
EPUBCheck validates every XHTML file against HTML5's content models, and a
file read away from the archive has no address to resolve a relative link
against, so `Fragment` rewrites the markup once: obsolete elements become
their HTML5 equivalents with a class, a phrasing element holding blocks
becomes a div, stray list items and definitions are put in lists, relative
links are made absolute and same-page links (which no id can answer) are
unlinked, and images become links to them (a download never fetches
anything, and an EPUB may not refer to a remote image). The result is
serialized as XHTML (EPUB), HTML (the HTML file, the PDF) or text.
"""

import re
from urllib.parse import quote, urljoin

from lxml import etree
from lxml import html as lxml_html

from stories.text import sanitize_html

# Characters XML 1.0 cannot hold (the HTML parser would keep them).
NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
LANGUAGE_TAG_RE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
SPACES_RE = re.compile(r"\s+")

# Obsolete in HTML5: (what it becomes, the class that keeps its look).
OBSOLETE = {
    "center": ("div", "center"),
    "big": ("span", "big"),
    "tt": ("span", "tt"),
    "strike": ("s", None),
    "acronym": ("abbr", None),
}
ALIGNMENTS = {"left", "right", "center", "justify"}
DIRECTIONS = {"ltr", "rtl", "auto"}

# Elements whose content must be phrasing content.
PHRASING_ONLY = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "span", "em", "strong", "b", "i",
    "u", "s", "small", "sub", "sup", "code", "kbd", "samp", "var", "cite", "dfn",
    "abbr", "q", "pre", "summary", "rt", "rp", "ruby",
}  # fmt: skip
BLOCKS = {
    "address", "blockquote", "center", "details", "div", "dl", "figure", "h1",
    "h2", "h3", "h4", "h5", "h6", "hr", "ol", "p", "pre", "table", "ul",
    "dd", "dt", "li", "figcaption", "caption", "summary",
}  # fmt: skip
# Elements whose content model is their parent's: look through them.
TRANSPARENT = {"a", "del", "ins"}
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
TEXT_BLOCKS = BLOCKS | {"tr", "br", "hr"}


class Fragment:
    """A piece of sanitized HTML (a chapter, notes, a summary), made portable."""

    def __init__(self, markup, *, base_url):
        # Sanitized when stored; again here, so a file is never worse than a page.
        markup = NOT_XML_RE.sub("", sanitize_html(markup))
        self.root = lxml_html.fragment_fromstring(markup, create_parent="div")
        self.base_url = base_url
        _portable(self.root, base_url)

    def __bool__(self):
        return bool(self.text().strip())

    def _inner(self, method):
        parts = [_escape(self.root.text or "")]
        parts.extend(
            etree.tostring(child, method=method, encoding="unicode")
            for child in self.root
        )
        return "".join(parts)

    def xhtml(self):
        """Return the fragment as well-formed XHTML."""
        return self._inner("xml")

    def html(self):
        """Return the fragment as HTML."""
        return self._inner("html")

    def text(self):
        """Return the fragment as text, paragraphs separated by blank lines."""
        return "\n\n".join(_text_blocks(self.root))


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _portable(root, base_url):
    for element in list(root.iter()):
        if element is root:
            continue
        if not isinstance(element.tag, str):
            # A comment or processing instruction: not for readers.
            element.drop_tree()
            continue
        _rename_obsolete(element)
        _fix_attributes(element)
        if element.tag == "img":
            _image_to_link(element, base_url)
        elif element.tag == "a":
            _fix_link(element, base_url)
    # Innermost first: an element turned into a div makes its parent hold a block.
    for element in reversed(list(root.iter())):
        if element is root or not isinstance(element.tag, str):
            continue
        _fix_content_model(element)


def _add_class(element, name):
    classes = element.get("class", "").split()
    if name not in classes:
        element.set("class", " ".join([*classes, name]))


def _rename_obsolete(element):
    if element.tag in OBSOLETE:
        tag, css_class = OBSOLETE[element.tag]
        element.tag = tag
        if css_class:
            _add_class(element, css_class)


def _fix_attributes(element):
    align = element.attrib.pop("align", "").strip().lower()
    if align in ALIGNMENTS:
        _add_class(element, f"align-{align}")
    direction = element.get("dir")
    if direction is not None and direction.strip().lower() not in DIRECTIONS:
        del element.attrib["dir"]
    elif direction is not None:
        element.set("dir", direction.strip().lower())
    language = element.get("lang")
    if language is not None and not LANGUAGE_TAG_RE.match(language.strip()):
        del element.attrib["lang"]
    # rel="nofollow" is for the archive's pages; a file has no search engine.
    element.attrib.pop("rel", None)


def _absolute(url, base_url):
    url = url.strip()
    absolute = urljoin(base_url, url)
    # What a reader typed may hold spaces or other characters a URL may not.
    return quote(absolute, safe=":/?#[]@!$&'()*+,;=%~")


def _fix_link(element, base_url):
    href = element.get("href")
    if href is None:
        return
    if href.strip().startswith("#") or not href.strip():
        # No element of a download has an id to go to.
        del element.attrib["href"]
        return
    element.set("href", _absolute(href, base_url))


def _image_to_link(element, base_url):
    src = element.get("src", "").strip()
    alt = (element.get("alt") or "").strip()
    label = f"[Image: {alt}]" if alt else "[Image]"
    tail = element.tail
    element.attrib.clear()
    element.tag = "a" if src else "span"
    if src:
        element.set("href", _absolute(src, base_url))
    _add_class(element, "image")
    element.text = label
    element.tail = tail


def _has_block(element):
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag in BLOCKS:
            return True
        if child.tag in TRANSPARENT and _has_block(child):
            return True
    return False


def _fix_content_model(element):
    tag = element.tag
    parent = element.getparent()
    parent_tag = parent.tag if parent is not None else None
    if tag == "a" and (
        any(True for _ in element.iterancestors("a"))
        or element.find(".//details") is not None
    ):
        # Nothing interactive inside a link: the inner link, or the link, goes.
        element.drop_tag()
        return
    if tag == "dfn" and any(True for _ in element.iterancestors("dfn")):
        tag = element.tag = "span"
        _add_class(element, "dfn")
    elif tag == "ruby" and not _is_plain_ruby(element):
        tag = element.tag = "span"
        for child in _elements(element):
            if child.tag in ("rt", "rp"):
                child.tag = "span"
    elif tag == "address" and any(
        True for _ in element.iterdescendants("address", *HEADINGS)
    ):
        element.tag = "div"
        _add_class(element, "address")
    elif tag in HEADINGS and any(
        True for _ in element.iterancestors("dt", "th", "address")
    ):
        # No heading in a term, a header cell or an address.
        element.tag = "div"
        _add_class(element, tag)
        tag = "div"
    if tag in PHRASING_ONLY and _has_block(element):
        element.tag = "div"
        _add_class(element, tag)
    elif tag == "li" and parent_tag not in ("ul", "ol"):
        element.tag = "div"
        _add_class(element, "li")
    elif tag in ("dt", "dd") and parent_tag != "dl":
        element.tag = "div"
        _add_class(element, tag)
    elif tag == "figcaption" and (
        parent_tag != "figure"
        or element not in (_elements(parent)[0], _elements(parent)[-1])
    ):
        element.tag = "div"
        _add_class(element, "figcaption")
    elif tag == "summary" and (
        parent_tag != "details" or _elements(parent)[0] is not element
    ):
        element.tag = "div"
        _add_class(element, "summary")
    elif tag in ("rt", "rp") and parent_tag != "ruby":
        element.tag = "span"
    if element.tag == "table":
        _order_table(element)
    elif element.tag in ("ul", "ol"):
        _wrap_strays(element, allowed={"li"}, wrapper="li")
    elif element.tag == "dl":
        _wrap_strays(element, allowed={"dt", "dd"}, wrapper="dd")
        # Terms and their definitions go in pairs: dt+ dd+, again and again.
        children = _elements(element)
        if children and children[0].tag == "dd":
            element.insert(0, etree.Element("dt"))
        if children and children[-1].tag == "dt":
            element.append(etree.Element("dd"))
    elif element.tag == "details":
        first = _elements(element)[:1]
        if first and first[0].tag == "summary" and (element.text or "").strip():
            # Nothing comes before the summary: the text goes after it.
            first[0].tail = element.text + (first[0].tail or "")
            element.text = None
        elif not first or first[0].tag != "summary":
            summary = etree.Element("summary")
            summary.text = "Details"
            summary.tail = element.text
            element.text = None
            element.insert(0, summary)


def _is_plain_ruby(element):
    """Return whether a ruby is base text with its annotations: (base rp? rt rp?)+."""
    based = False
    annotated = False
    if (element.text or "").strip():
        based = True
    for child in _elements(element):
        if child.tag == "rt":
            if not based:
                return False
            annotated = True
        elif child.tag == "rp":
            if not based:
                return False
        else:
            if child.tag in BLOCKS:
                return False
            if annotated:
                based, annotated = True, False
            based = True
        if (child.tail or "").strip():
            if annotated:
                annotated = False
            based = True
    return annotated


def _order_table(table):
    """Put a table's parts in the order HTML5 has them: caption, column
    groups, head, bodies, foot; one caption, head and foot."""
    ranks = {"caption": 0, "colgroup": 1, "thead": 2, "tbody": 3, "tr": 3, "tfoot": 4}
    seen = set()
    children = []
    for child in _elements(table):
        if child.tag in ("caption", "thead", "tfoot") and child.tag in seen:
            if child.tag == "caption":
                # A second caption's content becomes a row of its own.
                cell = etree.Element("td")
                cell.text, child.text = child.text, None
                for part in list(child):
                    cell.append(part)
                row = etree.Element("tr")
                row.append(cell)
                child.append(row)
                child.tag = "tbody"
            else:
                child.tag = "tbody"
        seen.add(child.tag)
        children.append(child)
    children.sort(key=lambda child: ranks.get(child.tag, 3))
    for child in children:
        table.append(child)


def _elements(element):
    return [child for child in element if isinstance(child.tag, str)]


def _wrap_strays(element, *, allowed, wrapper):
    """Put text and children a list may not hold directly into wrapper items."""
    items = []
    pending = None

    def stray():
        nonlocal pending
        if pending is None:
            pending = etree.Element(wrapper)
            items.append(pending)
        return pending

    if element.text and element.text.strip():
        stray().text = element.text
    element.text = None
    for child in list(element):
        element.remove(child)
        tail, child.tail = child.tail, None
        if isinstance(child.tag, str) and child.tag in allowed:
            items.append(child)
            pending = None
        else:
            stray().append(child)
        if tail and tail.strip():
            holder = stray()
            if len(holder):
                holder[-1].tail = (holder[-1].tail or "") + tail
            else:
                holder.text = (holder.text or "") + tail
    for item in items:
        element.append(item)


def _text_blocks(root):
    """Return the paragraphs of text a reader sees, in order."""
    blocks = []
    line = []

    def flush():
        text = "".join(line)
        lines = [SPACES_RE.sub(" ", part).strip() for part in text.split("\n")]
        text = "\n".join(part for part in lines if part)
        if text:
            blocks.append(text)
        line.clear()

    def walk(element):
        tag = element.tag if isinstance(element.tag, str) else None
        if tag == "br":
            line.append("\n")
        elif tag == "hr":
            flush()
            blocks.append("* * *")
        elif tag == "pre":
            flush()
            blocks.append(element.text_content().strip("\n"))
        elif tag in TEXT_BLOCKS:
            flush()
            prefix = "- " if tag == "li" else ""
            line.append(prefix + (element.text or ""))
            for child in element:
                walk(child)
                line.append(child.tail or "")
            flush()
        elif tag is not None:
            line.append(element.text or "")
            for child in element:
                walk(child)
                line.append(child.tail or "")

    line.append(root.text or "")
    for child in root:
        walk(child)
        line.append(child.tail or "")
    flush()
    return blocks
