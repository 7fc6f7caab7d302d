"""A book (stories/downloads/books.py) as EPUB 3, PDF, one HTML file, and text."""

import io
from datetime import UTC, datetime

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from ebooklib import epub
from lxml import etree
from weasyprint import HTML
from weasyprint.urls import URLFetcher

XHTML_DOCTYPE = "<!DOCTYPE html>"


def _context(book, serialize):
    """Return a template's context: the book, its parts serialized one way."""

    def shown(fragment):
        return mark_safe(serialize(fragment)) if fragment else ""  # noqa: S308

    return {
        "book": book,
        "summary": shown(book.parts["summary"]),
        "notes": shown(book.parts["notes"]),
        "end_notes": shown(book.parts["end_notes"]),
        "chapters": [
            {
                "position": chapter.position,
                "heading": chapter.heading,
                "notes": shown(chapter.parts["notes"]),
                "body": mark_safe(serialize(chapter.parts["body"])),  # noqa: S308
                "end_notes": shown(chapter.parts["end_notes"]),
            }
            for chapter in book.chapters
        ],
    }


# --- HTML and text ---------------------------------------------------------


def build_html(book):
    """Return the book as one HTML file that needs nothing else."""
    context = _context(book, lambda fragment: fragment.html())
    return render_to_string("downloads/book.html", context).encode()


def build_txt(book):
    """Return the book as plain text, paragraphs separated by blank lines."""
    lines = [book.title, book.byline, ""]
    lines.append(f"Rating: {book.rating}")
    lines.extend(f"{group.label}: {', '.join(group.names)}" for group in book.tags)
    lines.append(f"Language: {book.language_name}")
    lines.extend(f"Series: Part {part.number} of {part.title}" for part in book.series)
    stats = []
    if book.published_at:
        stats.append(f"Published: {book.published_at:%Y-%m-%d}")
    if (
        book.updated_at
        and book.published_at
        and book.updated_at.date() != (book.published_at.date())
    ):
        label = "Completed" if book.is_complete else "Updated"
        stats.append(f"{label}: {book.updated_at:%Y-%m-%d}")
    stats += [f"Words: {book.word_count}", f"Chapters: {book.chapters_display}"]
    lines.append(" ".join(stats))
    lines.append(f"Posted on the Fan Archive at {book.url}")

    def section(heading, fragment, rule="-"):
        if fragment:
            lines.extend(["", "", heading, rule * len(heading), "", fragment.text()])

    section("Summary", book.parts["summary"])
    section("Notes", book.parts["notes"])
    for chapter in book.chapters:
        lines.extend(["", "", "", chapter.heading, "=" * len(chapter.heading)])
        section("Chapter Notes", chapter.parts["notes"])
        lines.extend(["", chapter.parts["body"].text()])
        section("Chapter End Notes", chapter.parts["end_notes"])
    lines.extend(["", "", "", "Afterword", "========="])
    section("End Notes", book.parts["end_notes"])
    lines.extend(
        [
            "",
            f"Posted on the Fan Archive at {book.url}. Please drop by the archive "
            "and comment to let the creator know if you enjoyed their work!",
            "",
        ]
    )
    return "\n".join(lines).encode()


# --- PDF -----------------------------------------------------------------

# WeasyPrint fetches nothing but data: URLs: no image, stylesheet or font
# comes from the network (the HTML has none; a chapter's images are links).
OFFLINE_PROTOCOLS = frozenset({"data"})


def offline_fetcher():
    """Return a URL fetcher that refuses every address but data: URLs."""
    return URLFetcher(allowed_protocols=OFFLINE_PROTOCOLS, timeout=1)


def render_pdf(html, *, url_fetcher=None):
    """Return HTML rendered as a PDF, fetching nothing over the network."""
    document = HTML(string=html, url_fetcher=url_fetcher or offline_fetcher())
    return document.write_pdf()


def build_pdf(book):
    """Return the book as a PDF, with a bookmark for each chapter."""
    context = _context(book, lambda fragment: fragment.html())
    html = render_to_string("downloads/book.html", {**context, "for_pdf": True})
    return render_pdf(html)


# --- EPUB ----------------------------------------------------------------


class _Page(epub.EpubHtml):
    """An XHTML page written whole, not rebuilt by ebooklib's HTML parser."""

    def get_content(self, default=None):
        return self.content


def _xhtml_page(book, context, *, title, **which):
    markup = render_to_string(
        "downloads/epub_page.html", {**context, **which, "page_title": title}
    )
    # The XML parser refuses what is not well-formed: a bug, never a file.
    root = etree.fromstring(markup.encode())
    return etree.tostring(
        root, xml_declaration=True, encoding="utf-8", doctype=XHTML_DOCTYPE
    )


def _utc(moment):
    return moment.astimezone(UTC) if moment else None


def build_epub(book):
    """Return the book as an EPUB 3: preface, a file a chapter, afterword."""
    context = _context(book, lambda fragment: fragment.xhtml())
    ebook = epub.EpubBook()
    ebook.set_identifier(book.url)
    ebook.set_title(book.title)
    ebook.set_language(book.language)
    for index, creator in enumerate(book.creators):
        ebook.add_author(creator.name, uid=f"creator-{index}")
    if book.original_creator:
        ebook.add_metadata("DC", "contributor", book.original_creator)
    ebook.add_metadata("DC", "publisher", "Fan Archive")
    ebook.add_metadata("DC", "source", book.url)
    if book.published_at:
        ebook.add_metadata("DC", "date", f"{_utc(book.published_at):%Y-%m-%d}")
    for subject in dict.fromkeys(book.subjects):
        ebook.add_metadata("DC", "subject", subject)
    if book.summary:
        ebook.add_metadata("DC", "description", book.parts["summary"].text())
    for index, part in enumerate(book.series, start=1):
        collection = f"series-{index}"
        ebook.add_metadata(
            "OPF",
            collection,
            part.title,
            {"property": "belongs-to-collection", "id": collection},
        )
        ebook.add_metadata(
            "OPF",
            f"{collection}-type",
            "series",
            {"refines": f"#{collection}", "property": "collection-type"},
        )
        ebook.add_metadata(
            "OPF",
            f"{collection}-position",
            str(part.number),
            {"refines": f"#{collection}", "property": "group-position"},
        )

    style = epub.EpubItem(
        uid="style",
        file_name="style.css",
        media_type="text/css",
        content=render_to_string("downloads/book.css").encode(),
    )
    ebook.add_item(style)

    def page(uid, file_name, title, **which):
        item = _Page(uid=uid, file_name=file_name, title=title, lang=book.language)
        item.content = _xhtml_page(book, context, title=title, **which)
        ebook.add_item(item)
        return item

    preface = page("preface", "preface.xhtml", "Preface")
    chapters = [
        page(
            f"chapter-{chapter['position']}",
            f"chapter-{chapter['position']}.xhtml",
            chapter["heading"],
            chapter=chapter,
        )
        for chapter in context["chapters"]
    ]
    afterword = page("afterword", "afterword.xhtml", "Afterword", afterword=True)

    ebook.toc = [
        epub.Link("preface.xhtml", "Preface", "toc-preface"),
        *(epub.Link(item.file_name, item.title, f"toc-{item.id}") for item in chapters),
        epub.Link("afterword.xhtml", "Afterword", "toc-afterword"),
    ]
    ebook.add_item(epub.EpubNcx())
    ebook.add_item(epub.EpubNav())
    # The preface opens the book, as on AO3; the contents follow it.
    ebook.spine = [preface, "nav", *chapters, afterword]

    modified = _utc(book.updated_at or book.published_at) or datetime.now(UTC)
    out = io.BytesIO()
    # dcterms:modified comes from mtime alone: a second one is an EPUBCheck error.
    epub.write_epub(out, ebook, {"mtime": modified, "raise_exceptions": True})
    return out.getvalue()


BUILDERS = {
    "epub": build_epub,
    "pdf": build_pdf,
    "html": build_html,
    "txt": build_txt,
}
