"""Reading a whole work from an AO3 "Download as HTML" file, without the database.

AO3 writes its HTML download from app/views/downloads/ (show.html.erb with the
_download_preface, _download_chapter and _download_afterword partials, in the
"barebones" layout): a #preface with a dl.tags of "Kind:" / tags pairs, the
title in h1, a .byline, "Summary" and "Notes" paragraphs each followed by a
blockquote.userstuff; a #chapters holding, for a chaptered work, one
div.meta.group per chapter (an h2 "Chapter N: Title", its notes) followed by
its div.userstuff and, when it has end notes, a div.meta#endnotesN; a
one-chapter work has an h2.toc-heading and a div.userstuff only; then an
#afterword with the work's end notes in #endnotes.
"""

import html
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lxml import etree
from lxml import html as lxml_html

from stories.importing import decode_text
from stories.models import ARCHIVE_CATEGORIES, ARCHIVE_WARNINGS, Rating, TagKind
from stories.text import count_words, sanitize_html

MEGABYTE = 1024 * 1024
# The confirmation page posts every chapter back: under DATA_UPLOAD_MAX_MEMORY_SIZE.
MAX_FILE_BYTES = 5 * MEGABYTE
# Five fields a chapter, under DATA_UPLOAD_MAX_NUMBER_FIELDS with the work's own.
MAX_CHAPTERS = 180

TAG_KINDS = {
    "fandom": TagKind.FANDOM,
    "fandoms": TagKind.FANDOM,
    "relationship": TagKind.RELATIONSHIP,
    "relationships": TagKind.RELATIONSHIP,
    "character": TagKind.CHARACTER,
    "characters": TagKind.CHARACTER,
    "additional tags": TagKind.FREEFORM,
    "additional tag": TagKind.FREEFORM,
    "freeform": TagKind.FREEFORM,
    "freeforms": TagKind.FREEFORM,
}
RATING_LABELS = ("rating", "ratings")
WARNING_LABELS = ("archive warning", "archive warnings")
CATEGORY_LABELS = ("category", "categories")
# AO3 shows its "choose not to warn" tag under a longer name than it stores.
WARNING_ALIASES = {
    "creator chose not to use archive warnings": "Choose Not To Use Archive Warnings"
}
RATINGS = {label.lower(): value for value, label in Rating.choices}
CHAPTER_HEADING_RE = re.compile(
    r"Chapter\s+(?P<number>\d+)\s*(?::\s*(?P<title>.*))?", re.S
)
XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
IMG_WITHOUT_SOURCE_RE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
CHAPTERS_STAT_RE = re.compile(r"Chapters:\s*(?P<posted>\d+)\s*/\s*(?P<expected>\d+|\?)")


class WorkFileError(ValueError):
    """A file that cannot become a work; str(error) is a message for the uploader."""


@dataclass(frozen=True)
class ImportedWorkChapter:
    """One chapter of an AO3 download."""

    number: int
    title: str
    notes: str
    body: str
    end_notes: str
    word_count: int


@dataclass(frozen=True)
class ImportedWork:
    """A work read from an AO3 download, with what the importer guessed."""

    title: str
    creators: tuple[str, ...]
    summary: str
    notes: str
    end_notes: str
    rating: str
    warnings: tuple[str, ...]
    tags: dict = field(default_factory=dict)
    categories: tuple[str, ...] = ()
    language: str = ""
    series: tuple[str, ...] = ()
    expected_chapters: int | None = None
    chapters: tuple[ImportedWorkChapter, ...] = ()
    guesses: tuple[str, ...] = ()

    @property
    def word_count(self):
        return sum(chapter.word_count for chapter in self.chapters)


def import_ao3_work(data: bytes, filename: str) -> ImportedWork:
    """Return the work in an AO3 "Download as HTML" file, or raise WorkFileError."""
    name = re.split(r"[\\/]", filename or "")[-1].strip() or _("This file")
    not_ao3 = _(
        "%(name)s is not an AO3 HTML download: on the work's page on AO3 choose "
        "Download, then HTML, and upload that file. (A single chapter in any other "
        "file can be posted from the new work form.)"
    ) % {"name": name}
    check_file_size(len(data), name)
    if data.startswith(b"PK\x03\x04"):
        raise WorkFileError(
            _(
                "%(name)s is an EPUB or another zip file, not an AO3 HTML download: "
                "on AO3 choose Download, then HTML."
            )
            % {"name": name}
        )
    # lxml refuses a str that declares its encoding; the bytes are decoded already.
    text = XML_DECLARATION_RE.sub("", decode_text(data), count=1)
    if "\x00" in text or not text.strip():
        raise WorkFileError(not_ao3)
    try:
        document = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        raise WorkFileError(not_ao3) from None
    preface = _first(document, "//div[@id='preface']")
    chapters_div = _first(document, "//div[@id='chapters']")
    if preface is None or chapters_div is None:
        raise WorkFileError(not_ao3)
    reader = _Reader()
    return reader.read(document, preface, chapters_div, name)


def check_file_size(size: int, filename: str) -> None:
    """Raise WorkFileError when a file of this size is too large to import."""
    if size > MAX_FILE_BYTES:
        name = re.split(r"[\\/]", filename or "")[-1].strip() or _("This file")
        raise WorkFileError(
            _(
                "%(name)s is %(size)s MB; the archive imports AO3 downloads of up to "
                "%(limit)s MB. Import the work in parts: post the first chapters, "
                "then add the others."
            )
            % {
                "name": name,
                "size": f"{size / MEGABYTE:.3g}",
                "limit": MAX_FILE_BYTES // MEGABYTE,
            }
        )


def _first(node, path):
    found = node.xpath(path)
    return found[0] if found else None


def _text(node):
    return " ".join(node.text_content().split()) if node is not None else ""


def _inner_html(node):
    """Return the sanitized markup inside an element."""
    if node is None:
        return ""
    parts = [html.escape(node.text or "", quote=False)]
    parts += [
        etree.tostring(child, encoding="unicode", method="html")
        if isinstance(child.tag, str)
        else html.escape(child.tail or "", quote=False)
        for child in node
    ]
    # A picture whose address the sanitizer refused (data:, relative) is nothing.
    return IMG_WITHOUT_SOURCE_RE.sub("", sanitize_html("".join(parts)))


def _labelled_blockquotes(container):
    """Return the blockquotes of a meta block by the label in the paragraph above."""
    found = {}
    label = None
    for child in container:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "p":
            label = _text(child).rstrip(":").lower()
        elif child.tag == "blockquote" and label:
            found.setdefault(label, child)
            label = None
    return found


class _Reader:
    def __init__(self):
        self.guesses = []
        self.summarised = []

    def read(self, document, preface, chapters_div, name):
        meta = _first(preface, ".//div[contains(concat(' ', @class, ' '), ' meta ')]")
        if meta is None:
            meta = preface
        title = _text(_first(meta, ".//h1")) or _text(
            _first(preface, ".//p[@class='message']/b")
        )
        if not title:
            raise WorkFileError(
                _(
                    "%(name)s has no work title where AO3 puts one: it is not an AO3 "
                    "HTML download, or it was changed after downloading."
                )
                % {"name": name}
            )
        tags = self._tags(_first(meta, ".//dl"))
        creators = self._creators(_first(meta, ".//div[@class='byline']"))
        quotes = _labelled_blockquotes(meta)
        summary = _inner_html(quotes.get("summary"))
        notes = _inner_html(quotes.get("notes"))
        end_notes = _inner_html(
            _first(document, "//div[@id='afterword']//div[@id='endnotes']//blockquote")
        )
        chapters = self._chapters(chapters_div, name)
        if self.summarised:
            numbers = ", ".join(str(number) for number in self.summarised)
            self.guesses.append(
                ngettext(
                    "Chapter summaries (chapter %(numbers)s) kept at the top of the "
                    "chapter's notes: the archive has no chapter summaries.",
                    "Chapter summaries (chapters %(numbers)s) kept at the top of the "
                    "chapter's notes: the archive has no chapter summaries.",
                    len(self.summarised),
                )
                % {"numbers": numbers}
            )
        if summary:
            self.guesses.append(_("Summary from the work's preface."))
        if notes:
            self.guesses.append(_("Notes from the work's preface."))
        if end_notes:
            self.guesses.append(_("End notes from the work's afterword."))
        titled = sum(1 for chapter in chapters if chapter.title)
        self.guesses.append(
            (
                ngettext(
                    "%(number)d chapter, %(titled)d with a title.",
                    "%(number)d chapters, %(titled)d with a title.",
                    len(chapters),
                )
                if titled
                else ngettext(
                    "%(number)d chapter.", "%(number)d chapters.", len(chapters)
                )
            )
            % {"number": len(chapters), "titled": titled}
        )
        return ImportedWork(
            title=title,
            creators=creators,
            summary=summary,
            notes=notes,
            end_notes=end_notes,
            rating=tags["rating"],
            warnings=tuple(tags["warnings"]),
            categories=tuple(tags["categories"]),
            tags={kind: tuple(names) for kind, names in tags["kinds"].items()},
            language=tags["language"],
            series=tuple(tags["series"]),
            expected_chapters=tags["expected"],
            chapters=tuple(chapters),
            guesses=tuple(self.guesses),
        )

    def _creators(self, byline):
        if byline is None:
            return ()
        names = [_text(link) for link in byline.xpath(".//a[@rel='author']")]
        if not names:
            text = re.sub(r"^by\s+", "", _text(byline), flags=re.I)
            names = [part.strip() for part in text.split(",")]
        names = tuple(name for name in names if name)
        if names:
            self.guesses.append(
                ngettext(
                    "Creator %(names)s from the byline.",
                    "Creators %(names)s from the byline.",
                    len(names),
                )
                % {"names": ", ".join(names)}
            )
        return names

    def _tags(self, dl):
        found = {
            "rating": "",
            "warnings": [],
            "categories": [],
            "kinds": {kind: [] for kind in TAG_KINDS.values()},
            "language": "",
            "series": [],
            "expected": None,
        }
        if dl is None:
            return found
        label = None
        for child in dl:
            if child.tag == "dt":
                label = _text(child).rstrip(":").strip().lower()
            elif child.tag == "dd" and label:
                self._read_pair(label, child, found)
                label = None
        return found

    def _read_pair(self, label, dd, found):
        names = [_text(link) for link in dd.xpath(".//a")] or [
            part.strip() for part in _text(dd).split(",")
        ]
        names = [name for name in names if name]
        freeforms = found["kinds"][TagKind.FREEFORM]
        if label in TAG_KINDS:
            found["kinds"][TAG_KINDS[label]].extend(names)
        elif label in RATING_LABELS:
            known = [RATINGS[name.lower()] for name in names if name.lower() in RATINGS]
            if known:
                found["rating"] = known[0]
                self.guesses.append(
                    _("Rating %(rating)s from the tags.")
                    % {"rating": Rating(known[0]).label}
                )
            unknown = [name for name in names if name.lower() not in RATINGS]
            if unknown:
                freeforms.extend(unknown)
                self.guesses.append(
                    _(
                        "Rating %(names)s is not one of ours: kept as an additional "
                        "tag; choose a rating below."
                    )
                    % {"names": ", ".join(unknown)}
                )
        elif label in WARNING_LABELS:
            by_lower = {warning.lower(): warning for warning in ARCHIVE_WARNINGS}
            by_lower.update(WARNING_ALIASES)
            for name in names:
                if name.lower() in by_lower:
                    found["warnings"].append(by_lower[name.lower()])
                else:
                    freeforms.append(name)
                    self.guesses.append(
                        _(
                            'Archive warning "%(name)s" is not one of ours: kept as '
                            "an additional tag."
                        )
                        % {"name": name}
                    )
        elif label in CATEGORY_LABELS:
            by_lower = {category.lower(): category for category in ARCHIVE_CATEGORIES}
            known = [
                by_lower[name.lower()] for name in names if name.lower() in by_lower
            ]
            found["categories"].extend(known)
            if known:
                self.guesses.append(
                    ngettext(
                        "Category %(names)s from the tags.",
                        "Categories %(names)s from the tags.",
                        len(known),
                    )
                    % {"names": ", ".join(known)}
                )
            unknown = [name for name in names if name.lower() not in by_lower]
            if unknown:
                freeforms.extend(unknown)
                self.guesses.append(
                    _(
                        "Category %(names)s is not one of ours: kept as an additional "
                        "tag."
                    )
                    % {"names": ", ".join(unknown)}
                )
        elif label == "language":
            found["language"] = self._language(_text(dd))
        elif label == "series":
            found["series"] = [part.strip() for part in _text(dd).split(", Part ")]
            found["series"] = [
                line if line.startswith("Part ") else f"Part {line}"
                for line in found["series"]
            ]
            for line in found["series"]:
                self.guesses.append(
                    _(
                        'Series: "%(line)s". Add the work to a series from its page '
                        "once it is posted."
                    )
                    % {"line": line}
                )
        elif label == "stats":
            if match := CHAPTERS_STAT_RE.search(_text(dd)):
                expected = match["expected"]
                if expected == "?":
                    self.guesses.append(
                        _("Chapters %(posted)s/?: the work is in progress.")
                        % {"posted": match["posted"]}
                    )
                else:
                    found["expected"] = int(expected)
                    self.guesses.append(
                        ngettext(
                            "Chapters %(posted)s/%(expected)s: %(expected)s chapter "
                            "expected.",
                            "Chapters %(posted)s/%(expected)s: %(expected)s chapters "
                            "expected.",
                            int(expected),
                        )
                        % {"posted": match["posted"], "expected": expected}
                    )
        elif label == "collections":
            self.guesses.append(_("Collections left out: the archive has none."))
        else:
            freeforms.extend(names)
            self.guesses.append(
                _('Tags of the kind "%(label)s" kept as additional tags: %(names)s.')
                % {"label": label, "names": ", ".join(names)}
            )

    def _language(self, name):
        wanted = name.strip().lower()
        for code, label in settings.WORK_LANGUAGES:
            label = str(label).lower()
            if wanted in (label, code) or wanted.startswith(label):
                self.guesses.append(
                    _("Language %(name)s from the tags.") % {"name": name}
                )
                return code
        self.guesses.append(
            _("Language %(name)s is not one the archive offers: choose one below.")
            % {"name": name}
        )
        return ""

    def _chapters(self, container, name):
        elements = [child for child in container if isinstance(child.tag, str)]
        metas = [
            child
            for child in elements
            if child.tag == "div"
            and "meta" in (child.get("class") or "").split()
            and not (child.get("id") or "").startswith("endnotes")
        ]
        if not metas:
            body = next(
                (
                    child
                    for child in elements
                    if child.tag == "div" and "userstuff" in (child.get("class") or "")
                ),
                None,
            )
            if body is None:
                raise WorkFileError(
                    _("No chapter text found in %(name)s.") % {"name": name}
                )
            markup = _inner_html(body)
            return [ImportedWorkChapter(1, "", "", markup, "", count_words(markup))]
        if len(metas) > MAX_CHAPTERS:
            raise WorkFileError(
                _(
                    "%(name)s holds %(chapters)s chapters; the archive imports works "
                    "of up to %(limit)s chapters at once. Import the first %(limit)s, "
                    "then add the others as chapters."
                )
                % {"name": name, "chapters": len(metas), "limit": MAX_CHAPTERS}
            )
        chapters = []
        current = None
        for child in elements:
            if child in metas:
                if current:
                    chapters.append(current)
                current = self._chapter_head(child, position=len(chapters) + 1)
            elif current is None:
                continue
            elif "userstuff" in (child.get("class") or "").split():
                current["body"] = _inner_html(child)
            elif (child.get("id") or "").startswith("endnotes"):
                current["end_notes"] = _inner_html(_first(child, ".//blockquote"))
        chapters.append(current)
        return [
            ImportedWorkChapter(**chapter, word_count=count_words(chapter["body"]))
            for chapter in chapters
        ]

    def _chapter_head(self, meta, *, position):
        heading = _text(_first(meta, ".//h2"))
        match = CHAPTER_HEADING_RE.fullmatch(heading)
        title = (match["title"] or "").strip() if match else heading
        quotes = _labelled_blockquotes(meta)
        notes = _inner_html(quotes.get("chapter notes"))
        summary = _inner_html(quotes.get("chapter summary"))
        if summary:
            notes = f"<p><strong>Chapter summary:</strong></p>{summary}{notes}"
            self.summarised.append(position)
        return {
            "number": position,
            "title": title,
            "notes": notes,
            "body": "",
            "end_notes": "",
        }
