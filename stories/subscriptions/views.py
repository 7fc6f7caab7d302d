from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from archive.redirects import redirect_to_next, safe_address
from stories.models import Tag, Work
from stories.pagination import NumberedPaginator
from stories.series.models import Series
from stories.subscriptions import services
from stories.subscriptions.forms import InboxActionForm, SubscribeForm
from stories.subscriptions.models import TARGETS, Notification

NOTIFICATIONS_PER_PAGE = 20


def address_of(target):
    """Return a target's page, or "" while it has none (series pages are new)."""
    try:
        return target.get_absolute_url()
    except NoReverseMatch:
        return ""


def _inbox_url(request):
    return reverse("subscriptions:inbox", args=[request.user.username])


def _targets(user):
    """Return, for each kind of target, what this reader may subscribe to."""
    return {
        "work": Work.objects.visible_to(user),
        "creator": get_user_model().objects.filter(is_active=True),
        "series": Series.objects.all(),
        "tag": Tag.objects.all(),
    }


def _to_login(request):
    messages.info(request, _("Log in to subscribe."))
    return redirect_to_login(safe_address(request, request.POST.get("next", ""), "/"))


@require_POST
def subscription_create(request):
    """Subscribe the reader to a work, creator, series or tag."""
    if not request.user.is_authenticated:
        return _to_login(request)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("There is nothing to subscribe to there."))
        return redirect_to_next(request, "stories:home")
    target = form.cleaned_data["target"]
    obj = get_object_or_404(_targets(request.user)[target], pk=form.cleaned_data["id"])
    try:
        _subscription, created = services.subscription_create(
            user=request.user, target=target, obj=obj
        )
    except services.SubscriptionRefused as refused:
        messages.error(request, str(refused))
    else:
        if created:
            messages.success(request, _("You are subscribed to %s.") % obj)
        else:
            messages.info(request, _("You were already subscribed to %s.") % obj)
    return redirect_to_next(request, address_of(obj) or "stories:home")


@require_POST
def subscription_delete(request, pk):
    """Unsubscribe the reader; someone else's subscription is not found."""
    if not request.user.is_authenticated:
        return _to_login(request)
    subscription = get_object_or_404(
        request.user.subscriptions.select_related("work", "creator", "series", "tag"),
        pk=pk,
    )
    target = subscription.target
    services.subscription_delete(subscription=subscription)
    messages.success(request, _("You are no longer subscribed to %s.") % target)
    return redirect_to_next(
        request,
        reverse("subscriptions:subscription_list", args=[request.user.username]),
    )


def _own(request, username):
    """Refuse anyone but the page's owner: a page of someone else's is not found."""
    if request.user.username != username:
        raise Http404(_("No such page."))


@login_required
def subscription_list(request, username):
    """The reader's subscriptions, by kind of target."""
    _own(request, username)
    subscriptions = request.user.subscriptions.select_related(
        "work", "creator", "series", "tag"
    )
    by_target = {target: [] for target in TARGETS}
    for subscription in subscriptions:
        for target in TARGETS:
            if getattr(subscription, f"{target}_id"):
                by_target[target].append(
                    (subscription, address_of(subscription.target))
                )
    sections = [
        ("work", _("Works"), by_target["work"]),
        ("creator", _("Creators"), by_target["creator"]),
        ("series", _("Series"), by_target["series"]),
        ("tag", _("Tags"), by_target["tag"]),
    ]
    return render(
        request,
        "subscriptions/subscription_list.html",
        {"sections": sections, "count": len(subscriptions)},
    )


@login_required
def inbox(request, username):
    """The reader's notifications, newest first: mark them read or unread,
    delete them, each or ticked together."""
    _own(request, username)
    if request.method == "POST":
        return _inbox_act(request)
    notifications = Notification.objects.filter(user=request.user).select_related(
        "actor", "work", "chapter", "comment__user", "series", "tag"
    )
    paginator = NumberedPaginator(notifications, NOTIFICATIONS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "subscriptions/inbox.html",
        {"page_obj": page_obj, "here": request.get_full_path()},
    )


def _inbox_act(request):
    form = InboxActionForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect_to_next(request, _inbox_url(request))
    action, ids = form.cleaned_data["action"], form.cleaned_data["ids"]
    if action == "delete":
        count = services.notifications_delete(user=request.user, ids=ids)
        text = ngettext(
            "Deleted %(count)d notification.", "Deleted %(count)d notifications.", count
        )
    else:
        count = services.notifications_mark(
            user=request.user, ids=ids, read=action == "read"
        )
        text = (
            ngettext(
                "Marked %(count)d notification read.",
                "Marked %(count)d notifications read.",
                count,
            )
            if action == "read"
            else ngettext(
                "Marked %(count)d notification unread.",
                "Marked %(count)d notifications unread.",
                count,
            )
        )
    messages.success(request, text % {"count": count})
    return redirect_to_next(request, _inbox_url(request))
