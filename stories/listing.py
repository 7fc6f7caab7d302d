"""Finding works: the filters of every listing, their counts and their facets.

The design follows the measurements in SCALE-NOTES: a tag's works are read newest
first from the posting list (TaggedWork's partial index), driven from the rarest
included tag; other tags are tested against the work's tag array and its GIN index
on PostgreSQL, and per work with EXISTS on SQLite; counts are the cached per-tag
count when nothing else narrows the list, and otherwise counted up to a cap; the
facet sidebar counts tags over the newest matches only.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import NamedTuple
from urllib.parse import urlencode

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import EmptyResultSet
from django.core.paginator import InvalidPage
from django.db import connections
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property

from stories.caching import (
    ALL_WORKS,
    SORTED_BY,
    TAG,
    TAG_NAMES,
    TAGS_REFILED,
    USER,
    cached,
    part,
)
from stories.models import (
    Creatorship,
    CreatorshipStatus,
    Tag,
    TaggedWork,
    TagKind,
    Work,
)
from stories.pagination import NumberedPaginator
from stories.readers import reader_facts
from stories.readings.querysets import works_not_engaged
from stories.search import search_works

COUNT_CAP = 1000
FACET_SAMPLE = 1000
FACETS_PER_KIND = 10
FACET_KINDS = (
    TagKind.FANDOM,
    TagKind.WARNING,
    TagKind.CATEGORY,
    TagKind.RELATIONSHIP,
    TagKind.CHARACTER,
    TagKind.FREEFORM,
)
# The counts readers leave, by the name listings sort and filter by them. Sorted
# or filtered by one, a listing is re-listed when a work's count changes.
SORTED_BY_COUNTS = {
    "kudos": "kudos_count",
    "hits": "hit_count",
    "bookmarks": "bookmark_count",
    "comments": "comment_count",
}
SORTS = {
    "updated": ("-updated_at", "-id"),
    "published": ("-published_at", "-id"),
    "title": ("title", "id"),
    "words": ("-word_count", "-id"),
    **{name: (f"-{field}", "-id") for name, field in SORTED_BY_COUNTS.items()},
}


class Criteria(NamedTuple):
    """What a reader asked a listing for, as read from the URL.

    A tuple, so that a process keeps it as it is among its cached parts.
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    ratings: tuple[str, ...] = ()
    completion: str = ""
    words_min: int | None = None
    words_max: int | None = None
    language: str = ""
    updated_within_days: int | None = None
    sort: str = "updated"
    # At least this many of a count, as ("kudos", 10) pairs.
    counts_min: tuple[tuple[str, int], ...] = ()
    # Works the signed-in reader has "read", "kudosed" or "bookmarked", to
    # leave out (stories/readings/querysets.py); nothing for guests.
    hide: tuple[str, ...] = ()

    @property
    def narrows(self):
        """Return whether anything beyond the base list was asked for."""
        return bool(
            self.include
            or self.exclude
            or self.ratings
            or self.completion
            or self.words_min is not None
            or self.words_max is not None
            or self.language
            or self.updated_within_days
            or self.counts_min
        )

    @property
    def counts(self):
        """Return the counts the listing sorts or filters by."""
        names = {name for name, _ in self.counts_min}
        if self.sort in SORTED_BY_COUNTS:
            names.add(self.sort)
        return sorted(names)


@dataclass(frozen=True)
class Hidden:
    """A signed-in reader's saved exclusions: filter tag ids, and the ids of the
    users they muted, whose works they never see."""

    tag_ids: frozenset[int] = field(default_factory=frozenset)
    creator_ids: frozenset[int] = field(default_factory=frozenset)
    # Whose reading, kudos and bookmarks a listing's "hide" leaves out; not
    # part of the key, which the listings of every reader hiding these share.
    reader_id: int | None = None
    # Whether the reader is signed in, and so sees the works restricted to
    # members; guests' listings, counts and facets leave those out.
    members: bool = False

    def __bool__(self):
        return bool(self.tag_ids or self.creator_ids)

    @property
    def cache_key(self):
        """Return a short key that differs for every different set hidden, and
        between guests and members."""
        text = f"{sorted(self.tag_ids)}#{sorted(self.creator_ids)}"
        digest = hashlib.sha256(text.encode()).hexdigest()[:32]
        return f"m{digest}" if self.members else digest


MEMBERS = Hidden(members=True)


def hidden_for(user):
    """Return what this reader always hides: for guests, the works restricted
    to members."""
    if not user.is_authenticated:
        return Hidden()
    facts = reader_facts(user)
    return Hidden(
        tag_ids=facts.hidden_tag_ids,
        creator_ids=facts.muted_ids,
        reader_id=user.pk,
        members=True,
    )


@dataclass
class TagGroup:
    """The filter tags one typed name stands for, and how many works they list."""

    ids: set[int] = field(default_factory=set)
    works: int = 0


def tag_groups_by_name(names):
    """Return, for each lower-cased name, the filter tags it stands for."""
    groups = defaultdict(TagGroup)
    if names:
        rows = Tag.objects.named(names).values_list(
            "lowered", Coalesce("merger_id", "pk"), "work_count"
        )
        for lowered, pk, works in rows:
            groups[lowered].ids.add(pk)
            groups[lowered].works += works
    return groups


def _posting_exists(tag_ids):
    return Exists(
        TaggedWork.objects.filter(
            content_object=OuterRef("pk"), filter_tag_id__in=list(tag_ids)
        )
    )


class FilterTagIds(Func):
    """A work's filter_tag_ids column, kept by PostgreSQL (migration 0008).

    Written against the work's own row whatever alias the query gives it, so
    that it holds in subqueries too.
    """

    output_field = ArrayField(IntegerField())

    def __init__(self):
        super().__init__(F("pk"))

    def as_sql(self, compiler, connection, **extra_context):
        work_id = self.source_expressions[0]
        return f"{compiler.quote_name_unless_alias(work_id.alias)}.filter_tag_ids", []


def _filter_by_tag_arrays(works, include_groups, excluded):
    """Return works listed under every group and none of the excluded tags.

    All the single-tag groups are one containment test that the GIN index
    answers at once; a name standing for several tags needs any of them.
    """
    works = works.alias(filter_tag_ids=FilterTagIds())
    required = sorted(
        pk for group in include_groups if len(group.ids) == 1 for pk in group.ids
    )
    if required:
        works = works.filter(filter_tag_ids__contains=required)
    for group in include_groups:
        if len(group.ids) > 1:
            works = works.filter(filter_tag_ids__overlap=sorted(group.ids))
    if excluded:
        works = works.exclude(filter_tag_ids__overlap=sorted(excluded))
    return works


def works_matching(
    works, criteria, *, base_tag=None, hidden=None, drafts=False, groups=None
):
    """Return the works of a listing that match the criteria, in their order.

    works is the listing's base (posted works, or with drafts=True one author's
    works with their drafts); works restricted to members are left out unless
    hidden says the reader is one (hidden_for); base_tag, on a tag page, is the
    canonical tag every work must be listed under. Newest first, the rarest
    included tag's postings drive (SCALE-NOTES, design C); they hold posted
    works only, so a listing with drafts tests every tag as below. The other tag
    tests are the work's tag array on PostgreSQL (design B), which alone finds
    the matches for any other order; SQLite checks the taggings work by work.
    groups, when given, are the tag groups of the criteria's names.
    """
    if groups is None:
        groups = tag_groups_by_name([*criteria.include, *criteria.exclude])
    include_groups = [groups[name.lower()] for name in criteria.include]
    if base_tag is not None:
        include_groups.insert(0, TagGroup({base_tag.pk}, base_tag.work_count))
    if not all(group.ids for group in include_groups):
        return works.none()
    excluded = {pk for name in criteria.exclude for pk in groups[name.lower()].ids}
    hidden = hidden if hidden is not None else Hidden()
    if not hidden.members:
        works = works.filter(restricted=False)
    excluded |= hidden.tag_ids
    by_arrays = connections[works.db].vendor == "postgresql"
    ordering = SORTS.get(criteria.sort, SORTS["updated"])
    if include_groups and criteria.sort == "updated" and not drafts:
        # Newest first straight off the rarest included tag's posting index.
        driver = min(include_groups, key=lambda group: group.works)
        include_groups.remove(driver)
        works = works.filter(
            tagged_items__filter_tag_id__in=driver.ids,
            tagged_items__work_posted=True,
        )
        ordering = ("-tagged_items__work_updated_at", "-id")
    elif include_groups and not by_arrays and not drafts:
        # The rarest included tag's works are the candidates to sort.
        driver = min(include_groups, key=lambda group: group.works)
        include_groups.remove(driver)
        postings = TaggedWork.objects.filter(
            filter_tag_id__in=driver.ids, work_posted=True
        )
        works = works.filter(pk__in=postings.values("content_object_id"))
    works = works.order_by(*ordering)
    if by_arrays:
        works = _filter_by_tag_arrays(works, include_groups, excluded)
    else:
        for group in include_groups:
            works = works.filter(_posting_exists(group.ids))
        if excluded:
            works = works.exclude(_posting_exists(excluded))
    if hidden.creator_ids:
        # A work leaves when any of its creators is hidden.
        works = works.exclude(owner_id__in=hidden.creator_ids).exclude(
            Exists(
                Creatorship.objects.filter(
                    work_id=OuterRef("pk"),
                    user_id__in=hidden.creator_ids,
                    status=CreatorshipStatus.ACCEPTED,
                )
            )
        )
    if criteria.hide and hidden.reader_id is not None:
        works = works_not_engaged(works, reader_id=hidden.reader_id, hide=criteria.hide)
    if criteria.ratings:
        works = works.filter(rating__in=criteria.ratings)
    if criteria.completion == "complete":
        works = works.filter(is_complete=True)
    elif criteria.completion == "in-progress":
        works = works.filter(is_complete=False)
    if criteria.words_min is not None:
        works = works.filter(word_count__gte=criteria.words_min)
    if criteria.words_max is not None:
        works = works.filter(word_count__lte=criteria.words_max)
    if criteria.language:
        works = works.filter(language=criteria.language)
    if criteria.updated_within_days:
        since = timezone.now() - timedelta(days=criteria.updated_within_days)
        works = works.filter(updated_at__gte=since)
    for name, least in criteria.counts_min:
        works = works.filter(**{f"{SORTED_BY_COUNTS[name]}__gte": least})
    return works


class ListingPaginator(NumberedPaginator):
    """A paginator that counts up to a cap, or trusts a count it is given.

    Counting every match of a popular tag costs more than the page itself, so
    past COUNT_CAP the listing says "1,000+" and pages stop there. A page
    rebuilt from the cache is given its count, and whether it was capped.
    """

    def __init__(self, *args, known_count=None, capped=False, **kwargs):
        self.known_count = known_count
        self.capped = capped
        super().__init__(*args, **kwargs)

    @cached_property
    def count(self):
        if self.known_count is not None:
            return self.known_count
        matches = self.object_list.order_by().values_list("pk", flat=True)
        return len(matches[: COUNT_CAP + 1])

    @cached_property
    def is_capped(self):
        if self.known_count is not None:
            return self.capped
        return self.count > COUNT_CAP

    @property
    def count_display(self):
        """Return the count as the heading shows it: "12,345", or "1,000+"."""
        if self.is_capped:
            return f"{COUNT_CAP:,}+"
        return f"{self.count:,}"

    @cached_property
    def num_pages(self):
        if self.is_capped:
            return COUNT_CAP // self.per_page
        return super().num_pages


def facets(works):
    """Return the most used tags of each kind among the newest matching works.

    Counted over the newest FACET_SAMPLE matches: exact for smaller results, a
    close estimate for larger ones (SCALE-NOTES: 94% of the true top ten).
    """
    if connections[works.db].vendor == "postgresql":
        rows = _facet_rows_from_arrays(works)
    else:
        sample = works.order_by("-updated_at", "-id").values("pk")[:FACET_SAMPLE]
        rows = (
            TaggedWork.objects.filter(content_object_id__in=sample)
            .values_list("filter_tag_id", "filter_tag__name", "filter_tag__kind")
            .annotate(works=Count("content_object_id", distinct=True))
            .order_by("-works", "filter_tag__name")
        )
    grouped = {kind: [] for kind in FACET_KINDS}
    for tag_id, name, kind, works_count in rows:
        top = grouped.get(kind)
        if top is not None and len(top) < FACETS_PER_KIND:
            top.append({"id": tag_id, "name": name, "works": works_count})
    return [(TagKind(kind), tags) for kind, tags in grouped.items() if tags]


def _facet_rows_from_arrays(works):
    """Return (tag id, name, kind, works) by the sample's own tag arrays.

    Unnesting the arrays of the sampled rows spares a join with every tagging
    of those works.
    """
    sample = (
        works.order_by("-updated_at", "-id")
        .annotate(filed=FilterTagIds())
        .values("filed")[:FACET_SAMPLE]
    )
    try:
        sql, params = sample.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connections[works.db].cursor() as cursor:
        cursor.execute(
            "SELECT tag.id, tag.name, tag.kind, count(*) AS works "
            f"FROM ({sql}) AS sample, unnest(sample.filed) AS filed(tag_id) "
            "JOIN stories_tag AS tag ON tag.id = filed.tag_id "
            "GROUP BY tag.id ORDER BY works DESC, tag.name",
            params,
        )
        return cursor.fetchall()


LISTING_PAGE_SIZE = 20


class ListingEntry(NamedTuple):
    """What one page of a listing shows that costs queries to find."""

    ids: tuple[int, ...]
    count: int
    capped: bool
    number: int

    def page(self, per_page):
        """Return the page, with its paginator, as the templates show it."""
        paginator = ListingPaginator(
            range(self.count), per_page, known_count=self.count, capped=self.capped
        )
        return paginator.page(self.number)


class WorkQuery:
    """One listing of works, read from the URL's parameters.

    It owns the listing's criteria (through the listing's filter form), the
    works it finds, their count and facets, and what its cached parts depend
    on: the base it lists (every posted work, a tag's works or a person's)
    and the tags it names, whose versions its parts are keyed by.
    """

    page_size = LISTING_PAGE_SIZE

    def __init__(
        self,
        params,
        *,
        form_class,
        hidden=None,
        base_tag=None,
        creator=None,
        pseud=None,
        drafts=False,
        search=None,
    ):
        self.params = params
        self.form_class = form_class
        self.hidden = hidden if hidden is not None else Hidden()
        self.base_tag = base_tag
        self.creator = creator
        # One pseud of the creator's (stories.pseuds), whose works alone are listed.
        self.pseud = pseud
        self.drafts = drafts
        self.search = search

    @cached_property
    def form(self):
        """Return the listing's filter form, bound to the URL's parameters."""
        return self.form_class(self.params or None)

    @cached_property
    def filters(self):
        """Return the URL's parameters but the page number, as a query string."""
        return urlencode(
            [
                (name, value)
                for name, values in self.params.lists()
                if name != "page"
                for value in values
            ]
        )

    @cached_property
    def _read(self):
        """Return the criteria and the tags their names stand for, read from a
        query string once until a tag is named anew."""
        if not self.filters:
            return Criteria(), defaultdict(TagGroup)
        return cached(
            part(
                "criteria", self.form_class.__name__, self.filters, scopes=[TAG_NAMES]
            ),
            self._read_criteria,
        )

    def _read_criteria(self):
        criteria = self.form.criteria()
        names = {name.lower() for name in [*criteria.include, *criteria.exclude]}
        return criteria, tag_groups_by_name(sorted(names))

    @property
    def criteria(self):
        """Return what the URL asks for."""
        return self._read[0]

    @property
    def groups(self):
        """Return the tags each name in the criteria stands for, by lower name."""
        return self._read[1]

    @property
    def per_reader(self):
        """Return whether the listing leaves out what its reader read, left
        kudos on or bookmarked: then none of it is cached.

        Kudos and bookmarks are written by services that know nothing of
        listings, and a work read for the first time changes it too: kept,
        it would go stale. Found afresh, a page costs what a cold page does
        (each work tested is one indexed EXISTS per box ticked).
        """
        return bool(self.criteria.hide) and self.hidden.reader_id is not None

    @cached_property
    def scopes(self):
        """Return the scopes whose changes may change what this listing finds."""
        if self.base_tag is not None:
            scopes = {TAG(self.base_tag.pk)}
        elif self.creator is not None:
            scopes = {USER(self.creator.pk)}
        else:
            scopes = {ALL_WORKS}
        # A work enters or leaves the listing only by a change to itself, which
        # bumps the base's scope; what a tag it names stands for changes only
        # when tags are refiled.
        if self.criteria.include or self.criteria.exclude:
            scopes.add(TAGS_REFILED)
        scopes.update(SORTED_BY(name) for name in self.criteria.counts)
        return frozenset(scopes)

    @cached_property
    def vary(self):
        """Return what else tells this listing apart from others of its scopes."""
        return (
            self.base_tag.pk if self.base_tag is not None else None,
            self.creator.pk if self.creator is not None else None,
            self.pseud.pk if self.pseud is not None else None,
            self.drafts,
            self.hidden.cache_key,
            tuple(
                sorted((name, tuple(sorted(g.ids))) for name, g in self.groups.items())
            ),
            self.filters,
            # /works/?q=x lists every work, /works/search?q=x the matches.
            self.search,
        )

    def works(self):
        """Return the matching works, in the listing's order."""
        if self.creator is not None:
            base = Work.objects.created_by(self.creator, pseud=self.pseud)
            if not self.drafts:
                base = base.posted()
        else:
            base = Work.objects.posted()
        if self.search is not None:
            base = search_works(base, self.search)
        works = works_matching(
            base,
            self.criteria,
            base_tag=self.base_tag,
            hidden=self.hidden,
            drafts=self.drafts,
            groups=self.groups,
        )
        if self.search is not None and self.criteria.sort == "relevance":
            works = works.order_by("-rank", "-updated_at", "-id")
        return works

    def entry(self, number):
        """Return the ids, count and page number of a page of the listing."""
        known_count = None
        if self.base_tag is not None and not (
            self.criteria.narrows or self.hidden or self.per_reader
        ):
            known_count = self._tag_count()
        paginator = ListingPaginator(
            self.works(), self.page_size, known_count=known_count
        )
        try:
            page = paginator.page(paginator.validate_number(number or 1))
        except InvalidPage as error:
            raise Http404(str(error)) from error
        return ListingEntry(
            ids=tuple(page.object_list.values_list("pk", flat=True)),
            count=paginator.count,
            capped=paginator.is_capped,
            number=page.number,
        )

    def _tag_count(self):
        """Return how many works the base tag lists to this reader: its count
        of the works guests see (tags_refresh_counts), and for members the few
        restricted ones besides, in the same query."""
        counts = Tag.objects.filter(pk=self.base_tag.pk)
        if self.hidden.members:
            restricted = (
                Work.objects.members_only()
                .filter(
                    tagged_items__filter_tag_id=OuterRef("pk"),
                    tagged_items__work_posted=True,
                )
                .order_by()
                .values("restricted")
                .annotate(works=Count("pk", distinct=True))
                .values("works")
            )
            counts = counts.annotate(
                shown=F("work_count") + Coalesce(Subquery(restricted), 0)
            )
            return counts.values_list("shown", flat=True)[0]
        return counts.values_list("work_count", flat=True)[0]

    def cached_entry(self, number):
        """Return the entry of a page of the listing, from the cache if it is there."""
        if self.per_reader:
            return self.entry(number)
        return cached(
            part("listing", *self.vary, number, scopes=self.scopes),
            lambda: self.entry(number),
        )

    def facets(self):
        """Return the most used tags of each kind among the matches."""
        return facets(self.works())
