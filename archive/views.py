from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive import languages, ratelimits, verification
from archive import preferences as reading
from archive.forms import GuestPreferencesForm, PreferencesForm, SignupForm
from archive.redirects import redirect_to_next, safe_address
from stories.subscriptions import services as subscription_services
from stories.subscriptions.forms import NotificationPreferencesForm


@ratelimits.limited("signup", form_kept=True)
def signup(request):
    """Create an account, log straight in, and email the link that confirms
    its address (queued once the account commits)."""
    if request.user.is_authenticated:
        return redirect("stories:home")
    form = SignupForm(request.POST or None)
    ratelimits.refuse_form(request, form)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Its emails are written in the language it signed up in.
        languages.user_language_set(user=user, language=get_language())
        verification.verification_email_on_commit(user)
        messages.success(
            request,
            _(
                "Welcome! We emailed a link to %(email)s: follow it to confirm "
                "your address, and you can post works and comments."
            )
            % {"email": user.email},
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect_to_next(request, "stories:home")
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": safe_address(request, request.GET.get("next", ""))},
    )


@login_required
def preferences(request):
    """Show and change the signed-in reader's preferences."""
    # Unticking every box posts nothing, which is still an answer.
    posted = request.method == "POST"
    form = PreferencesForm(request.POST if posted else None, instance=request.user)
    notifications_form = NotificationPreferencesForm(
        request.POST if posted else None,
        instance=subscription_services.preferences_of(request.user),
    )
    if posted and form.is_valid() and notifications_form.is_valid():
        form.save()
        subscription_services.notification_preferences_set(
            user=request.user, **notifications_form.cleaned_data
        )
        messages.success(request, _("Your preferences were saved."))
        return redirect("preferences")
    return render(
        request,
        "archive/preferences.html",
        {"form": form, "notifications_form": notifications_form},
    )


def reading_preferences(request):
    """Show and change a guest's reading preferences, which their browser
    keeps in a cookie; an account keeps its own on the preferences page."""
    if request.user.is_authenticated:
        return redirect("preferences")
    if request.method == "POST":
        form = GuestPreferencesForm(request.POST)
        if form.is_valid():
            messages.success(request, _("Your preferences were saved in this browser."))
            response = redirect_to_next(request, "reading_preferences")
            response.set_cookie(
                reading.COOKIE_NAME,
                form.preferences().as_cookie(),
                max_age=reading.COOKIE_MAX_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
    else:
        form = GuestPreferencesForm(initial=asdict(reading.reader_preferences(request)))
    return render(
        request,
        "archive/reading_preferences.html",
        {"form": form, "next": safe_address(request, request.GET.get("next", ""))},
    )


def favicon(request):
    """Send the browsers that ask for /favicon.ico to the site's icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def verify_email(request, uidb64, token):
    """Confirm an account's email address by the link emailed to it."""
    User = get_user_model()
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is not None and verification.email_verify(user=user, token=token):
        messages.success(
            request,
            _("Your email address is confirmed. You can post works and comments."),
        )
        return redirect("stories:home")
    return render(request, "registration/verify_invalid.html", status=400)


@login_required
def verify_notice(request):
    """Say why posting waits for a confirmed address, with a button to resend."""
    if request.user.email_verified:
        messages.info(request, _("Your email address is confirmed already."))
        return redirect("preferences")
    return render(request, "registration/verify_required.html")


@login_required
@require_POST
@ratelimits.limited("verify_resend")
def verify_resend(request):
    """Email the signed-in account a new link to confirm its address."""
    if request.user.email_verified:
        messages.info(request, _("Your email address is confirmed already."))
    else:
        verification.verification_email_on_commit(request.user)
        messages.success(
            request,
            _("We emailed a new link to %(email)s. It may take a few minutes.")
            % {"email": request.user.email},
        )
    return redirect_to_next(request, "preferences")
