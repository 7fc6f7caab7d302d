"""Turning an uploaded chapter file into plain data, without the database.

Fan chapters arrive as text saved by hand: a disclaimer, the work's title, a
byline, a chapter heading in one of many spellings, scene breaks drawn with
asterisks or blank lines, and a "To be continued" at the end. The importer
reads that layout into an ImportedChapter and says in plain sentences what it
guessed, so the uploader can confirm or correct it before anything is saved.
"""

import html
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stories.imports.office import OFFICE_EXTENSIONS, OfficeFileError, office_to_html
from stories.text import SCENE_BREAK_RE, count_words, sanitize_html

MAX_FILE_BYTES = 4 * 1024 * 1024
ACCEPTED_EXTENSIONS = (
    ".txt", ".md", ".markdown", ".html", ".htm", *OFFICE_EXTENSIONS
)  # fmt: skip

MEGABYTE = 1024 * 1024
# A title, byline and chapter heading are only looked for this near the start.
HEADER_PARAGRAPHS = 6
# A closing line or an author's note is only looked for this near the end.
CLOSING_PARAGRAPHS = 4
HEADING_MAX_CHARS = 120
TITLE_MAX_CHARS = 100
BARE_HEADING_MAX_WORDS = 15
BYLINE_MAX_WORDS = 6
# Text with more control characters than this share is a binary file in disguise.
CONTROL_SHARE_LIMIT = 0.05
# Plain text is taken as double-spaced only when it has enough paragraph gaps to tell.
DOUBLE_SPACING_MIN_GAPS = 6

BINARY_SIGNATURES = (
    (b"%PDF", gettext_lazy("a PDF")),
    (b"PK\x03\x04", gettext_lazy("a Word document or another zip archive")),
    (b"\xd0\xcf\x11\xe0", gettext_lazy("an old Word document")),
    (b"\x89PNG", gettext_lazy("an image")),
    (b"GIF8", gettext_lazy("an image")),
    (b"\xff\xd8\xff", gettext_lazy("an image")),
)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF8_BOM = b"\xef\xbb\xbf"
CONTROL_CHARACTER_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _windows_1252_table():
    """Map the Latin-1 reading of bytes 0x80-0x9F to their Windows-1252 characters."""
    table = {}
    for byte in range(0x80, 0xA0):
        try:
            table[byte] = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            # Five bytes are unassigned: like browsers, keep them as C1 controls,
            # which the binary check then counts.
            continue
    return table


WINDOWS_1252 = _windows_1252_table()

UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
NUMBER_TOKENS = frozenset({*UNITS, *TEENS, *TENS, "zero", "hundred", "thousand", "and"})
NUMBER_WORD_SPLIT_RE = re.compile(r"[\s\-\u2010]+")
# A word, and the space or hyphen joining it to a next word.
NUMBER_TOKEN_RE = re.compile(r"([A-Za-z]+)(?:\s+|-(?=[A-Za-z]))?")

ROMAN_RE = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
HEADING_KEYWORD_RE = re.compile(
    r"(?:chapter|chap|ch|part|pt)(?![a-z])\.?\s*#?\s*", re.I
)
KEYWORD_DIGITS_RE = re.compile(r"\d+(?!\w)")
# Without a keyword, "2014: the year it began" is prose: three digits at most.
BARE_DIGITS_RE = re.compile(r"\d{1,3}(?!\w)")
KEYWORD_ROMAN_RE = re.compile(r"[IVXLCDM]+(?![A-Za-z])", re.I)
# Without a keyword: capitals without D or M ("MD: ..." is not chapter 1500), and a
# separator after them, so that a paragraph "C" or "I" is not a chapter.
BARE_ROMAN_RE = re.compile(r"[IVXLC]+(?=\s*(?:[:\-–—]|\.(?!\.)))")
SPECIAL_HEADING_RE = re.compile(
    r"(?:prologue|epilogue|interlude)(?:\s*[:.\-–—]+\s*\S.*|\.)?", re.I
)
# A full stop separates a number from a title; an ellipsis ("I... I can't") does not.
SEPARATOR = r"(?:[:\-–—]+|\.(?!\.))"
KEYWORD_TITLE_RE = re.compile(
    rf"\s*{SEPARATOR}\s*(?P<title>.*)|\s+(?P<bare>[A-Z0-9\"'“‘(\[].*)|\s*", re.S
)
BARE_TITLE_RE = re.compile(rf"\s*(?:{SEPARATOR}(?:\s+(?P<title>.*))?)?", re.S)
# "Ten. Nine. Eight. She counted down." is prose, not chapter ten.
SENTENCE_BREAK_RE = re.compile(r"[.!?][\"'”’)]*\s+\S")

BYLINE_RE = re.compile(
    r"(?:(?:written\s+)?by(?:\s*[:\-–—]\s*|\s+)|(?:author|writer|pen\s*name)\s*[:\-–—]\s*)"
    r"(?P<name>\S.*)",
    re.I,
)
NOT_A_NAME_RE = re.compile(
    r"[,;!?\"“”]|^(?:the|a|an|his|her|my|our|their|then|now|this|that|way)\b", re.I
)
TITLE_LABEL_RE = re.compile(r"title\s*:\s*(?P<title>\S.*)", re.I)
NOT_A_TITLE_RE = re.compile(
    r"(?:a/n|an|author'?s?['’]?\s+notes?|notes?|disclaimer|summary|rating|warnings?"
    r"|pairings?|fandoms?|genres?|characters?|words?|category|spoilers?)\s*[:\-–—]",
    re.I,
)
AUTHOR_NOTE_RE = re.compile(
    r"\W*(?:a/n\b|a\.n\.|an\s*:|author'?s?['’]?\s+notes?\b|notes?\s*[:\-–—]"
    r"|disclaimer\b)",
    re.I,
)
DISCLAIMER_RE = re.compile(
    r"disclaim|\b(?:do not|does not|don['’]?t|doesn['’]?t)\s+own\b|\bnot mine\b"
    r"|\bbelongs? to\b",
    re.I,
)
CLOSING_RE = re.compile(
    r"[\W_]*(?:(?P<continued>to\s+be\s+continued|tbc)|(?P<end>the\s+end))[\W_]*",
    re.I,
)
DECORATION = "~*=_#|+-–—•· \t"
BRACKET_PAIRS = ("[]", "()", "{}", "<>")

BR_RE = re.compile(r"<br\s*/?>", re.I)
DOUBLE_BR_RE = re.compile(r"(?:<br>\s*){2,}")
TAG_RE = re.compile(r"<[^>]*>")
BODY_RE = re.compile(r"<body\b[^>]*>(?P<body>.*?)(?:</body\s*>|\Z)", re.I | re.S)
HEAD_RE = re.compile(r"<head\b.*?(?:</head\s*>|\Z)", re.I | re.S)
PAGE_TITLE_RE = re.compile(r"<title\b[^>]*>(?P<title>.*?)</title\s*>", re.I | re.S)

BLOCK_TAGS = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol",
        "dl", "table", "pre", "center", "details", "figure", "address", "hr",
    }
)  # fmt: skip
VOID_TAGS = frozenset({"br", "hr", "img", "col", "wbr"})


class ChapterFileError(ValueError):
    """A file that cannot become a chapter; str(error) is a message for the uploader."""


@dataclass(frozen=True)
class ImportedChapter:
    """A chapter read from a file, with what the importer guessed along the way."""

    work_title: str
    creator: str
    chapter_number: int | None
    chapter_title: str
    beginning_notes: str
    body: str
    end_notes: str
    word_count: int
    in_progress: bool
    guesses: tuple[str, ...]


@dataclass(frozen=True)
class _Block:
    """A paragraph-level piece of a chapter, or a scene break."""

    markup: str
    text: str = ""
    where: str = ""
    tag: str = "p"

    @property
    def is_break(self):
        return self.tag == "hr"


SCENE_BREAK = _Block(markup="<hr>", tag="hr")
# An empty paragraph of a word processor's file, a gap the author left.
EMPTY_PARAGRAPH = _Block(markup="", tag="empty")


@dataclass(frozen=True)
class _Heading:
    number: int | None
    title: str


def import_chapter(
    data: bytes, filename: str, *, max_bytes: int = MAX_FILE_BYTES
) -> ImportedChapter:
    """Return the chapter read from an uploaded file, or raise ChapterFileError."""
    name = re.split(r"[\\/]", filename or "")[-1].strip()
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ACCEPTED_EXTENSIONS:
        raise ChapterFileError(
            _(
                "%(name)s is not a file type the archive reads: "
                "upload .txt, .md, .html, .docx or .odt."
            )
            % {"name": name or _("This file")}
        )
    check_file_size(len(data), name, max_bytes=max_bytes)
    if extension in OFFICE_EXTENSIONS:
        return _import_office_chapter(data, name)
    _refuse_binary_signature(data, name)
    text, encoding = _decode(data)
    if not text.strip():
        raise ChapterFileError(_("The file is empty."))
    _refuse_control_characters(text, name)

    guesses = []
    if encoding == "windows-1252":
        guesses.append(_("Read as Windows-1252 text, because the file is not UTF-8."))
    page_title = ""
    if extension == ".txt":
        blocks = _plain_text_blocks(text, guesses)
    elif extension in (".md", ".markdown"):
        blocks = _markup_blocks(markdown.markdown(text, output_format="html"))
    else:
        body, page_title = _html_body(text)
        blocks = _markup_blocks(body)
    return _build_chapter(blocks, guesses, page_title, name)


def _import_office_chapter(data, name):
    """Return the chapter in a Word or OpenDocument file, read as its HTML."""
    try:
        office = office_to_html(data, name)
    except OfficeFileError as error:
        raise ChapterFileError(str(error)) from None
    guesses = [_("Read as %(kind)s.") % {"kind": office.kind}]
    if office.images_dropped:
        guesses.append(
            ngettext(
                "%(number)d picture left out: the archive keeps no pictures from "
                "files.",
                "%(number)d pictures left out: the archive keeps no pictures from "
                "files.",
                office.images_dropped,
            )
            % {"number": office.images_dropped}
        )
    body, page_title = _html_body(office.html)
    blocks = _markup_blocks(body, keep_empty=True)
    return _build_chapter(
        _empty_paragraph_breaks(blocks, guesses), guesses, page_title, name
    )


def _empty_paragraph_breaks(blocks, guesses):
    """Return the blocks with runs of empty paragraphs made scene breaks.

    A word processor spaces paragraphs by itself, so an empty paragraph is a
    gap the author made: a scene break, as a wider gap in plain text is; unless
    most paragraphs have one, when only wider gaps are breaks.
    """
    gaps, run, seen_text = [], 0, False
    for block in blocks:
        if block is EMPTY_PARAGRAPH:
            run += 1
        elif not block.is_break:
            if seen_text:
                gaps.append(run)
            seen_text, run = True, 0
    least_break = 1
    wide = [gap for gap in gaps if gap]
    common_gap, common_count = Counter(wide).most_common(1)[0] if wide else (0, 0)
    if len(gaps) >= DOUBLE_SPACING_MIN_GAPS and common_count * 2 > len(gaps):
        least_break = common_gap + 1
        guesses.append(
            ngettext(
                "Paragraphs are %(number)d empty paragraph apart: only wider gaps "
                "were taken as scene breaks.",
                "Paragraphs are %(number)d empty paragraphs apart: only wider gaps "
                "were taken as scene breaks.",
                common_gap,
            )
            % {"number": common_gap}
        )
    kept, run = [], 0
    for block in [*blocks, None]:
        if block is EMPTY_PARAGRAPH:
            run += 1
            continue
        if run >= least_break:
            kept.append(SCENE_BREAK)
        run = 0
        if block is not None:
            kept.append(block)
    return kept


def check_file_size(size: int, filename: str, *, max_bytes: int = MAX_FILE_BYTES):
    """Raise ChapterFileError when a file of this size is too large to read."""
    if size > max_bytes:
        name = re.split(r"[\\/]", filename or "")[-1].strip() or _("This file")
        raise ChapterFileError(
            _(
                "%(name)s is %(size)s MB; the archive reads chapter files "
                "of up to %(limit)s MB."
            )
            % {"name": name, "size": _megabytes(size), "limit": _megabytes(max_bytes)}
        )


def decode_text(data: bytes) -> str:
    """Return the text of a file: UTF-8 or UTF-16 by their marks, else Windows-1252."""
    return _decode(data)[0]


def parse_number_words(text: str) -> int | None:
    """Return the number spelled out in English words ("Forty-seven" is 47), or None."""
    words = [word for word in NUMBER_WORD_SPLIT_RE.split(text.strip().lower()) if word]
    if words == ["zero"]:
        return 0
    thousands, position = _parse_below_thousand(words, 0)
    if thousands is None:
        return None
    value = thousands
    if position < len(words) and words[position] == "thousand":
        position += 1
        joined = position < len(words) and words[position] == "and"
        rest, position = _parse_below_thousand(words, position + joined)
        if rest is None and joined:
            return None
        value = thousands * 1000 + (rest or 0)
    return value if position == len(words) else None


def _parse_below_thousand(words, position):
    """Return the value of the words from position that make a number under 1000."""
    value = None
    if (
        position + 1 < len(words)
        and words[position] in UNITS
        and words[position + 1] == "hundred"
    ):
        value = UNITS[words[position]] * 100
        position += 2
        if position < len(words) and words[position] == "and":
            position += 1
            tail, position = _parse_tens(words, position)
            return (None, position) if tail is None else (value + tail, position)
    tail, position = _parse_tens(words, position)
    if tail is None:
        return value, position
    return (value or 0) + tail, position


def _parse_tens(words, position):
    """Return the value of the words from position that make a number under 100."""
    if position >= len(words):
        return None, position
    word = words[position]
    if word in TEENS:
        return TEENS[word], position + 1
    if word in UNITS:
        return UNITS[word], position + 1
    if word in TENS:
        if position + 1 < len(words) and words[position + 1] in UNITS:
            return TENS[word] + UNITS[words[position + 1]], position + 2
        return TENS[word], position + 1
    return None, position


def _megabytes(size):
    return f"{size / MEGABYTE:.3g}"


def _decode(data):
    """Return the text of the file and the name of the encoding it was read in."""
    if data.startswith(UTF8_BOM):
        text, encoding = data[len(UTF8_BOM) :].decode("utf-8", "replace"), "utf-8"
    elif data.startswith(UTF16_BOMS):
        text, encoding = data.decode("utf-16", "replace"), "utf-16"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text = data.decode("latin-1").translate(WINDOWS_1252)
            encoding = "windows-1252"
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding


def _refuse_binary_signature(data, name):
    for signature, kind in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise ChapterFileError(
                _(
                    "%(name)s looks like a binary file (%(kind)s), not text: "
                    "save it as .txt, .md or .html and upload that."
                )
                % {"name": name, "kind": kind}
            )


def _refuse_control_characters(text, name):
    controls = len(CONTROL_CHARACTER_RE.findall(text))
    if "\x00" in text or controls > CONTROL_SHARE_LIMIT * len(text):
        raise ChapterFileError(
            _(
                "%(name)s looks like a binary file, not text: "
                "save it as .txt, .md or .html and upload that."
            )
            % {"name": name}
        )


def _plain_text_blocks(text, guesses):
    """Return the paragraphs and scene breaks of a plain-text chapter."""
    lines = [line.strip() for line in text.split("\n")]
    joined = "\n".join(lines).strip()
    if "\n" in joined and "\n\n" not in joined:
        guesses.append(
            _("No blank lines between paragraphs: each line taken as a paragraph.")
        )
        return [
            SCENE_BREAK if SCENE_BREAK_RE.fullmatch(line) else _text_block([line], n)
            for n, line in enumerate(lines, start=1)
            if line
        ]

    pieces = []
    paragraph, start, blanks = [], 0, 0
    for number, line in enumerate(lines, start=1):
        if line and not SCENE_BREAK_RE.fullmatch(line):
            if not paragraph:
                pieces.append(blanks)
                start, blanks = number, 0
            paragraph.append(line)
            continue
        if paragraph:
            pieces.append(_text_block(paragraph, start))
            paragraph = []
        if line:
            pieces.append(SCENE_BREAK)
            blanks = 0
        else:
            blanks += 1
    if paragraph:
        pieces.append(_text_block(paragraph, start))

    gaps = [piece for piece in pieces[1:] if isinstance(piece, int) and piece]
    least_break = 2
    common_gap, common_count = Counter(gaps).most_common(1)[0] if gaps else (1, 0)
    if (
        len(gaps) >= DOUBLE_SPACING_MIN_GAPS
        and common_gap >= 2
        and common_count * 2 > len(gaps)
    ):
        least_break = common_gap + 1
        guesses.append(
            _(
                "Paragraphs are %(number)d blank lines apart: only wider gaps "
                "were taken as scene breaks."
            )
            % {"number": common_gap}
        )
    blocks = []
    for piece in pieces:
        if isinstance(piece, int):
            if piece >= least_break:
                blocks.append(SCENE_BREAK)
        else:
            blocks.append(piece)
    return blocks


def _text_block(lines, start):
    markup = "<br>".join(html.escape(line, quote=False) for line in lines)
    return _Block(
        markup=f"<p>{markup}</p>", text="\n".join(lines), where=f"line {start}"
    )


def _html_body(text):
    """Return the inside of an HTML page's body and the page's title."""
    title_match = PAGE_TITLE_RE.search(text)
    page_title = _visible_text(title_match["title"]) if title_match else ""
    body_match = BODY_RE.search(text)
    body = body_match["body"] if body_match else HEAD_RE.sub("", text)
    return PAGE_TITLE_RE.sub("", body), " ".join(page_title.split())


class _BlockSplitter(HTMLParser):
    """Cut sanitized markup into its top-level blocks, wrapping loose inline runs."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.blocks = []
        self._tag = ""
        self._depth = 0
        self._inline_depth = 0
        self._parts = []
        self._inline = []

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text()
        if self._depth:
            self._parts.append(raw)
            self._depth += tag not in VOID_TAGS
        elif tag in BLOCK_TAGS and not self._inline_depth:
            self._flush_inline()
            if tag in VOID_TAGS:
                self.blocks.append(("hr", raw))
            else:
                self._tag, self._parts, self._depth = tag, [raw], 1
        else:
            self._inline.append(raw)
            self._inline_depth += tag not in VOID_TAGS

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self._depth:
            self._parts.append(f"</{tag}>")
            self._depth -= 1
            if not self._depth:
                self.blocks.append((self._tag, "".join(self._parts)))
        else:
            self._inline.append(f"</{tag}>")
            self._inline_depth = max(self._inline_depth - 1, 0)

    def handle_data(self, data):
        (self._parts if self._depth else self._inline).append(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")

    def close(self):
        super().close()
        self._flush_inline()

    def _flush_inline(self):
        run = "".join(self._inline)
        self._inline = []
        for piece in DOUBLE_BR_RE.split(run):
            if _visible_text(piece) or "<img" in piece:
                self.blocks.append(("p", f"<p>{piece.strip()}</p>"))


def _markup_blocks(markup, *, keep_empty=False):
    """Return the top-level blocks of a chapter's HTML, scene breaks marked.

    With keep_empty, an empty paragraph is kept as EMPTY_PARAGRAPH.
    """
    splitter = _BlockSplitter()
    splitter.feed(sanitize_html(markup))
    splitter.close()
    found = splitter.blocks
    # A story wrapped whole in one <div> is read from inside the wrapper.
    while len(found) == 1 and found[0][0] == "div":
        inner = re.sub(r"^<div[^>]*>|</div>$", "", found[0][1])
        splitter = _BlockSplitter()
        splitter.feed(inner)
        splitter.close()
        found = splitter.blocks
    blocks = []
    for number, (tag, markup) in enumerate(found, start=1):
        text = _visible_text(markup)
        if tag == "hr" or SCENE_BREAK_RE.fullmatch(text):
            blocks.append(SCENE_BREAK)
        elif text or "<img" in markup:
            blocks.append(_Block(markup, text, f"paragraph {number}", tag))
        elif keep_empty and tag == "p":
            blocks.append(EMPTY_PARAGRAPH)
    return blocks


def _visible_text(markup):
    """Return the text a reader sees in markup, one line per <br>."""
    flat = BR_RE.sub("\n", re.sub(r"\s+", " ", markup))
    text = html.unescape(TAG_RE.sub("", flat))
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _build_chapter(blocks, guesses, page_title, name):
    """Return the chapter made of the blocks, its header and closing read off."""
    fields, header_notes, body_start = _read_header(blocks, guesses)
    body = blocks[body_start:]
    body, leading_notes = _split_leading_author_notes(body, guesses)
    body, end_notes, in_progress = _split_closing(body, guesses)

    work_title = fields["title"]
    if not work_title and body and body[0].tag == "h1" and not fields["heading"]:
        work_title = _undecorate(body[0].text)
        body = body[1:]
        guesses.insert(
            0,
            _('Work title "%(title)s" from the first heading.') % {"title": work_title},
        )
    if not work_title and page_title:
        work_title = page_title
        guesses.insert(
            0, _('Work title "%(title)s" from the page title.') % {"title": work_title}
        )

    body_markup = _join(body)
    if not _visible_text(body_markup) and "<img" not in body_markup:
        raise ChapterFileError(
            _("No chapter text found in %(name)s: only a title, heading or notes.")
            % {"name": name}
        )
    breaks = body_markup.count("<hr>")
    if breaks:
        guesses.append(
            ngettext("%(number)d scene break.", "%(number)d scene breaks.", breaks)
            % {"number": breaks}
        )
    heading = fields["heading"]
    return ImportedChapter(
        work_title=work_title,
        creator=fields["creator"],
        chapter_number=heading.number if heading else None,
        chapter_title=heading.title if heading else "",
        beginning_notes=_join(header_notes + leading_notes),
        body=body_markup,
        end_notes=_join(end_notes),
        word_count=count_words(body_markup),
        in_progress=in_progress,
        guesses=tuple(guesses),
    )


def _join(blocks):
    """Return the markup of the blocks, without doubled or dangling scene breaks."""
    kept = []
    for block in blocks:
        if block.is_break and (not kept or kept[-1].is_break):
            continue
        kept.append(block)
    while kept and kept[-1].is_break:
        kept.pop()
    # Joined as the chapter form joins typed paragraphs, so that a file's text
    # posted through the form is stored as the file gave it.
    return sanitize_html("".join(block.markup for block in kept))


def _read_header(blocks, guesses):
    """Return the title, byline and heading fields, the notes above them, and
    where the chapter text starts."""
    fields = {"title": "", "creator": "", "heading": None}
    paragraphs = [i for i, block in enumerate(blocks) if not block.is_break]
    leading = paragraphs[:HEADER_PARAGRAPHS]
    heading_at = next((i for i in leading if _parse_heading(blocks[i].text)), None)
    byline_at = None
    for order, i in enumerate(leading):
        # Without a heading, a byline opens the file; with one, it comes before
        # the heading or right after it.
        if heading_at is None and order >= 3:
            break
        if (
            heading_at is not None
            and i > heading_at
            and leading[order - 1] != heading_at
        ):
            break
        if i != heading_at and _parse_byline(blocks[i].text):
            byline_at = i
            break
    found = [i for i in (byline_at, heading_at) if i is not None]
    if not found:
        return fields, [], 0

    anchor = min(found)
    title_at = None
    before = [i for i in paragraphs if i < anchor]
    if before and (title := _title_candidate(blocks[before[-1]].text)):
        title_at = before[-1]
        fields["title"] = title
        guesses.append(
            _('Work title "%(title)s" from %(place)s.')
            % {"title": title, "place": _place(blocks[title_at])}
        )
    if byline_at is not None:
        fields["creator"] = _parse_byline(blocks[byline_at].text)
        guesses.append(
            _('Creator "%(name)s" from the byline %(at)s.')
            % {"name": fields["creator"], "at": _at(blocks[byline_at])}
        )
    if heading_at is not None:
        _describe_heading(blocks[heading_at], fields, guesses)

    header = {i for i in (title_at, byline_at, heading_at) if i is not None}
    body_start = max(header) + 1
    note_indices = [
        i for i in range(body_start) if i not in header and not blocks[i].is_break
    ]
    notes = [blocks[i] for i in note_indices]
    if notes:
        kind = _("Disclaimer") if DISCLAIMER_RE.search(_text_of(notes)) else _("Text")
        first = min(header)
        place = {
            title_at: _("before the title"),
            byline_at: _("before the byline"),
            heading_at: _("before the heading"),
        }
        where = place[first] if note_indices[-1] < first else _("in the header")
        guesses.append(
            _("%(kind)s %(where)s kept as the chapter's beginning notes.")
            % {"kind": kind, "where": where}
        )
    return fields, notes, body_start


def _describe_heading(block, fields, guesses):
    heading = _parse_heading(block.text)
    fields["heading"] = heading
    if heading.number is not None:
        guesses.append(
            _('Chapter number %(number)s from the heading "%(heading)s" %(at)s.')
            % {"number": heading.number, "heading": block.text, "at": _at(block)}
        )
    if heading.title:
        guesses.append(
            _('Chapter title "%(title)s" from the heading.') % {"title": heading.title}
        )


def _place(block):
    """Return where a block is, "line 3" or "paragraph 2", for a sentence."""
    kind, number = block.where.split()
    if kind == "line":
        return _("line %(number)s") % {"number": number}
    return _("paragraph %(number)s") % {"number": number}


def _at(block):
    """Return where a block is, "on line 3" or "in paragraph 2", for a sentence."""
    kind, number = block.where.split()
    if kind == "line":
        return _("on line %(number)s") % {"number": number}
    return _("in paragraph %(number)s") % {"number": number}


def _text_of(blocks):
    return "\n".join(block.text for block in blocks)


def _split_leading_author_notes(body, guesses):
    """Return the body without the author's notes opening it, and those notes."""
    cut = 0
    for i, block in enumerate(body):
        if block.is_break:
            continue
        if not AUTHOR_NOTE_RE.match(block.text):
            break
        cut = i + 1
    if not cut or all(block.is_break for block in body[cut:]):
        return body, []
    guesses.append(
        _("Author's note at the start of the chapter kept as the beginning notes.")
    )
    return body[cut:], body[:cut]


def _split_closing(body, guesses):
    """Return the body, the end notes cut from its end, and whether it continues."""
    paragraphs = [i for i, block in enumerate(body) if not block.is_break]
    closing_at, closing = None, None
    for i in reversed(paragraphs[-CLOSING_PARAGRAPHS:]):
        if match := CLOSING_RE.fullmatch(body[i].text):
            closing_at, closing = i, match
            break
    cut = len(body) if closing_at is None else closing_at
    notes_from = cut
    kept = [i for i in paragraphs if i < cut]
    while len(kept) > 1 and AUTHOR_NOTE_RE.match(body[kept[-1]].text):
        notes_from = kept.pop()
    if notes_from < cut:
        guesses.append(
            _("Author's note at the end of the chapter moved to the end notes.")
        )
    in_progress = bool(closing and closing["continued"])
    if in_progress:
        guesses.append(
            _('"%(words)s" moved to the end notes; the work is marked as in progress.')
            % {"words": closing["continued"]}
        )
    elif closing:
        guesses.append(
            _('"%(words)s" moved to the end notes.') % {"words": closing["end"]}
        )
    return body[:notes_from], body[notes_from:], in_progress


def _undecorate(text):
    """Return text without the ~*=- flourishes fans put around headings."""
    text = text.strip(DECORATION)
    if len(text) > 1 and text[0] + text[-1] in BRACKET_PAIRS:
        text = text[1:-1].strip(DECORATION)
    return text


def _strip_period(title):
    """Return a title without its closing full stop, keeping an ellipsis."""
    title = title.strip()
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1].rstrip()
    return title


def _parse_heading(text):
    """Return the chapter heading written in text, or None when it is not one."""
    if not text or "\n" in text or len(text) > HEADING_MAX_CHARS:
        return None
    text = _undecorate(text)
    if SPECIAL_HEADING_RE.fullmatch(text):
        return _Heading(None, _strip_period(text))
    keyword = HEADING_KEYWORD_RE.match(text)
    if keyword:
        number, rest = _leading_number(text[keyword.end() :], bare=False)
        if number is None:
            return None
        match = KEYWORD_TITLE_RE.fullmatch(rest)
        if not match:
            return None
        title = match["title"] or match["bare"] or ""
        return _Heading(number, _strip_period(title))
    number, rest = _leading_number(text, bare=True)
    if number is None:
        return None
    match = BARE_TITLE_RE.fullmatch(rest)
    if not match:
        return None
    title = _strip_period(match["title"] or "")
    if len(title.split()) > BARE_HEADING_MAX_WORDS or SENTENCE_BREAK_RE.search(title):
        return None
    return _Heading(number, title)


def _leading_number(text, *, bare):
    """Return the chapter number text starts with, and the text after it."""
    digits = (BARE_DIGITS_RE if bare else KEYWORD_DIGITS_RE).match(text)
    if digits:
        return int(digits.group()), text[digits.end() :]
    words = _leading_number_words(text)
    if words:
        return words
    roman = (BARE_ROMAN_RE if bare else KEYWORD_ROMAN_RE).match(text)
    if roman and ROMAN_RE.fullmatch(roman.group().upper()):
        return _roman_value(roman.group().upper()), text[roman.end() :]
    return None, text


def _leading_number_words(text):
    """Return the spelled-out number text starts with, and the text after it."""
    words, ends, position = [], [], 0
    while match := NUMBER_TOKEN_RE.match(text, position):
        word = match.group(1)
        if word.lower() not in NUMBER_TOKENS:
            break
        words.append(word)
        ends.append(match.end(1))
        if match.end() == match.end(1):
            break
        position = match.end()
    for count in range(len(words), 0, -1):
        value = parse_number_words(" ".join(words[:count]))
        if value is not None:
            return value, text[ends[count - 1] :]
    return None


def _roman_value(numeral):
    values = [ROMAN_VALUES[letter] for letter in numeral]
    return sum(
        -value if later > value else value
        for value, later in zip(values, values[1:] + [0], strict=True)
    )


def _parse_byline(text):
    """Return the name in a byline ("By NAME", "Author: NAME"), or ""."""
    if not text or "\n" in text:
        return ""
    match = BYLINE_RE.fullmatch(text.strip())
    if not match:
        return ""
    name = match["name"].strip()
    if len(name.split()) > BYLINE_MAX_WORDS or NOT_A_NAME_RE.search(name):
        return ""
    return name


def _title_candidate(text):
    """Return the work title a short header line holds, or ""."""
    if not text or "\n" in text or len(text) > TITLE_MAX_CHARS:
        return ""
    if label := TITLE_LABEL_RE.fullmatch(text):
        return _undecorate(label["title"])
    title = _undecorate(text)
    if (
        not title
        or NOT_A_TITLE_RE.match(title)
        or DISCLAIMER_RE.search(title)
        or CLOSING_RE.fullmatch(title)
        or (title.endswith((".", ",", ";", ":")) and not title.endswith("..."))
    ):
        return ""
    return title
