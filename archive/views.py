from django.contrib.auth import login
from django.shortcuts import get_object_or_404, redirect, render

from archive.forms import SignupForm
from archive.models import User
from archive.redirects import redirect_to_next
from stories.models import Work
from stories.views import WorkListView


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


class UserDetailView(WorkListView):
    """A person's profile and their works, with every filter of a listing;
    drafts too when it is their own."""

    template_name = "archive/user_detail.html"

    def get(self, request, *args, **kwargs):
        self.profile_user = get_object_or_404(
            User, username=self.kwargs["username"], is_active=True
        )
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        return Work.objects.visible_to(self.request.user).filter(
            owner=self.profile_user
        )

    def shows_drafts(self):
        # The owner and staff see the drafts as well.
        user = self.request.user
        return user.is_authenticated and (
            user.pk == self.profile_user.pk or user.is_staff
        )

    def listing_variant(self):
        return f"drafts-{int(self.shows_drafts())}"

    def get_page_context(self, listing):
        return {
            **super().get_page_context(listing),
            "heading": self.profile_user.username,
            "profile_user": self.profile_user,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(creator=self.profile_user, **kwargs)
