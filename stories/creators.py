"""A work's creators: the owner invites people, who accept or decline.

Every work has its owner as its first accepted creator (Creatorship,
position 0). Accepted creators are credited on every byline and may edit the
work and its chapters; deleting it stays the owner's. Each write here is a
service and says what it changed (stories/caching.py).
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from stories.blocking.models import Block
from stories.caching import changed
from stories.models import Creatorship, CreatorshipStatus, Work
from stories.pseuds.models import Pseud
from stories.pseuds.services import default_pseud_of
from stories.search import work_index


class CreatorshipRefused(ValueError):
    """A change to a work's creators that is not allowed; the text says why."""


def work_check_invite(
    *, work: Work, user: AbstractBaseUser, invited_by: AbstractBaseUser
) -> None:
    """Raise CreatorshipRefused when invited_by may not invite user to the work."""
    if not (invited_by.pk == work.owner_id or invited_by.is_staff):
        raise CreatorshipRefused(_("Only the work's owner can invite creators."))
    if user.pk == invited_by.pk:
        raise CreatorshipRefused(_("You cannot invite yourself."))
    if not user.is_active:
        raise CreatorshipRefused(
            _("No user is called “%(name)s”.") % {"name": user.username}
        )
    # Staff inviting on the owner's behalf are refused as the owner would be.
    inviters = (
        [invited_by] if invited_by.pk == work.owner_id else [invited_by, work.owner]
    )
    if any(Block.objects.of(blocker=user, user=who).exists() for who in inviters):
        raise CreatorshipRefused(
            _("%(name)s does not accept invitations from you.")
            % {"name": user.username}
        )
    status = (
        Creatorship.objects.filter(work=work, user=user)
        .values_list("status", flat=True)
        .first()
    )
    if status == CreatorshipStatus.ACCEPTED:
        raise CreatorshipRefused(
            _("%(name)s is already a creator of this work.") % {"name": user.username}
        )
    if status == CreatorshipStatus.INVITED:
        raise CreatorshipRefused(
            _("%(name)s has already been invited to this work.")
            % {"name": user.username}
        )


@transaction.atomic
def work_invite_creator(
    *, work: Work, user: AbstractBaseUser, invited_by: AbstractBaseUser
) -> Creatorship:
    """Invite a person to be a creator of a work; they are credited once they
    accept. Nothing shown to readers changes until then."""
    _creators_lock(work)
    work_check_invite(work=work, user=user, invited_by=invited_by)
    return Creatorship.objects.create(
        work=work, user=user, invited_by=invited_by, status=CreatorshipStatus.INVITED
    )


@transaction.atomic
def creatorship_accept(
    *, creatorship: Creatorship, user: AbstractBaseUser, pseud: Pseud | None = None
) -> Creatorship:
    """Accept an invitation: its invitee becomes a credited creator of the work,
    under one of their pseuds (their default one if none is given)."""
    _creators_lock(creatorship.work)
    creatorship.refresh_from_db()
    if creatorship.user_id != user.pk:
        raise CreatorshipRefused(_("This invitation is not yours to accept."))
    if creatorship.is_accepted:
        return creatorship
    if pseud is None:
        pseud = default_pseud_of(user)
    elif pseud.user_id != user.pk:
        raise CreatorshipRefused(_("You can only accept under your own pseuds."))
    last = Creatorship.objects.filter(
        work_id=creatorship.work_id, status=CreatorshipStatus.ACCEPTED
    ).aggregate(position=Max("position"))["position"]
    creatorship.status = CreatorshipStatus.ACCEPTED
    creatorship.position = (last or 0) + 1
    creatorship.pseud = pseud
    creatorship.save(update_fields=["status", "position", "pseud"])
    _creators_changed(creatorship.work, user_ids=[user.pk])
    return creatorship


@transaction.atomic
def creatorship_decline(*, creatorship: Creatorship, user: AbstractBaseUser) -> None:
    """Decline an invitation; the owner may invite the same person again."""
    _creators_lock(creatorship.work)
    creatorship.refresh_from_db()
    if creatorship.user_id != user.pk:
        raise CreatorshipRefused(_("This invitation is not yours to decline."))
    if creatorship.is_accepted:
        raise CreatorshipRefused(
            _("You already accepted this invitation: leave the work instead.")
        )
    # Pending, it was shown nowhere cached: nothing else changes.
    creatorship.delete()


@transaction.atomic
def work_remove_creator(
    *, work: Work, user: AbstractBaseUser, removed_by: AbstractBaseUser
) -> None:
    """Take a creator (or a pending invitation) off a work.

    The owner (or staff) removes anyone but the owner; a creator may leave.
    The owner stays: a work is deleted, never left by its owner.
    """
    _creators_lock(work)
    # A creator credited under several pseuds has a row for each.
    creatorships = Creatorship.objects.filter(work=work, user=user)
    creatorship = creatorships.first()
    if creatorship is None:
        raise CreatorshipRefused(
            _("%(name)s is not a creator of this work.") % {"name": user.username}
        )
    if user.pk == work.owner_id:
        raise CreatorshipRefused(
            _("The owner of a work cannot leave it: delete the work instead.")
        )
    allowed = removed_by.pk in (work.owner_id, user.pk) or removed_by.is_staff
    if not allowed:
        raise CreatorshipRefused(_("Only the work's owner can remove its creators."))
    creatorships.delete()
    if creatorship.is_accepted:
        _creators_changed(work, user_ids=[user.pk])


def _creators_lock(work: Work) -> None:
    """Make other changes to this work's creators wait until this one ends."""
    list(Work.objects.select_for_update(no_key=True).filter(pk=work.pk).values("pk"))


def _creators_changed(work: Work, *, user_ids: list[int]) -> None:
    """Declare a work's credited creators changed: its byline, its search entry
    (creators' names are searched), every listing it is on (a reader hiding a
    creator no longer, or now, sees it) and the profiles of these people."""
    work_index(work=work)
    changed(works=[work.pk], listed=True, users=user_ids)
