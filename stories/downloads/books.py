"""A work as its downloads hold it: what every format shows, read once.

A download is the same file for every reader who may have it, so it shows
what a guest sees of the work: its posted chapters, in order, and the series
parts a guest may read. `Book.digest` names its content: a file built from
the same content by the same code is the same file.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache as once

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.functional import cached_property

from stories.caching import release
from stories.downloads.markup import Fragment
from stories.models import Chapter, TagKind, Work
from stories.querysets import creators_prefetch, work_tags_prefetch
from stories.series.navigation import series_lines

# Kinds in the order AO3's preface lists them, with their headings.
TAG_KINDS = (
    (TagKind.WARNING, "Archive Warning"),
    (TagKind.CATEGORY, "Category"),
    (TagKind.FANDOM, "Fandom"),
    (TagKind.RELATIONSHIP, "Relationship"),
    (TagKind.CHARACTER, "Character"),
    (TagKind.FREEFORM, "Additional Tags"),
)


@dataclass(frozen=True)
class Creator:
    name: str
    url: str


@dataclass(frozen=True)
class TagGroup:
    kind: str
    label: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class SeriesPart:
    title: str
    number: int
    url: str


@dataclass(frozen=True)
class BookChapter:
    number: int
    position: int
    heading: str
    title: str
    notes: str
    body: str
    end_notes: str
    base_url: str

    @cached_property
    def parts(self):
        """Return the chapter's notes, text and end notes made portable."""
        return {
            name: Fragment(getattr(self, name), base_url=self.base_url)
            for name in ("notes", "body", "end_notes")
        }


@dataclass(frozen=True)
class Book:
    pk: int
    title: str
    creators: tuple[Creator, ...]
    original_creator: str
    rating: str
    tags: tuple[TagGroup, ...]
    language: str
    language_name: str
    series: tuple[SeriesPart, ...]
    summary: str
    notes: str
    end_notes: str
    published_at: datetime | None
    updated_at: datetime | None
    is_complete: bool
    word_count: int
    chapters_display: str
    url: str
    chapters: tuple[BookChapter, ...]

    @cached_property
    def digest(self):
        """Return a name for this content as this release of the code builds it."""
        # A dataclass's repr shows its fields, and those of its chapters.
        shown = repr((release(), stylesheets(), self)).encode()
        return hashlib.sha256(shown).hexdigest()[:32]

    @cached_property
    def parts(self):
        """Return the work's summary, notes and end notes made portable."""
        return {
            name: Fragment(getattr(self, name), base_url=self.url)
            for name in ("summary", "notes", "end_notes")
        }

    @property
    def byline(self):
        """Return "by A, B", or "by Original (archived by A)"."""
        names = ", ".join(creator.name for creator in self.creators)
        if self.original_creator:
            return f"by {self.original_creator} (archived by {names})"
        return f"by {names}"

    @property
    def subjects(self):
        """Return every tag's name, the rating first, as a catalogue lists them."""
        return [self.rating, *(name for group in self.tags for name in group.names)]


@once
def stylesheets():
    """Return a digest of the downloads' stylesheets, which release() leaves out."""
    folder = settings.BASE_DIR / "templates" / "downloads"
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.css")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def site_url(path):
    """Return the archive's address of a path on it."""
    return settings.SITE_URL.rstrip("/") + path


def book_of(work_pk):
    """Return the book of a posted work, or None when there is none to download."""
    work = (
        Work.objects.posted()
        .select_related("owner")
        .prefetch_related(work_tags_prefetch(), creators_prefetch())
        .filter(pk=work_pk)
        .first()
    )
    if work is None:
        return None
    guest = AnonymousUser()
    url = site_url(work.get_absolute_url())
    chapters = (
        Chapter.objects.filter(work=work)
        .visible_to(guest)
        .order_by("position", "number")
    )
    grouped = work.tags_by_kind
    return Book(
        pk=work.pk,
        title=work.title,
        creators=tuple(
            Creator(pseud.byline, site_url(pseud.get_absolute_url()))
            for pseud in work.credited_pseuds
        ),
        original_creator=work.creator_credit if work.is_archived_for_someone else "",
        rating=work.get_rating_display(),
        tags=tuple(
            TagGroup(kind.value, label, tuple(tag.name for tag in grouped[kind]))
            for kind, label in TAG_KINDS
            if grouped[kind]
        ),
        language=work.language,
        language_name=str(work.get_language_display()),
        series=tuple(
            SeriesPart(
                line.title,
                line.number,
                site_url(_series_address(line.series_id)),
            )
            for line in series_lines(work, guest)
        ),
        summary=work.summary,
        notes=work.notes,
        end_notes=work.end_notes,
        published_at=work.published_at,
        updated_at=work.updated_at,
        is_complete=work.is_complete,
        word_count=work.word_count,
        chapters_display=work.chapters_display,
        url=url,
        chapters=tuple(
            BookChapter(
                number=chapter.number,
                position=index,
                heading=str(chapter.heading),
                title=chapter.title,
                notes=chapter.notes,
                body=chapter.body,
                end_notes=chapter.end_notes,
                base_url=site_url(chapter.get_absolute_url()),
            )
            for index, chapter in enumerate(chapters, start=1)
        ),
    )


def _series_address(pk):
    return reverse("series:series_detail", kwargs={"pk": pk})
