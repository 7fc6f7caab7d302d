"""A person's bookmarks as a listing: sorted and filtered by the URL, minus
what the viewer keeps out of sight, with counts that agree with the list."""

from urllib.parse import urlencode

from django.db.models import Count, Min
from django.db.models.functions import Coalesce, Lower
from django.utils.functional import cached_property

from stories.bookmarks.forms import BookmarkFilterForm
from stories.bookmarks.models import Bookmark, BookmarkTag
from stories.listing import MEMBERS, hidden_for, works_matching
from stories.models import Work
from stories.pagination import CountedWithPagePaginator

BOOKMARKS_PER_PAGE = 20
TAGS_SHOWN = 20


def _sort(name):
    if name == "updated":
        return (
            Coalesce("work__updated_at", "series__updated_at").desc(nulls_last=True),
            "-created_at",
            "-id",
        )
    if name == "title":
        return (Lower(Coalesce("work__title", "series__title", "title")), "id")
    if name == "position":
        return ("position", "id")
    return ("-created_at", "-id")


class BookmarkListing:
    """One page of a person's bookmarks (or of one of their folders) as one
    viewer may see it."""

    def __init__(self, params, *, owner, viewer, folder=None):
        self.params = params
        self.owner = owner
        self.viewer = viewer
        self.folder = folder

    @cached_property
    def form(self):
        return BookmarkFilterForm(
            self.params or None, in_folder=self.folder is not None
        )

    @cached_property
    def hidden(self):
        """Return what the viewer keeps out of sight."""
        return hidden_for(self.viewer)

    @cached_property
    def bookmarks(self):
        """Return the bookmarks shown, filtered and in order (not yet loaded)."""
        viewer = self.viewer
        bookmarks = (
            Bookmark.objects.filter(owner=self.owner)
            .seen_by(viewer)
            .readable_by(viewer)
            .excluding(self.hidden)
        )
        if self.folder is not None:
            bookmarks = bookmarks.filter(folder=self.folder)
        filters = self.form.bookmark_filters()
        if filters.rec_only:
            bookmarks = bookmarks.filter(is_rec=True)
        if filters.tags:
            bookmarks = bookmarks.tagged(filters.tags)
        criteria = self.form.work_criteria()
        if criteria.narrows:
            works = works_matching(
                Work.objects.visible_to(viewer),
                criteria,
                hidden=MEMBERS if viewer.is_authenticated else None,
            )
            bookmarks = bookmarks.filter(work__in=works.values("pk"))
        return bookmarks.order_by(*_sort(filters.sort))

    def page(self, number):
        """Return a page of bookmarks, loaded with what the list shows."""
        paginator = CountedWithPagePaginator(
            self.bookmarks.for_listing(), BOOKMARKS_PER_PAGE
        )
        return paginator.get_page(number)

    def tag_counts(self):
        """Return the bookmarker's most used tags among the bookmarks shown,
        each with its name and how many bookmarks carry it: facets of the
        filter form (stories/filter_links.py)."""
        return list(
            BookmarkTag.objects.filter(bookmark__in=self.bookmarks.values("pk"))
            .values("key")
            .annotate(name=Min("name"), bookmarks=Count("bookmark_id"))
            .order_by("-bookmarks", "key")[:TAGS_SHOWN]
        )

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
