"""Every write to bookmarks and their folders.

A work's bookmark_count counts its public bookmarks: the services below keep
it exact with F() updates, under a lock on the bookmark they change, and
declare the change for the listings sorted by it.
"""

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from stories.bookmarks.models import Bookmark, BookmarkFolder, BookmarkTag
from stories.caching import changed
from stories.models import Work
from stories.series.models import Series
from stories.tagging import parse_tag_names
from stories.text import sanitize_html

UP = "up"
DOWN = "down"


class BookmarkRefused(ValueError):
    """A write to a bookmark or folder that would break a rule; nothing changed."""


def _count_public(work_id: int | None, delta: int) -> None:
    """Add delta to a work's count of public bookmarks and say so."""
    if work_id is None or delta == 0:
        return
    works = Work.objects.filter(pk=work_id)
    if delta < 0:
        works = works.filter(bookmark_count__gte=-delta)
    works.update(bookmark_count=F("bookmark_count") + delta)
    changed(works=[work_id], sorted_by=["bookmarks"])


def _check_folder(owner: AbstractBaseUser, folder: BookmarkFolder | None) -> None:
    if folder is not None and folder.owner_id != owner.pk:
        raise BookmarkRefused(_("That folder is not yours."))


def _next_position(folder: BookmarkFolder | None) -> int:
    if folder is None:
        return 0
    last = folder.bookmarks.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _set_tags(bookmark: Bookmark, names: Iterable[str]) -> None:
    bookmark.tags.all().delete()
    names = parse_tag_names(", ".join(names))
    BookmarkTag.objects.bulk_create(
        BookmarkTag(
            bookmark=bookmark,
            name=name,
            key=BookmarkTag.key_of(name),
            position=position,
        )
        for position, name in enumerate(names)
    )


def _copy_target(bookmark: Bookmark) -> None:
    """Copy the bookmarked thing's title and creator into the bookmark, so it
    still says what it was once that is deleted."""
    target = bookmark.work or bookmark.series
    if target is not None:
        bookmark.title = target.title
        bookmark.creator_name = (
            target.credit if isinstance(target, Work) else target.owner.username
        )


@transaction.atomic
def bookmark_create(
    *,
    owner: AbstractBaseUser,
    work: Work | None = None,
    series: Series | None = None,
    notes: str = "",
    tag_names: Iterable[str] = (),
    is_private: bool = False,
    is_rec: bool = False,
    folder: BookmarkFolder | None = None,
) -> Bookmark:
    """Bookmark a posted work or a series, once per reader.

    Raises BookmarkRefused for a draft, a second bookmark of the same thing
    or someone else's folder.
    """
    if (work is None) == (series is None):
        raise BookmarkRefused(_("Bookmark either a work or a series."))
    if work is not None and not work.is_posted:
        raise BookmarkRefused(_("Drafts cannot be bookmarked."))
    _check_folder(owner, folder)
    existing = Bookmark.objects.filter(owner=owner)
    if existing.filter(work=work, series=series).exists():
        raise BookmarkRefused(_("You have already bookmarked it."))
    bookmark = Bookmark(
        owner=owner,
        work=work,
        series=series,
        notes=sanitize_html(notes),
        is_private=is_private,
        is_rec=is_rec,
        folder=folder,
        position=_next_position(folder),
    )
    _copy_target(bookmark)
    try:
        with transaction.atomic():
            bookmark.save()
    except IntegrityError as error:
        # Another request bookmarked it meanwhile.
        raise BookmarkRefused(_("You have already bookmarked it.")) from error
    _set_tags(bookmark, tag_names)
    if not is_private and work is not None:
        _count_public(work.pk, +1)
    return bookmark


def _locked(bookmark: Bookmark) -> Bookmark:
    """Return the bookmark as stored, locked until the transaction ends."""
    return Bookmark.objects.select_for_update().get(pk=bookmark.pk)


@transaction.atomic
def bookmark_update(
    *,
    bookmark: Bookmark,
    notes: str,
    tag_names: Iterable[str],
    is_private: bool,
    is_rec: bool,
    folder: BookmarkFolder | None,
) -> Bookmark:
    """Change a bookmark; making it private or public recounts its work."""
    _check_folder(bookmark.owner, folder)
    stored = _locked(bookmark)
    was_private = stored.is_private
    if (folder.pk if folder else None) != stored.folder_id:
        bookmark.position = _next_position(folder)
    bookmark.notes = sanitize_html(notes)
    bookmark.is_private = is_private
    bookmark.is_rec = is_rec
    bookmark.folder = folder
    _copy_target(bookmark)
    bookmark.save(
        update_fields=[
            "notes",
            "is_private",
            "is_rec",
            "folder",
            "position",
            "title",
            "creator_name",
            "updated_at",
        ]
    )
    _set_tags(bookmark, tag_names)
    if was_private != is_private:
        _count_public(stored.work_id, -1 if is_private else +1)
    return bookmark


@transaction.atomic
def bookmark_delete(*, bookmark: Bookmark) -> None:
    """Delete a bookmark; a public one no longer counts on its work."""
    stored = Bookmark.objects.select_for_update().filter(pk=bookmark.pk).first()
    if stored is None:
        return
    stored.delete()
    if not stored.is_private:
        _count_public(stored.work_id, -1)


def _renumber(rows, moved, direction):
    """Move one row a place up or down among rows and number them anew."""
    if direction not in (UP, DOWN):
        raise BookmarkRefused(_("Move it up or down."))
    rows = list(rows)
    index = next(i for i, row in enumerate(rows) if row.pk == moved.pk)
    other = index - 1 if direction == UP else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows):
        row.position = position
    return rows


@transaction.atomic
def bookmark_move(*, bookmark: Bookmark, direction: str) -> None:
    """Move a bookmark a place up or down in its folder."""
    if bookmark.folder_id is None:
        raise BookmarkRefused(_("Only bookmarks in a folder have an order."))
    list(BookmarkFolder.objects.select_for_update().filter(pk=bookmark.folder_id))
    rows = Bookmark.objects.filter(folder_id=bookmark.folder_id).order_by(
        "position", "id"
    )
    Bookmark.objects.bulk_update(_renumber(rows, bookmark, direction), ["position"])


def _check_folder_name(owner, name, *, folder=None):
    name = " ".join(name.split())
    if not name:
        raise BookmarkRefused(_("Give the folder a name."))
    others = BookmarkFolder.objects.filter(owner=owner, name__iexact=name)
    if folder is not None:
        others = others.exclude(pk=folder.pk)
    if others.exists():
        raise BookmarkRefused(
            _("You already have a folder named “%(name)s”.") % {"name": name}
        )
    return name


@transaction.atomic
def folder_create(
    *, owner: AbstractBaseUser, name: str, is_private: bool = False
) -> BookmarkFolder:
    """Add a folder after the owner's others."""
    name = _check_folder_name(owner, name)
    last = BookmarkFolder.objects.filter(owner=owner).aggregate(last=Max("position"))
    position = 0 if last["last"] is None else last["last"] + 1
    return BookmarkFolder.objects.create(
        owner=owner, name=name, is_private=is_private, position=position
    )


@transaction.atomic
def folder_rename(
    *, folder: BookmarkFolder, name: str, is_private: bool | None = None
) -> BookmarkFolder:
    """Rename a folder, and make it private or public when is_private is given."""
    folder.name = _check_folder_name(folder.owner, name, folder=folder)
    if is_private is not None:
        folder.is_private = is_private
    folder.save(update_fields=["name", "is_private"])
    return folder


@transaction.atomic
def folder_move(*, folder: BookmarkFolder, direction: str) -> None:
    """Move a folder a place up or down among its owner's folders."""
    rows = (
        BookmarkFolder.objects.select_for_update()
        .filter(owner_id=folder.owner_id)
        .order_by("position", "id")
    )
    BookmarkFolder.objects.bulk_update(_renumber(rows, folder, direction), ["position"])


@transaction.atomic
def folder_delete(*, folder: BookmarkFolder) -> None:
    """Delete a folder; its bookmarks stay, in no folder."""
    folder.bookmarks.update(folder=None, position=0)
    folder.delete()
