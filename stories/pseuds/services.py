"""Pseuds: the names a person writes under, and which of them a work credits.

Each write here is a service and says what it changed (stories/caching.py):
a pseud's name is on the byline of every work credited to it.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from stories.caching import changed
from stories.pseuds.models import Pseud
from stories.text import sanitize_html


class PseudRefused(ValueError):
    """A change to a person's pseuds that is not allowed; the text says why."""


def default_pseud_of(user: AbstractBaseUser) -> Pseud:
    """Return a person's default pseud, made now for an account without one."""
    pseud = Pseud.objects.filter(user=user, is_default=True).first()
    return pseud if pseud is not None else pseud_create_default(user=user)


@transaction.atomic
def pseud_create_default(*, user: AbstractBaseUser) -> Pseud:
    """Give a person their default pseud, named as they are (once)."""
    pseud = Pseud.objects.filter(user=user, is_default=True).first()
    if pseud is not None:
        return pseud
    same_name = Pseud.objects.filter(user=user, name__iexact=user.username).first()
    if same_name is not None:
        same_name.is_default = True
        same_name.save(update_fields=["is_default"])
        return same_name
    return Pseud.objects.create(user=user, name=user.username, is_default=True)


@transaction.atomic
def pseud_follow_username(*, user: AbstractBaseUser, old_username: str) -> None:
    """Rename a renamed person's default pseud after them, if it bore their old
    name (and no other pseud of theirs has the new one). The caller declares
    what shows the person changed."""
    from stories.search import works_index

    default = Pseud.objects.filter(
        user=user, is_default=True, name__iexact=old_username
    ).first()
    taken = Pseud.objects.filter(user=user, name__iexact=user.username)
    if default is not None and not taken.exclude(pk=default.pk).exists():
        default.name = user.username
        default.save(update_fields=["name"])
        works_index(work_ids=_work_ids(default))


@transaction.atomic
def pseud_create(*, user: AbstractBaseUser, name: str, description: str = "") -> Pseud:
    """Add a pseud to a person's; the name is checked by the form."""
    _check_name_free(user=user, name=name)
    return Pseud.objects.create(
        user=user, name=name.strip(), description=sanitize_html(description)
    )


@transaction.atomic
def pseud_update(*, pseud: Pseud, name: str, description: str) -> Pseud:
    """Rename a pseud or change its description; the works it is on show it."""
    name = name.strip()
    _check_name_free(user=pseud.user, name=name, but=pseud)
    # Told by the row, not the instance, which a model form may have changed.
    renamed = name != Pseud.objects.values_list("name", flat=True).get(pk=pseud.pk)
    pseud.name = name
    pseud.description = sanitize_html(description)
    pseud.save(update_fields=["name", "description"])
    # The pseud's page shows its description (its person's scope); renamed,
    # every byline naming it changes too.
    _bylines_changed(
        user_id=pseud.user_id, work_ids=_work_ids(pseud) if renamed else []
    )
    return pseud


@transaction.atomic
def pseud_delete(*, pseud: Pseud) -> None:
    """Delete a pseud that is not the default; its works move to the default."""
    from stories.models import Creatorship

    if pseud.is_default:
        raise PseudRefused(_("Your default pseud cannot be deleted."))
    default = default_pseud_of(pseud.user)
    work_ids = _work_ids(pseud)
    on_default = set(
        Creatorship.objects.filter(work_id__in=work_ids, pseud=default).values_list(
            "work_id", flat=True
        )
    )
    # A work credited to both keeps the default's row; the others move to it.
    Creatorship.objects.filter(pseud=pseud, work_id__in=on_default).delete()
    Creatorship.objects.filter(pseud=pseud).update(pseud=default)
    pseud.delete()
    _bylines_changed(user_id=default.user_id, work_ids=work_ids)


@transaction.atomic
def work_set_pseuds(
    *, work, user: AbstractBaseUser, pseuds: Sequence[Pseud], declare: bool = True
) -> None:
    """Credit a work's creator under exactly these pseuds of theirs.

    Rows kept keep their place on the byline; new ones come after the person's
    first, or at the end (the owner's first is position 0, as work_create
    makes it). With declare=False the caller declares the change (a work just
    made, which nothing shows yet).
    """
    from stories.models import Creatorship, CreatorshipStatus

    pseuds = list(dict.fromkeys(pseuds))
    if not pseuds:
        raise PseudRefused(_("Choose at least one of your pseuds."))
    if any(pseud.user_id != user.pk for pseud in pseuds):
        raise PseudRefused(_("You can only credit your own pseuds."))
    rows = list(
        Creatorship.objects.select_for_update()
        .filter(work=work, user=user, status=CreatorshipStatus.ACCEPTED)
        .order_by("position", "id")
    )
    wanted = {pseud.pk for pseud in pseuds}
    had = {row.pseud_id for row in rows}
    if had == wanted:
        return
    kept = [row for row in rows if row.pseud_id in wanted]
    spare = [row for row in rows if row.pseud_id not in wanted]
    adding = [pseud for pseud in pseuds if pseud.pk not in had]
    # A row whose pseud goes is given a new one first, so the person keeps
    # their place (and the owner's first row its position 0).
    for row in spare:
        if adding:
            row.pseud = adding.pop(0)
            row.save(update_fields=["pseud"])
            kept.append(row)
        else:
            row.delete()
    if adding:
        last = Creatorship.objects.filter(work=work).aggregate(
            position=Max("position")
        )["position"]
        first = rows[0] if rows else None
        start = last + 1 if last is not None else 0
        Creatorship.objects.bulk_create(
            Creatorship(
                work=work,
                user=user,
                pseud=pseud,
                status=CreatorshipStatus.ACCEPTED,
                position=start + index,
                invited_by=first.invited_by if first is not None else None,
            )
            for index, pseud in enumerate(adding)
        )
    if declare:
        _bylines_changed(user_id=user.pk, work_ids=[work.pk])


@dataclass(frozen=True)
class BylineMatch:
    """What a byline read from a file names: the poster's pseuds it matches,
    and the names that match none of them (an original creator)."""

    pseuds: tuple[Pseud, ...] = ()
    others: tuple[str, ...] = field(default=())

    @property
    def credit(self) -> str:
        return ", ".join(self.others)


SEPARATORS = re.compile(r"[\s_\-.]+")
# AO3 writes a pseud that is not its person's name as "pseud (username)".
AO3_PSEUD = re.compile(r"^(?P<pseud>.+?)\s*\((?P<user>[^()]+)\)$")


def name_key(name: str) -> str:
    """Return a name as bylines are matched: case and the kind of separator
    between words (spaces, underscores, hyphens, dots) ignored, not the words."""
    return SEPARATORS.sub(" ", name.casefold()).strip(" ")


def match_byline(*, user: AbstractBaseUser, names: Iterable[str]) -> BylineMatch:
    """Return which of these byline names are the user's pseuds or user name.

    A name matching a pseud selects it; the user name (alone, or as AO3's
    "pseud (username)" with a pseud that is not theirs here) selects the
    default pseud. Other names are the original creator's.
    """
    names = [name.strip() for name in names if name and name.strip()]
    if not names:
        return BylineMatch()
    pseuds = list(Pseud.objects.filter(user=user))
    by_key = {name_key(pseud.name): pseud for pseud in pseuds}
    username = name_key(user.get_username())
    found, others = [], []
    for name in names:
        pseud = by_key.get(name_key(name))
        if pseud is None:
            ao3 = AO3_PSEUD.match(name)
            if ao3 and name_key(ao3["user"]) == username:
                pseud = by_key.get(name_key(ao3["pseud"])) or _default(pseuds, user)
            elif name_key(name) == username:
                pseud = _default(pseuds, user)
        if pseud is None:
            others.append(name)
        elif pseud not in found:
            found.append(pseud)
    return BylineMatch(pseuds=tuple(found), others=tuple(others))


def _default(pseuds: list[Pseud], user: AbstractBaseUser) -> Pseud:
    for pseud in pseuds:
        if pseud.is_default:
            return pseud
    return default_pseud_of(user)


def _check_name_free(*, user, name: str, but: Pseud | None = None) -> None:
    taken = Pseud.objects.filter(user=user, name__iexact=name.strip())
    if but is not None:
        taken = taken.exclude(pk=but.pk)
    if taken.exists():
        raise PseudRefused(
            _("You already have a pseud called “%(name)s”.") % {"name": name.strip()}
        )


def _work_ids(pseud: Pseud) -> list[int]:
    return list(pseud.creatorships.values_list("work_id", flat=True).distinct())


def _bylines_changed(*, user_id: int, work_ids: list[int]) -> None:
    """Declare the bylines of these works changed: their pages, blurbs and
    search entries (pseuds' names are searched), and their person's pages."""
    from stories.search import works_index

    if work_ids:
        works_index(work_ids=work_ids)
    changed(works=work_ids, users=[user_id])


def byline_guess(*, user: AbstractBaseUser, names: Iterable[str]) -> tuple[dict, str]:
    """Return what a file's byline fills in the post form, and the guess that
    says so: the pseuds of the poster's it names are credited; only names that
    are none of theirs become the original creator."""
    names = [name for name in names if name and name.strip()]
    if not names:
        return {}, ""
    match = match_byline(user=user, names=names)
    initial = {"creator_credit": match.credit}
    if match.pseuds:
        initial["pseuds"] = [pseud.pk for pseud in match.pseuds]
    if match.others:
        guess = _(
            "The byline names %(credit)s, who is none of your pseuds: they are "
            "credited as the original creator, and the work shows as archived by "
            "you. Empty that field if you wrote it."
        ) % {"credit": match.credit}
    else:
        guess = _("The byline names you (%(pseuds)s): the work is posted as yours.") % {
            "pseuds": ", ".join(pseud.name for pseud in match.pseuds)
        }
    return initial, guess
