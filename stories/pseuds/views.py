from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from archive.verification import verified_to_post
from stories.listing import WorkQuery, hidden_for
from stories.pseuds import services
from stories.pseuds.forms import PseudForm
from stories.pseuds.models import Pseud
from stories.views import UserDetailView


def _person(username):
    return get_object_or_404(get_user_model(), username=username, is_active=True)


def _pseud_of(user, name):
    """Return a person's pseud by its name in an address (any case), or 404."""
    pseud = Pseud.objects.filter(user=user, name__iexact=name).first()
    if pseud is None:
        raise Http404(_("No such pseud."))
    pseud.user = user
    return pseud


def _own_pseuds_page(request, username):
    """Return the signed-in person when the address is theirs; 404 otherwise,
    as for a page that is not there."""
    if username != request.user.username:
        raise Http404(_("No such page."))
    return request.user


class PseudDetailView(UserDetailView):
    """A pseud's page at AO3's address /users/<user>/pseuds/<pseud>: its
    description and the works credited to it, with every filter of a listing."""

    template_name = "pseuds/pseud_detail.html"

    def get(self, request, *args, **kwargs):
        self.profile_user = _person(self.kwargs["username"])
        self.pseud = _pseud_of(self.profile_user, self.kwargs["pseud"])
        # The listing's own get, past the profile's (which finds the person).
        return super(UserDetailView, self).get(request, *args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        return WorkQuery(
            self.request.GET,
            form_class=self.filter_form_class,
            hidden=hidden_for(user),
            creator=self.profile_user,
            pseud=self.pseud,
            drafts=user.is_authenticated
            and (user.pk == self.profile_user.pk or user.is_staff),
        )

    def get_context_data(self, query, entry, **kwargs):
        return super().get_context_data(query, entry, pseud=self.pseud, **kwargs)

    @property
    def heading(self):
        return self.pseud.byline


pseud_detail = PseudDetailView.as_view()


def pseud_list(request, username):
    """List a person's pseuds; to its person, with the ways to change them."""
    person = _person(username)
    pseuds = Pseud.objects.filter(user=person)
    for pseud in pseuds:
        pseud.user = person
    return render(
        request,
        "pseuds/pseud_list.html",
        {
            "person": person,
            "pseuds": pseuds,
            "is_own": request.user.pk == person.pk,
            "form": PseudForm(user=person) if request.user.pk == person.pk else None,
        },
    )


@login_required
@verified_to_post
def pseud_create(request, username):
    """Add a pseud to the signed-in person's."""
    person = _own_pseuds_page(request, username)
    form = PseudForm(request.POST or None, user=person)
    if request.method == "POST" and form.is_valid():
        try:
            pseud = services.pseud_create(
                user=person,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except services.PseudRefused as refusal:
            form.add_error("name", str(refusal))
        else:
            messages.success(
                request, _("Pseud “%(name)s” added.") % {"name": pseud.name}
            )
            return redirect("pseuds:pseud_list", username=person.username)
    return render(
        request,
        "pseuds/pseud_form.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


@login_required
@verified_to_post
def pseud_edit(request, username, pseud):
    """Rename one of the signed-in person's pseuds or change its description."""
    person = _own_pseuds_page(request, username)
    pseud = _pseud_of(person, pseud)
    form = PseudForm(request.POST or None, instance=pseud, user=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.pseud_update(
                pseud=pseud,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except services.PseudRefused as refusal:
            form.add_error("name", str(refusal))
        else:
            messages.success(request, _("Pseud updated."))
            return redirect("pseuds:pseud_list", username=person.username)
    # What the form failed on is not the pseud's name yet.
    pseud.refresh_from_db(fields=["name", "description"])
    return render(
        request,
        "pseuds/pseud_form.html",
        {"form": form, "person": person, "pseud": pseud},
        status=400 if form.errors else 200,
    )


@login_required
def pseud_delete(request, username, pseud):
    """Delete one of the signed-in person's pseuds, after they confirm; its
    works move to their default pseud."""
    person = _own_pseuds_page(request, username)
    pseud = _pseud_of(person, pseud)
    if pseud.is_default:
        messages.error(request, _("Your default pseud cannot be deleted."))
        return redirect("pseuds:pseud_list", username=person.username)
    if request.method == "POST":
        services.pseud_delete(pseud=pseud)
        messages.success(
            request,
            _("Pseud “%(name)s” deleted; its works are now under your default pseud.")
            % {"name": pseud.name},
        )
        return redirect("pseuds:pseud_list", username=person.username)
    works = pseud.creatorships.values("work_id").distinct().count()
    return render(
        request,
        "pseuds/pseud_delete.html",
        {"person": person, "pseud": pseud, "works": works},
    )
