from django.contrib.auth import login
from django.shortcuts import get_object_or_404, redirect, render
from django.views.generic import ListView

from archive.forms import SignupForm
from archive.models import User
from archive.redirects import redirect_to_next
from stories.blurbs import render_blurbs
from stories.models import Work


def signup(request):
    """Create an account and log straight in."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect_to_next(request, "home")
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": request.GET.get("next", "")},
    )


class UserDetailView(ListView):
    """A person's profile: their works, drafts included when it is their own."""

    template_name = "archive/user_detail.html"
    paginate_by = 20
    context_object_name = "works"

    def get_queryset(self):
        self.profile_user = get_object_or_404(
            User, username=self.kwargs["username"], is_active=True
        )
        return (
            Work.objects.visible_to(self.request.user)
            .filter(owner=self.profile_user)
            .order_by("-updated_at", "-id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(profile_user=self.profile_user, **kwargs)
        context["blurbs"] = render_blurbs(context["works"], request=self.request)
        return context
