"""Reading Word (.docx) and OpenDocument (.odt) chapter files as HTML.

An office file is a zip archive: before anything is unzipped, its central
directory is checked against limits, so that a small upload cannot unpack
into gigabytes (a "zip bomb") or thousands of parts. A .docx becomes HTML
with mammoth; an .odt is read from its content.xml with lxml (odfdo, the
maintained ODF library, writes and edits documents well but exports only
Markdown, which would lose links and cost a second lossy conversion; lxml
is what odfdo itself parses with). Images are left out: the archive never
stores pictures from files, and never as data: addresses.

The HTML then goes through the chapter importer's HTML path, so a Word file
gets the same guesses (title, byline, chapter number, notes) as a text file.
"""

import html
import io
import zipfile
import zlib
from dataclasses import dataclass

import mammoth
from django.utils.translation import gettext as _
from lxml import etree

MEGABYTE = 1024 * 1024
# What the parts of an office file may unpack to, together.
MAX_UNPACKED_BYTES = 20 * MEGABYTE
# A chapter's XML packs about 5 to 15 times smaller; a bomb thousands of times.
MAX_PACKING_RATIO = 100
# Word and LibreOffice write a few dozen parts; a thousand is no chapter.
MAX_PARTS = 1000

DOCX_MAIN_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
OFFICE_EXTENSIONS = (".docx", ".odt")

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}
LINK_SCHEMES = ("http://", "https://", "mailto:")


class OfficeFileError(ValueError):
    """An office file that cannot be read; str(error) is a message for the uploader."""


@dataclass(frozen=True)
class OfficeText:
    """An office file read as HTML, with what was left out of it."""

    html: str
    kind: str  # "a Word document", for a sentence
    images_dropped: int = 0


def office_to_html(data: bytes, name: str) -> OfficeText:
    """Return the HTML of a .docx or .odt file, or raise OfficeFileError."""
    archive = _open_checked(data, name)
    with archive:
        names = set(archive.namelist())
        if "mimetype" in names and _read(archive, "mimetype").strip() == ODT_MIMETYPE:
            return _odt_to_html(archive, name)
        if "[Content_Types].xml" in names and DOCX_MAIN_TYPE.encode() in _read(
            archive, "[Content_Types].xml"
        ):
            return _docx_to_html(data, name)
    raise OfficeFileError(
        _(
            "%(name)s is a zip archive but not a Word (.docx) or OpenDocument text "
            "(.odt) document: open it in your word processor and save it as one."
        )
        % {"name": name}
    )


# What Python's zipfile raises on a damaged archive: its own errors, zlib's on a
# corrupt stream, NotImplementedError on a version or compression it can't read.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    NotImplementedError,
    OSError,
    ValueError,
    EOFError,
)


def _open_checked(data, name):
    """Return the file as a zip archive whose directory is within the limits."""
    not_office = _(
        "%(name)s is not a Word (.docx) or OpenDocument (.odt) document: its content "
        "is not what its name says. Upload the file your word processor saved, or "
        "save the chapter as .txt or .html."
    ) % {"name": name}
    if not data.startswith(b"PK\x03\x04"):
        raise OfficeFileError(not_office)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except ZIP_ERRORS:
        raise OfficeFileError(
            _(
                "%(name)s is damaged and cannot be opened: open it in your word "
                "processor, save it again and upload the new file."
            )
            % {"name": name}
        ) from None
    if len(parts) > MAX_PARTS:
        raise OfficeFileError(
            _(
                "%(name)s holds %(parts)s parts; a document holds far fewer (the "
                "limit is %(limit)s), so it was not opened."
            )
            % {"name": name, "parts": f"{len(parts):,}", "limit": f"{MAX_PARTS:,}"}
        )
    if any(part.flag_bits & 0x1 for part in parts):
        raise OfficeFileError(
            _(
                "%(name)s is protected by a password: save a copy without the "
                "password and upload that."
            )
            % {"name": name}
        )
    unpacked = sum(part.file_size for part in parts)
    packed = sum(part.compress_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise OfficeFileError(
            _(
                "%(name)s would unpack to %(size)s MB; the archive opens documents of "
                "up to %(limit)s MB unpacked. Split it into chapters, or leave out "
                "its pictures."
            )
            % {
                "name": name,
                "size": _megabytes(unpacked),
                "limit": MAX_UNPACKED_BYTES // MEGABYTE,
            }
        )
    if unpacked > MEGABYTE and unpacked > MAX_PACKING_RATIO * max(packed, 1):
        raise OfficeFileError(
            _(
                "%(name)s unpacks to more than %(ratio)s times its size, which no "
                "document does, so it was not opened."
            )
            % {"name": name, "ratio": MAX_PACKING_RATIO}
        )
    return archive


def _megabytes(size):
    value = size / MEGABYTE
    return f"{value:,.0f}" if value >= 10 else f"{value:.2g}"


def _read(archive, member):
    """Return a part of the archive, never more than its directory declared."""
    info = archive.getinfo(member)
    try:
        with archive.open(info) as part:
            return part.read(info.file_size + 1)[: info.file_size]
    except ZIP_ERRORS:
        raise OfficeFileError(
            _(
                "%(name)s is damaged: open it in your word processor, save it again "
                "and upload the new file."
            )
            % {"name": archive.filename or _("The file")}
        ) from None


def _docx_to_html(data, name):
    dropped = []

    def drop_image(image):
        dropped.append(image)
        return []

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            convert_image=drop_image,
            ignore_empty_paragraphs=False,
            include_embedded_style_map=False,
            external_file_access=False,
        )
    except Exception:  # noqa: BLE001 - mammoth raises many kinds on a broken file.
        raise OfficeFileError(
            _(
                "%(name)s is damaged or not a Word document the archive can read: "
                "open it in Word or LibreOffice, save it again as .docx and upload it."
            )
            % {"name": name}
        ) from None
    return OfficeText(
        html=result.value, kind=_("a Word document"), images_dropped=len(dropped)
    )


# Stranger's XML: no entities, no network, no huge trees.
XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
)


def _parse_xml(archive, member, name):
    try:
        return etree.fromstring(_read(archive, member), XML_PARSER)
    except etree.XMLSyntaxError:
        raise OfficeFileError(
            _(
                "%(name)s is damaged (its %(member)s cannot be read): open it in your "
                "word processor, save it again and upload the new file."
            )
            % {"name": name, "member": member}
        ) from None


def _q(prefix, local):
    return f"{{{NS[prefix]}}}{local}"


def _odt_to_html(archive, name):
    if "content.xml" not in archive.namelist():
        raise OfficeFileError(
            _("%(name)s is damaged: it has no text part.") % {"name": name}
        )
    content = _parse_xml(archive, "content.xml", name)
    styles = _OdtStyles()
    if "styles.xml" in archive.namelist():
        styles.read(_parse_xml(archive, "styles.xml", name))
    styles.read(content)
    body = content.find(f"{_q('office', 'body')}/{_q('office', 'text')}")
    if body is None:
        raise OfficeFileError(
            _("%(name)s is not a text document: upload a chapter written in Writer.")
            % {"name": name}
        )
    writer = _OdtWriter(styles)
    writer.blocks(body)
    return OfficeText(
        html="\n".join(writer.out),
        kind=_("an OpenDocument text document"),
        images_dropped=writer.images,
    )


class _OdtStyles:
    """Italic, bold and heading facts of ODF styles, following their parents."""

    def __init__(self):
        self.own = {}

    def read(self, root):
        for style in root.iter(_q("style", "style")):
            props = style.find(_q("style", "text-properties"))
            facts = {
                "parent": style.get(_q("style", "parent-style-name")),
                "display": (
                    style.get(_q("style", "display-name"))
                    or style.get(_q("style", "name"), "")
                ),
            }
            if props is not None:
                if (italic := props.get(_q("fo", "font-style"))) is not None:
                    facts["italic"] = italic in ("italic", "oblique")
                if (weight := props.get(_q("fo", "font-weight"))) is not None:
                    facts["bold"] = (
                        weight == "bold" or weight.isdigit() and (int(weight) >= 600)
                    )
            self.own[style.get(_q("style", "name"))] = facts

    def fact(self, name, key):
        seen = set()
        while name and name in self.own and name not in seen:
            seen.add(name)
            if key in self.own[name]:
                return self.own[name][key]
            name = self.own[name]["parent"]
        return False

    def is_title(self, name):
        seen = set()
        while name and name in self.own and name not in seen:
            seen.add(name)
            if self.own[name]["display"] in ("Title", "Titre"):
                return True
            name = self.own[name]["parent"]
        return False


class _OdtWriter:
    """Write an ODF text body as the HTML the chapter importer reads."""

    def __init__(self, styles):
        self.styles = styles
        self.out = []
        self.notes = []
        self.images = 0

    def blocks(self, parent):
        for child in parent:
            tag = child.tag
            if tag == _q("text", "p"):
                style = child.get(_q("text", "style-name"))
                inner = self._styled(self.inline(child), style)
                self.out.append(
                    f"<h1>{inner}</h1>"
                    if self.styles.is_title(style)
                    else f"<p>{inner}</p>"
                )
            elif tag == _q("text", "h"):
                level = child.get(_q("text", "outline-level"), "1")
                level = min(max(int(level) if level.isdigit() else 1, 1), 6)
                self.out.append(f"<h{level}>{self.inline(child)}</h{level}>")
            elif tag == _q("text", "list"):
                self.out.append("<ul>")
                for item in child:
                    self.out.append("<li>")
                    self.blocks(item)
                    self.out.append("</li>")
                self.out.append("</ul>")
            elif tag in (
                _q("text", "section"),
                _q("table", "table"),
                _q("table", "table-row"),
                _q("table", "table-cell"),
                _q("table", "table-header-rows"),
                _q("table", "table-rows"),
            ):
                self.blocks(child)
        if parent.tag == _q("office", "text") and self.notes:
            self.out.extend(self.notes)

    def inline(self, element):
        parts = [html.escape(element.text or "", quote=False)]
        for child in element:
            parts.append(self._inline_child(child))
            parts.append(html.escape(child.tail or "", quote=False))
        return "".join(parts)

    def _inline_child(self, child):
        tag = child.tag
        if tag == _q("text", "span"):
            return self._styled(self.inline(child), child.get(_q("text", "style-name")))
        if tag == _q("text", "a"):
            href = child.get(_q("xlink", "href"), "")
            inner = self.inline(child)
            if href.lower().startswith(LINK_SCHEMES):
                return f'<a href="{html.escape(href)}">{inner}</a>'
            return inner
        if tag == _q("text", "line-break"):
            return "<br>"
        if tag == _q("text", "s"):
            count = child.get(_q("text", "c"), "1")
            return " " * min(int(count) if count.isdigit() else 1, 100)
        if tag == _q("text", "tab"):
            return " "
        if tag == _q("draw", "frame") or tag == _q("draw", "a"):
            self.images += sum(1 for _ in child.iter(_q("draw", "image")))
            return ""
        if tag == _q("text", "note"):
            citation = child.findtext(_q("text", "note-citation")) or "*"
            body = child.find(_q("text", "note-body"))
            if body is not None:
                texts = [self.inline(p) for p in body.iter(_q("text", "p"))]
                self.notes.append(f"<p>[{html.escape(citation)}] {' '.join(texts)}</p>")
            return f"[{html.escape(citation)}]"
        if tag in (
            _q("office", "annotation"),
            _q("office", "annotation-end"),
            _q("text", "bookmark"),
            _q("text", "bookmark-start"),
            _q("text", "bookmark-end"),
            _q("text", "soft-page-break"),
        ):
            return ""
        return self.inline(child)

    def _styled(self, inner, style):
        if not inner.strip():
            return inner
        if self.styles.fact(style, "italic"):
            inner = f"<em>{inner}</em>"
        if self.styles.fact(style, "bold"):
            inner = f"<strong>{inner}</strong>"
        return inner
