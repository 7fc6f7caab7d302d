"""Every read that decides who may see what lives here."""

from collections import defaultdict

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce, Lower


class WorkQuerySet(models.QuerySet):
    def posted(self):
        """Return the works readers may see."""
        return self.filter(status="posted")

    def visible_to(self, user):
        """Return the works this person may see: posted ones, and their own drafts."""
        if user.is_authenticated and user.is_staff:
            return self
        if user.is_authenticated:
            return self.filter(Q(status="posted") | Q(owner=user))
        return self.posted()

    def editable_by(self, user):
        """Return the works this person may change."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(owner=user)

    def for_listing(self):
        """Return works with what a blurb shows: owner and tags, in two queries."""
        from stories.models import TaggedWork

        return self.select_related("owner").prefetch_related(
            Prefetch(
                "tagged_items",
                TaggedWork.objects.select_related("tag").order_by("tag__name"),
            )
        )

    def with_tags(self, tag_ids_groups):
        """Return works listed, for each group, under at least one of its tag ids.

        Works are listed under canonical tags: ids here are filter tags, and a
        work tagged with a synonym is found under its canonical tag.
        """
        from stories.models import TaggedWork

        queryset = self
        for tag_ids in tag_ids_groups:
            queryset = queryset.filter(
                Exists(
                    TaggedWork.objects.filter(
                        content_object=OuterRef("pk"), filter_tag_id__in=tag_ids
                    )
                )
            )
        return queryset

    def matching(self, *, include=(), exclude=(), ratings=(), complete=False):
        """Return works with every included tag name, none excluded, and the rest.

        Names match tags of any kind, without regard to case; an included name
        that no tag has matches no work.
        """
        from stories.models import Tag

        ids_by_name = defaultdict(list)
        if include or exclude:
            named = Tag.objects.named([*include, *exclude]).values_list(
                Coalesce("merger_id", "pk"), "lowered"
            )
            for pk, lowered in named:
                ids_by_name[lowered].append(pk)
        groups = [ids_by_name[name.lower()] for name in include]
        if not all(groups):
            return self.none()
        excluded = [pk for name in exclude for pk in ids_by_name[name.lower()]]
        queryset = self.with_tags(groups).without_tags(excluded)
        if ratings:
            queryset = queryset.filter(rating__in=ratings)
        if complete:
            queryset = queryset.filter(is_complete=True)
        return queryset

    def without_tags(self, tag_ids):
        """Return works carrying none of these tag ids."""
        from stories.models import TaggedWork

        if not tag_ids:
            return self
        return self.exclude(
            Exists(
                TaggedWork.objects.filter(
                    content_object=OuterRef("pk"), filter_tag_id__in=tag_ids
                )
            )
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
                Q(status="posted", work__status="posted") | Q(work__owner=user)
            )
        return self.filter(status="posted", work__status="posted")


class CommentQuerySet(models.QuerySet):
    def for_thread(self):
        """Return comments with their authors, oldest first, ready to nest."""
        return self.select_related("user").order_by("created_at", "id")

    def shown(self):
        """Return the comments that count: deleted placeholders do not."""
        return self.filter(is_deleted=False)


class TagQuerySet(models.QuerySet):
    def named(self, names):
        """Return the tags of any kind whose names match these, ignoring case."""
        lowered = [name.lower() for name in names]
        return self.annotate(lowered=Lower("name")).filter(lowered__in=lowered)
