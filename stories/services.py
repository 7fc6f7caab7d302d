"""Every write that touches more than one row goes through these functions."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from stories import tasks
from stories.blocking.models import Block
from stories.caching import changed
from stories.models import (
    ARCHIVE_CATEGORIES,
    ARCHIVE_WARNINGS,
    FREE_TAG_KINDS,
    Chapter,
    Comment,
    CommentStatus,
    CreatorshipStatus,
    HiddenTag,
    Status,
    Tag,
    TaggedWork,
    TagKind,
    Work,
)
from stories.pseuds.services import (
    default_pseud_of,
    pseud_follow_username,
    work_set_pseuds,
)
from stories.search import work_index, work_unindex
from stories.series.services import series_parts_shown_changed
from stories.subscriptions import tasks as subscription_tasks
from stories.subscriptions.models import Notification
from stories.text import count_words, sanitize_html

REFILE_BATCH = 1000


@dataclass(frozen=True)
class ChapterText:
    """What an author wrote for one chapter, before it is stored."""

    body: str
    title: str = ""
    notes: str = ""
    end_notes: str = ""
    number: int | None = None


def tags_get_or_create(*, kind: str, names: Iterable[str]) -> list[Tag]:
    """Return the tags of this kind with these names, creating the missing ones.

    Names match existing tags without regard to case, so "harry potter" joins
    "Harry Potter" instead of starting a second tag.
    """
    names = list(names)
    wanted = {name.lower(): name for name in names}
    existing = {
        tag.name.lower(): tag
        for tag in Tag.objects.annotate(lowered=Lower("name")).filter(
            kind=kind, lowered__in=list(wanted)
        )
    }
    tags = []
    for lowered, name in wanted.items():
        tag = existing.get(lowered)
        if tag is None:
            tag = Tag(name=name, kind=kind)
            tag.save()
            changed(tag_names=True)
        tags.append(tag)
    return tags


def tags_refresh_counts(*, tag_ids: Iterable[int]) -> None:
    """Recount the posted works listed under these tags that guests see."""
    tag_ids = set(tag_ids)
    Tag.objects.filter(pk__in=tag_ids).recount()
    changed(tags=tag_ids)


def postings_refile(*, work_ids: Iterable[int]) -> None:
    """File each tagging of these works under its canonical tag, once per work.

    A work that carries a synonym and its canonical (or two synonyms of one
    canonical) is listed under the canonical by one tagging only; the others
    keep no filter tag, so listings driven from a tag never show a work twice.
    """
    work_ids = list(work_ids)
    for start in range(0, len(work_ids), REFILE_BATCH):
        rows = TaggedWork.objects.filter(
            content_object_id__in=work_ids[start : start + REFILE_BATCH]
        ).values_list(
            "pk", "content_object_id", "tag_id", "tag__merger_id", "filter_tag_id"
        )
        # The tagging with the canonical tag itself keeps the filing.
        rows = sorted(rows, key=lambda row: (row[1], row[3] is not None, row[0]))
        filed = set()
        changed = []
        for pk, work_id, tag_id, merger_id, current in rows:
            target = merger_id or tag_id
            wanted = None if (work_id, target) in filed else target
            filed.add((work_id, target))
            if wanted != current:
                changed.append(TaggedWork(pk=pk, filter_tag_id=wanted))
        TaggedWork.objects.bulk_update(changed, ["filter_tag"], batch_size=REFILE_BATCH)


@transaction.atomic
def work_set_tags(*, work: Work, kind: str, names: Iterable[str]) -> list[Tag]:
    """Make these the work's tags of one kind, leaving its other kinds alone."""
    tags = tags_get_or_create(kind=kind, names=names)
    removed = TaggedWork.objects.filter(content_object=work, tag__kind=kind).exclude(
        tag__in=tags
    )
    removed_filter_tags = set(removed.values_list("filter_tag_id", flat=True))
    removed.delete()
    TaggedWork.objects.bulk_create(
        [
            TaggedWork(
                content_object=work,
                tag=tag,
                work_posted=work.is_posted,
                work_updated_at=work.updated_at,
            )
            for tag in tags
        ],
        ignore_conflicts=True,
    )
    postings_refile(work_ids=[work.pk])
    tags_refresh_counts(
        tag_ids=removed_filter_tags | {tag.merger_id or tag.pk for tag in tags}
    )
    changed(works=[work.pk], listed=True)
    return tags


def _work_set_all_tags(*, work, tags, warnings, categories=None):
    for kind in FREE_TAG_KINDS:
        work_set_tags(work=work, kind=kind, names=tags.get(kind, ()))
    unknown = set(warnings) - set(ARCHIVE_WARNINGS)
    if unknown:
        raise ValueError(
            _("Not an archive warning: %(names)s")
            % {"names": ", ".join(sorted(unknown))}
        )
    work_set_tags(work=work, kind=TagKind.WARNING, names=warnings)
    if categories is not None:
        unknown = set(categories) - set(ARCHIVE_CATEGORIES)
        if unknown:
            raise ValueError(
                _("Not a category: %(names)s") % {"names": ", ".join(sorted(unknown))}
            )
        work_set_tags(work=work, kind=TagKind.CATEGORY, names=categories)


def _chapter_fields(text: ChapterText):
    body = sanitize_html(text.body)
    return {
        "title": text.title.strip(),
        "notes": sanitize_html(text.notes),
        "body": body,
        "end_notes": sanitize_html(text.end_notes),
        "word_count": count_words(body),
    }


@transaction.atomic
def work_create(
    *,
    owner: AbstractBaseUser,
    title: str,
    first_chapter: ChapterText,
    rating: str,
    warnings: Iterable[str],
    tags: Mapping[str, Iterable[str]],
    categories: Iterable[str] = (),
    summary: str = "",
    notes: str = "",
    end_notes: str = "",
    language: str = "en",
    expected_chapters: int | None = None,
    creator_credit: str = "",
    allow_guest_comments: bool = False,
    hold_guest_comments: bool = False,
    restricted: bool = False,
    post: bool = True,
    pseuds: Sequence | None = None,
) -> Work:
    """Create a work with its first chapter, posted at once or kept as a draft,
    credited to these pseuds of its owner's (their default one if none)."""
    now = timezone.now()
    work = Work.objects.create(
        owner=owner,
        title=title.strip(),
        creator_credit=creator_credit.strip(),
        summary=sanitize_html(summary),
        notes=sanitize_html(notes),
        end_notes=sanitize_html(end_notes),
        rating=rating,
        language=language,
        expected_chapters=expected_chapters,
        allow_guest_comments=allow_guest_comments,
        restricted=restricted,
        hold_guest_comments=hold_guest_comments,
        status=Status.POSTED if post else Status.DRAFT,
        published_at=now if post else None,
        updated_at=now,
    )
    work_set_pseuds(
        work=work,
        user=owner,
        pseuds=pseuds or [default_pseud_of(owner)],
        declare=False,
    )
    _work_set_all_tags(
        work=work,
        tags=tags,
        warnings=list(warnings),
        # A new work has no categories to take away.
        categories=list(categories) or None,
    )
    Chapter.objects.create(
        work=work,
        number=first_chapter.number or 1,
        position=1,
        status=work.status,
        published_at=work.published_at,
        **_chapter_fields(first_chapter),
    )
    work_refresh_stats(work=work)
    if post:
        subscription_tasks.work_posted_on_commit(work)
    return work


@transaction.atomic
def work_update(
    *,
    work: Work,
    tags: Mapping[str, Iterable[str]],
    warnings: Iterable[str],
    categories: Iterable[str] | None = None,
    pseuds: Sequence | None = None,
    **fields,
) -> Work:
    """Change a work's details and tags, and the pseuds its editor is credited
    under (if given: all of one person's); HTML fields are sanitized here.

    Its categories are left alone unless categories is given.
    """
    if pseuds:
        work_set_pseuds(work=work, user=pseuds[0].user, pseuds=pseuds)
    for name in ("summary", "notes", "end_notes"):
        if name in fields:
            fields[name] = sanitize_html(fields[name])
    for name, value in fields.items():
        setattr(work, name, value.strip() if isinstance(value, str) else value)
    work.save(update_fields=[*fields, "modified_at"])
    _work_set_all_tags(
        work=work,
        tags=tags,
        warnings=list(warnings),
        categories=None if categories is None else list(categories),
    )
    work_refresh_stats(work=work)
    return work


@transaction.atomic
def work_post(*, work: Work) -> Work:
    """Post a draft work with its draft chapters, so readers can find it."""
    now = timezone.now()
    drafts = work.chapters.filter(status=Status.DRAFT)
    # Followers hear of a work the first time it is posted, and of the chapters
    # posting a posted work posts; reposting a work taken back tells nobody.
    if work.published_at is None:
        subscription_tasks.work_posted_on_commit(work)
    elif work.is_posted:
        for chapter in drafts.order_by("position"):
            subscription_tasks.chapter_posted_on_commit(chapter)
    drafts.update(status=Status.POSTED, published_at=now, scheduled_for=None)
    work.status = Status.POSTED
    work.published_at = work.published_at or now
    work.updated_at = now
    # Posted now, it is no longer to be posted later (stories.posting).
    work.scheduled_for = None
    work.save(
        update_fields=[
            "status", "published_at", "updated_at", "scheduled_for", "modified_at"
        ]
    )  # fmt: skip
    work_refresh_stats(work=work)
    series_parts_shown_changed(work_ids=[work.pk])
    return work


@transaction.atomic
def work_unpost(*, work: Work) -> Work:
    """Take a posted work back to draft, so only its owner and staff see it."""
    work.status = Status.DRAFT
    work.save(update_fields=["status", "modified_at"])
    work_refresh_stats(work=work)
    series_parts_shown_changed(work_ids=[work.pk])
    return work


def works_shown_changed(*, work_ids: Iterable[int]) -> None:
    """Mark these works changed: something their pages and blurbs show (a
    tag's name, their author's) changed elsewhere, so they are rendered again
    and the listings they are on (whose facets name their tags) too."""
    changed(works=work_ids, listed=True)


def user_shown_changed(
    *, user: AbstractBaseUser, old_username: str | None = None
) -> None:
    """Mark what shows a person changed (renamed, or no longer active): their
    profile, the bylines of their works, their comments and their kudos on any
    work. Renamed, their default pseud follows if it bore the old name."""
    from stories.engagement.models import Kudos

    if old_username and old_username != user.username:
        pseud_follow_username(user=user, old_username=old_username)

    commented = Comment.objects.filter(user=user).values_list("work_id", flat=True)
    created = Work.objects.created_by(user).values_list("pk", flat=True)
    kudosed = Kudos.objects.filter(user=user).values_list("work_id", flat=True)
    changed(
        works={
            *user.works.values_list("pk", flat=True),
            *created,
            *commented,
            *kudosed,
        },
        users=[user.pk],
    )


def work_refresh_stats(*, work: Work) -> None:
    """Recount the words and chapters a work's blurb shows, and whether it is complete.

    A posted work counts its posted chapters; a draft counts every chapter, so
    its owner sees what they will be posting.
    """
    chapters = work.chapters.all()
    if work.status == Status.POSTED:
        chapters = chapters.filter(status=Status.POSTED)
    totals = chapters.aggregate(words=Sum("word_count"), latest=Max("published_at"))
    work.word_count = totals["words"] or 0
    work.chapter_count = chapters.count()
    work.is_complete = (
        work.expected_chapters is not None
        and work.chapter_count >= work.expected_chapters
    )
    if totals["latest"] and (
        work.updated_at is None or totals["latest"] > work.updated_at
    ):
        work.updated_at = totals["latest"]
    work.save(
        update_fields=["word_count", "chapter_count", "is_complete", "updated_at"]
    )
    postings = TaggedWork.objects.filter(content_object=work)
    postings.update(work_posted=work.is_posted, work_updated_at=work.updated_at)
    tags_refresh_counts(tag_ids=set(postings.values_list("filter_tag_id", flat=True)))
    work_index(work=work)
    changed(works=[work.pk], listed=True)


@transaction.atomic
def work_delete(*, work: Work) -> None:
    """Delete a work with its chapters and comments, and recount its tags."""
    tag_ids = set(work.tagged_items.values_list("filter_tag_id", flat=True))
    creator_ids = {work.owner_id, *_accepted_creator_ids(work)}
    inboxes = _unread_about(Q(work=work))
    work_id = work.pk
    series_parts_shown_changed(work_ids=[work_id])
    work.delete()
    tags_refresh_counts(tag_ids=tag_ids)
    work_unindex(work_id=work_id)
    changed(
        works=[work_id],
        tags=tag_ids,
        users=creator_ids,
        all_works=True,
        inboxes=inboxes,
    )


def _unread_about(about: Q) -> list[int]:
    """Return the readers with unread notifications about what is about to be
    deleted (their notifications go with it, and their unread counts change)."""
    return list(
        Notification.objects.filter(about, read_at=None)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _accepted_creator_ids(work: Work) -> list[int]:
    return list(
        work.creatorships.filter(status=CreatorshipStatus.ACCEPTED).values_list(
            "user_id", flat=True
        )
    )


def _work_lock(work: Work) -> None:
    """Make other writes to this work wait until this transaction ends.

    What is then read of its chapters and comments includes every write committed
    before, so numbers and counts taken from them stay exact when authors and
    readers write at once. SQLite needs nothing: its writers already take turns.
    A no-key lock, because inserting a chapter or comment takes a key-share lock
    on its work, which an update lock would deadlock with.
    """
    list(Work.objects.select_for_update(no_key=True).filter(pk=work.pk).values("pk"))


@transaction.atomic
def chapter_create(*, work: Work, text: ChapterText, post: bool = True) -> Chapter:
    """Add a chapter at the end of a work; its number defaults to the next one.

    A draft work's chapters stay drafts until the work is posted.
    """
    _work_lock(work)
    latest = work.chapters.aggregate(number=Max("number"), position=Max("position"))
    posted = post and work.is_posted
    chapter = Chapter.objects.create(
        work=work,
        number=text.number or (latest["number"] or 0) + 1,
        position=(latest["position"] or 0) + 1,
        status=Status.POSTED if posted else Status.DRAFT,
        published_at=timezone.now() if posted else None,
        **_chapter_fields(text),
    )
    work_refresh_stats(work=work)
    if posted:
        subscription_tasks.chapter_posted_on_commit(chapter)
    return chapter


@transaction.atomic
def chapter_update(*, chapter: Chapter, text: ChapterText) -> Chapter:
    """Replace a chapter's text and notes, keeping its place in the work."""
    for name, value in _chapter_fields(text).items():
        setattr(chapter, name, value)
    if text.number:
        chapter.number = text.number
    chapter.save(
        update_fields=[
            "title", "notes", "body", "end_notes", "word_count", "number", "updated_at"
        ]
    )  # fmt: skip
    work_refresh_stats(work=chapter.work)
    return chapter


@transaction.atomic
def chapter_post(*, chapter: Chapter) -> Chapter:
    """Post a draft chapter of a posted work."""
    if not chapter.is_posted and chapter.work.is_posted:
        subscription_tasks.chapter_posted_on_commit(chapter)
    chapter.status = Status.POSTED
    chapter.published_at = timezone.now()
    chapter.scheduled_for = None
    chapter.save(
        update_fields=["status", "published_at", "scheduled_for", "updated_at"]
    )
    work_refresh_stats(work=chapter.work)
    return chapter


@transaction.atomic
def chapter_delete(*, chapter: Chapter) -> None:
    """Delete a chapter with its comments; a work keeps at least one chapter."""
    work = chapter.work
    if work.chapters.count() <= 1:
        raise ValueError(
            _("A work keeps at least one chapter: delete the work instead.")
        )
    changed(inboxes=_unread_about(Q(chapter=chapter) | Q(comment__chapter=chapter)))
    chapter.delete()
    for position, pk in enumerate(work.chapters.values_list("pk", flat=True), 1):
        Chapter.objects.filter(pk=pk).update(position=position)
    work_refresh_stats(work=work)
    comment_refresh_count(work=work)


@transaction.atomic
def chapters_reorder(*, work: Work, chapter_ids: list[int]) -> None:
    """Put a work's chapters in this order; the ids must be exactly its chapters."""
    current = set(work.chapters.values_list("pk", flat=True))
    if set(chapter_ids) != current or len(chapter_ids) != len(current):
        raise ValueError(_("The new order must list each chapter of the work once."))
    chapters = [Chapter(pk=pk, position=i) for i, pk in enumerate(chapter_ids, 1)]
    Chapter.objects.bulk_update(chapters, ["position"])
    changed(works=[work.pk])


def comment_refresh_count(*, work: Work) -> None:
    """Recount the comments a work's blurb shows."""
    _work_lock(work)
    work.comment_count = Comment.objects.filter(work=work).shown().count()
    work.save(update_fields=["comment_count"])
    changed(works=[work.pk], sorted_by=["comments"])


class CommentBlocked(ValueError):
    """A comment refused because the work's owner, or the writer of the comment
    it answers, blocked the commenter; the message says so."""


class CommentDuplicate(ValueError):
    """A comment refused because its writer just posted the same text on the
    same chapter (a double click, or a robot); the message says so."""


def comment_block_message(*, blocker_name: str, on_work: bool) -> str:
    """Return what a blocked reader is told where they would comment or reply."""
    if on_work:
        return _("%(name)s has blocked you, so you can't comment on their works.") % {
            "name": blocker_name
        }
    return _("%(name)s has blocked you, so you can't reply to their comments.") % {
        "name": blocker_name
    }


@transaction.atomic
def comment_post(
    *,
    chapter: Chapter,
    body: str,
    user: AbstractBaseUser | None = None,
    guest_name: str = "",
    guest_email: str = "",
    guest_digest: str = "",
    parent: Comment | None = None,
) -> Comment:
    """Post a comment, or a reply when parent is given, on a chapter.

    Raises CommentBlocked when a creator of the work, or the writer of the
    comment it answers, blocked the user, and CommentDuplicate when the same
    person posted the same text on this chapter in the last
    SPAM_DUPLICATE_SECONDS. A guest's comment on a work that holds them
    waits for a creator's approval (stories.moderation): it is not shown,
    counted or told of until then.
    """
    if parent is not None and parent.chapter_id != chapter.pk:
        raise ValueError(_("A reply belongs to the chapter of the comment it answers."))
    if user is None and not (guest_name.strip() and guest_email.strip()):
        raise ValueError(_("A guest comment needs a name and an email address."))
    work_creator_ids = chapter.work.creator_ids
    block = Block.objects.against_comment(
        user=user,
        work_creator_ids=work_creator_ids,
        parent_user_id=parent.user_id if parent is not None else None,
    )
    if block is not None:
        raise CommentBlocked(
            comment_block_message(
                blocker_name=block.blocker.username,
                on_work=block.blocker_id in work_creator_ids,
            )
        )
    body = sanitize_html(body)
    if _comment_repeats(
        chapter=chapter, body=body, user=user, email=guest_email, digest=guest_digest
    ):
        raise CommentDuplicate(
            _("You just posted this comment here: it is already there, once.")
        )
    held = user is None and chapter.work.hold_guest_comments
    comment = Comment.objects.create(
        work=chapter.work,
        chapter=chapter,
        parent=parent,
        user=user,
        guest_name="" if user else guest_name.strip(),
        guest_email="" if user else guest_email.strip(),
        guest_digest="" if user else guest_digest,
        body=body,
        status=CommentStatus.HELD if held else CommentStatus.POSTED,
    )
    comment_refresh_count(work=chapter.work)
    if not held:
        subscription_tasks.comment_posted_on_commit(comment)
    return comment


def _comment_repeats(*, chapter, body, user, email, digest):
    """Return whether this person posted this text on this chapter just now.

    A guest is known by their email address, or by the digest of their address
    and browser; held comments count, so a robot cannot fill a queue with one
    text.
    """
    since = timezone.now() - timedelta(seconds=settings.SPAM_DUPLICATE_SECONDS)
    same = Comment.objects.filter(
        chapter=chapter, body=body, created_at__gte=since, is_deleted=False
    )
    if user is not None:
        return same.filter(user=user).exists()
    guest = Q(guest_email__iexact=email.strip())
    if digest:
        guest |= Q(guest_digest=digest)
    return same.filter(guest, user=None).exists()


@transaction.atomic
def comment_edit(*, comment: Comment, body: str) -> Comment:
    """Change a comment's text and mark it as edited."""
    comment.body = sanitize_html(body)
    comment.is_edited = True
    comment.save(update_fields=["body", "is_edited", "updated_at"])
    changed(works=[comment.work_id])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment) -> None:
    """Delete a comment; one with replies stays as a placeholder for the thread."""
    work = comment.work
    if comment.replies.exists():
        comment.is_deleted = True
        comment.body = ""
        comment.user = None
        comment.guest_name = ""
        comment.guest_email = ""
        comment.save(
            update_fields=[
                "is_deleted", "body", "user", "guest_name", "guest_email", "updated_at"
            ]
        )  # fmt: skip
    else:
        parent = comment.parent
        changed(inboxes=_unread_about(Q(comment=comment)))
        comment.delete()
        # A placeholder whose last reply just went has nothing left to hold up.
        while parent is not None and parent.is_deleted and not parent.replies.exists():
            grandparent = parent.parent
            changed(inboxes=_unread_about(Q(comment=parent)))
            parent.delete()
            parent = grandparent
    comment_refresh_count(work=work)


@transaction.atomic
def reader_hide(*, reader: AbstractBaseUser, tags: Iterable[Tag]) -> None:
    """Hide works with these tags from a reader, always.

    Authors are hidden by muting them (stories.blocking.services.user_mute).
    """
    HiddenTag.objects.bulk_create(
        [HiddenTag(reader=reader, tag=tag) for tag in tags], ignore_conflicts=True
    )
    changed(readers=[reader.pk])


@transaction.atomic
def reader_unhide(*, reader: AbstractBaseUser, tag_ids: Iterable[int]) -> None:
    """Show a reader works with these tags again."""
    HiddenTag.objects.filter(reader=reader, tag_id__in=list(tag_ids)).delete()
    changed(readers=[reader.pk])


# Tag wrangling: canonical tags, synonyms and parent fandoms.

PARENTED_KINDS = (TagKind.CHARACTER, TagKind.RELATIONSHIP)


def tags_works_count(*, tags: Iterable[Tag]) -> int:
    """Return how many works carry these tags or their synonyms: the works that
    wrangling these tags updates in the background."""
    return _shown_on(tag_ids={tag.pk for tag in tags}).count()


def _shown_on(*, tag_ids: set[int]):
    """Return the ids of works tagged with these tags or listed under them."""
    return (
        TaggedWork.objects.filter(Q(tag_id__in=tag_ids) | Q(filter_tag_id__in=tag_ids))
        .values_list("content_object_id", flat=True)
        .distinct()
    )


def _described(tag: Tag) -> str:
    return f'"{tag.name}" ({TagKind(tag.kind).label})'


def _reload_locked(tags: Iterable[Tag]) -> None:
    """Lock these tags' rows to the end of the transaction and reread their state."""
    tags = list(tags)
    fresh = (
        Tag.objects.select_for_update()
        .filter(pk__in=[tag.pk for tag in tags])
        .order_by("pk")
        .in_bulk()
    )
    for tag in tags:
        row = fresh.get(tag.pk)
        if row is None:
            raise ValueError(
                _('The tag "%(name)s" no longer exists.') % {"name": tag.name}
            )
        tag.kind, tag.canonical, tag.merger_id = row.kind, row.canonical, row.merger_id


def tag_check_synonym(*, tag: Tag, canonical: Tag, move_synonyms: bool = False) -> None:
    """Raise ValueError when tag may not become a synonym of canonical."""
    if tag.pk == canonical.pk:
        raise ValueError(
            _('"%(name)s" cannot be a synonym of itself.') % {"name": tag.name}
        )
    if tag.kind == TagKind.WARNING:
        raise ValueError(_("Archive warnings are a fixed list: they have no synonyms."))
    if tag.kind == TagKind.CATEGORY:
        raise ValueError(_("Categories are a fixed list: they have no synonyms."))
    if tag.kind != canonical.kind:
        raise ValueError(
            _(
                "%(tag)s cannot be a synonym of %(canonical)s: a synonym has the "
                "kind of its canonical tag."
            )
            % {"tag": _described(tag), "canonical": _described(canonical)}
        )
    if canonical.merger_id is not None:
        raise ValueError(
            _('"%(name)s" is itself a synonym: choose its canonical tag.')
            % {"name": canonical.name}
        )
    if not canonical.canonical:
        raise ValueError(
            _('"%(name)s" is not canonical: make it canonical first.')
            % {"name": canonical.name}
        )
    if not move_synonyms and tag.pk is not None and tag.synonyms.exists():
        raise ValueError(
            _(
                '"%(name)s" has synonyms of its own: move them along to '
                '"%(canonical)s" or remove them first.'
            )
            % {"name": tag.name, "canonical": canonical.name}
        )


def tag_check_noncanonical(*, tag: Tag) -> None:
    """Raise ValueError when a canonical tag may not stop being canonical."""
    if tag.pk is not None and tag.synonyms.exists():
        raise ValueError(
            _(
                '"%(name)s" has synonyms: remove them, or make "%(name)s" a '
                "synonym of another canonical tag, first."
            )
            % {"name": tag.name}
        )


def tag_check_parents(*, tag: Tag, fandoms: Iterable[Tag]) -> None:
    """Raise ValueError when these fandoms may not be the tag's parents."""
    fandoms = list(fandoms)
    if not fandoms:
        return
    if tag.kind not in PARENTED_KINDS:
        raise ValueError(
            _(
                "%(tag)s has no parent fandoms: only characters and "
                "relationships belong to fandoms."
            )
            % {"tag": _described(tag)}
        )
    if tag.merger_id is not None:
        raise ValueError(
            _('"%(name)s" is a synonym: set the parents of its canonical tag.')
            % {"name": tag.name}
        )
    for fandom in fandoms:
        if fandom.kind != TagKind.FANDOM:
            raise ValueError(
                _("%(tag)s is not a fandom.") % {"tag": _described(fandom)}
            )
        if fandom.merger_id is not None:
            raise ValueError(
                _('"%(name)s" is a synonym: choose its canonical fandom.')
                % {"name": fandom.name}
            )


@transaction.atomic
def tag_rename(*, tag: Tag, name: str, kind: str) -> Tag:
    """Change a tag's name or kind; its address stays, its page shows the new
    name at once, and its works' blurbs and search entries follow in the
    background."""
    tag.name, tag.kind = name, kind
    tag.save(update_fields=["name", "kind"])
    tasks.works_update_on_commit(work_ids=_shown_on(tag_ids={tag.pk}), blurbs=True)
    changed(tags=[tag.pk], tag_names=True)
    return tag


@transaction.atomic
def tag_make_canonical(*, tag: Tag) -> Tag:
    """Make a tag canonical: the spelling filters and autocomplete offer."""
    _reload_locked([tag])
    if tag.merger_id is not None:
        raise ValueError(
            _(
                '"%(name)s" is a synonym of "%(canonical)s": remove it from the '
                "synonyms first."
            )
            % {"name": tag.name, "canonical": tag.merger.name}
        )
    tag.canonical = True
    tag.save(update_fields=["canonical"])
    return tag


@transaction.atomic
def tag_make_noncanonical(*, tag: Tag) -> Tag:
    """Make a canonical tag without synonyms an ordinary tag again."""
    _reload_locked([tag])
    tag_check_noncanonical(tag=tag)
    tag.canonical = False
    tag.save(update_fields=["canonical"])
    return tag


@transaction.atomic
def tag_make_synonym(*, tag: Tag, canonical: Tag, move_synonyms: bool = False) -> Tag:
    """Make a tag a synonym of a canonical tag, listing its works under that one."""
    tags_make_synonyms(tags=[tag], canonical=canonical, move_synonyms=move_synonyms)
    return tag


@transaction.atomic
def tags_make_synonyms(
    *, tags: Iterable[Tag], canonical: Tag, move_synonyms: bool = False
) -> None:
    """Make tags synonyms of one canonical tag, listing their works under it.

    A canonical tag with synonyms becomes a synonym only with move_synonyms,
    and then its synonyms move along to the new canonical tag.
    """
    tags = list(tags)
    _reload_locked([canonical, *tags])
    for tag in tags:
        tag_check_synonym(tag=tag, canonical=canonical, move_synonyms=move_synonyms)
    tag_ids = {tag.pk for tag in tags}
    wrangled = tag_ids | set(
        Tag.objects.filter(merger_id__in=tag_ids).values_list("pk", flat=True)
    )
    former_canonicals = {tag.merger_id for tag in tags if tag.merger_id is not None}
    Tag.objects.filter(pk__in=wrangled).update(canonical=False, merger=canonical)
    postings_refile(work_ids=_tagged_work_ids(tag_ids=wrangled | {canonical.pk}))
    _works_reindex_tagged(tag_ids=wrangled)
    _tags_move_fandom_links(from_ids=wrangled, to_tag=canonical)
    tags_refresh_counts(tag_ids=wrangled | former_canonicals | {canonical.pk})
    changed(tags_refiled=True)
    for tag in tags:
        tag.canonical, tag.merger = False, canonical


def _tagged_work_ids(*, tag_ids: set[int]) -> list[int]:
    return list(
        TaggedWork.objects.filter(tag_id__in=tag_ids)
        .values_list("content_object_id", flat=True)
        .distinct()
    )


def _works_reindex_tagged(*, tag_ids: set[int]) -> None:
    """Have the search entries of works with these tags rebuilt in the background:
    they hold the names of the tags the works are listed under."""
    tasks.works_update_on_commit(
        work_ids=_tagged_work_ids(tag_ids=tag_ids), blurbs=False
    )


def _tags_move_fandom_links(*, from_ids: set[int], to_tag: Tag) -> None:
    """Copy the parent fandoms of tags becoming synonyms, and move their children."""
    link = Tag.parents.through
    parents = link.objects.filter(from_tag_id__in=from_ids).values_list(
        "to_tag_id", flat=True
    )
    children = link.objects.filter(to_tag_id__in=from_ids)
    link.objects.bulk_create(
        [
            *(link(from_tag_id=to_tag.pk, to_tag_id=pk) for pk in parents),
            *(
                link(from_tag_id=pk, to_tag_id=to_tag.pk)
                for pk in children.values_list("from_tag_id", flat=True)
            ),
        ],
        ignore_conflicts=True,
    )
    children.delete()


@transaction.atomic
def tag_remove_synonym(*, tag: Tag) -> Tag:
    """Make a synonym a tag of its own again, listing its works under itself."""
    _reload_locked([tag])
    if tag.merger_id is None:
        raise ValueError(_('"%(name)s" is not a synonym.') % {"name": tag.name})
    former_canonical = tag.merger_id
    tag.merger = None
    tag.save(update_fields=["merger"])
    postings_refile(work_ids=_tagged_work_ids(tag_ids={tag.pk}))
    _works_reindex_tagged(tag_ids={tag.pk})
    tags_refresh_counts(tag_ids={tag.pk, former_canonical})
    changed(tags_refiled=True)
    return tag


@transaction.atomic
def tag_set_parents(*, tag: Tag, fandoms: Iterable[Tag]) -> Tag:
    """Make these fandoms the only parent fandoms of a character or relationship."""
    fandoms = list(fandoms)
    _reload_locked([tag, *fandoms])
    tag_check_parents(tag=tag, fandoms=fandoms)
    former = set(tag.parents.values_list("pk", flat=True))
    tag.parents.set(fandoms)
    # The fandoms it leaves, and (through the tag) those it joins.
    changed(tags={tag.pk, *former})
    return tag


@transaction.atomic
def tags_add_parent(*, tags: Iterable[Tag], fandom: Tag) -> None:
    """Add a parent fandom to each of these characters and relationships."""
    tags = list(tags)
    _reload_locked([fandom, *tags])
    for tag in tags:
        tag_check_parents(tag=tag, fandoms=[fandom])
    link = Tag.parents.through
    link.objects.bulk_create(
        [link(from_tag_id=tag.pk, to_tag_id=fandom.pk) for tag in tags],
        ignore_conflicts=True,
    )
    changed(tags=[tag.pk for tag in tags])


@transaction.atomic
def tag_delete(*, tag: Tag) -> None:
    """Delete a tag from every work; its synonyms become tags of their own.

    Listings and counts follow at once; its works' blurbs and search entries
    in the background.
    """
    _reload_locked([tag])
    synonym_ids = set(tag.synonyms.values_list("pk", flat=True))
    work_ids = set(
        TaggedWork.objects.filter(tag_id__in={tag.pk, *synonym_ids}).values_list(
            "content_object_id", flat=True
        )
    )
    # Postings are deleted with the tag they are filed under: give the
    # synonyms' postings back to the synonyms before the tag goes.
    Tag.objects.filter(pk__in=synonym_ids).update(merger=None)
    postings_refile(work_ids=_tagged_work_ids(tag_ids=synonym_ids))
    former_canonical = {tag.merger_id} if tag.merger_id is not None else set()
    # Its page and its parent fandoms' pages, while it still has them.
    changed(tags=[tag.pk])
    tag.delete()
    tasks.works_update_on_commit(work_ids=work_ids, blurbs=True)
    tags_refresh_counts(tag_ids=synonym_ids | former_canonical)
    changed(tags_refiled=True)
