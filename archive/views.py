from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from archive import ratelimits
from archive.forms import PreferencesForm, SignupForm
from archive.redirects import redirect_to_next, safe_address
from stories.subscriptions import services as subscription_services
from stories.subscriptions.forms import NotificationPreferencesForm


@ratelimits.limited("signup", form_kept=True)
def signup(request):
    """Create an account and log straight in."""
    if request.user.is_authenticated:
        return redirect("stories:home")
    form = SignupForm(request.POST or None)
    ratelimits.refuse_form(request, form)
    if request.method == "POST" and form.is_valid():
        user = form.save()
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
        messages.success(request, "Your preferences were saved.")
        return redirect("preferences")
    return render(
        request,
        "archive/preferences.html",
        {"form": form, "notifications_form": notifications_form},
    )
