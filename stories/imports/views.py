from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from archive import verification
from archive.verification import verified_to_post
from stories.forms import TAG_FIELDS, WorkForm
from stories.imports import services
from stories.imports.forms import AO3UploadForm, ImportedChapterFormSet
from stories.pseuds.services import byline_guess

CHAPTERS_PREFIX = "chapters"
# Guesses are carried through a failed post in hidden fields: few enough to keep
# a work of ao3.MAX_CHAPTERS under DATA_UPLOAD_MAX_NUMBER_FIELDS.
MAX_GUESSES_KEPT = 30


def _confirm_context(imported, user):
    """Return the forms and guesses of the confirmation page for a file just read."""
    # The byline credits the poster's pseuds it names (AO3 writes a pseud as
    # "pseud (username)"); only names that are none of theirs are offered as
    # the original creator.
    credited, guess = byline_guess(user=user, names=imported.creators)
    guesses = list(imported.guesses)
    if guess:
        guesses.append(guess)
    initial = {
        **credited,
        "title": imported.title,
        "rating": imported.rating,
        "warnings": list(imported.warnings),
        "categories": list(imported.categories),
        "summary": imported.summary,
        "notes": imported.notes,
        "end_notes": imported.end_notes,
        "language": imported.language or "en",
        "expected_chapters": imported.expected_chapters,
    }
    for kind, field in TAG_FIELDS.items():
        initial[field] = ", ".join(imported.tags.get(kind, ()))
    chapters = ImportedChapterFormSet(
        prefix=CHAPTERS_PREFIX,
        initial=[
            {
                "number": chapter.number,
                "chapter_title": chapter.title,
                "chapter_notes": chapter.notes,
                "body": chapter.body,
                "chapter_end_notes": chapter.end_notes,
            }
            for chapter in imported.chapters
        ],
    )
    return {
        "work_form": WorkForm(initial=initial, user=user),
        "chapter_forms": chapters,
        "guesses": guesses[:MAX_GUESSES_KEPT],
        "word_count": imported.word_count,
    }


@login_required
@verified_to_post(form_kept=True)
def work_import(request):
    """Post a whole work from an AO3 HTML download, after the author checks it."""
    confirming = request.POST.get("action") in ("post", "draft")
    if request.method == "POST" and not confirming:
        upload_form = AO3UploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            context = _confirm_context(upload_form.imported, request.user)
            return render(request, "imports/work_import_confirm.html", context)
        return render(request, "imports/work_import.html", {"form": upload_form})
    if request.method == "POST":
        work_form = WorkForm(request.POST, user=request.user)
        chapters = ImportedChapterFormSet(request.POST, prefix=CHAPTERS_PREFIX)
        verification.refuse_form(request, work_form)
        if work_form.is_valid() and chapters.is_valid():
            work = services.work_import(
                owner=request.user,
                chapters=chapters.chapter_texts(),
                warnings=work_form.cleaned_data["warnings"],
                categories=work_form.cleaned_data["categories"],
                tags=work_form.tag_names(),
                post=request.POST["action"] == "post",
                **work_form.work_fields(),
            )
            messages.success(
                request,
                _("Work imported and posted.")
                if work.is_posted
                else _("Work imported as a draft. Only you can see it."),
            )
            return redirect(work)
        context = {
            "work_form": work_form,
            "chapter_forms": chapters,
            "guesses": request.POST.getlist("guess")[:MAX_GUESSES_KEPT],
        }
        return render(request, "imports/work_import_confirm.html", context)
    return render(request, "imports/work_import.html", {"form": AO3UploadForm()})
