from django import template
from django.db.models import OuterRef, Subquery

from stories.bookmarks.models import Bookmark
from stories.models import Status, Work

register = template.Library()


@register.inclusion_tag("bookmarks/_bookmark_action.html", takes_context=True)
def bookmark_action(context, work_pk):
    """Show "Bookmark", or "Edit bookmark" to a reader who has one, beside a work.

    Rendered outside the parts cached for many readers: a signed-in reader's
    state costs one query; guests are all shown "Bookmark" (drafts they never
    see).
    """
    user = context["request"].user
    if not user.is_authenticated:
        return {"work_pk": work_pk, "can_bookmark": True, "bookmark_pk": None}
    own = Bookmark.objects.filter(owner=user, work=OuterRef("pk")).values("pk")[:1]
    row = Work.objects.filter(pk=work_pk).values_list("status", Subquery(own)).first()
    status, bookmark_pk = row or (None, None)
    return {
        "work_pk": work_pk,
        "can_bookmark": status == Status.POSTED,
        "bookmark_pk": bookmark_pk,
    }
