from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive.redirects import redirect_to_next
from archive.verification import verified_to_post
from stories.blurbs import render_blurbs
from stories.caching import (
    SERIES,
    USER,
    WORK,
    page_response,
    render_marked,
    whole_for_guests,
)
from stories.models import Work
from stories.pagination import NumberedPaginator
from stories.series import services
from stories.series.forms import SeriesAddWorkForm, SeriesForm, WorkAddToSeriesForm
from stories.series.models import Series, SeriesWork

SERIES_PER_PAGE = 20


@whole_for_guests
def series_detail(request, pk):
    """Show a series: its details and the blurbs of the works the reader may
    read, in order. A series with none of those is not found, but by its owner.

    Guests are served the page whole while the series, its owner and its
    works are unchanged; the blurbs are kept by work for everyone.
    """
    series = get_object_or_404(Series.objects.select_related("owner"), pk=pk)
    user = request.user
    parts = list(
        SeriesWork.objects.filter(series=series)
        .visible_to(user)
        .order_by("position", "pk")
        .values_list("work_id", "work__word_count")
    )
    can_edit = series.is_editable_by(user)
    if not parts and not can_edit:
        raise Http404(_("No such series."))
    work_ids = [work_id for work_id, _words in parts]
    shown = [SERIES(series.pk), USER(series.owner_id), *map(WORK, work_ids)]

    def render_page():
        context = {
            "series": series,
            "can_edit": can_edit,
            "works_count": len(parts),
            "word_count": sum(words for _work_id, words in parts),
            # Under the page's h2 (the name) and h3 (the list), as on AO3.
            "blurbs": render_blurbs(
                work_ids, signed_in=user.is_authenticated, heading_level=4
            ),
        }
        return render_marked(request, "series/series_detail.html", context)

    return page_response(request, shown, render_page)


def user_series(request, username):
    """List a person's series that the reader may see, newest change first."""
    profile_user = get_object_or_404(
        get_user_model(), username=username, is_active=True
    )
    series = (
        Series.objects.filter(owner=profile_user)
        .listed_for(request.user)
        .order_by("-updated_at", "-id")
    )
    page_obj = NumberedPaginator(series, SERIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "series/user_series.html",
        {"profile_user": profile_user, "page_obj": page_obj},
    )


def _editable_series(request, pk):
    return get_object_or_404(Series.objects.editable_by(request.user), pk=pk)


@login_required
@verified_to_post
def series_create(request):
    """Start a series; works are added to it next."""
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        series = services.series_create(owner=request.user, **form.series_fields())
        messages.success(request, _("Series created. Add your works to it below."))
        return redirect("series:series_edit", pk=series.pk)
    return render(request, "series/series_form.html", {"form": form})


@login_required
@verified_to_post
def series_edit(request, pk):
    """Change a series' details; add, remove and reorder its works."""
    series = _editable_series(request, pk)
    form = SeriesForm(request.POST or None, instance=series)
    if request.method == "POST" and form.is_valid():
        services.series_update(series=series, **form.series_fields())
        messages.success(request, _("Series updated."))
        return redirect(series)
    parts = series.parts.select_related("work").only(
        "position", "series_id", "work__title", "work__status"
    )
    return render(
        request,
        "series/series_form.html",
        {
            "form": form,
            "series": series,
            "parts": parts.order_by("position", "pk"),
            "add_form": SeriesAddWorkForm(series=series),
        },
    )


@login_required
def series_delete(request, pk):
    """Delete a series after its owner confirms; its works stay."""
    series = _editable_series(request, pk)
    if request.method == "POST":
        title, owner = series.title, series.owner
        services.series_delete(series=series)
        messages.success(
            request,
            _("The series “%(title)s” was deleted; its works stay.") % {"title": title},
        )
        return redirect("series:user_series", username=owner.username)
    return render(request, "series/series_confirm_delete.html", {"series": series})


def _edit_address(series):
    return reverse("series:series_edit", kwargs={"pk": series.pk}) + "#parts"


@login_required
@require_POST
def series_add_work(request, pk):
    """Add one of the series owner's works to the end of the series."""
    series = _editable_series(request, pk)
    form = SeriesAddWorkForm(request.POST, series=series)
    if form.is_valid():
        work = form.cleaned_data["work"]
        try:
            part = services.series_add_work(series=series, work=work)
        except ValueError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _added(work, series, part))
    else:
        messages.error(request, " ".join(form.errors["work"]))
    return redirect_to_next(request, _edit_address(series))


def _added(work, series, part):
    return _("“%(work)s” is now part %(number)d of “%(series)s”.") % {
        "work": work.title,
        "number": series.parts.filter(position__lte=part.position).count(),
        "series": series.title,
    }


def _series_part(request, pk, work_pk):
    series = _editable_series(request, pk)
    work = get_object_or_404(
        Work.objects.only("pk", "title"), pk=work_pk, series_parts__series=series
    )
    return series, work


@login_required
@require_POST
def series_remove_work(request, pk, work_pk):
    """Take a work out of a series; the work stays."""
    series, work = _series_part(request, pk, work_pk)
    services.series_remove_work(series=series, work=work)
    messages.success(
        request,
        _("“%(work)s” was taken out of the series.") % {"work": work.title},
    )
    return redirect_to_next(request, _edit_address(series))


@login_required
@require_POST
def series_move_work(request, pk, work_pk):
    """Move a work one place up or down its series."""
    series, work = _series_part(request, pk, work_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("Choose to move the work up or down."))
    elif services.series_move_work(
        series=series, work=work, by=-1 if direction == "up" else 1
    ):
        messages.success(
            request,
            _("“%(work)s” moved up.") % {"work": work.title}
            if direction == "up"
            else _("“%(work)s” moved down.") % {"work": work.title},
        )
    else:
        messages.info(
            request,
            _("“%(work)s” is already first.") % {"work": work.title}
            if direction == "up"
            else _("“%(work)s” is already last.") % {"work": work.title},
        )
    return redirect_to_next(request, _edit_address(series))


@login_required
def work_add_to_series(request, work_pk):
    """Add a work to one of its creator's series, or to a new series: the
    series of the creator asking, or of the owner when staff ask."""
    work = get_object_or_404(Work.objects.editable_by(request.user), pk=work_pk)
    owner = request.user if request.user.pk in work.creator_ids else work.owner
    form = WorkAddToSeriesForm(request.POST or None, work=work, owner=owner)
    if request.method == "POST" and form.is_valid():
        series = form.cleaned_data["series"]
        try:
            if series is None:
                series = services.series_create(
                    owner=owner, title=form.cleaned_data["title"], works=[work]
                )
                part = series.parts.get(work=work)
            else:
                part = services.series_add_work(series=series, work=work)
        except ValueError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _added(work, series, part))
            return redirect(work)
    return render(
        request, "series/work_add_to_series.html", {"form": form, "work": work}
    )
