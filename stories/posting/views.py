from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stories.models import Chapter, Work
from stories.posting import services


@login_required
@require_POST
def work_unschedule(request, pk):
    """Cancel a work's scheduled posting: it stays a draft."""
    work = get_object_or_404(Work.objects.editable_by(request.user), pk=pk)
    if work.scheduled_for is not None:
        services.work_unschedule(work=work)
        messages.success(
            request, _("The schedule is cancelled. The work stays a draft.")
        )
    return redirect(work)


@login_required
@require_POST
def chapter_unschedule(request, work_pk, pk):
    """Cancel a chapter's scheduled posting: it stays a draft."""
    work = get_object_or_404(Work.objects.editable_by(request.user), pk=work_pk)
    chapter = get_object_or_404(Chapter, work=work, pk=pk)
    if chapter.scheduled_for is not None:
        services.chapter_unschedule(chapter=chapter)
        messages.success(
            request, _("The schedule is cancelled. The chapter stays a draft.")
        )
    return redirect(chapter)
