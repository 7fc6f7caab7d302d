from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import prefetch_related_objects
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import ItemBase, NaturalKeyManager, TagBase

from stories.querysets import (
    ChapterQuerySet,
    CommentQuerySet,
    TagQuerySet,
    WorkQuerySet,
    work_tags_prefetch,
)
from stories.symbols import required_symbols
from stories.tagging import TAG_NAME_MAX_LENGTH


class Rating(models.TextChoices):
    NOT_RATED = "not-rated", _("Not Rated")
    GENERAL = "general", _("General Audiences")
    TEEN = "teen", _("Teen And Up Audiences")
    MATURE = "mature", _("Mature")
    EXPLICIT = "explicit", _("Explicit")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    POSTED = "posted", _("Posted")


class CommentStatus(models.TextChoices):
    POSTED = "posted", _("Posted")
    HELD = "held", _("Held for approval")


class TagKind(models.TextChoices):
    FANDOM = "fandom", _("Fandom")
    CHARACTER = "character", _("Character")
    RELATIONSHIP = "relationship", _("Relationship")
    FREEFORM = "freeform", _("Additional Tags")
    WARNING = "warning", _("Archive Warning")
    CATEGORY = "category", _("Category")


# The kinds an author types freely; warnings come from ARCHIVE_WARNINGS only.
FREE_TAG_KINDS = (
    TagKind.FANDOM,
    TagKind.CHARACTER,
    TagKind.RELATIONSHIP,
    TagKind.FREEFORM,
)
# AO3's categories, a fixed list as the warnings are; a work has none or several.
ARCHIVE_CATEGORIES = ("F/F", "F/M", "Gen", "M/M", "Multi", "Other")
# The kinds whose tags are a fixed list the archive made, never typed.
FIXED_TAG_KINDS = (TagKind.WARNING, TagKind.CATEGORY)
ARCHIVE_WARNINGS = (
    "Choose Not To Use Archive Warnings",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "No Archive Warnings Apply",
    "Rape/Non-Con",
    "Underage Sex",
)


class Tag(TagBase):
    """A fandom, character, relationship, additional tag or archive warning.

    Names are unique per kind (a fandom and a character may share a name);
    slugs stay unique site-wide, as taggit makes them, so a tag's page is
    simply /tags/<slug>/works/.
    """

    name = models.CharField(_("name"), max_length=TAG_NAME_MAX_LENGTH)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TagKind, db_index=True)
    canonical = models.BooleanField(
        _("canonical"),
        default=False,
        help_text=_("The spelling filters and autocomplete offer first."),
    )
    merger = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="synonyms",
        limit_choices_to={"canonical": True},
        verbose_name=_("synonym of"),
        help_text=_("Works with this tag count and list under that canonical tag."),
    )
    parents = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="children",
        limit_choices_to={"kind": TagKind.FANDOM},
        verbose_name=_("parent fandoms"),
    )
    work_count = models.PositiveIntegerField(
        _("posted works"),
        default=0,
        help_text=_("Posted works listed under this tag, synonyms included."),
    )

    natural_key_fields = ["kind", "name"]
    objects = NaturalKeyManager.from_queryset(TagQuerySet)()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                "kind", Lower("name"), name="stories_tag_unique_kind_name"
            ),
        ]
        # Filters look tags up by name whatever their kind.
        indexes = [models.Index(Lower("name"), name="stories_tag_lower_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stories:tag_works", kwargs={"slug": self.slug})


class TagRef(NamedTuple):
    """A tag as pages show it: a tuple, which each process keeps as it is
    among its cached parts (a model instance is unpickled at every use)."""

    pk: int
    name: str
    slug: str
    kind: str
    work_count: int
    merger: "TagRef | None" = None

    @classmethod
    def of(cls, tag):
        merger = None if tag.merger_id is None else cls.of(tag.merger)
        return cls(tag.pk, tag.name, tag.slug, tag.kind, tag.work_count, merger)

    @property
    def merger_id(self):
        return None if self.merger is None else self.merger.pk

    def get_absolute_url(self):
        return reverse("stories:tag_works", kwargs={"slug": self.slug})

    def get_kind_display(self):
        return TagKind(self.kind).label


class TaggedWorkManager(models.Manager):
    def get_by_natural_key(self, work_id, kind, name):
        return self.get(content_object_id=work_id, tag__kind=kind, tag__name=name)


class TaggedWork(ItemBase):
    """A tag on a work, doubling as a posting list for filtering.

    filter_tag is the tag the work is listed under (the canonical tag when the
    author's tag is a synonym); the work's posted flag and updated date are
    copied here so that a tag's newest works are one index walk away.
    """

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_works")
    content_object = models.ForeignKey(
        "Work", on_delete=models.CASCADE, related_name="tagged_items"
    )
    filter_tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="filtered_works", null=True
    )
    work_posted = models.BooleanField(default=False)
    work_updated_at = models.DateTimeField(null=True)

    # taggit's ItemBase names no natural key fields, so dumpdata's natural keys
    # wrote taggings that loaddata could not read: a tagging is its work (whose
    # id is kept) and its tag (by kind and name).
    objects = TaggedWorkManager()

    class Meta:
        verbose_name = _("tagging")
        verbose_name_plural = _("taggings")
        constraints = [
            models.UniqueConstraint(
                "content_object", "tag", name="stories_taggedwork_unique"
            ),
            models.UniqueConstraint(
                "content_object",
                "filter_tag",
                name="stories_taggedwork_filed_once",
            ),
        ]
        indexes = [
            models.Index(fields=["tag", "content_object"]),
            models.Index(fields=["content_object", "filter_tag"]),
            models.Index(
                "filter_tag",
                models.F("work_updated_at").desc(),
                models.F("content_object").desc(),
                name="stories_posting_newest",
                condition=models.Q(work_posted=True),
            ),
        ]

    def natural_key(self):
        return [self.content_object_id, *self.tag.natural_key()]

    natural_key.dependencies = ["stories.tag", "stories.work"]


COUNTS_SORTED = ("kudos_count", "hit_count", "bookmark_count", "comment_count")


class Work(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="works",
        verbose_name=_("owner"),
    )
    creator_credit = models.CharField(
        _("original creator"),
        max_length=255,
        blank=True,
        help_text=_(
            "Only when you archive someone else's work on their behalf: "
            "the name they wrote under."
        ),
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    end_notes = models.TextField(_("end notes"), blank=True)
    rating = models.CharField(
        _("rating"), max_length=20, choices=Rating, default=Rating.NOT_RATED
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.WORK_LANGUAGES, default="en"
    )
    expected_chapters = models.PositiveIntegerField(
        _("expected chapters"),
        null=True,
        blank=True,
        help_text=_("Leave empty while you do not know how many chapters."),
    )
    is_complete = models.BooleanField(_("complete"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT
    )
    allow_guest_comments = models.BooleanField(
        _("allow comments from guests"), default=False
    )
    hold_guest_comments = models.BooleanField(
        _("hold guests' comments for my approval"),
        default=False,
        help_text=_(
            "With comments from guests allowed: a guest's comment is shown "
            "only once a creator of the work approves it."
        ),
    )
    restricted = models.BooleanField(
        _("only show this work to signed-in members"),
        default=False,
        # Rows written in bulk without it (stories/seeding.py) take it too.
        db_default=False,
        help_text=_(
            "Guests find it in no listing, search, feed or download, and are "
            "asked to sign in at its address."
        ),
    )
    word_count = models.PositiveIntegerField(_("words"), default=0)
    chapter_count = models.PositiveIntegerField(_("posted chapters"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    kudos_count = models.PositiveIntegerField(_("kudos"), default=0)
    hit_count = models.PositiveIntegerField(_("hits"), default=0)
    bookmark_count = models.PositiveIntegerField(
        _("bookmarks"), default=0, help_text=_("Public bookmarks.")
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # A draft with this set is posted then by stories.posting's periodic job.
    scheduled_for = models.DateTimeField(
        _("scheduled for"), null=True, blank=True, db_index=True
    )
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified"), auto_now=True)

    tags = TaggableManager(through=TaggedWork, blank=True)

    objects = WorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("work")
        verbose_name_plural = _("works")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-updated_at", "-id"]),
            models.Index(fields=["rating"]),
            models.Index(fields=["owner", "status"]),
            # The few works restricted to members, which a member's tag page
            # adds to the tag's count of the works guests see.
            models.Index(
                fields=["id"],
                name="stories_work_restricted",
                condition=models.Q(restricted=True),
            ),
            # Listings sorted by a count read the most-counted posted works first.
            *(
                models.Index(
                    models.F(count).desc(),
                    models.F("id").desc(),
                    name=f"stories_most_{count}",
                    condition=models.Q(status=Status.POSTED),
                )
                for count in COUNTS_SORTED
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("stories:work_detail", kwargs={"pk": self.pk})

    @property
    def is_posted(self):
        return self.status == Status.POSTED

    @property
    def credit(self):
        """Return the name the work is by: the original creator, else its pseuds."""
        return self.creator_credit or ", ".join(
            pseud.byline for pseud in self.credited_pseuds
        )

    @property
    def is_archived_for_someone(self):
        return bool(self.creator_credit) and self.creator_credit != self.owner.username

    @property
    def chapters_display(self):
        """Return AO3's chapter figure: "3/10", or "3/?" while the end is unknown."""
        expected = self.expected_chapters or "?"
        return f"{self.chapter_count}/{expected}"

    @cached_property
    def _credited(self):
        """Return the accepted creatorships, read in one query unless
        with_creators() prefetched them; None when for_reading() found the
        owner alone under one pseud."""
        if getattr(self, "has_co_creators", True) is False:
            return None
        creatorships = getattr(self, "accepted_creatorships", None)
        if creatorships is None:
            creatorships = accepted_creatorships().filter(work=self)
        return list(creatorships)

    @cached_property
    def credited_pseuds(self):
        """Return the pseuds the byline names, in byline order, each with its
        person: the owner under their own name for a work written into the
        tables by hand without its owner's creatorship."""
        from stories.pseuds.models import Pseud

        creatorships = self._credited
        if creatorships:
            return [creatorship.credited_pseud for creatorship in creatorships]
        name = getattr(self, "owner_pseud_name", None) or self.owner.username
        return [Pseud(user=self.owner, name=name)]

    @cached_property
    def creators(self):
        """Return the people credited with the work, each once, the owner first.

        A work written into the tables by hand, without its owner's
        creatorship, is still its owner's."""
        users = {}
        for creatorship in self._credited or ():
            users.setdefault(creatorship.user_id, creatorship.user)
        return list(users.values()) or [self.owner]

    @property
    def creator_ids(self):
        """Return the ids of the work's accepted creators, the owner first."""
        return [user.pk for user in self.creators]

    def is_editable_by(self, user):
        """Return whether this person may change the work: a creator, or staff."""
        if not user.is_authenticated:
            return False
        return user.pk == self.owner_id or user.is_staff or user.pk in self.creator_ids

    def is_deletable_by(self, user):
        """Return whether this person may delete the work: its owner, or staff."""
        return user.is_authenticated and (user.pk == self.owner_id or user.is_staff)

    @property
    def tag_sections(self):
        """Return (kind, tags) for the kinds a work page lists, in AO3's order."""
        grouped = self.tags_by_kind
        order = (
            TagKind.WARNING,
            TagKind.CATEGORY,
            TagKind.FANDOM,
            TagKind.RELATIONSHIP,
            TagKind.CHARACTER,
            TagKind.FREEFORM,
        )
        return [(TagKind(kind), grouped[kind]) for kind in order if grouped[kind]]

    @property
    def required_symbols(self):
        """Return the rating, warnings, category and completion symbols of the
        work's blurb (stories/symbols.py)."""
        grouped = self.tags_by_kind
        return required_symbols(
            rating=self.rating,
            rating_label=self.get_rating_display(),
            warnings=[tag.name for tag in grouped[TagKind.WARNING]],
            categories=[tag.name for tag in grouped[TagKind.CATEGORY]],
            is_complete=self.is_complete,
        )

    @cached_property
    def tags_by_kind(self):
        """Return the work's tags grouped by kind.

        The taggings are read in one query here unless they were prefetched.
        """
        prefetch_related_objects([self], work_tags_prefetch())
        grouped = {kind.value: [] for kind in TagKind}
        for item in self.tagged_items.all():
            grouped[item.tag.kind].append(item.tag)
        return grouped


class CreatorshipStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")


class Creatorship(models.Model):
    """A person credited with a work, or invited to be.

    Every work has its owner as its first accepted creator (position 0); the
    people the owner invites become creators when they accept.
    """

    work = models.ForeignKey(
        Work,
        on_delete=models.CASCADE,
        related_name="creatorships",
        verbose_name=_("work"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="creatorships",
        verbose_name=_("creator"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CreatorshipStatus,
        default=CreatorshipStatus.INVITED,
    )
    # The pseud the byline names: chosen when the work is posted, or by an
    # invitee when they accept (empty until then). One person may be credited
    # under several of their pseuds, a row each.
    pseud = models.ForeignKey(
        "pseuds.Pseud",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="creatorships",
        verbose_name=_("pseud"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Where the byline names them.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("creator")
        verbose_name_plural = _("creators")
        ordering = ["work", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                "work", "pseud", name="stories_creatorship_unique_pseud"
            ),
            # One invitation per person; accepted, they may add more pseuds.
            models.UniqueConstraint(
                "work",
                "user",
                condition=models.Q(pseud=None),
                name="stories_creatorship_unique_invitation",
            ),
        ]
        # A person's works (their profile at a million works) are one walk of
        # this index; a work's creators are the unique constraint's.
        indexes = [
            models.Index(
                fields=["user", "status", "work"],
                name="stories_creatorship_works",
            )
        ]

    def __str__(self):
        return f"{self.user} on {self.work}"

    @property
    def credited_pseud(self):
        """Return the pseud the byline names, its person's name when none was
        chosen (a row written without one)."""
        pseud = self.pseud
        if pseud is None:
            from stories.pseuds.models import Pseud

            pseud = Pseud(user=self.user, name=self.user.username, is_default=True)
        else:
            # The byline needs the person's name: theirs is already read.
            pseud.user = self.user
        return pseud

    @property
    def is_accepted(self):
        return self.status == CreatorshipStatus.ACCEPTED


def accepted_creatorships():
    """Return accepted creatorships with their users and pseuds, in byline order."""
    return (
        Creatorship.objects.filter(status=CreatorshipStatus.ACCEPTED)
        .select_related("user", "pseud")
        .order_by("position", "id")
    )


class Chapter(models.Model):
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="chapters", verbose_name=_("work")
    )
    number = models.PositiveIntegerField(
        _("chapter number"),
        help_text=_("The number you gave it; gaps are fine (an imported 47 stays 47)."),
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    title = models.CharField(_("chapter title"), max_length=255, blank=True)
    notes = models.TextField(_("beginning notes"), blank=True)
    body = models.TextField(_("chapter text"))
    end_notes = models.TextField(_("end notes"), blank=True)
    word_count = models.PositiveIntegerField(_("words"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # A draft with this set is posted then by stories.posting's periodic job.
    scheduled_for = models.DateTimeField(
        _("scheduled for"), null=True, blank=True, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["work", "position", "number"]
        constraints = [
            models.UniqueConstraint(
                "work", "number", name="stories_chapter_unique_number"
            ),
        ]
        indexes = [models.Index(fields=["work", "status", "position"])]

    def __str__(self):
        return self.heading

    def get_absolute_url(self):
        return reverse(
            "stories:chapter_detail", kwargs={"work_pk": self.work_id, "pk": self.pk}
        )

    @property
    def heading(self):
        """Return "Chapter 47: Title", or "Chapter 47" when untitled."""
        heading = _("Chapter %(number)s") % {"number": self.number}
        return f"{heading}: {self.title}" if self.title else heading

    @property
    def is_posted(self):
        return self.status == Status.POSTED


class Comment(models.Model):
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="comments", verbose_name=_("work")
    )
    chapter = models.ForeignKey(
        Chapter,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("chapter"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("user"),
    )
    guest_name = models.CharField(_("guest name"), max_length=100, blank=True)
    guest_email = models.EmailField(_("guest email"), blank=True)
    # A keyed digest of a guest's address and browser, never the address: how
    # the duplicate check knows a guest who changes their email (moderation).
    guest_digest = models.CharField(
        _("guest digest"), max_length=64, blank=True, editable=False
    )
    body = models.TextField(_("comment"))
    is_edited = models.BooleanField(_("edited"), default=False)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    # A held comment waits for a creator of its work (stories.moderation):
    # readers, counts and notifications leave it out until it is approved.
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CommentStatus,
        default=CommentStatus.POSTED,
    )
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["chapter", "created_at"])]

    def __str__(self):
        return _("Comment by %(name)s on %(chapter)s") % {
            "name": self.author_name,
            "chapter": self.chapter_id,
        }

    def get_absolute_url(self):
        return reverse("stories:comment_detail", args=[self.pk])

    @property
    def author_name(self):
        if self.user_id:
            return self.user.username
        return self.guest_name or _("Anonymous")

    @property
    def is_held(self):
        return self.status == CommentStatus.HELD

    @property
    def is_by_guest(self):
        return self.user_id is None

    def is_editable_by(self, user):
        return not self.is_deleted and user.is_authenticated and user.pk == self.user_id

    def is_deletable_by(self, user, work_creator_ids):
        """Return whether this person may delete the comment: its writer, a
        creator of its work, or staff."""
        return (
            not self.is_deleted
            and user.is_authenticated
            and (
                user.pk == self.user_id or user.pk in work_creator_ids or user.is_staff
            )
        )


class HiddenTag(models.Model):
    """A tag a reader never wants to see works with."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hidden_tags"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hidden tag")
        verbose_name_plural = _("hidden tags")
        constraints = [
            models.UniqueConstraint("reader", "tag", name="stories_hiddentag_unique"),
        ]

    def __str__(self):
        return f"{self.reader} hides {self.tag}"
