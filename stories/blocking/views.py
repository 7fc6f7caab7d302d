"""Blocking and muting: a reader's lists of blocked and muted users, and the
buttons on a profile, each a POST form with a confirming page before it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from archive.redirects import redirect_to_next, safe_address
from stories.blocking import services
from stories.blocking.forms import UserNameForm
from stories.blocking.models import MOST_BLOCKED, Block, Mute


@dataclass(frozen=True)
class Kind:
    """What a list of blocked, or of muted, users is made of and called."""

    model: type
    owner_field: str
    target_field: str
    list_url: str
    add_url: str
    remove_url: str
    add: Callable
    remove: Callable
    refusal: Callable
    heading: str
    explanation: str
    form_label: str
    add_button: str
    remove_button: str
    empty: str
    confirm_heading: str
    added: str
    removed: str

    def arguments(self, owner, target):
        return {self.owner_field: owner, self.target_field: target}


BLOCK = Kind(
    model=Block,
    owner_field="blocker",
    target_field="blocked",
    list_url="blocking:blocked_list",
    add_url="blocking:user_block",
    remove_url="blocking:user_unblock",
    add=services.user_block,
    remove=services.user_unblock,
    refusal=services.block_refusal,
    heading=_("Blocked users"),
    explanation=_(
        "A user you block can't comment on your works or reply to your comments, "
        "and can't invite you to be a co-creator of a work. They are told so when "
        "they try. They can still read your works. Staff can't be blocked. You may "
        "block up to %(most)s users."
    ),
    form_label=_("User name to block"),
    add_button=_("Block"),
    remove_button=_("Unblock"),
    empty=_("You have blocked nobody."),
    confirm_heading=_("Block %(name)s?"),
    added=_(
        "You blocked %(name)s. They can no longer comment on your works or reply "
        "to your comments."
    ),
    removed=_("You unblocked %(name)s."),
)

MUTE = Kind(
    model=Mute,
    owner_field="muter",
    target_field="muted",
    list_url="blocking:muted_list",
    add_url="blocking:user_mute",
    remove_url="blocking:user_unmute",
    add=services.user_mute,
    remove=services.user_unmute,
    refusal=services.mute_refusal,
    heading=_("Muted users"),
    explanation=_(
        "The works, bookmarks and comments of a user you mute are left out of "
        "everything you see while you are logged in: listings, search, tag pages, "
        "feeds and comment threads, and the counts leave them out too. Replies "
        "others made to their comments stay, under a placeholder. Nobody else is "
        "affected, and they are not told. You may mute up to %(most)s users."
    ),
    form_label=_("User name to mute"),
    add_button=_("Mute"),
    remove_button=_("Unmute"),
    empty=_("You have muted nobody."),
    confirm_heading=_("Mute %(name)s?"),
    added=_(
        "You muted %(name)s. Their works, bookmarks and comments are left out of "
        "what you see."
    ),
    removed=_("You unmuted %(name)s."),
)


def _own(request, username):
    """Refuse anyone's list but one's own: another's is not found."""
    if request.user.username != username:
        raise Http404("No such page.")


def _user_list(request, username, kind):
    _own(request, username)
    form = UserNameForm(request.POST or None, label=kind.form_label)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["username"]
        try:
            kind.add(**kind.arguments(request.user, target))
        except services.Refused as refusal:
            form.add_error("username", str(refusal))
        else:
            messages.success(request, kind.added % {"name": target.username})
            return redirect(kind.list_url, username=username)
    rows = (
        kind.model.objects.filter(**{kind.owner_field: request.user})
        .select_related(kind.target_field)
        .order_by(f"{kind.target_field}__username")
    )
    return render(
        request,
        "blocking/user_list.html",
        {
            "kind": kind,
            "form": form,
            "explanation": kind.explanation % {"most": f"{MOST_BLOCKED:,}"},
            "targets": [getattr(row, kind.target_field) for row in rows],
        },
        status=400 if form.errors else 200,
    )


@login_required
def blocked_list(request, username):
    """List the users one blocked, each with an Unblock button; block by name."""
    return _user_list(request, username, BLOCK)


@login_required
def muted_list(request, username):
    """List the users one muted, each with an Unmute button; mute by name."""
    return _user_list(request, username, MUTE)


def _add(request, username, kind):
    target = get_object_or_404(get_user_model(), username=username, is_active=True)
    profile = target.get_absolute_url()
    if request.method == "POST":
        try:
            kind.add(**kind.arguments(request.user, target))
        except services.Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, kind.added % {"name": target.username})
        return redirect_to_next(request, profile)
    return render(
        request,
        "blocking/user_confirm.html",
        {
            "kind": kind,
            "target": target,
            "heading": kind.confirm_heading % {"name": target.username},
            "explanation": kind.explanation % {"most": f"{MOST_BLOCKED:,}"},
            "refusal": kind.refusal(**kind.arguments(request.user, target)),
            "next": safe_address(request, request.GET.get("next", ""), profile),
        },
    )


@login_required
def user_block(request, username):
    """Ask whether to block a user, and block them on POST."""
    return _add(request, username, BLOCK)


@login_required
def user_mute(request, username):
    """Ask whether to mute a user, and mute them on POST."""
    return _add(request, username, MUTE)


def _remove(request, username, kind):
    target = get_object_or_404(get_user_model(), username=username)
    try:
        kind.remove(**kind.arguments(request.user, target))
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, kind.removed % {"name": target.username})
    return redirect_to_next(
        request, reverse(kind.list_url, kwargs={"username": request.user.username})
    )


@login_required
@require_POST
def user_unblock(request, username):
    """Unblock a user."""
    return _remove(request, username, BLOCK)


@login_required
@require_POST
def user_unmute(request, username):
    """Unmute a user."""
    return _remove(request, username, MUTE)
