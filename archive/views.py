from django.contrib.auth import login
from django.shortcuts import redirect, render

from archive.forms import SignupForm
from archive.redirects import redirect_to_next, safe_address


def signup(request):
    """Create an account and log straight in."""
    if request.user.is_authenticated:
        return redirect("stories:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect_to_next(request, "stories:home")
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": safe_address(request, request.GET.get("next", ""))},
    )
