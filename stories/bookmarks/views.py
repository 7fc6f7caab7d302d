from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive.redirects import redirect_to_next
from stories.blurbs import render_blurbs
from stories.bookmarks import services
from stories.bookmarks.forms import BookmarkForm, FolderForm
from stories.bookmarks.listing import BookmarkListing
from stories.bookmarks.models import Bookmark, BookmarkFolder
from stories.filter_links import (
    active_filters,
    clear_all_address,
    facet_choice_address,
)
from stories.models import Work
from stories.pagination import NumberedPaginator
from stories.series.models import Series

WORK_BOOKMARKS_PER_PAGE = 20


def _bookmark_form_page(request, *, work=None, series=None):
    """Show the form that bookmarks a work or a series, and save it."""
    target = work or series
    existing = Bookmark.objects.filter(owner=request.user, work=work, series=series)
    existing = existing.values_list("pk", flat=True).first()
    if existing is not None:
        messages.info(
            request,
            _("You have already bookmarked “%(title)s”: you may edit your bookmark.")
            % {"title": target.title},
        )
        return redirect("bookmarks:bookmark_edit", pk=existing)
    form = BookmarkForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            bookmark = services.bookmark_create(
                owner=request.user, work=work, series=series, **form.bookmark_fields()
            )
        except services.BookmarkRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("bookmarks:user_bookmarks", username=request.user.username)
        messages.success(request, _("Bookmarked “%(title)s”.") % {"title": target})
        return redirect(bookmark)
    return render(
        request,
        "bookmarks/bookmark_form.html",
        {"form": form, "work": work, "series": series, "bookmark": None},
        status=400 if form.is_bound else 200,
    )


@login_required
def bookmark_create(request, work_pk):
    """Bookmark a posted work; a second bookmark of it goes to the first's edit."""
    work = get_object_or_404(Work.objects.posted().select_related("owner"), pk=work_pk)
    return _bookmark_form_page(request, work=work)


@login_required
def series_bookmark_create(request, series_pk):
    """Bookmark a series, as a work."""
    series = get_object_or_404(Series.objects.select_related("owner"), pk=series_pk)
    return _bookmark_form_page(request, series=series)


def _shown_bookmark(request, pk):
    """Return a bookmark this person may see, or raise Http404."""
    user = request.user
    bookmarks = (
        Bookmark.objects.seen_by(user)
        .readable_by(user)
        .not_muted_by(user)
        .for_listing()
    )
    return get_object_or_404(bookmarks, pk=pk)


def _own_bookmark(request, pk):
    return get_object_or_404(
        Bookmark.objects.select_related("work", "series", "folder"),
        pk=pk,
        owner=request.user,
    )


def bookmark_detail(request, pk):
    """Show one bookmark: a private one to its owner alone."""
    bookmark = _shown_bookmark(request, pk)
    if bookmark.work_id:
        signed_in = request.user.is_authenticated
        bookmark.blurb = render_blurbs([bookmark.work_id], signed_in=signed_in)[0]
    return render(
        request,
        "bookmarks/bookmark_detail.html",
        {"bookmark": bookmark, "is_owner": bookmark.owner_id == request.user.pk},
    )


@login_required
def bookmark_edit(request, pk):
    """Change one's own bookmark."""
    bookmark = _own_bookmark(request, pk)
    initial = {
        "notes": bookmark.notes,
        "tags": [tag.name for tag in bookmark.tags.all()],
        "is_private": bookmark.is_private,
        "is_rec": bookmark.is_rec,
        "folder": bookmark.folder_id,
    }
    form = BookmarkForm(request.POST or None, owner=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.bookmark_update(bookmark=bookmark, **form.bookmark_fields())
        except services.BookmarkRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Bookmark updated."))
            return redirect(bookmark)
    return render(
        request,
        "bookmarks/bookmark_form.html",
        {
            "form": form,
            "bookmark": bookmark,
            "work": bookmark.work,
            "series": bookmark.series,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def bookmark_delete(request, pk):
    """Delete one's own bookmark, after asking."""
    bookmark = _own_bookmark(request, pk)
    if request.method == "POST":
        services.bookmark_delete(bookmark=bookmark)
        messages.success(request, _("Bookmark deleted."))
        return redirect("bookmarks:user_bookmarks", username=request.user.username)
    return render(
        request, "bookmarks/bookmark_confirm_delete.html", {"bookmark": bookmark}
    )


@login_required
@require_POST
def bookmark_move(request, pk):
    """Move one's own bookmark a place up or down in its folder."""
    bookmark = _own_bookmark(request, pk)
    try:
        services.bookmark_move(
            bookmark=bookmark, direction=request.POST.get("direction", "")
        )
    except services.BookmarkRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Moved “%(title)s”.") % {"title": bookmark})
    fallback = bookmark.folder or request.user
    return redirect_to_next(request, fallback.get_absolute_url())


def work_bookmarks(request, work_pk):
    """List a work's public bookmarks, newest first."""
    work = get_object_or_404(
        Work.objects.visible_to(request.user).select_related("owner"), pk=work_pk
    )
    bookmarks = (
        Bookmark.objects.filter(work=work)
        .public()
        .not_muted_by(request.user)
        .select_related("owner")
        .prefetch_related("tags")
        .order_by("-created_at", "-id")
    )
    page_obj = NumberedPaginator(bookmarks, WORK_BOOKMARKS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "bookmarks/work_bookmarks.html",
        {"work": work, "page_obj": page_obj, "bookmarks": page_obj.object_list},
    )


def _person(username):
    return get_object_or_404(get_user_model(), username=username, is_active=True)


def user_bookmarks(request, username, folder_pk=None):
    """List a person's bookmarks, or one folder's, as the viewer may see them."""
    chosen = facet_choice_address(request)
    if chosen is not None:
        return redirect(chosen)
    owner = _person(username)
    folders = list(BookmarkFolder.objects.shown_to(request.user, owner))
    folder = None
    if folder_pk is not None:
        folder = next((f for f in folders if f.pk == int(folder_pk)), None)
        if folder is None:
            raise Http404("No such folder.")
    listing = BookmarkListing(
        request.GET, owner=owner, viewer=request.user, folder=folder
    )
    page_obj = listing.page(request.GET.get("page"))
    bookmarks = list(page_obj.object_list)
    works = {bookmark.work_id: bookmark.work for bookmark in bookmarks if bookmark.work}
    blurbs = dict(
        zip(
            works,
            render_blurbs(
                list(works),
                signed_in=request.user.is_authenticated,
                works=works,
                muted=listing.hidden.creator_ids,
            ),
            strict=True,
        )
    )
    for bookmark in bookmarks:
        bookmark.blurb = blurbs.get(bookmark.work_id, "")
    is_owner = request.user.pk == owner.pk
    return render(
        request,
        "bookmarks/user_bookmarks.html",
        {
            "owner": owner,
            "folders": folders,
            "folder": folder,
            "is_owner": is_owner,
            "page_obj": page_obj,
            "bookmarks": bookmarks,
            "filter_form": listing.form,
            "tag_counts": listing.tag_counts(),
            "filters": listing.filters,
            "active_filters": active_filters(request.path, request.GET, listing.form),
            "clear_filters": clear_all_address(request.path, request.GET),
        },
    )


def _own_folders_page(request, username):
    """Return the folder owner when it is the one asking; else raise Http404."""
    if request.user.username != username:
        raise Http404("These are not your folders.")
    return request.user


@login_required
def folder_list(request, username):
    """Manage one's folders: add, rename, reorder and delete them."""
    owner = _own_folders_page(request, username)
    form = FolderForm(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        try:
            folder = services.folder_create(owner=owner, **form.cleaned_data)
        except services.BookmarkRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Folder “%(name)s” added.") % {"name": folder})
            return redirect("bookmarks:folder_list", username=owner.username)
    folders = BookmarkFolder.objects.shown_to(owner, owner)
    return render(
        request,
        "bookmarks/folder_list.html",
        {
            "form": form,
            "folders": [
                (folder, FolderForm(owner=owner, folder=folder, prefix=f"f{folder.pk}"))
                for folder in folders
            ],
            "owner": owner,
        },
        status=400 if form.is_bound else 200,
    )


def _own_folder(request, username, pk):
    owner = _own_folders_page(request, username)
    return get_object_or_404(BookmarkFolder, pk=pk, owner=owner)


@login_required
@require_POST
def folder_edit(request, username, pk):
    """Rename one's folder, or make it private or public."""
    folder = _own_folder(request, username, pk)
    form = FolderForm(
        request.POST, owner=request.user, folder=folder, prefix=f"f{folder.pk}"
    )
    if form.is_valid():
        try:
            services.folder_rename(
                folder=folder,
                name=form.cleaned_data["name"],
                is_private=form.cleaned_data["is_private"],
            )
        except services.BookmarkRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Folder “%(name)s” saved.") % {"name": folder})
    else:
        errors = "; ".join(error for errors in form.errors.values() for error in errors)
        messages.error(request, _("Folder not saved: %(errors)s") % {"errors": errors})
    return redirect("bookmarks:folder_list", username=request.user.username)


@login_required
@require_POST
def folder_move(request, username, pk):
    """Move one's folder a place up or down."""
    folder = _own_folder(request, username, pk)
    try:
        services.folder_move(folder=folder, direction=request.POST.get("direction", ""))
    except services.BookmarkRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Moved “%(name)s”.") % {"name": folder})
    return redirect("bookmarks:folder_list", username=request.user.username)


@login_required
def folder_delete(request, username, pk):
    """Delete one's folder, after asking; its bookmarks stay."""
    folder = _own_folder(request, username, pk)
    if request.method == "POST":
        services.folder_delete(folder=folder)
        messages.success(
            request,
            _("Folder “%(name)s” deleted. Its bookmarks are kept, in no folder.")
            % {"name": folder},
        )
        return redirect("bookmarks:folder_list", username=request.user.username)
    return render(
        request,
        "bookmarks/folder_confirm_delete.html",
        {"folder": folder, "bookmark_count": folder.bookmarks.count()},
    )
