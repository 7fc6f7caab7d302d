"""A chapter page: what it shows, and the part of it rendered once for many readers.

Everything below the site's header (the work's details, the chapter, the
chapter navigation, one page of comment threads and the comment form) is
rendered once for each kind of reader and kept until the work changes (its
scope, stories/caching.py): guests share one rendering; a signed-in reader
has their own, since it carries their edit and delete links and their name on
the comment form, and leaves out the comments of the users they muted (and
the comment form, where someone blocked them): it is keyed by the digest of
their mutes and blocks (stories/readers.py, kept in the cache), so a new
mute or block files it anew. The form's token is put in for each request. A
repeated view reads nothing from the database but the reader's session.
"""

from typing import NamedTuple

from django.db.models import Count
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.safestring import mark_safe

from stories.caching import CSRF_MARK, GUEST_COMMENTS, WORK, cached, part
from stories.engagement.pages import kudos_context
from stories.forms import CommentForm
from stories.models import Chapter, Comment, Work
from stories.moderation.services import guest_comments_allowed
from stories.pagination import NumberedPaginator
from stories.readers import NO_FACTS, reader_facts
from stories.series.navigation import series_lines

COMMENT_THREADS_PER_PAGE = 20


def readable(user, work_pk, chapter_pk=None):
    """Return the work and its chapter (the first when chapter_pk is None) that
    this person may read; the chapter is None when they may read none of it.

    Raises Http404 when the work or the chapter is not theirs to read.
    """
    work = Work.objects.visible_to(user).for_reading().filter(pk=work_pk).first()
    if work is None:
        raise Http404("No such work.")
    chapters = Chapter.objects.filter(work=work).visible_to(user)
    if chapter_pk is None:
        return work, chapters.order_by("position", "number").first()
    chapter = chapters.filter(pk=chapter_pk).first()
    if chapter is None:
        raise Http404("No such chapter.")
    return work, chapter


def chapter_comment_counts(user, chapters):
    """Return how many comments each chapter shows this reader, by chapter id:
    its posted comments, without those of the users they muted."""
    comments = Comment.objects.filter(chapter__in=chapters).shown()
    if user.is_authenticated:
        muted = reader_facts(user).muted_ids
        if muted:
            comments = comments.exclude(user_id__in=muted)
    rows = comments.order_by().values("chapter_id").annotate(count=Count("pk"))
    return {row["chapter_id"]: row["count"] for row in rows}


def thread_variant(user):
    """Return which readers see the same comment threads and comment form.

    Guests all see the same; a signed-in reader sees edit and delete links on
    the comments they may change, and their name on the form.
    """
    if not user.is_authenticated:
        return "guest"
    return f"user-{user.pk}{'-staff' if user.is_staff else ''}"


class ChapterNavigation:
    """The chapters around one chapter that a reader may open, read when shown."""

    def __init__(self, work, chapter, user):
        self.work = work
        self.chapter = chapter
        self.user = user

    @cached_property
    def chapters(self):
        return list(
            Chapter.objects.filter(work=self.work)
            .visible_to(self.user)
            .only("pk", "work_id", "number", "title", "position", "status")
            .order_by("position", "number")
        )

    @cached_property
    def index(self):
        pks = [chapter.pk for chapter in self.chapters]
        return pks.index(self.chapter.pk) if self.chapter.pk in pks else 0

    @property
    def previous(self):
        return self.chapters[self.index - 1] if self.index > 0 else None

    @property
    def next(self):
        following = self.index + 1
        return self.chapters[following] if following < len(self.chapters) else None


class CommentThreads:
    """A chapter's comments as threads, oldest first, a few threads to a page.

    A page holds COMMENT_THREADS_PER_PAGE top-level comments with every reply
    to them, so a thread is never split across pages.

    The comments of muted users are left out, but for those that others
    replied to, which stay as placeholders holding the replies up.
    """

    def __init__(self, chapter, *, muted=frozenset()):
        self.chapter = chapter
        self.muted = muted

    @cached_property
    def _rows(self):
        replies = self.chapter.comments.posted().order_by("created_at", "id")
        return list(replies.values_list("pk", "parent_id", "user_id"))

    @cached_property
    def _root_of(self):
        """Map each comment shown to the top-level comment of its thread."""
        root_of = {}
        for pk, parent_pk, _user_pk in self._rows:
            root_of[pk] = pk if parent_pk is None else root_of.get(parent_pk, pk)
        if not self.muted:
            return root_of
        # A reply comes after what it answers: read backwards, each comment is
        # kept when it is not muted or a reply to it was kept.
        kept, answered = set(), set()
        for pk, parent_pk, user_pk in reversed(self._rows):
            if user_pk not in self.muted or pk in answered:
                kept.add(pk)
                answered.add(parent_pk)
        return {pk: root for pk, root in root_of.items() if pk in kept}

    @property
    def muted_count(self):
        """Return how many of the chapter's comments are by muted users."""
        return sum(1 for _pk, _parent, user_pk in self._rows if user_pk in self.muted)

    @cached_property
    def _paginator(self):
        roots = [pk for pk, root in self._root_of.items() if pk == root]
        return NumberedPaginator(roots, COMMENT_THREADS_PER_PAGE)

    def page(self, number):
        """Return the page of threads by number; past either end, the nearest one."""
        return self._paginator.get_page(number)

    def page_number_of(self, comment_pk):
        """Return the number of the page that shows this comment, or None."""
        root = self._root_of.get(comment_pk)
        if root is None:
            return None
        roots = self._paginator.object_list
        return roots.index(root) // COMMENT_THREADS_PER_PAGE + 1

    def threads(self, page, *, user, work, facts=NO_FACTS):
        """Return the page's top-level comments, each with .thread of its replies;
        .muted marks the placeholder of a muted user's comment, .blocks_you the
        comment of a user who blocked the reader."""
        shown = set(page.object_list)
        pks = [pk for pk, root in self._root_of.items() if root in shown]
        comments = list(Comment.objects.filter(pk__in=pks).for_thread())
        children = {comment.pk: [] for comment in comments}
        top_level = []
        creator_ids = work.creator_ids
        for comment in comments:
            comment.muted = comment.user_id in self.muted
            comment.blocks_you = comment.user_id in facts.blocker_ids
            comment.can_edit = comment.is_editable_by(user)
            comment.can_delete = comment.is_deletable_by(user, creator_ids)
            comment.by_creator = comment.user_id in creator_ids
            comment.thread = children[comment.pk]
            if comment.parent_id is None:
                top_level.append(comment)
            else:
                children[comment.parent_id].append(comment)
        return top_level


def comment_url(comment):
    """Return the address of a comment on the page of its chapter that shows it."""
    number = CommentThreads(comment.chapter).page_number_of(comment.pk)
    query = f"?page={number}" if number and number > 1 else ""
    return f"{comment.chapter.get_absolute_url()}{query}#comment-{comment.pk}"


def _page_number(value):
    if value.isascii() and value.isdigit() and 0 < int(value) < 10**6:
        return int(value)
    return 1


class PagePlace(NamedTuple):
    """Where a chapter's page is in its work, for what is shown to each reader
    outside the cached part (where they stopped reading, what is new)."""

    work_id: int
    chapter_id: int
    work_posted: bool
    chapters_posted: int
    # (id, heading, address) of each chapter the reader may open, in order.
    chapters: tuple[tuple[int, str, str], ...]
    # The work's rating: whether the adult-content notice may come first.
    rating: str = ""

    def chapter(self, pk):
        """Return the (id, heading, address) of a chapter, and the next one's,
        or (None, None) when the reader may not open it."""
        for index, item in enumerate(self.chapters):
            if item[0] == pk:
                following = self.chapters[index + 1 : index + 2]
                return item, following[0] if following else None
        return None, None


class ReadingPage(NamedTuple):
    title: str
    content: str
    place: PagePlace | None = None


def reading_page(request, work_pk, chapter_pk=None):
    """Return the title of a chapter's page (the work's first chapter when
    chapter_pk is None) and what it shows below the header, with the token's
    mark in its comment form, or None when the reader may read the work but
    none of its chapters.

    Raises Http404 when the work or the chapter is not theirs to read. The
    page comes from the cache when it is there: it was put there after this
    kind of reader was found allowed to read it, and any change to the work
    that could change that (posting, unposting, deleting) files it anew.
    """
    user = request.user
    number = _page_number(request.GET.get("page", ""))
    facts = reader_facts(user)

    def build():
        work, chapter = readable(user, work_pk, chapter_pk)
        if chapter is None:
            return None
        context = _page_context(request, work, chapter, number=number, facts=facts)
        content = render_to_string(
            "stories/_reading.html", {**context, "csrf_token": CSRF_MARK}
        )
        # The chapter navigation has read the chapters to render the page.
        place = page_place(work, chapter, context["navigation"].chapters)
        return ReadingPage(_title(work, chapter), content, place)

    page = cached(
        part(
            "reading",
            work_pk,
            chapter_pk or "first",
            number,
            thread_variant(user),
            facts.cache_key,
            scopes=[WORK(work_pk), GUEST_COMMENTS],
            dated=True,
        ),
        build,
    )
    if page is None:
        return None
    return page._replace(content=mark_safe(page.content))  # noqa: S308


def page_place(work, chapter, chapters):
    """Return where a chapter is in its work, among the chapters the reader
    may open (in order)."""
    return PagePlace(
        work_id=work.pk,
        chapter_id=chapter.pk,
        work_posted=work.is_posted,
        chapters_posted=work.chapter_count,
        chapters=tuple(
            (item.pk, str(item.heading), item.get_absolute_url()) for item in chapters
        ),
        rating=work.rating,
    )


def reply_page(request, work_pk, chapter_pk, *, reply_to):
    """Return a chapter's page with a reply form open under a comment: the
    reader's own, rendered afresh."""
    work, chapter = readable(request.user, work_pk, chapter_pk)
    return chapter_page(request, work, chapter, reply_to=reply_to)


def _title(work, chapter):
    return f"{work.title} – {chapter.heading}"


def _page_context(
    request, work, chapter, *, number, facts, comment_form=None, reply_to=None
):
    user = request.user
    threads = CommentThreads(chapter, muted=facts.muted_ids)
    comment_page = SimpleLazyObject(lambda: threads.page(number))
    if facts.muted_ids:
        # The muter's count of the work's comments leaves the muted ones out.
        work.comment_count -= (
            Comment.objects.filter(work=work, user_id__in=facts.muted_ids)
            .shown()
            .count()
        )
    blocked_by = next(
        (creator for creator in work.creators if creator.pk in facts.blocker_ids),
        None,
    )
    # Only a guest's comment form depends on the site-wide switch.
    guests_allowed = user.is_authenticated or guest_comments_allowed()
    can_edit = work.is_editable_by(user)
    # The page this part is kept for: the kudos button comes back to it.
    here = request.path if number == 1 else f"{request.path}?page={number}"
    return {
        "user": user,
        "work": work,
        "chapter": chapter,
        "navigation": ChapterNavigation(work, chapter, user),
        "series_lines": series_lines(work, user),
        "can_edit": can_edit,
        "held_comment_count": (
            Comment.objects.filter(work=work).held().count() if can_edit else 0
        ),
        "comment_page": comment_page,
        "comments": SimpleLazyObject(
            lambda: threads.threads(comment_page, user=user, work=work, facts=facts)
        ),
        "muted_comment_count": threads.muted_count if facts.muted_ids else 0,
        "comment_form": comment_form or CommentForm(user=user),
        "can_comment": (
            user.is_authenticated or (work.allow_guest_comments and guests_allowed)
        )
        and blocked_by is None,
        "guest_comments_allowed": guests_allowed,
        "blocked_by": blocked_by,
        "reply_to": reply_to,
        "kudos": kudos_context(user, work, here=f"{here}#kudos"),
    }


def chapter_page(request, work, chapter, *, comment_form=None, reply_to=None):
    """Return a chapter page with a reply form open (reply_to) or a comment
    form with errors: the reader's own, rendered afresh, never cached."""
    facts = reader_facts(request.user)
    threads = CommentThreads(chapter, muted=facts.muted_ids)
    number = None if reply_to is None else threads.page_number_of(reply_to)
    if number is None:
        # No reply form, or one under a comment this chapter does not have.
        reply_to = None
        number = _page_number(request.GET.get("page", ""))
    context = _page_context(
        request,
        work,
        chapter,
        number=number,
        facts=facts,
        comment_form=comment_form,
        reply_to=reply_to,
    )
    return ReadingPage(
        _title(work, chapter),
        render_to_string("stories/_reading.html", context, request),
    )
