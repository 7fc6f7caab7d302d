"""A reader's history and "marked for later" list, and the posts that change them.

Every page and post here is the reader's own: someone else's history is not
found (404), a guest is sent to log in.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive.params import id_or_404
from archive.redirects import redirect_to_next
from stories.blurbs import render_blurbs
from stories.models import Work
from stories.pagination import NumberedPaginator
from stories.readings import services
from stories.readings.models import Reading

READINGS_PER_PAGE = 20


def _own(request, username):
    """Refuse what is not the signed-in reader's own history."""
    if request.user.username != username:
        raise Http404(_("No such history."))


@login_required
def reading_list(request, username):
    """Show the reader's history, newest first, or ?show=later their works
    marked for later."""
    _own(request, username)
    later = request.GET.get("show") == "later"
    readings = Reading.objects.of(request.user).select_related("work", "last_chapter")
    if later:
        readings = readings.marked_for_later().order_by("-id")
    else:
        readings = readings.read().order_by("-last_read_at", "-id")
    page_obj = NumberedPaginator(readings, READINGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    shown = [
        reading for reading in page_obj.object_list if _readable(request, reading.work)
    ]
    blurbs = dict(
        zip(
            [reading.work_id for reading in shown],
            render_blurbs([reading.work_id for reading in shown], signed_in=True),
            strict=True,
        )
    )
    for reading in page_obj.object_list:
        reading.blurb = blurbs.get(reading.work_id)
        reading.new_chapters = max(
            0, reading.work.chapter_count - reading.chapters_seen
        )
    return render(
        request,
        "readings/reading_list.html",
        {"page_obj": page_obj, "later": later, "readings": page_obj.object_list},
    )


def _history_url(username):
    return reverse("readings:reading_list", kwargs={"username": username})


def _readable(request, work):
    user = request.user
    return work.is_posted or work.owner_id == user.pk or user.is_staff


@login_required
def history_clear(request, username):
    """Clear the reader's whole history, after they confirm."""
    _own(request, username)
    if request.method == "POST":
        services.history_clear(reader=request.user)
        messages.success(
            request,
            _("Your history was cleared. Works you marked for later stay marked."),
        )
        return redirect(_history_url(username))
    return render(request, "readings/history_confirm_clear.html")


@login_required
@require_POST
def reading_forget(request, username, work_pk):
    """Remove one work from the reader's history."""
    _own(request, username)
    services.reading_forget(reader=request.user, work_id=id_or_404(work_pk))
    messages.success(request, _("The work was removed from your history."))
    return redirect_to_next(request, _history_url(username))


@login_required
@require_POST
def work_mark_for_later(request, pk):
    """Mark a work the reader may read for later."""
    work = get_object_or_404(Work.objects.posted(), pk=pk)
    services.work_mark_for_later(reader=request.user, work=work)
    messages.success(
        request, _("“%(title)s” is marked for later.") % {"title": work.title}
    )
    return redirect_to_next(request, work.get_absolute_url())


@login_required
@require_POST
def work_unmark_for_later(request, pk):
    """Take a work off the reader's "marked for later" list."""
    services.work_unmark_for_later(reader=request.user, work_id=id_or_404(pk))
    messages.success(request, _("The work is no longer marked for later."))
    return redirect_to_next(request, _history_url(request.user.username))
