"""Every read of bookmarks that decides who sees which."""

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q


def _muted_by(viewer):
    """Return a subquery of the ids of the users the viewer muted."""
    from stories.blocking.models import Mute

    return Mute.objects.filter(muter=viewer).values("muted_id")


class BookmarkQuerySet(models.QuerySet):
    def public(self):
        """Return the bookmarks anyone may see."""
        return self.filter(is_private=False)

    def seen_by(self, viewer):
        """Return the bookmarks this person may see: public ones and their own."""
        if viewer.is_authenticated:
            return self.filter(Q(is_private=False) | Q(owner=viewer))
        return self.public()

    def of_work_by(self, user, work_pk):
        """Return this user's bookmark of a work, if they have one."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user, work_id=work_pk)

    def bookmarked_work_ids(self, user):
        """Return, as a subquery, the ids of the works this user bookmarked.

        For filtering works: Work.objects.exclude(pk__in=...). Bookmarks of
        deleted works are left out; private bookmarks count, they are the
        user's own.
        """
        if not user.is_authenticated:
            return self.none().values("work_id")
        return self.filter(owner=user, work__isnull=False).values("work_id")

    def readable_by(self, viewer):
        """Return the bookmarks whose work, if it still exists, the viewer may
        read: a work taken back to a draft is not listed to others."""
        from stories.models import Work

        return self.filter(
            Q(work__isnull=True)
            | Q(work__in=Work.objects.visible_to(viewer).values("pk"))
        )

    def not_muted_by(self, viewer):
        """Leave out the bookmarks made by users this viewer muted."""
        if not viewer.is_authenticated:
            return self
        return self.exclude(owner__in=_muted_by(viewer))

    def excluding_for(self, viewer, hidden):
        """Leave out what this viewer keeps out of sight: bookmarks made by users
        they muted, and works with their hidden tags or by hidden or muted
        creators (series by muted creators too)."""
        from stories.models import TaggedWork, Work
        from stories.series.models import Series

        bookmarks = self
        if viewer.is_authenticated:
            muted = _muted_by(viewer)
            bookmarks = bookmarks.exclude(owner__in=muted).exclude(
                Exists(Work.objects.filter(pk=OuterRef("work_id"), owner__in=muted))
                | Exists(
                    Series.objects.filter(pk=OuterRef("series_id"), owner__in=muted)
                )
            )
        if hidden.tag_ids:
            bookmarks = bookmarks.exclude(
                Exists(
                    TaggedWork.objects.filter(
                        content_object_id=OuterRef("work_id"),
                        filter_tag_id__in=sorted(hidden.tag_ids),
                    )
                )
            )
        if hidden.creator_ids:
            bookmarks = bookmarks.exclude(
                Exists(
                    Work.objects.filter(
                        pk=OuterRef("work_id"),
                        owner_id__in=sorted(hidden.creator_ids),
                    )
                )
            )
        return bookmarks

    def tagged(self, names):
        """Return the bookmarks carrying every one of these bookmark tags."""
        from stories.bookmarks.models import BookmarkTag

        bookmarks = self
        for name in names:
            bookmarks = bookmarks.filter(
                Exists(
                    BookmarkTag.objects.filter(
                        bookmark=OuterRef("pk"), key=BookmarkTag.key_of(name)
                    )
                )
            )
        return bookmarks

    def for_listing(self):
        """Return bookmarks with what a listing shows of them: their tags and
        their works' creators, a query each."""
        from stories.models import accepted_creatorships

        return self.select_related(
            "owner", "work", "work__owner", "series", "series__owner", "folder"
        ).prefetch_related(
            "tags",
            Prefetch(
                "work__creatorships",
                accepted_creatorships(),
                to_attr="accepted_creatorships",
            ),
        )


class FolderQuerySet(models.QuerySet):
    def shown_to(self, viewer, owner):
        """Return the owner's folders this person may see, in their order."""
        folders = self.filter(owner=owner)
        if viewer != owner:
            folders = folders.filter(is_private=False)
        return folders.order_by("position", "id")
