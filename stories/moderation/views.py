from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stories import reading
from stories.models import Comment, Work
from stories.moderation import services
from stories.moderation.forms import ReportForm
from stories.services import comment_delete


def report_work(request, pk):
    """Report a posted work the reader may read to staff."""
    work = get_object_or_404(Work.objects.visible_to(request.user).posted(), pk=pk)
    return _report(request, {"work": work}, back=work.get_absolute_url())


def report_comment(request, pk):
    """Report a comment readers see, on a work the reader may read, to staff."""
    comment = get_object_or_404(
        Comment.objects.shown().select_related("chapter", "work"), pk=pk
    )
    reading.readable(request.user, comment.work_id, comment.chapter_id)
    if not comment.work.is_posted:
        raise Http404("No such comment.")
    return _report(request, {"comment": comment}, back=reading.comment_url(comment))


def _report(request, reported, *, back):
    form = ReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        signed_in = request.user.is_authenticated
        services.report_file(
            **reported,
            reason=form.cleaned_data["reason"],
            details=form.cleaned_data["details"],
            reporter=request.user if signed_in else None,
            reporter_email="" if signed_in else form.cleaned_data["email"],
        )
        messages.success(
            request, _("Thank you for your report: staff will look into it.")
        )
        return redirect(back)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "moderation/report_form.html",
        {"form": form, "back": back, **reported},
        status=status,
    )


@login_required
def held_comments(request, work_pk):
    """List a work's comments held for approval, for its creators."""
    work = get_object_or_404(Work.objects.editable_by(request.user), pk=work_pk)
    return render(
        request,
        "moderation/held_comments.html",
        {"work": work, "comments": services.held_comments(work)},
    )


@login_required
@require_POST
def held_comment_moderate(request, pk):
    """Approve or delete a held comment: a creator of its work may."""
    comment = get_object_or_404(
        Comment.objects.held().filter(work__in=Work.objects.editable_by(request.user)),
        pk=pk,
    )
    action = request.POST.get("action")
    if action == "approve":
        services.comment_approve(comment=comment)
        messages.success(request, _("Comment approved: readers see it now."))
    elif action == "delete":
        comment_delete(comment=comment)
        messages.success(request, _("Comment deleted."))
    else:
        messages.error(request, _("Choose to approve or delete the comment."))
    return redirect("moderation:held_comments", work_pk=comment.work_id)
