"""Blocking and muting: every write goes through these functions.

No cached part shared between readers shows a block or a mute: the parts
that differ by them are keyed by one reader's relations (a listing by the
digest of what they hide, stories.listing.Hidden.cache_key, which holds the
users they muted; a chapter page by the digest of whom they muted and who
blocked them, stories.readers). Those relations are kept in the
cache under the reader's scope, so each service declares the one reader
whose relations it changed (the muter; the one blocked): their parts are
then filed under new keys, and every other reader's stay cached.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from stories.blocking.models import MOST_BLOCKED, Block, Mute
from stories.caching import changed


class Refused(ValueError):
    """A block, mute, unblock or unmute that was refused; the message says why."""


def block_refusal(*, blocker: AbstractBaseUser, blocked: AbstractBaseUser) -> str:
    """Return why the blocker may not block this user, or "" when they may."""
    if blocked.pk == blocker.pk:
        return _("You can't block yourself.")
    if not blocked.is_active:
        return _("There is no such user to block.")
    if blocked.is_staff:
        return _(
            "%(name)s is one of the archive's staff: staff can't be blocked, "
            "so that they can always answer you. You may mute them."
        ) % {"name": blocked.username}
    if Block.objects.of(blocker=blocker, user=blocked).exists():
        return _("You have already blocked %(name)s.") % {"name": blocked.username}
    if Block.objects.filter(blocker=blocker).count() >= MOST_BLOCKED:
        return _(
            "You have blocked %(most)s users, the most anyone may: "
            "unblock someone first."
        ) % {"most": f"{MOST_BLOCKED:,}"}
    return ""


def mute_refusal(*, muter: AbstractBaseUser, muted: AbstractBaseUser) -> str:
    """Return why the muter may not mute this user, or "" when they may."""
    if muted.pk == muter.pk:
        return _("You can't mute yourself.")
    if not muted.is_active:
        return _("There is no such user to mute.")
    if Mute.objects.filter(muter=muter, muted=muted).exists():
        return _("You have already muted %(name)s.") % {"name": muted.username}
    if Mute.objects.filter(muter=muter).count() >= MOST_BLOCKED:
        return _(
            "You have muted %(most)s users, the most anyone may: unmute someone first."
        ) % {"most": f"{MOST_BLOCKED:,}"}
    return ""


def _lock(user: AbstractBaseUser) -> None:
    """Hold the user's row to the end of the transaction, so that two requests
    of theirs at once cannot both pass the limit."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


@transaction.atomic
def user_block(*, blocker: AbstractBaseUser, blocked: AbstractBaseUser) -> Block:
    """Block a user: they may no longer comment on the blocker's works or reply
    to the blocker's comments.

    Raises Refused when the blocker may not block them.
    """
    _lock(blocker)
    refusal = block_refusal(blocker=blocker, blocked=blocked)
    if refusal:
        raise Refused(refusal)
    block = Block.objects.create(blocker=blocker, blocked=blocked)
    changed(readers=[blocked.pk])
    return block


@transaction.atomic
def user_unblock(*, blocker: AbstractBaseUser, blocked: AbstractBaseUser) -> None:
    """Lift a block. Raises Refused when there was none."""
    deleted, _rows = Block.objects.of(blocker=blocker, user=blocked).delete()
    if not deleted:
        raise Refused(_("You have not blocked %(name)s.") % {"name": blocked.username})
    changed(readers=[blocked.pk])


@transaction.atomic
def user_mute(*, muter: AbstractBaseUser, muted: AbstractBaseUser) -> Mute:
    """Mute a user: their works and comments are left out of all the muter sees.

    Raises Refused when the muter may not mute them.
    """
    _lock(muter)
    refusal = mute_refusal(muter=muter, muted=muted)
    if refusal:
        raise Refused(refusal)
    mute = Mute.objects.create(muter=muter, muted=muted)
    changed(readers=[muter.pk])
    return mute


@transaction.atomic
def user_unmute(*, muter: AbstractBaseUser, muted: AbstractBaseUser) -> None:
    """Lift a mute. Raises Refused when there was none."""
    deleted, _rows = Mute.objects.filter(muter=muter, muted=muted).delete()
    if not deleted:
        raise Refused(_("You have not muted %(name)s.") % {"name": muted.username})
    changed(readers=[muter.pk])
