"""Full-text search over posted works, alike on PostgreSQL and SQLite.

Both databases index and query the same words, cut here in Python: text is
folded (case, accents, compatibility forms) and split into runs of letters and
digits. PostgreSQL keeps them as a weighted tsvector in the column
stories_work.search_document (GIN index); SQLite in the FTS5 table
stories_worksearch_fts, whose ascii tokenizer splits only at the spaces put
between the words. Neither database stems or drops words, so a query finds the
same works on both; only the rank formula differs (ts_rank, bm25), each
weighting the title above people and tags, and those above summary and notes.
Migration 0005 adds the column or the table, whichever the database needs.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import NotSupportedError, connections, router
from django.db.models import F, FloatField, Func, QuerySet, Value
from django.db.models.expressions import RawSQL

from stories.caching import changed
from stories.models import Creatorship, Status, TaggedWork, Work
from stories.text import html_to_text

WORD_RE = re.compile(r"[^\W_]+")
# A chunk of a query: an optional minus, then a quoted phrase (an unclosed
# quote runs to the end) or a run of anything but spaces and quotes.
CHUNK_RE = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')
MAX_QUERY_LENGTH = 500
MAX_QUERY_PARTS = 32
MAX_WORD_LENGTH = 100
# PostgreSQL keeps positions up to 16383, and 256 of them per word.
MAX_POSITION = 16383
MAX_POSITIONS_PER_WORD = 256
FTS_TABLE = "stories_worksearch_fts"
SQLITE_COLUMN_WEIGHTS = "10.0, 4.0, 4.0, 1.0"
# Ranking every match of a word found in half a million works takes seconds:
# a search ranks the most recently updated matches, up to this many.
SEARCH_CANDIDATES = 5000


@dataclass(frozen=True)
class SearchQuery:
    """What a reader searched for: words, phrases and exclusions, folded."""

    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()

    def __bool__(self):
        return bool(self.terms or self.phrases or self.excluded)

    @property
    def required(self) -> tuple[tuple[str, ...], ...]:
        """Return every word and phrase a match must contain, as word tuples."""
        return tuple((term,) for term in self.terms) + self.phrases


@dataclass(frozen=True)
class SearchDocument:
    """The text one work is found by, in its four weighted fields."""

    work_id: int
    title: str
    people: str
    tags: str
    text: str

    def fields(self) -> list[tuple[list[str], str]]:
        """Return each field's words with its PostgreSQL weight, best first."""
        return [
            (split_words(self.title), "A"),
            (split_words(self.people), "B"),
            (split_words(self.tags), "B"),
            (split_words(self.text), "C"),
        ]


def split_words(text: str) -> list[str]:
    """Return the searchable words of plain text: folded letters and digits."""
    folded = unicodedata.normalize("NFKD", (text or "").casefold())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    words = WORD_RE.findall(unicodedata.normalize("NFC", folded))
    return [word for word in words if len(word) <= MAX_WORD_LENGTH]


def parse_query(text: str) -> SearchQuery:
    """Read a search box: plain words, "quoted phrases" and -excluded words.

    A word with punctuation inside ("slow-burn", "don't") is a phrase of its
    parts. Anything that holds no letters or digits is ignored, and so is what
    goes past MAX_QUERY_LENGTH characters or MAX_QUERY_PARTS words and phrases.
    """
    terms, phrases, excluded = [], [], []
    for match in CHUNK_RE.finditer((text or "")[:MAX_QUERY_LENGTH]):
        negated, phrase, word = match.groups()
        words = tuple(split_words(phrase if phrase is not None else word))
        if not words or len(terms) + len(phrases) + len(excluded) >= MAX_QUERY_PARTS:
            continue
        if negated:
            part, found = words, excluded
        elif len(words) == 1:
            part, found = words[0], terms
        else:
            part, found = words, phrases
        if part not in found:
            found.append(part)
    return SearchQuery(
        terms=tuple(terms), phrases=tuple(phrases), excluded=tuple(excluded)
    )


class _Rank(Func):
    """The rank of the outer work, read by a subquery on the search index."""

    output_field = FloatField()

    def __init__(self, sql, match):
        super().__init__(F("pk"))
        self.sql = sql
        self.match = match

    def as_sql(self, compiler, connection, **extra_context):
        work_id, params = compiler.compile(self.source_expressions[0])
        return self.sql.replace("{work_id}", work_id), [self.match, *params]


class _SqliteIndex:
    """An FTS5 table whose rowid is the work's id."""

    matching_sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    candidates_sql = (
        f"SELECT work.id FROM {FTS_TABLE} JOIN stories_work work "
        f"ON work.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s "
        "AND work.status = 'posted' ORDER BY work.updated_at DESC, work.id DESC "
        f"LIMIT {SEARCH_CANDIDATES}"
    )
    # Ranked once per query and looked up per work: a MATCH on rowid in the
    # subquery would run the full-text query again for every matching work
    # (16 s for 20,000 matches, against 0.1 s).
    rank_sql = (
        f"(WITH ranked AS MATERIALIZED (SELECT rowid AS work_id, "
        f"-bm25({FTS_TABLE}, {SQLITE_COLUMN_WEIGHTS}) AS rank FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s) "
        "SELECT rank FROM ranked WHERE work_id = {work_id})"
    )

    @staticmethod
    def any_of(parts):
        quoted = ('"{}"'.format(" ".join(words).replace('"', '""')) for words in parts)
        return "(" + " OR ".join(quoted) + ")"

    def all_of(self, parts, excluded=()):
        match = " AND ".join(self.any_of([words]) for words in parts)
        return f"({match}) NOT {self.any_of(excluded)}" if excluded else match

    @staticmethod
    def write(cursor, work_ids, documents):
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid IN "
            f"({', '.join(['%s'] * len(work_ids))})",
            work_ids,
        )
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, people, tags, text) "
            "VALUES (%s, %s, %s, %s, %s)",
            [
                [document.work_id, *(" ".join(words) for words, _ in document.fields())]
                for document in documents
            ],
        )


class _PostgresIndex:
    """A weighted tsvector on the work's own row, behind a GIN index."""

    matching_sql = "SELECT id FROM stories_work WHERE search_document @@ %s::tsquery"
    candidates_sql = (
        "SELECT id FROM stories_work WHERE search_document @@ %s::tsquery "
        "AND status = 'posted' ORDER BY updated_at DESC, id DESC "
        f"LIMIT {SEARCH_CANDIDATES}"
    )
    rank_sql = (
        "(SELECT ts_rank(search.search_document, %s::tsquery) "
        "FROM stories_work search WHERE search.id = {work_id})"
    )

    @staticmethod
    def _quote(word):
        return "'{}'".format(word.replace("\\", "\\\\").replace("'", "''"))

    def any_of(self, parts):
        phrases = (" <-> ".join(self._quote(word) for word in words) for words in parts)
        return "(" + " | ".join(f"({phrase})" for phrase in phrases) + ")"

    def all_of(self, parts, excluded=()):
        match = " & ".join(self.any_of([words]) for words in parts)
        return f"({match}) & !{self.any_of(excluded)}" if excluded else match

    def tsvector(self, document):
        """Return the document as tsvector text, its fields apart by a gap.

        The gap keeps a phrase from running from one field into the next, as
        it cannot in SQLite's separate columns.
        """
        positions = defaultdict(set)
        position = 1
        for words, weight in document.fields():
            for word in words:
                positions[word].add((min(position, MAX_POSITION), weight))
                position += 1
            position += 1
        return " ".join(
            self._quote(word)
            + ":"
            + ",".join(
                f"{number}{weight}"
                for number, weight in sorted(found)[:MAX_POSITIONS_PER_WORD]
            )
            for word, found in positions.items()
        )

    def write(self, cursor, work_ids, documents):
        cursor.execute(
            "UPDATE stories_work SET search_document = NULL WHERE id = ANY(%s)",
            [list(work_ids)],
        )
        cursor.executemany(
            "UPDATE stories_work SET search_document = %s::tsvector WHERE id = %s",
            [[self.tsvector(document), document.work_id] for document in documents],
        )


def _index_for(connection):
    if connection.vendor == "postgresql":
        return _PostgresIndex()
    if connection.vendor == "sqlite":
        return _SqliteIndex()
    raise NotSupportedError(
        f"Searching works needs PostgreSQL or SQLite, not {connection.vendor}."
    )


def search_works(queryset: QuerySet, query: SearchQuery) -> QuerySet:
    """Return the works of queryset that match the query, annotated with rank.

    A higher rank is a better match; a query of exclusions only ranks every
    work alike, and an empty query matches nothing. Only the SEARCH_CANDIDATES
    most recently updated posted matches are considered.
    """
    index = _index_for(connections[queryset.db])
    if query.required:
        match = index.all_of(query.required, query.excluded)
        return queryset.filter(pk__in=RawSQL(index.candidates_sql, [match])).annotate(
            rank=_Rank(index.rank_sql, index.all_of(query.required))
        )
    if query.excluded:
        match = index.any_of(query.excluded)
        queryset = queryset.exclude(pk__in=RawSQL(index.matching_sql, [match]))
    else:
        queryset = queryset.none()
    return queryset.annotate(rank=Value(0.0, output_field=FloatField()))


def documents_for(
    *,
    works: QuerySet,
    taggings: QuerySet,
    work_ids: Sequence[int],
    creatorships: QuerySet | None = None,
) -> list[SearchDocument]:
    """Return the search documents of these works, when posted.

    works and taggings are the Work and TaggedWork managers, or the migration's
    historical ones. A tag's canonical name is indexed beside its own, so a
    work tagged with a synonym is found by either. With creatorships (the
    Creatorship manager) every accepted creator's name is indexed beside the
    owner's.
    """
    rows = (
        works.filter(pk__in=work_ids, status=Status.POSTED)
        .order_by("pk")
        .values_list(
            "pk", "title", "owner__username", "creator_credit", "summary", "notes"
        )
    )
    rows = list(rows)
    tag_names = defaultdict(list)
    tagged = (
        taggings.filter(content_object_id__in=[row[0] for row in rows])
        .order_by("tag__kind", "tag__name")
        .values_list("content_object_id", "tag__name", "filter_tag__name")
    )
    for work_id, name, canonical in tagged:
        tag_names[work_id].append(name)
        if canonical and canonical != name:
            tag_names[work_id].append(canonical)
    creator_names = defaultdict(list)
    if creatorships is not None:
        # Pseuds' names are found too (not by the migrations before pseuds).
        names = ["user__username"]
        if any(field.name == "pseud" for field in creatorships.model._meta.fields):
            names.append("pseud__name")
        credited = (
            creatorships.filter(work_id__in=[row[0] for row in rows], status="accepted")
            .order_by("position", "id")
            .values_list("work_id", *names)
        )
        for work_id, *credited_names in credited:
            for name in credited_names:
                if name and name not in creator_names[work_id]:
                    creator_names[work_id].append(name)
    return [
        SearchDocument(
            work_id=pk,
            title=title,
            people=" ".join(
                [
                    username,
                    *(name for name in creator_names[pk] if name != username),
                    credit,
                ]
            ),
            tags=" ".join(tag_names[pk]),
            text=f"{html_to_text(summary)} {html_to_text(notes)}",
        )
        for pk, title, username, credit, summary, notes in rows
    ]


def documents_write(
    *, connection, work_ids: Sequence[int], documents: Iterable[SearchDocument]
) -> None:
    """Replace what the index holds for these works with these documents."""
    if not work_ids:
        return
    with connection.cursor() as cursor:
        _index_for(connection).write(cursor, list(work_ids), list(documents))


def works_index(*, work_ids: Iterable[int]) -> None:
    """Rebuild the search documents of these works; drafts leave the index."""
    work_ids = list(work_ids)
    documents = documents_for(
        works=Work.objects,
        taggings=TaggedWork.objects,
        creatorships=Creatorship.objects,
        work_ids=work_ids,
    )
    documents_write(
        connection=connections[router.db_for_write(Work)],
        work_ids=work_ids,
        documents=documents,
    )
    # Searches list every work: what they find changed.
    changed(all_works=True)


def work_index(*, work: Work) -> None:
    """Rebuild one work's search document, or drop it when it is not posted."""
    works_index(work_ids=[work.pk])


def work_unindex(*, work_id: int) -> None:
    """Drop a deleted work's search document, where it outlives the work's row."""
    documents_write(
        connection=connections[router.db_for_write(Work)],
        work_ids=[work_id],
        documents=[],
    )
