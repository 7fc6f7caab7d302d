"""Previews before posting: the work or chapter as it will read, saved nowhere.

They are rendered by the reading page's own templates (stories/_work_preface.html,
stories/_chapter.html) from what the forms cleaned, which is the sanitized HTML
the services would store.
"""

from dataclasses import dataclass

from django.db.models import Max

from stories.models import Chapter
from stories.pseuds.models import Pseud

PREVIEW_ANCHOR = "#preview"


@dataclass
class PreviewChapter:
    """A chapter as the reading templates show it, never saved."""

    number: int
    title: str
    notes: str
    body: str
    end_notes: str
    position: int = 1
    # Shown as it will read once posted, without the draft badge.
    is_posted = True
    heading = Chapter.heading

    def get_absolute_url(self):
        return PREVIEW_ANCHOR


def _next_number(work):
    if work is None:
        return 1
    latest = work.chapters.aggregate(number=Max("number"))["number"]
    return (latest or 0) + 1


def chapter_preview(chapter_form):
    """Return the valid chapter form's chapter as it will read."""
    text = chapter_form.chapter_text()
    number = text.number
    if number is None:
        number = _next_number(chapter_form.work)
    chapter = chapter_form.chapter
    return PreviewChapter(
        number=number,
        title=text.title,
        notes=text.notes,
        body=text.body,
        end_notes=text.end_notes,
        position=chapter.position if chapter is not None else 1,
    )


def imported_chapter_preview(parts, *, work=None):
    """Return a chapter read from a file (the importer's sanitized parts) as it
    will read, for the page that confirms what was read."""
    return PreviewChapter(
        number=parts["number"] or _next_number(work),
        title=parts["title"],
        notes=parts["notes"],
        body=parts["body"],
        end_notes=parts["end_notes"],
    )


def work_preview(work_form, *, user):
    """Return the valid work form's work as it will read, unsaved.

    A ModelForm puts what it cleaned on its instance without saving it: a new
    work's instance is credited to its poster alone, as work_create will.
    """
    work = work_form.instance
    if work.pk is None:
        work.owner = user
        work.creators = [user]
        # The pseuds chosen, else the default one, as work_create will credit;
        # a preview writes nothing, so an account without a pseud is shown
        # under its name.
        work.credited_pseuds = list(work_form.cleaned_data.get("pseuds") or ()) or [
            Pseud.objects.filter(user=user, is_default=True).first()
            or Pseud(user=user, name=user.username)
        ]
    return work


def preview_context(*, work=None, chapter=None):
    """Return the context of the preview partial (posting/_preview.html)."""
    return {"preview": {"work": work, "chapter": chapter}}
