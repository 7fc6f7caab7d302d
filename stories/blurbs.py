"""Work blurbs, rendered once and kept until the work they show changes.

A blurb shows its work's scope (stories/caching.py): every write to the work,
and every rename of a tag it carries or of its author, declares the work
changed. So a blurb outlives the writes to other works, and a listing page
after a write re-renders only the blurbs of the works that changed.
"""

from django.db.models import Count, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from stories.caching import WORK, cached_many, part
from stories.models import Comment, Work
from stories.querysets import work_tags_prefetch

BLURB_TEMPLATE = "stories/_work_blurb.html"


def render_blurbs(
    work_ids, *, signed_in, works=None, muted=frozenset(), heading_level=3
):
    """Return the blurbs of these works, in order, as HTML.

    Nothing is read from the database when they are all cached; the works and
    their tags are loaded for the missing blurbs alone. works, when given,
    are these works already loaded with their owners (by id): only their
    tags are then read. For a reader who muted users (muted: their ids), a
    work they commented on shows its count of comments without theirs, as its
    page does for that reader: one query. heading_level is the level of each
    blurb's title (h3 under a listing's h1 and h2; h4 on a series page, where
    AO3's tools read the works' titles from h4.heading).
    """
    left_out = _comments_by(muted, work_ids) if muted else {}
    parts = [
        part(
            "blurb",
            signed_in,
            pk,
            left_out.get(pk, 0),
            heading_level,
            scopes=[WORK(pk)],
            dated=True,
        )
        for pk in work_ids
    ]

    def render_missing(missing):
        wanted = [item.vary[1] for item in missing]
        if works is None:
            loaded = Work.objects.filter(pk__in=wanted).for_listing().in_bulk()
        else:
            loaded = {pk: works[pk] for pk in wanted if pk in works}
            prefetch_related_objects(list(loaded.values()), work_tags_prefetch())
        for item in missing:
            if item.vary[1] in loaded:
                loaded[item.vary[1]].comment_count -= item.vary[2]
        # A work deleted since its listing was found shows no blurb.
        return {
            item: render_to_string(
                BLURB_TEMPLATE,
                {
                    "work": loaded[item.vary[1]],
                    "signed_in": signed_in,
                    "heading_level": heading_level,
                },
            )
            if item.vary[1] in loaded
            else ""
            for item in missing
        }

    return [mark_safe(html) for html in cached_many(parts, render_missing)]  # noqa: S308


def _comments_by(user_ids, work_ids):
    """Return how many comments these users left on each of these works."""
    rows = (
        Comment.objects.filter(work_id__in=work_ids, user_id__in=user_ids)
        .shown()
        .values("work_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["work_id"]: row["count"] for row in rows}
