"""Fill an empty archive with a realistic synthetic one, fast.

Fans gather unevenly, so popularity follows Zipf's law wherever they choose:
fandoms, the characters and relationships within a fandom, additional tags,
authors and commenters. Rows are made in memory a chunk of works at a time and
written in bulk: COPY on PostgreSQL, executemany on SQLite, never one ORM save
per row. Chapter bodies are short filler whose word counts carry realistic
figures, except in the showcase work a benchmark reads: the newest work of the
most popular fandom, with full-length chapters, one of them carrying
SHOWCASE_COMMENTS comments.
"""

import math
import random
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils.text import slugify

from archive.models import User
from stories import search, services
from stories import synthetic_text as text
from stories.models import (
    ARCHIVE_CATEGORIES,
    ARCHIVE_WARNINGS,
    FIXED_TAG_KINDS,
    Chapter,
    Comment,
    Creatorship,
    CreatorshipStatus,
    Rating,
    Status,
    Tag,
    TaggedWork,
    TagKind,
    Work,
)
from stories.pseuds.models import Pseud
from stories.text import count_words

# Dates end here, not at "now", so that a seed always builds the same archive.
SEED_UNTIL = datetime(2025, 1, 1, tzinfo=UTC)
SEED_YEARS = 10
WORKS_PER_CHUNK = 2000
SHOWCASE_CHAPTERS = 12
SHOWCASE_COMMENTS = 200
MOST_CHAPTER_COMMENTS = 5000  # about what AO3's busiest chapters have
DRAFT_SHARE = 0.03
ENGLISH_SHARE = 0.88
RATING_WEIGHTS = {
    Rating.GENERAL: 26,
    Rating.TEEN: 30,
    Rating.MATURE: 14,
    Rating.EXPLICIT: 20,
    Rating.NOT_RATED: 10,
}
WARNING_WEIGHTS = {
    "No Archive Warnings Apply": 55,
    "Choose Not To Use Archive Warnings": 28,
    "Graphic Depictions Of Violence": 9,
    "Major Character Death": 5,
    "Rape/Non-Con": 2,
    "Underage Sex": 1,
}
# A work's categories: none, one, or now and then two; AO3's shares, roughly.
CATEGORY_WEIGHTS = {
    "M/M": 34,
    "F/M": 20,
    "Gen": 22,
    "F/F": 9,
    "Multi": 6,
    "Other": 3,
}
NO_CATEGORY_SHARE = 0.06
GENERIC_WARNINGS = ("No Archive Warnings Apply", "Choose Not To Use Archive Warnings")
MIN_TAGS, MAX_TAGS = 3, 15
MAX_CHAPTERS = 60

USER_COLUMNS = (
    "id", "password", "is_superuser", "username", "first_name", "last_name",
    "email", "is_staff", "is_active", "date_joined", "bio", "keep_history",
    "email_verified",
)  # fmt: skip
TAG_COLUMNS = ("id", "name", "slug", "kind", "canonical", "work_count")
PARENT_COLUMNS = ("from_tag", "to_tag")
WORK_COLUMNS = (
    "id", "owner", "creator_credit", "title", "summary", "notes", "end_notes",
    "rating", "language", "expected_chapters", "is_complete", "status",
    "allow_guest_comments", "word_count", "chapter_count", "comment_count",
    "kudos_count", "hit_count", "bookmark_count", "published_at", "updated_at",
    "created_at", "modified_at",
)  # fmt: skip
CHAPTER_COLUMNS = (
    "id", "work", "number", "position", "title", "notes", "body", "end_notes",
    "word_count", "status", "published_at", "created_at", "updated_at",
)  # fmt: skip
COMMENT_COLUMNS = (
    "id", "work", "chapter", "parent", "user", "guest_name", "guest_email", "body",
    "is_edited", "is_deleted", "created_at", "updated_at",
)  # fmt: skip
CREATORSHIP_COLUMNS = ("work", "user", "pseud", "status", "position", "created_at")
PSEUD_COLUMNS = ("id", "user", "name", "is_default", "created_at")
TAGGING_COLUMNS = (
    "tag", "content_object", "filter_tag", "work_posted", "work_updated_at",
)  # fmt: skip


class ArchiveNotEmptyError(Exception):
    """The archive already has works or tags of its own."""


@dataclass(frozen=True)
class SeedReport:
    """What a seeding wrote."""

    users: int
    tags: int
    works: int
    chapters: int
    comments: int
    taggings: int
    showcase_work_id: int


class Zipf:
    """Draw ranks 0..n-1 with weight 1 / (rank + 1 + offset) ** exponent."""

    def __init__(self, n: int, exponent: float = 1.0, offset: float = 0.0):
        weights = [(rank + 1 + offset) ** -exponent for rank in range(n)]
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def share(self, rank: int) -> float:
        """Return the expected share of draws that land on this rank."""
        below = self.cumulative[rank - 1] if rank else 0.0
        return (self.cumulative[rank] - below) / self.total

    def draw(self, rng: random.Random) -> int:
        return bisect(self.cumulative, rng.random() * self.total)

    def sample(self, rng: random.Random, k: int) -> list[int]:
        """Return up to k distinct ranks, popular ones more likely, in draw order."""
        k = min(k, len(self.cumulative))
        picked = {}
        for _ in range(4 * k + 8):
            if len(picked) >= k:
                break
            picked[self.draw(rng)] = None
        return list(picked)


@dataclass
class _Fandom:
    tag_id: int
    characters: list[int]
    character_ranks: Zipf
    relationships: list[tuple[int, int, int]]  # (tag id, character id, character id)
    relationship_ranks: Zipf


def archive_is_empty() -> bool:
    """Return whether the archive has no works and no tags but the fixed
    lists (warnings and categories)."""
    return (
        not Work.objects.exists()
        and not Tag.objects.exclude(kind__in=FIXED_TAG_KINDS).exists()
    )


def seed_archive(
    *,
    works: int,
    seed: int = 0,
    until: datetime = SEED_UNTIL,
    progress: Callable[[int], object] | None = None,
    log: Callable[[str], object] | None = None,
) -> SeedReport:
    """Fill an empty archive with this many synthetic works; one seed, one archive."""
    if works < 1:
        raise ValueError("Seed at least one work.")
    if not archive_is_empty():
        raise ArchiveNotEmptyError(
            "The archive already has works or tags: seed_archive only fills an "
            "empty archive. Use a fresh database, or empty this one first "
            "(manage.py flush)."
        )
    log = log or (lambda message: None)
    seeder = _Seeder(
        rng=random.Random(seed), works=works, until=until, progress=progress
    )
    with _bulk_loading():
        log(f"Creating {seeder.user_total:,} users and the tags of the fandoms")
        seeder.create_users()
        seeder.create_tags()
        log(
            f"Writing {works:,} works with their chapters, tags, comments and "
            "search documents"
        )
        seeder.create_works()
        _reset_sequences()
        log("Counting the works listed under each tag")
        seeder.count_tag_works()
        log("Updating the planner's statistics")
        _analyze()
    return seeder.report()


@contextmanager
def _bulk_loading() -> Iterator[None]:
    """Skip SQLite's syncs while loading; it only risks the load itself.

    SQLite cannot change this inside a transaction, so a caller's transaction
    (a test's, say) loads at the usual pace.
    """
    connection.ensure_connection()
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=NORMAL")


def _write_rows(
    model: type[models.Model], fields: Sequence[str], rows: list[tuple]
) -> None:
    """Append rows to a model's table: COPY on PostgreSQL, executemany elsewhere.

    Columns the rows do not give get their field's default ("" for text), so
    a field added to a model with a default needs nothing here."""
    if not rows:
        return
    defaults = [
        field
        for field in model._meta.concrete_fields
        if field.name not in fields
        and field.attname not in fields
        and not field.primary_key
    ]
    if defaults:
        fields = [*fields, *(field.name for field in defaults)]
        extra = tuple(field.get_default() for field in defaults)
        rows = [(*row, *extra) for row in rows]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    if connection.vendor == "postgresql":
        cursor = connection.connection.cursor()
        with cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    adapt = connection.ops.adapt_datetimefield_value
    rows = [
        tuple(adapt(value) if isinstance(value, datetime) else value for value in row)
        for row in rows
    ]
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows
        )


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(highest=Max("pk"))["highest"] or 0) + 1


def _reset_sequences() -> None:
    """Move the id sequences past the ids written here, for rows added later."""
    statements = connection.ops.sequence_reset_sql(
        no_style(), [User, Pseud, Tag, Work, Chapter, Comment]
    )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _analyze() -> None:
    """Tell the planner how skewed the tags are, then refresh its statistics.

    The default statistics target misjudges Zipf-popular tags (SCALE-NOTES.md).
    """
    tables = [
        model._meta.db_table
        for model in (User, Pseud, Tag, Work, Creatorship, Chapter, Comment, TaggedWork)
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Inside a caller's transaction, foreign keys wait to be checked at
            # commit, and PostgreSQL alters no table with checks pending.
            if connection.in_atomic_block:
                connection.check_constraints()
            tagging = connection.ops.quote_name(TaggedWork._meta.db_table)
            for field in ("tag", "filter_tag"):
                column = TaggedWork._meta.get_field(field).column
                cursor.execute(
                    f"ALTER TABLE {tagging} ALTER COLUMN "
                    f"{connection.ops.quote_name(column)} SET STATISTICS 1000"
                )
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        else:
            cursor.execute("ANALYZE")


class _Seeder:
    """The state of one seeding: the random source, the ids and the row buffers."""

    def __init__(self, *, rng, works, until, progress):
        self.rng = rng
        self.work_total = works
        self.user_total = max(1, works // 5)
        self.until = until
        # Everything but the showcase ends a minute early, so it is the newest.
        self.latest = until - timedelta(minutes=1)
        self.since = until - timedelta(days=365 * SEED_YEARS)
        self.progress = progress or (lambda done: None)
        self.counts = dict.fromkeys(("tags", "chapters", "comments", "taggings"), 0)
        self.filler = [f"<p>{text.paragraph(rng, sentences=2)}</p>" for _ in range(64)]
        self.comment_bodies = [text.comment_html(rng) for _ in range(256)]
        self.guest_names = [text.person_name(rng) for _ in range(64)]
        self.ratings = list(RATING_WEIGHTS)
        self.rating_weights = list(accumulate(RATING_WEIGHTS.values()))
        self.other_languages = [
            code for code, _label in settings.WORK_LANGUAGES if code != "en"
        ]
        self.language_ranks = Zipf(len(self.other_languages))
        self.owner_ranks = Zipf(self.user_total, offset=10)
        self.commenter_ranks = Zipf(self.user_total, exponent=0.8, offset=5)

    # Users and tags

    def create_users(self) -> None:
        """Write the accounts; none can log in (their passwords are unusable)."""
        taken = {
            name.lower() for name in User.objects.values_list("username", flat=True)
        }
        emails = {
            email.lower() for email in User.objects.values_list("email", flat=True)
        }
        self.first_user_id = _next_id(User)
        # Each account's default pseud, named after it, as signing up makes
        # it; user n's is pseud first_pseud_id + n.
        self.first_pseud_id = _next_id(Pseud)
        pseud_rows = []
        password = make_password(None)
        rows = []
        for index in range(self.user_total):
            name = text.handle(self.rng)
            while name.lower() in taken or f"{name}@example.org".lower() in emails:
                name = text.handle(self.rng)
            taken.add(name.lower())
            joined = self._moment(self.rng.random())
            rows.append(
                (
                    self.first_user_id + index, password, False, name, "", "",
                    f"{name}@example.org", False, True, joined, "", True, True,
                )
            )  # fmt: skip
            pseud_rows.append(
                (self.first_pseud_id + index, rows[-1][0], name, True, joined)
            )
        with transaction.atomic():
            _write_rows(User, USER_COLUMNS, rows)
            _write_rows(Pseud, PSEUD_COLUMNS, pseud_rows)

    def create_tags(self) -> None:
        """Write the fandoms with their characters and relationships, and the tags."""
        # The warnings come from a migration; any missing one is made first, so
        # that the ids given out below start after it.
        self.warnings = {
            tag.name: tag.pk
            for tag in services.tags_get_or_create(
                kind=TagKind.WARNING, names=ARCHIVE_WARNINGS
            )
        }
        self.warning_names = list(WARNING_WEIGHTS)
        self.warning_weights = list(accumulate(WARNING_WEIGHTS.values()))
        self.categories = {
            tag.name: tag.pk
            for tag in services.tags_get_or_create(
                kind=TagKind.CATEGORY, names=ARCHIVE_CATEGORIES
            )
        }
        self.category_names = list(CATEGORY_WEIGHTS)
        self.category_weights = list(accumulate(CATEGORY_WEIGHTS.values()))
        self.next_tag_id = _next_id(Tag)
        self.slugs = set(Tag.objects.values_list("slug", flat=True))
        self.names = {kind: set() for kind in TagKind}
        self.tag_rows, self.parent_rows = [], []
        fandom_total = max(3, round(self.work_total / 500))
        self.fandom_ranks = Zipf(fandom_total)
        self.fandoms = [
            self._create_fandom(self.work_total * self.fandom_ranks.share(rank))
            for rank in range(fandom_total)
        ]
        freeform_total = max(len(text.TROPES), self.work_total // 20)
        self.freeforms = [
            self._add_tag(
                TagKind.FREEFORM, lambda rank=rank: text.freeform_name(self.rng, rank)
            )[0]
            for rank in range(freeform_total)
        ]
        self.freeform_ranks = Zipf(freeform_total, offset=1)
        self.counts["tags"] = len(self.tag_rows)
        with transaction.atomic():
            _write_rows(Tag, TAG_COLUMNS, self.tag_rows)
            _write_rows(Tag.parents.through, PARENT_COLUMNS, self.parent_rows)

    def _create_fandom(self, expected_works: float) -> _Fandom:
        rng = self.rng
        fandom_id, _name = self._add_tag(TagKind.FANDOM, lambda: text.fandom_name(rng))
        character_total = min(400, 4 + int(math.sqrt(expected_works)))
        characters = [
            self._add_tag(TagKind.CHARACTER, lambda: text.person_name(rng))
            for _ in range(character_total)
        ]
        character_ranks = Zipf(character_total, exponent=1.1)
        pairs = {}
        for _ in range(4 * character_total):
            if len(pairs) >= max(2, character_total * 4 // 5):
                break
            first, second = character_ranks.draw(rng), character_ranks.draw(rng)
            if first != second:
                pairs[(min(first, second), max(first, second))] = None
        relationships = []
        for first, second in pairs:
            joint = "/" if rng.random() < 0.75 else " & "
            name = f"{characters[first][1]}{joint}{characters[second][1]}"
            tag_id, _name = self._add_tag(TagKind.RELATIONSHIP, lambda name=name: name)
            relationships.append((tag_id, characters[first][0], characters[second][0]))
        for child_id in [pk for pk, _name in characters] + [
            pk for pk, *_pair in relationships
        ]:
            self.parent_rows.append((child_id, fandom_id))
        return _Fandom(
            tag_id=fandom_id,
            characters=[pk for pk, _name in characters],
            character_ranks=character_ranks,
            relationships=relationships,
            relationship_ranks=Zipf(len(relationships), exponent=1.1),
        )

    def _add_tag(self, kind: str, make_name: Callable[[], str]) -> tuple[int, str]:
        """Add a tag with a name new to its kind and a slug new to the archive."""
        names = self.names[kind]
        name = make_name()
        for attempt in range(2, 100):
            if name.lower() not in names:
                break
            name = make_name() if attempt < 20 else f"{make_name()} {attempt}"
        names.add(name.lower())
        base = slugify(name) or "tag"
        slug, suffix = base, 1
        while slug in self.slugs:
            slug, suffix = f"{base}_{suffix}", suffix + 1
        self.slugs.add(slug)
        tag_id = self.next_tag_id
        self.next_tag_id += 1
        self.tag_rows.append((tag_id, name, slug, kind, True, 0))
        return tag_id, name

    # Works

    def create_works(self) -> None:
        """Write the works a chunk at a time, the showcase work last."""
        rng = self.rng
        self.first_work_id = _next_id(Work)
        self.next_chapter_id = _next_id(Chapter)
        self.next_comment_id = _next_id(Comment)
        # Published moments grow denser towards the end, as an archive grows,
        # and are sorted so that ids rise with time as they do on a real one.
        moments = sorted(math.sqrt(rng.random()) for _ in range(self.work_total))
        self._start_chunk()
        for index, moment in enumerate(moments):
            if index == self.work_total - 1:
                self._add_showcase_work(self.first_work_id + index)
            else:
                self._add_work(self.first_work_id + index, moment)
            if len(self.work_rows) >= WORKS_PER_CHUNK:
                self._flush_chunk()
        self._flush_chunk()

    def _start_chunk(self) -> None:
        self.work_rows, self.chapter_rows = [], []
        self.comment_rows, self.tagging_rows = [], []

    def _flush_chunk(self) -> None:
        with transaction.atomic():
            _write_rows(Work, WORK_COLUMNS, self.work_rows)
            # Each work's owner is its first creator, as work_create makes it.
            work_id, owner, created = (
                WORK_COLUMNS.index(name) for name in ("id", "owner", "created_at")
            )
            _write_rows(
                Creatorship,
                CREATORSHIP_COLUMNS,
                [
                    (
                        row[work_id],
                        row[owner],
                        self.first_pseud_id + row[owner] - self.first_user_id,
                        CreatorshipStatus.ACCEPTED,
                        0,
                        row[created],
                    )
                    for row in self.work_rows
                ],
            )
            _write_rows(Chapter, CHAPTER_COLUMNS, self.chapter_rows)
            _write_rows(Comment, COMMENT_COLUMNS, self.comment_rows)
            _write_rows(TaggedWork, TAGGING_COLUMNS, self.tagging_rows)
            search.works_index(work_ids=[row[0] for row in self.work_rows])
        self.counts["chapters"] += len(self.chapter_rows)
        self.counts["comments"] += len(self.comment_rows)
        self.counts["taggings"] += len(self.tagging_rows)
        self.progress(len(self.work_rows))
        self._start_chunk()

    def _add_work(self, work_id: int, moment: float) -> None:
        rng = self.rng
        posted = rng.random() >= DRAFT_SHARE
        fandoms = [self.fandom_ranks.draw(rng)]
        if rng.random() < 0.06:
            fandoms = self.fandom_ranks.sample(rng, 2)
        chapter_total = self._chapter_total()
        if chapter_total == 1:
            expected = 1 if rng.random() < 0.92 else None
        elif rng.random() < 0.55:
            expected = chapter_total
        elif rng.random() < 0.5:
            expected = None
        else:
            expected = chapter_total + rng.randint(1, chapter_total)
        words = max(
            30 * chapter_total,
            int(rng.lognormvariate(math.log(3600) + 0.4 * math.log(chapter_total), 1)),
        )
        weights = [0.6 + rng.random() for _ in range(chapter_total)]
        scale = words / sum(weights)
        chapter_words = [max(1, round(weight * scale)) for weight in weights]
        times = self._chapter_times(self._moment(moment), chapter_total)
        popularity = rng.lognormvariate(0, 0.6)
        self._add_rows(
            work_id=work_id,
            posted=posted,
            fandoms=fandoms,
            rating=self.ratings[
                bisect(self.rating_weights, rng.random() * self.rating_weights[-1])
            ],
            language=(
                "en"
                if rng.random() < ENGLISH_SHARE
                else self.other_languages[self.language_ranks.draw(rng)]
            ),
            expected=expected,
            allow_guests=rng.random() < 0.35,
            chapters=[
                (
                    rng.choice(self.filler),
                    words,
                    time,
                    self._comment_total(popularity, position) if posted else 0,
                )
                for position, (words, time) in enumerate(
                    zip(chapter_words, times, strict=True), 1
                )
            ],
        )

    def _add_showcase_work(self, work_id: int) -> None:
        """Add the newest work of the most popular fandom, written out in full."""
        rng = self.rng
        step = 240 * 86400 // (SHOWCASE_CHAPTERS - 1)
        chapters = []
        for position in range(1, SHOWCASE_CHAPTERS + 1):
            body = text.chapter_html(rng, rng.randint(2500, 6000))
            comments = {1: 40, 2: SHOWCASE_COMMENTS}.get(
                position, self._comment_total(3.0, position)
            )
            time = self.until - timedelta(seconds=step * (SHOWCASE_CHAPTERS - position))
            chapters.append((body, count_words(body), time, comments))
        self._add_rows(
            work_id=work_id,
            posted=True,
            fandoms=[0],
            rating=Rating.TEEN,
            language="en",
            expected=None,
            allow_guests=True,
            chapters=chapters,
        )
        self.showcase_work_id = work_id

    def _add_rows(
        self,
        *,
        work_id,
        posted,
        fandoms,
        rating,
        language,
        expected,
        allow_guests,
        chapters,
    ) -> None:
        """Buffer a work's rows; chapters are (body, words, date, comment count)."""
        rng = self.rng
        status = Status.POSTED if posted else Status.DRAFT
        published = chapters[0][2]
        updated = chapters[-1][2] if posted else published
        comment_total = 0
        for position, (body, words, time, comments) in enumerate(chapters, 1):
            chapter_id = self.next_chapter_id
            self.next_chapter_id += 1
            self.chapter_rows.append(
                (
                    chapter_id, work_id, position, position,
                    text.title(rng) if rng.random() < 0.6 else "", "", body, "",
                    words, status, time if posted else None, time, time,
                )
            )  # fmt: skip
            self._add_comments(work_id, chapter_id, time, comments, allow_guests)
            comment_total += comments
        chapter_total = len(chapters)
        self.work_rows.append(
            (
                work_id,
                self.first_user_id + self.owner_ranks.draw(rng),
                "",
                text.title(rng),
                f"<p>{text.paragraph(rng, sentences=rng.randint(1, 3))}</p>",
                f"<p>{text.sentence(rng)}</p>" if rng.random() < 0.2 else "",
                "",
                rating,
                language,
                expected,
                expected is not None and chapter_total >= expected,
                status,
                allow_guests,
                sum(words for _body, words, _time, _comments in chapters),
                chapter_total,
                comment_total,
                # No kudos, hits or bookmarks rows are seeded, so none counted.
                0,
                0,
                0,
                published if posted else None,
                updated,
                published,
                chapters[-1][2],
            )
        )
        for tag_id in self._work_tags(fandoms):
            self.tagging_rows.append((tag_id, work_id, tag_id, posted, updated))

    def _add_comments(self, work_id, chapter_id, posted_at, total, allow_guests):
        rng = self.rng
        span = (self.until - posted_at).total_seconds()
        offsets = sorted(int(span * rng.random() ** 3) for _ in range(total))
        ids = []
        for index, offset in enumerate(offsets):
            comment_id = self.next_comment_id
            self.next_comment_id += 1
            parent = (
                ids[rng.randrange(index)] if index and rng.random() < 0.25 else None
            )
            ids.append(comment_id)
            user, guest_name, guest_email = None, "", ""
            if allow_guests and rng.random() < 0.3:
                guest_name = rng.choice(self.guest_names)
                guest_email = f"guest{comment_id}@example.org"
            else:
                user = self.first_user_id + self.commenter_ranks.draw(rng)
            when = posted_at + timedelta(seconds=offset)
            self.comment_rows.append(
                (
                    comment_id, work_id, chapter_id, parent, user, guest_name,
                    guest_email, rng.choice(self.comment_bodies), False, False,
                    when, when,
                )
            )  # fmt: skip

    def _work_tags(self, fandom_ranks: list[int]) -> list[int]:
        """Return a work's 3-15 tag ids: fandoms, people, additional tags,
        warnings and categories."""
        rng = self.rng
        fandom = self.fandoms[fandom_ranks[0]]
        warnings = [self._warning()]
        if warnings[0] not in GENERIC_WARNINGS and rng.random() < 0.25:
            second = self._warning()
            if second not in GENERIC_WARNINGS and second != warnings[0]:
                warnings.append(second)
        categories = self._categories()
        relationships = [
            fandom.relationships[rank]
            for rank in fandom.relationship_ranks.sample(
                rng, rng.choices((0, 1, 2, 3), (35, 45, 13, 7))[0]
            )
        ]
        characters = {pk: None for _tag, *pair in relationships for pk in pair}
        wanted = rng.choices(range(7), (8, 20, 25, 20, 12, 8, 7))[0]
        for rank in fandom.character_ranks.sample(rng, wanted):
            if len(characters) >= wanted:
                break
            characters[fandom.characters[rank]] = None
        freeforms = [
            self.freeforms[rank]
            for rank in self.freeform_ranks.sample(rng, int(rng.expovariate(1 / 3.5)))
        ]
        fixed = len(fandom_ranks) + len(warnings) + len(categories)
        people = list(characters)[: MAX_TAGS - fixed - len(relationships)]
        room = MAX_TAGS - fixed - len(relationships) - len(people)
        freeforms = freeforms[:room]
        while fixed + len(relationships) + len(people) + len(freeforms) < MIN_TAGS:
            extra = self.freeforms[self.freeform_ranks.draw(rng)]
            if extra not in freeforms:
                freeforms.append(extra)
        return [
            *(self.fandoms[rank].tag_id for rank in fandom_ranks),
            *(self.warnings[name] for name in warnings),
            *(self.categories[name] for name in categories),
            *(tag_id for tag_id, *_pair in relationships),
            *people,
            *freeforms,
        ]

    def _categories(self) -> list[str]:
        rng = self.rng
        if rng.random() < NO_CATEGORY_SHARE:
            return []
        draw = rng.random() * self.category_weights[-1]
        first = self.category_names[bisect(self.category_weights, draw)]
        if rng.random() < 0.12:
            draw = rng.random() * self.category_weights[-1]
            second = self.category_names[bisect(self.category_weights, draw)]
            if second != first:
                return [first, second]
        return [first]

    def _warning(self) -> str:
        draw = self.rng.random() * self.warning_weights[-1]
        return self.warning_names[bisect(self.warning_weights, draw)]

    def _chapter_total(self) -> int:
        """Return 1-60 chapters: a one-shot nearly half the time, median 2."""
        rng = self.rng
        if rng.random() < 0.45:
            return 1
        return min(MAX_CHAPTERS, max(2, 1 + int(rng.lognormvariate(1.0, 1.0))))

    def _chapter_times(self, published: datetime, total: int) -> list[datetime]:
        """Return when each chapter was posted: weeks apart, none after the latest."""
        published = min(published, self.latest)
        offsets = [0.0]
        for _ in range(total - 1):
            offsets.append(offsets[-1] + self.rng.expovariate(1 / (20 * 86400)))
        room = (self.latest - published).total_seconds()
        if offsets[-1] > room:
            offsets = [offset * room / offsets[-1] for offset in offsets]
        return [published + timedelta(seconds=int(offset)) for offset in offsets]

    def _comment_total(self, popularity: float, position: int) -> int:
        """Return a chapter's comments: mostly none, a Zipf tail, fewer later on."""
        draw = self.rng.paretovariate(1.5) * popularity / math.sqrt(position)
        return min(MOST_CHAPTER_COMMENTS, max(0, int(draw) - 1))

    def _moment(self, fraction: float) -> datetime:
        seconds = (self.latest - self.since).total_seconds() * fraction
        return self.since + timedelta(seconds=int(seconds))

    # Counters

    def count_tag_works(self) -> None:
        """Recount every tag's posted works with the service the app uses."""
        tag_ids = list(Tag.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(tag_ids), 1000):
            with transaction.atomic():
                services.tags_refresh_counts(tag_ids=tag_ids[start : start + 1000])

    def report(self) -> SeedReport:
        return SeedReport(
            users=self.user_total,
            tags=self.counts["tags"],
            works=self.work_total,
            chapters=self.counts["chapters"],
            comments=self.counts["comments"],
            taggings=self.counts["taggings"],
            showcase_work_id=self.showcase_work_id,
        )
