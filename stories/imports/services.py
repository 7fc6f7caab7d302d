"""Writes of imports: a whole work at once, through the work and chapter services."""

from collections.abc import Sequence

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from stories import services
from stories.models import Work
from stories.services import ChapterText


@transaction.atomic
def work_import(
    *,
    owner: AbstractBaseUser,
    chapters: Sequence[ChapterText],
    post: bool = True,
    **work_fields,
) -> Work:
    """Create a work with all its chapters, posted at once or kept as a draft.

    The chapters are made as drafts and the work posted once at the end, so
    followers hear of one new work rather than of every chapter.
    """
    if not chapters:
        raise ValueError(_("A work needs at least one chapter."))
    work = services.work_create(
        owner=owner, first_chapter=chapters[0], post=False, **work_fields
    )
    for text in chapters[1:]:
        services.chapter_create(work=work, text=text, post=False)
    if post:
        services.work_post(work=work)
    return work
