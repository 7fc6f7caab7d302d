"""Every read that decides who may see what lives here."""

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.db import connections, models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import Coalesce, Lower, RowNumber, Upper


def creator_condition(user, work="pk"):
    """Return a condition true of the works this person is an accepted creator of.

    work names the work's id in the query it is used in.
    """
    from stories.models import Creatorship, CreatorshipStatus

    return Exists(
        Creatorship.objects.filter(
            work_id=OuterRef(work), user_id=user.pk, status=CreatorshipStatus.ACCEPTED
        )
    )


class WorkQuerySet(models.QuerySet):
    def posted(self):
        """Return the works readers may see."""
        return self.filter(status="posted")

    def public(self):
        """Return the posted works guests may see: those not restricted to
        signed-in members."""
        return self.posted().filter(restricted=False)

    def listed_for(self, *, members):
        """Return the posted works a listing shows: to guests (members=False),
        those not restricted to members."""
        return self.posted() if members else self.public()

    def visible_to(self, user):
        """Return the works this person may see: posted ones (to guests, those
        not restricted to members), and the drafts they are a creator of."""
        if user.is_authenticated and user.is_staff:
            return self
        if user.is_authenticated:
            return self.filter(
                Q(status="posted") | Q(owner=user) | creator_condition(user)
            )
        return self.public()

    def members_only(self):
        """Return the posted works restricted to signed-in members: at their
        addresses a guest is asked to sign in."""
        return self.posted().filter(restricted=True)

    def editable_by(self, user):
        """Return the works this person may change: those they are a creator of."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(Q(owner=user) | creator_condition(user))

    def deletable_by(self, user):
        """Return the works this person may delete: their own (all, for staff)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(owner=user)

    def created_by(self, user, pseud=None):
        """Return the works this person is an accepted creator of (under this
        pseud of theirs, if one is given)."""
        from stories.models import Creatorship, CreatorshipStatus

        # The creatorship index (user, status, work) alone finds them.
        creatorships = Creatorship.objects.filter(
            user_id=user.pk, status=CreatorshipStatus.ACCEPTED
        )
        if pseud is not None:
            creatorships = creatorships.filter(pseud_id=pseud.pk)
        return self.filter(pk__in=creatorships.values("work_id"))

    def for_reading(self):
        """Return works with their owner, and whether anyone else is credited
        and whether they are in a series: a work by its owner alone, in no
        series (most works), then shows its byline and series lines without
        reading its creators or its series."""
        from stories.models import Creatorship, CreatorshipStatus
        from stories.series.models import SeriesWork

        credited = Creatorship.objects.filter(
            work=OuterRef("pk"), status=CreatorshipStatus.ACCEPTED
        )
        return self.select_related("owner").annotate(
            # Anyone else, or the owner under a second pseud (whose row comes
            # after the first, position 0).
            has_co_creators=Exists(
                credited.filter(Q(position__gt=0) | ~Q(user=OuterRef("owner_id")))
            ),
            owner_pseud_name=Subquery(
                credited.filter(user=OuterRef("owner_id"))
                .order_by("position", "id")
                .values("pseud__name")[:1]
            ),
            in_series=Exists(SeriesWork.objects.filter(work=OuterRef("pk"))),
        )

    def with_creators(self):
        """Return works with their accepted creators, in one more query."""
        return self.prefetch_related(creators_prefetch())

    def for_listing(self):
        """Return works with what a blurb shows: owner, creators and tags, in
        three queries."""
        return self.select_related("owner").prefetch_related(
            work_tags_prefetch(), creators_prefetch()
        )


def creators_prefetch():
    """Return the prefetch of a work's accepted creators, in byline order."""
    from stories.models import accepted_creatorships

    return Prefetch(
        "creatorships", accepted_creatorships(), to_attr="accepted_creatorships"
    )


def work_tags_prefetch():
    """Return the prefetch of a work's taggings with their tags, by tag name."""
    from stories.models import TaggedWork

    return Prefetch(
        "tagged_items", TaggedWork.objects.select_related("tag").order_by("tag__name")
    )


class ChapterQuerySet(models.QuerySet):
    def posted(self):
        return self.filter(status="posted")

    def visible_to(self, user):
        """Return the chapters this person may read."""
        if user.is_authenticated and user.is_staff:
            return self
        if user.is_authenticated:
            return self.filter(
                Q(status="posted", work__status="posted")
                | Q(work__owner=user)
                | creator_condition(user, work="work_id")
            )
        return self.filter(
            status="posted", work__status="posted", work__restricted=False
        )


class CommentQuerySet(models.QuerySet):
    def posted(self):
        """Return the comments readers see: those held for approval are not."""
        return self.filter(status="posted")

    def held(self):
        """Return the comments held for a creator of their work to approve."""
        return self.filter(status="held")

    def for_thread(self):
        """Return posted comments with their authors, oldest first, ready to nest."""
        return self.posted().select_related("user").order_by("created_at", "id")

    def shown(self):
        """Return the comments that count: deleted placeholders and comments
        held for approval do not."""
        return self.posted().filter(is_deleted=False)


class TagQuerySet(models.QuerySet):
    def recount(self):
        """Store in each of these tags its work count: the posted works listed
        under it that guests see (a member's listing counts the restricted ones
        itself)."""
        from stories.models import TaggedWork

        posted = (
            TaggedWork.objects.filter(
                filter_tag=OuterRef("pk"),
                work_posted=True,
                content_object__restricted=False,
            )
            .values("filter_tag")
            .annotate(works=models.Count("content_object", distinct=True))
            .values("works")
        )
        return self.update(work_count=Coalesce(models.Subquery(posted), 0))

    def public(self):
        """Return the tags anyone may know of: canonical ones and those on a
        posted work (a tag typed on drafts alone stays its author's)."""
        from stories.models import TaggedWork

        return self.filter(
            Q(canonical=True)
            | Exists(TaggedWork.objects.filter(tag=OuterRef("pk"), work_posted=True))
        )

    def named(self, names):
        """Return the tags of any kind whose names match these, ignoring case."""
        lowered = [name.lower() for name in names]
        return self.annotate(lowered=Lower("name")).filter(lowered__in=lowered)

    def suggested_for(self, text):
        """Return the tags to offer for typed text: canonical first, then popular.

        Synonyms are left out (their canonical tag is offered). On PostgreSQL,
        trigram word similarity also finds misspellings; both conditions there
        use the GIN trigram index on UPPER(name) (migration 0004).
        """
        matches = Q(name__icontains=text)
        if connections[self.db].vendor == "postgresql":
            matches |= Q(TrigramWordSimilar(Upper("name"), text))
        return self.filter(matches, merger__isnull=True).order_by(
            "-canonical", "-work_count", Lower("name")
        )

    def most_used(self, kind):
        """Return the tags of a kind that list posted works, most used first."""
        return self.filter(kind=kind, work_count__gt=0).order_by("-work_count", "name")

    def children_of(self, fandom, *, shown):
        """Return a fandom's most used characters and relationships, at most
        `shown` of each kind, most used first.

        Synonyms are left out (their works count under their canonical tag),
        and so are tags without posted works.
        """
        from stories.models import TagKind

        by_count = [F("work_count").desc(), Lower("name")]
        return (
            self.filter(
                parents=fandom,
                kind__in=[TagKind.CHARACTER, TagKind.RELATIONSHIP],
                merger__isnull=True,
                work_count__gt=0,
            )
            .annotate(rank=Window(RowNumber(), partition_by="kind", order_by=by_count))
            .filter(rank__lte=shown)
            .order_by(*by_count)
            .only("name", "slug", "kind", "work_count", "merger_id")
        )
