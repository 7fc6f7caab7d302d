"""How often one client may do each thing: every rate limit of the site.

Each limit is named in `LIMITS` with what it counts by (an IP address, an
account, an email address) and which requests it counts; its rate is the
setting `RATE_LIMITS[name]` ("10/m", "5/h", "3/10m"; None for no limit), so
tests and deployments change it there. They are counted by django-ratelimit in
the shared cache (`RATELIMIT_USE_CACHE`), under keys no process keeps a copy of
(`RATELIMIT_CACHE_PREFIX`), so a limit holds across processes and machines.

A view is limited by a decorator, `@limited(name)`; over the limit the client
gets the 429 page, with `Retry-After` (the seconds until the window frees).
A view that re-shows a form takes `form_kept=True` and calls `refuse_form`
before validating it: the form comes back with what was typed and the reason,
as a 429. `RequestBudgetMiddleware` counts every other request against the
generous "requests" budget of its IP address.

Log-ins have a rate here too ("login", per address); the lock-out after failed
log-ins, per account and per address, is django-axes' (AXES_* settings), whose
page is `login_locked_out`.
"""

import ipaddress
import logging
import math
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core import checks
from django.db.models import Max, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_ratelimit import ALL
from django_ratelimit.core import get_usage, rate_re
from redis import RedisError

log = logging.getLogger(__name__)


def client_ip(request):
    """Return the client's address: the CLIENT_IP_HEADER (the last address in
    it, the one the proxy in front added) when it holds one, else REMOTE_ADDR."""
    for name in (settings.CLIENT_IP_HEADER, "REMOTE_ADDR"):
        value = request.META.get(name, "").rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            continue
    return ""


def by_ip(group, request):
    """The client's network: its IPv4 address, or its IPv6 /64."""
    address = client_ip(request)
    if ":" in address:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return address or "unknown"


def by_account_or_ip(group, request):
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return by_ip(group, request)


def by_reset_email(group, request):
    """The address a password reset is asked for, however it is capitalised."""
    return request.POST.get("email", "").strip().casefold()


@dataclass(frozen=True)
class Limit:
    key: object  # key(group, request) -> what is counted
    # Ends "You have …" on the 429 page.
    done: str
    methods: object = ("POST",)


LIMITS = {
    "requests": Limit(by_ip, _("asked for many pages in a short time"), ALL),
    "login": Limit(by_ip, _("tried to log in many times in a short time")),
    "signup": Limit(by_ip, _("made several accounts in a short time")),
    "password_reset": Limit(
        by_ip, _("asked for several password reset emails in a short time")
    ),
    "password_reset_email": Limit(
        by_reset_email,
        _("asked for several password reset emails for one address in a short time"),
    ),
    "comment_guest": Limit(by_ip, _("posted several comments in a short time")),
    "comment_new_account": Limit(
        by_account_or_ip, _("posted several comments in a short time")
    ),
    "comment": Limit(by_account_or_ip, _("posted several comments in a short time")),
    "kudos": Limit(by_account_or_ip, _("left kudos many times in a short time")),
    # The read API's own budget, per network, besides "requests".
    "api": Limit(by_ip, _("asked the read API many times in a short time"), ALL),
    "verify_resend": Limit(
        by_account_or_ip,
        _("asked for several confirmation emails in a short time"),
    ),
}


@checks.register()
def check_rates(app_configs=None, **kwargs):
    """Every limit has a rate (or None), and every rate names a limit."""
    rates = getattr(settings, "RATE_LIMITS", {})
    errors = [
        checks.Error(f"RATE_LIMITS has no rate for {name!r}.", id="archive.E101")
        for name in LIMITS
        if name not in rates
    ]
    for name, rate in rates.items():
        if name not in LIMITS:
            errors.append(
                checks.Error(
                    f"RATE_LIMITS names {name!r}, which is no limit.",
                    hint=f"The limits are {', '.join(LIMITS)}.",
                    id="archive.E102",
                )
            )
        elif rate is not None and not rate_re.fullmatch(str(rate)):
            errors.append(
                checks.Error(
                    f"RATE_LIMITS[{name!r}] = {rate!r} is not a rate.",
                    hint='Write a count per period: "10/m", "5/h", "3/10m", "100/d".',
                    id="archive.E103",
                )
            )
    return errors


def comment_limit(request):
    """Guests and new accounts have tighter limits on comments than others."""
    user = request.user
    if not user.is_authenticated:
        return "comment_guest"
    new_for = timedelta(days=settings.RATE_LIMIT_NEW_ACCOUNT_DAYS)
    if user.date_joined > timezone.now() - new_for:
        return "comment_new_account"
    return "comment"


@dataclass(frozen=True)
class Refusal:
    name: str
    retry_after: int  # seconds

    @property
    def message(self):
        return _("You have %(done)s. Please try again in %(wait)s.") % {
            "done": LIMITS[self.name].done,
            "wait": wait_words(self.retry_after),
        }


def wait_words(seconds):
    """Say a wait in words, rounded up: "40 seconds", "3 minutes", "2 hours"."""
    if seconds < 60:
        return ngettext("%d second", "%d seconds", seconds) % seconds
    if seconds < 60 * 60:
        minutes = math.ceil(seconds / 60)
        return ngettext("%d minute", "%d minutes", minutes) % minutes
    hours = math.ceil(seconds / 3600)
    return ngettext("%d hour", "%d hours", hours) % hours


def check(request, name):
    """Count this request against the limit name; return a Refusal when it is
    over, else None. A request the limit does not count returns None."""
    limit = LIMITS[name]
    try:
        usage = get_usage(
            request,
            group=f"archive.{name}",
            key=limit.key,
            rate=settings.RATE_LIMITS[name],
            method=limit.methods,
            increment=True,
        )
    except (RedisError, OSError):
        # A cache that cannot count lets the request through (as
        # RATELIMIT_FAIL_OPEN does for a lost count): the site stays open, and
        # the log-in lock-out, in the database, still holds.
        log.warning("The rate limit %s could not be counted.", name, exc_info=True)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    # A window counts up to and through its last second.
    return Refusal(name, max(1, usage["time_left"] + 1))


def refused(request, refusal, status=429):
    """The 429 page: what happened, and when to try again."""
    response = render(
        request,
        "429.html",
        {"message": refusal.message, "retry_after": refusal.retry_after},
        status=status,
    )
    response["Retry-After"] = str(refusal.retry_after)
    return response


def limited(name, *, form_kept=False):
    """Limit a view by LIMITS[name], or by the name name(request) returns.

    Over the limit the view is not run and the 429 page answers; with
    form_kept=True the view runs, must call `refuse_form` before it validates
    its form, and its re-shown form is answered as a 429 with Retry-After.
    """

    def decorator(view):
        @wraps(view)
        def limited_view(request, *args, **kwargs):
            refusal = check(request, name(request) if callable(name) else name)
            if refusal is None:
                return view(request, *args, **kwargs)
            if not form_kept:
                return refused(request, refusal)
            request.rate_limit_refusal = refusal
            response = view(request, *args, **kwargs)
            if response.status_code < 300 or response.status_code >= 400:
                response.status_code = 429
                response["Retry-After"] = str(refusal.retry_after)
            return response

        return limited_view

    return decorator


def refuse_form(request, form):
    """Put the reason on the form of a request over its limit, so it is not
    valid and is shown again with what was typed; return whether it was."""
    refusal = getattr(request, "rate_limit_refusal", None)
    if refusal is not None:
        form.add_error(None, refusal.message)
    return refusal is not None


class RequestBudgetMiddleware:
    """Count every request but static files against its address's budget
    ("requests"), and answer the 429 page past it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.free = tuple(
            "/" + url.lstrip("/")
            for url in (settings.STATIC_URL, getattr(settings, "MEDIA_URL", ""))
            if url and url.strip("/")
        )

    def __call__(self, request):
        if not request.path.startswith(self.free):
            refusal = check(request, "requests")
            if refusal is not None:
                return refused(request, refusal)
        return self.get_response(request)


def login_locked_out(request, original_response=None, credentials=None):
    """The page of a log-in refused by the lock-out (AXES_LOCKOUT_CALLABLE)."""
    from axes.helpers import get_client_username, get_cool_off
    from axes.models import AccessAttempt

    cool_off = get_cool_off(request) or timedelta(0)
    username = get_client_username(request, credentials)
    who = Q(ip_address=getattr(request, "axes_ip_address", None) or client_ip(request))
    if username:
        who |= Q(username=username)
    now = timezone.now()
    last = AccessAttempt.objects.filter(
        who, attempt_time__gte=now - cool_off
    ).aggregate(last=Max("attempt_time"))["last"]
    seconds = math.ceil(((last or now) + cool_off - now).total_seconds())
    seconds = max(1, seconds)
    response = render(
        request,
        "registration/locked_out.html",
        {"wait": wait_words(seconds), "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response
