"""Every read of bookmarks that decides who sees which."""

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q


class BookmarkQuerySet(models.QuerySet):
    def public(self):
        """Return the bookmarks anyone may see."""
        return self.filter(is_private=False)

    def listed_publicly(self):
        """Return the bookmarks anyone may list: public ones outside private
        folders, of works anyone may read (or of series, or deleted works)."""
        from django.contrib.auth.models import AnonymousUser

        return (
            self.public().exclude(folder__is_private=True).readable_by(AnonymousUser())
        )

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
        from stories.readers import reader_facts

        muted = reader_facts(viewer).muted_ids
        return self.exclude(owner_id__in=sorted(muted)) if muted else self

    def excluding(self, hidden):
        """Leave out what a viewer keeps out of sight (stories.listing.Hidden):
        bookmarks made by users they muted, of works with their hidden tags or
        by any creator they muted, and of series by a user they muted."""
        from stories.models import Creatorship, CreatorshipStatus, TaggedWork, Work
        from stories.series.models import Series

        bookmarks = self
        if hidden.creator_ids:
            muted = sorted(hidden.creator_ids)
            bookmarks = bookmarks.exclude(owner_id__in=muted).exclude(
                Exists(Work.objects.filter(pk=OuterRef("work_id"), owner_id__in=muted))
                | Exists(
                    Creatorship.objects.filter(
                        work_id=OuterRef("work_id"),
                        user_id__in=muted,
                        status=CreatorshipStatus.ACCEPTED,
                    )
                )
                | Exists(
                    Series.objects.filter(pk=OuterRef("series_id"), owner_id__in=muted)
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
