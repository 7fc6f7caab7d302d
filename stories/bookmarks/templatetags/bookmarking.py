from django import template

register = template.Library()


@register.inclusion_tag("bookmarks/_bookmark_action.html")
def bookmark_action(work_pk, state):
    """Show "Bookmark", or "Edit bookmark" to a reader who has one, beside a work.

    Rendered outside the parts cached for many readers, from the signed-in
    reader's state on the work (stories.reader_state); guests, who have none,
    are all shown "Bookmark" (drafts they never see).
    """
    if state is None:
        return {"work_pk": work_pk, "can_bookmark": True, "bookmark_pk": None}
    return {
        "work_pk": work_pk,
        "can_bookmark": state.is_posted,
        "bookmark_pk": state.bookmark_pk,
    }
