from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.functions import Lower
from django.forms.utils import ErrorDict
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import ListView, TemplateView

from archive import ratelimits, verification
from archive.params import id_from, id_or_404, ids_from, text_from
from archive.redirects import redirect_to_next, safe_address
from archive.templatetags import formats
from archive.verification import verified_to_post
from stories import creators, reading, services
from stories.adult import adult_notice_needed, continue_address, view_adult
from stories.blocking.models import Block
from stories.blocking.services import Refused, user_mute
from stories.blurbs import render_blurbs
from stories.caching import (
    ALL_WORKS,
    GUEST_COMMENTS,
    TAG,
    WORK,
    cached,
    page_response,
    part,
    render_marked,
    whole_for_guests,
)
from stories.engagement.hits import guest_digest, hits_counted
from stories.engagement.pages import kudos_context
from stories.filter_links import (
    active_filters,
    clear_all_address,
    facet_choice_address,
)
from stories.forms import (
    ChapterForm,
    CommentForm,
    CreatorInviteForm,
    HideForm,
    WorkFilterForm,
    WorkForm,
    WorkSearchForm,
)
from stories.listing import Criteria, WorkQuery, hidden_for, works_matching
from stories.models import (
    Chapter,
    Comment,
    Creatorship,
    CreatorshipStatus,
    HiddenTag,
    Tag,
    TagKind,
    TagRef,
    Work,
)
from stories.moderation.services import guest_comments_allowed
from stories.posting import preview as posting_preview
from stories.posting import services as posting
from stories.posting.editor import with_writing_editor
from stories.posting.forms import ScheduleForm
from stories.pseuds.models import Pseud
from stories.pseuds.services import byline_guess
from stories.reader_state import work_reader_state_of
from stories.readings.progress import reader_place
from stories.search import parse_query
from stories.series.navigation import series_lines

FANDOM_CHILDREN_SHOWN = 20
TAG_SUGGESTIONS_SHOWN = 10
TAG_SUGGESTION_MIN_LENGTH = 2


@method_decorator(whole_for_guests, name="dispatch")
class WorkListView(TemplateView):
    """Posted works, filtered and sorted by what the URL asks, minus what the
    reader always hides."""

    template_name = "stories/work_list.html"
    listing_template_name = "stories/_listing.html"
    filter_form_class = WorkFilterForm
    heading = _("Works")

    def get(self, request, *args, **kwargs):
        chosen = facet_choice_address(request)
        if chosen is not None:
            return redirect(chosen)
        query = self.get_queryset()
        entry = query.cached_entry(request.GET.get("page", ""))
        shown = query.scopes | {WORK(pk) for pk in entry.ids}
        return page_response(
            request,
            shown,
            lambda: render_marked(
                request, self.template_name, self.get_context_data(query, entry)
            ),
        )

    def get_queryset(self):
        """Return the listing this page shows."""
        return WorkQuery(
            self.request.GET,
            form_class=self.filter_form_class,
            hidden=hidden_for(self.request.user),
        )

    def get_context_data(self, query, entry, **kwargs):
        return super().get_context_data(
            heading=self.heading,
            listing=render_listing(
                self.request,
                query,
                entry,
                template_name=self.listing_template_name,
                context=lambda: self.get_listing_context(query),
            ),
            **kwargs,
        )

    def get_listing_context(self, query):
        """Return what the listing shows besides its works and sidebar."""
        return {}


def render_listing(request, query, entry, *, template_name, context):
    """Return a page of a listing as HTML: its results, pages and sidebar.

    Three kinds of cached part make it: the page's entry (which works, how
    many) and the sidebar, kept until a work of the listing changes; each
    blurb, kept until its work changes; and the page as rendered from them,
    kept until any of those changes. So a comment re-renders its work's
    blurb and the pages showing it, but re-lists none of them. context()
    returns what else the listing shows, asked for only to render it.
    """
    signed_in = request.user.is_authenticated

    def kept(item, compute):
        # What hides the reader's own reads, kudos and bookmarks is theirs alone.
        return compute() if query.per_reader else cached(item, compute)

    def render():
        page_obj = entry.page(query.page_size)
        shown = {**context(), "page_obj": page_obj}
        sidebar = kept(
            # Only signed-in readers are offered to hide what they read.
            part("sidebar", *query.vary, signed_in, scopes=query.scopes),
            lambda: _render_sidebar(request, query, shown),
        )
        return render_to_string(
            template_name,
            {
                **shown,
                "filter_form": query.form,
                "active_filters": active_filters(
                    request.path,
                    request.GET,
                    query.form,
                    # Only signed-in readers hide what they read.
                    not_applied=() if signed_in else ("hide",),
                ),
                "clear_filters": clear_all_address(request.path, request.GET),
                "hides_something": bool(query.hidden),
                "paginator": page_obj.paginator,
                "blurbs": render_blurbs(
                    entry.ids,
                    signed_in=signed_in,
                    muted=query.hidden.creator_ids,
                ),
                "sidebar": mark_safe(sidebar),  # noqa: S308
            },
            request=request,
        )

    page = part(
        "listing-page",
        template_name,
        *query.vary,
        entry.number,
        signed_in,
        scopes=query.scopes | {WORK(pk) for pk in entry.ids},
        dated=True,
    )
    return mark_safe(kept(page, render))  # noqa: S308


def _render_sidebar(request, query, context):
    """Return the filter form with the facets of the results, as HTML.

    It depends on the URL alone (and what the reader hides), so it is rendered
    once for every reader and page of the same listing.
    """
    return render_to_string(
        "stories/_filters.html",
        {
            **context,
            "filter_form": query.form,
            "facets": query.facets(),
            "clear_filters": clear_all_address(request.path, request.GET),
        },
        request=request,
    )


@method_decorator(whole_for_guests, name="dispatch")
class HomeView(TemplateView):
    """The front page: the most popular fandoms and the latest updates.

    The updates leave out what the reader always hides.
    """

    template_name = "stories/home.html"
    content_template_name = "stories/_home.html"
    latest_shown = 10
    fandoms_shown = 12

    def get(self, request, *args, **kwargs):
        hidden = hidden_for(request.user)
        latest = cached(
            part("home-latest", hidden.cache_key, scopes=[ALL_WORKS]),
            lambda: self.latest_ids(hidden),
        )
        shown = [ALL_WORKS, *(WORK(pk) for pk in latest)]
        signed_in = request.user.is_authenticated

        def render_content():
            return render_to_string(
                self.content_template_name,
                {
                    "fandoms": Tag.objects.most_used(TagKind.FANDOM)[
                        : self.fandoms_shown
                    ],
                    "blurbs": render_blurbs(
                        latest, signed_in=signed_in, muted=hidden.creator_ids
                    ),
                },
                request=request,
            )

        def render():
            content = cached(
                part("home", hidden.cache_key, signed_in, scopes=shown, dated=True),
                render_content,
            )
            context = self.get_context_data(content=mark_safe(content))  # noqa: S308
            return render_marked(request, self.template_name, context)

        return page_response(request, shown, render)

    def latest_ids(self, hidden):
        works = works_matching(Work.objects.posted(), Criteria(), hidden=hidden)
        return tuple(works.values_list("pk", flat=True)[: self.latest_shown])


class TagWorksView(WorkListView):
    """The works carrying one tag: /tags/<slug>/works/; a synonym's page goes
    to its canonical tag's."""

    def get(self, request, *args, **kwargs):
        self.tag = _tag_at(self.kwargs["slug"])
        if self.tag.merger_id is not None:
            return _redirect_to_canonical(request, self.tag)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return WorkQuery(
            self.request.GET,
            form_class=self.filter_form_class,
            hidden=hidden_for(self.request.user),
            base_tag=self.tag,
        )

    def get_context_data(self, query, entry, **kwargs):
        return super().get_context_data(query, entry, tag=self.tag, **kwargs)

    def get_listing_context(self, query):
        context = {"tag": self.tag}
        if self.tag.kind == TagKind.FANDOM:
            characters, relationships = cached(
                part("fandom-children", self.tag.pk, scopes=[TAG(self.tag.pk)]),
                lambda: _fandom_children(self.tag),
            )
            context["fandom_characters"] = characters
            context["fandom_relationships"] = relationships
        return context

    @property
    def heading(self):
        return self.tag.name


def _fandom_children(fandom):
    """Return a fandom's most used characters and relationships, as tuples."""
    children = [
        TagRef.of(tag)
        for tag in Tag.objects.children_of(fandom, shown=FANDOM_CHILDREN_SHOWN)
    ]
    return tuple(
        tuple(tag for tag in children if tag.kind == kind)
        for kind in (TagKind.CHARACTER, TagKind.RELATIONSHIP)
    )


def _tag_at(slug):
    """Return the tag whose page is at this address, or raise Http404.

    An address names one tag for as long as the tag lives, so which tag it
    names is kept without a scope; the tag itself is kept until it changes.
    """
    pk = cached(part("tag-address", slug), lambda: _tag_pk_at(slug))
    found = Tag.objects.select_related("merger")
    tag = cached(
        part("tag", pk, scopes=[TAG(pk)]),
        lambda: _as_ref(found.filter(pk=pk).first()),
    )
    if tag is None:
        # Deleted: a tag made since with the same name has its address.
        tag = _as_ref(found.filter(slug=slug).first())
    if tag is None:
        raise Http404(_("No tag has this address."))
    return tag


def _as_ref(tag):
    return None if tag is None else TagRef.of(tag)


def _tag_pk_at(slug):
    pk = Tag.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404(_("No tag has this address."))
    return pk


def _redirect_to_canonical(request, tag):
    """Send a synonym's page, with its filters, to its canonical tag's page."""
    query = request.GET.urlencode()
    return redirect(f"{tag.merger.get_absolute_url()}{'?' if query else ''}{query}")


class WorkSearchView(WorkListView):
    """Posted works found by the search box, best match first: /works/search.

    An empty search, or one with no letters or digits, finds nothing: the page
    then shows only the search form.
    """

    template_name = "stories/work_search.html"
    listing_template_name = "stories/_search_listing.html"
    filter_form_class = WorkSearchForm
    heading = _("Search works")

    def get_queryset(self):
        return WorkQuery(
            self.request.GET,
            form_class=self.filter_form_class,
            hidden=hidden_for(self.request.user),
            search=parse_query(self.search_text),
        )

    @cached_property
    def search_text(self):
        return text_from(self.request.GET, "q").strip()

    def get_context_data(self, query, entry, **kwargs):
        return super().get_context_data(
            query, entry, search_text=self.search_text, **kwargs
        )

    def get_listing_context(self, query):
        return {
            "heading": self.heading,
            "search_text": self.search_text,
            "searched": bool(query.search),
        }


class UserDetailView(WorkListView):
    """A person's profile and their works, with every filter of a listing;
    drafts too when it is their own (or for staff)."""

    template_name = "stories/user_detail.html"

    def get(self, request, *args, **kwargs):
        self.profile_user = get_object_or_404(
            get_user_model(), username=self.kwargs["username"], is_active=True
        )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        return WorkQuery(
            self.request.GET,
            form_class=self.filter_form_class,
            hidden=hidden_for(user),
            creator=self.profile_user,
            drafts=user.is_authenticated
            and (user.pk == self.profile_user.pk or user.is_staff),
        )

    def get_context_data(self, query, entry, **kwargs):
        if self.request.user.pk == self.profile_user.pk:
            kwargs["invitations_waiting"] = Creatorship.objects.filter(
                user=self.profile_user, status=CreatorshipStatus.INVITED
            ).count()
        # Outside the cached listing: whether this reader blocked or muted them.
        reader = self.request.user
        others = reader.is_authenticated and reader.pk != self.profile_user.pk
        return super().get_context_data(
            query,
            entry,
            profile_user=self.profile_user,
            is_muted=self.profile_user.pk in query.hidden.creator_ids,
            is_blocked=others
            and Block.objects.of(blocker=reader, user=self.profile_user).exists(),
            **kwargs,
        )

    def get_listing_context(self, query):
        return {"creator": self.profile_user}

    @property
    def heading(self):
        return self.profile_user.username


class FandomListView(ListView):
    """Every fandom with posted works, with how many."""

    template_name = "stories/fandom_list.html"
    context_object_name = "fandoms"

    def get_queryset(self):
        return Tag.objects.most_used(TagKind.FANDOM).order_by(Lower("name"))


def slash_dropped(request, **kwargs):
    """Send a reading address in this archive's old slashed form to AO3's form,
    which AO3's tools match, keeping its query (?view_full_work=true)."""
    path, mark, query = request.get_full_path().partition("?")
    return HttpResponsePermanentRedirect(path.removesuffix("/") + mark + query)


def chapter_address(request, pk):
    """Send AO3's short address of a chapter, /chapters/<id>, which AO3's tools
    are given, to the chapter's page, keeping its query (?view_adult=true).
    A chapter the reader may not read is not found."""
    chapter = get_object_or_404(
        Chapter.objects.visible_to(request.user)
        .filter(work__in=Work.objects.visible_to(request.user))
        .only("pk", "work_id"),
        pk=pk,
    )
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(
        chapter.get_absolute_url() + ("?" + query if query else "")
    )


def guests_sign_in(work_of):
    """Ask a guest to sign in where a view finds no work for them because the
    work is restricted to members: to the log-in page, coming back here.

    work_of(kwargs) returns the work's id, or a query of it; asked only when
    the view raised Http404, so a page found costs nothing more.
    """

    def decorate(view):
        @wraps(view)
        def asked(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except Http404:
                if request.user.is_authenticated or request.method != "GET":
                    raise
                wanted = work_of(kwargs)
                works = Work.objects.members_only()
                if isinstance(wanted, int):
                    works = works.filter(pk=wanted)
                else:
                    works = works.filter(pk__in=wanted)
                if not works.exists():
                    raise
                messages.info(
                    request,
                    _("This work is only for signed-in members. Please log in."),
                )
                return redirect_to_login(request.get_full_path())

        return asked

    return decorate


def _work_argument(name):
    return lambda kwargs: kwargs[name]


def _work_for_reading(request, pk):
    """Return the work if this person may read it (its tags load when shown)."""
    return get_object_or_404(
        Work.objects.visible_to(request.user).select_related("owner"), pk=pk
    )


@guests_sign_in(_work_argument("pk"))
@hits_counted("pk")
@whole_for_guests
def work_detail(request, pk):
    """Show a work: its first chapter, or every chapter with ?view_full_work=true."""
    if request.GET.get("view_full_work") == "true":
        work = _work_for_reading(request, pk)
        if adult_notice_needed(request, work.pk, work.rating):
            return _adult_notice(request, work.pk, work.title)
        chapters = list(
            Chapter.objects.filter(work=work)
            .visible_to(request.user)
            .order_by("position", "number")
        )
        counts = reading.chapter_comment_counts(request.user, chapters)
        for chapter in chapters:
            chapter.shown_comments = counts.get(chapter.pk, 0)
        # Reading the entire work reads to its last chapter.
        place = reading.page_place(work, chapters[-1], chapters) if chapters else None
        state = work_reader_state_of(request, work.pk)
        return render(
            request,
            "stories/work_full.html",
            {
                "work": work,
                "chapters": chapters,
                "can_edit": work.is_editable_by(request.user),
                "series_lines": series_lines(work, request.user),
                "view_adult": view_adult(request),
                "reader_state": state,
                "reader_place": reader_place(request, place, state=state),
                "kudos": kudos_context(
                    request.user, work, here=f"{request.get_full_path()}#kudos"
                ),
            },
        )
    return _reading_response(request, pk)


@guests_sign_in(_work_argument("work_pk"))
@hits_counted("work_pk")
@whole_for_guests
def chapter_detail(request, work_pk, pk):
    """Show one chapter with its neighbours and a page of its comments;
    ?reply_to=ID opens a reply form under that comment, on its page."""
    reply_to = id_from(request.GET.get("reply_to", ""))
    if reply_to is not None:
        page = reading.reply_page(request, work_pk, pk, reply_to=reply_to)
        rating = Work.objects.filter(pk=work_pk).values_list("rating", flat=True)
        if adult_notice_needed(request, work_pk, rating.first()):
            return _adult_notice(request, work_pk, page.title)
        return _chapter_response(request, page, work_pk=work_pk)
    return _reading_response(request, work_pk, pk)


def _reading_response(request, work_pk, chapter_pk=None):
    """Return a chapter's page (the work's first chapter when chapter_pk is
    None), or the page of a work whose chapters the reader may read none of."""

    def render():
        page = reading.reading_page(request, work_pk, chapter_pk)
        if page is None:
            work = _work_for_reading(request, work_pk)
            return render_marked(request, "stories/work_empty.html", {"work": work})
        # The reader's session decides it: outside the cached part. A guest
        # without a session is always shown it, so their kept page may be it.
        if adult_notice_needed(request, work_pk, page.place.rating):
            return render_marked(
                request, "stories/adult_notice.html", _notice_context(request, page)
            )
        # The signed-in reader's own: outside the cached part.
        state = work_reader_state_of(request, work_pk)
        return render_marked(
            request,
            "stories/chapter_detail.html",
            {
                "title": page.title,
                "content": page.content,
                "work_pk": work_pk,
                "view_adult": view_adult(request),
                "reader_state": state,
                "reader_place": reader_place(
                    request, page.place, state=state, on_work_page=chapter_pk is None
                ),
            },
        )

    return page_response(request, [WORK(work_pk), GUEST_COMMENTS], render)


def _chapter_response(request, page, *, work_pk, status=200):
    return render(
        request,
        "stories/chapter_detail.html",
        {
            "title": page.title,
            "content": page.content,
            "work_pk": work_pk,
            "view_adult": view_adult(request),
            "reader_state": work_reader_state_of(request, work_pk),
        },
        status=status,
    )


def _notice_context(request, page):
    return {
        "title": page.title,
        "work_pk": page.place.work_id,
        "continue_url": continue_address(request),
    }


def _adult_notice(request, work_pk, title):
    """Return the adult-content notice shown instead of a work's text."""
    return render(
        request,
        "stories/adult_notice.html",
        {
            "title": title,
            "work_pk": work_pk,
            "continue_url": continue_address(request),
        },
    )


@guests_sign_in(_work_argument("pk"))
def work_navigate(request, pk):
    """List a work's chapters with their dates; ?chapter=ID jumps to one."""
    work = _work_for_reading(request, pk)
    chapters = (
        Chapter.objects.filter(work=work)
        .visible_to(request.user)
        .defer("body", "notes", "end_notes")
        .order_by("position", "number")
    )
    wanted = request.GET.get("chapter", "")
    if wanted.isascii() and wanted.isdigit():
        # An id beyond any row's is not found, as an unknown one is.
        return redirect(get_object_or_404(chapters, pk=id_from(wanted)))
    return render(
        request,
        "stories/work_navigate.html",
        {"work": work, "chapters": chapters, "view_adult": view_adult(request)},
    )


def _editable_work(request, pk):
    return get_object_or_404(
        Work.objects.editable_by(request.user).select_related("owner"), pk=pk
    )


@login_required
def work_creators(request, pk):
    """List a work's creators and pending invitations; its owner invites
    people by user name (POST), any creator may see who is credited."""
    work = _editable_work(request, pk)
    is_owner = request.user.pk == work.owner_id or request.user.is_staff
    if request.method == "POST" and not is_owner:
        messages.error(request, _("Only the work's owner can invite creators."))
        return redirect("stories:work_creators", pk=work.pk)
    form = CreatorInviteForm(request.POST or None, work=work, inviter=request.user)
    if request.method == "POST":
        if form.is_valid():
            invitee = form.cleaned_data["username"]
            try:
                creators.work_invite_creator(
                    work=work, user=invitee, invited_by=request.user
                )
            except creators.CreatorshipRefused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(
                    request,
                    _("%(name)s is invited. They are credited once they accept.")
                    % {"name": invitee.username},
                )
            return redirect("stories:work_creators", pk=work.pk)
        messages.error(request, _("Nobody was invited."))
    # One row a person, with the pseuds they are credited under.
    creatorships = {}
    for creatorship in (
        Creatorship.objects.filter(work=work)
        .select_related("user", "invited_by", "pseud")
        .order_by("status", "position", "id")
    ):
        if creatorship.user_id not in creatorships:
            creatorship.pseud_names = []
            creatorships[creatorship.user_id] = creatorship
        if creatorship.pseud is not None:
            creatorships[creatorship.user_id].pseud_names.append(creatorship.pseud.name)
    creatorships = list(creatorships.values())
    return render(
        request,
        "stories/work_creators.html",
        {
            "work": work,
            "form": form,
            "creatorships": creatorships,
            "is_owner": is_owner,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def work_creator_remove(request, pk, user_pk):
    """Take a creator or an invitation off a work (its owner), or leave it (the
    creator themself)."""
    work = _editable_work(request, pk)
    # A creator credited under several pseuds has a row for each.
    creatorship = (
        Creatorship.objects.select_related("user")
        .filter(work=work, user_id=id_or_404(user_pk))
        .first()
    )
    if creatorship is None:
        raise Http404
    leaving = creatorship.user_id == request.user.pk
    try:
        creators.work_remove_creator(
            work=work, user=creatorship.user, removed_by=request.user
        )
    except creators.CreatorshipRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("stories:work_creators", pk=work.pk)
    if leaving:
        messages.success(
            request,
            _("You left “%(title)s”. You are no longer credited.")
            % {"title": work.title},
        )
        return redirect(request.user)
    if creatorship.is_accepted:
        text = _("%(name)s is no longer a creator of this work.")
    else:
        text = _("The invitation to %(name)s was withdrawn.")
    messages.success(request, text % {"name": creatorship.user.username})
    return redirect("stories:work_creators", pk=work.pk)


def _own_invitation(request, pk):
    return get_object_or_404(
        Creatorship.objects.select_related("work"),
        pk=pk,
        user=request.user,
        status=CreatorshipStatus.INVITED,
    )


@login_required
def invitation_list(request, username):
    """List the invitations to be a creator that a person has not answered yet;
    theirs alone to see."""
    if username != request.user.username:
        raise Http404(_("No such page."))
    invitations = (
        Creatorship.objects.filter(user=request.user, status=CreatorshipStatus.INVITED)
        .select_related("work", "invited_by")
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "stories/invitation_list.html",
        {"invitations": invitations, "pseuds": Pseud.objects.filter(user=request.user)},
    )


@login_required
@require_POST
@verified_to_post
def invitation_accept(request, pk):
    """Accept an invitation: the work credits its new creator."""
    invitation = _own_invitation(request, pk)
    # Accepted under the pseud chosen (one of theirs), else their default one.
    pseud = None
    if request.POST.get("pseud"):
        pseud = get_object_or_404(
            Pseud, pk=id_or_404(request.POST["pseud"]), user=request.user
        )
    creators.creatorship_accept(creatorship=invitation, user=request.user, pseud=pseud)
    messages.success(
        request,
        _("You are now a creator of “%(title)s”.") % {"title": invitation.work.title},
    )
    return redirect(invitation.work)


@login_required
@require_POST
def invitation_decline(request, pk):
    """Decline an invitation to be a creator."""
    invitation = _own_invitation(request, pk)
    creators.creatorship_decline(creatorship=invitation, user=request.user)
    messages.success(
        request,
        _("You declined to be a creator of “%(title)s”.")
        % {"title": invitation.work.title},
    )
    return redirect("stories:invitation_list", username=request.user.username)


def _import_into_initial(request, chapter_form, work_form=None):
    """Read an uploaded file into forms for the uploader to confirm, or return None.

    Returns the context of the confirmation page, or None when the file was
    refused (the error is then on the chapter form's upload field). The
    chapter form comes back bound to the file's parts, as the author will post
    them, so that what is wrong with them shows before Post.
    """
    if chapter_form.has_error("upload"):
        return None
    imported = chapter_form.imported
    from_file = {
        name: "" if value is None else value
        for name, value in chapter_form.initial_from_file().items()
    }
    parts = chapter_form.file_parts
    context = {
        "chapter_form": ChapterForm(
            {**request.POST.dict(), **from_file},
            initial=from_file,
            work=chapter_form.work,
            chapter=chapter_form.chapter,
        ),
        "guesses": imported.guesses,
        "word_count": imported.word_count,
        **posting_preview.preview_context(
            chapter=posting_preview.imported_chapter_preview(
                parts, work=chapter_form.work
            )
        ),
    }
    if work_form is not None:
        initial = _typed_initial(work_form)
        initial["title"] = initial.get("title") or imported.work_title
        # The byline credits the poster's pseud it names; only a name that is
        # none of theirs is offered as the original creator.
        initial.pop("pseuds", None)
        if work_form.data.getlist("pseuds"):
            initial["pseuds"] = work_form.data.getlist("pseuds")
        credited, guess = byline_guess(user=request.user, names=[imported.creator])
        if "pseuds" in credited:
            initial["pseuds"] = credited["pseuds"]
        if not initial.get("creator_credit"):
            initial["creator_credit"] = credited.get("creator_credit", "")
        if guess:
            context["guesses"] = [*context["guesses"], guess]
        if imported.in_progress:
            initial["expected_chapters"] = ""
        context["work_form"] = WorkForm(initial=initial, user=request.user)
        context["still_required"] = _still_required(context["work_form"])
    with_writing_editor(context["chapter_form"], context.get("work_form"))
    return context


def _typed_initial(form):
    """Return what was typed into a bound form as initial values, every box
    of a group of boxes (warnings, categories, pseuds) kept."""
    return {
        name: form.data.getlist(name)
        if getattr(field.widget, "allow_multiple_selected", False)
        else form.data.get(name)
        for name, field in form.fields.items()
        if name in form.data
    }


def _still_required(form):
    """Return the required fields of an unbound form that are still empty."""
    return [
        field
        for field in form.visible_fields()
        if field.field.required and field.value() in (None, "", [])
    ]


def _file_not_read(request, chapter_form, work_form=None):
    """Return the form page for a file that could not be read, or "Read file"
    pressed with none chosen: everything typed kept, the one error on the file
    field, none for fields nobody has filled in yet."""
    if request.FILES.get("upload"):
        errors = chapter_form.errors.get("upload")
    else:
        errors = [_("Choose a file to read, then press “Read file”.")]
    refusals = chapter_form.non_field_errors()
    chapter_form._errors = ErrorDict()
    for refusal in refusals:
        chapter_form.add_error(None, refusal)
    for error in errors:
        chapter_form.add_error("upload", forms.ValidationError(error, code="no_file"))
    context = {"chapter_form": chapter_form}
    if work_form is not None:
        context["work_form"] = WorkForm(
            initial=_typed_initial(work_form), user=request.user
        )
    with_writing_editor(context["chapter_form"], context.get("work_form"))
    return context


def _previewing(request):
    """Return whether the author pressed Preview: nothing is saved then."""
    return request.POST.get("action") == "preview"


def _unsaved_step(
    request, template, context, *, chapter_form, work_form=None, schedule_form=None
):
    """Return the page of a posting form's step that saves nothing, or None
    when its forms are valid and it is time to post or save.

    Those steps: a file read into the forms (what was guessed, the chapter as
    it will read), "Read file" pressed without a file or with one that cannot
    be read, forms with errors, and Preview.
    """
    if request.FILES.get("upload"):
        confirm = _import_into_initial(request, chapter_form, work_form)
        if confirm is not None:
            kept = schedule_form and _schedule_kept(request)
            return render(
                request, template, {**context, **confirm, "schedule_form": kept}
            )
        context.update(_file_not_read(request, chapter_form, work_form))
        return render(request, template, context)
    if request.POST.get("action") == "read":
        context.update(_file_not_read(request, chapter_form, work_form))
        return render(request, template, context)
    forms_ = [form for form in (work_form, chapter_form, schedule_form) if form]
    # Every form checked, so the page shows all their errors at once.
    valid = [form.is_valid() for form in forms_]
    if not all(valid):
        return render(request, template, context)
    if _previewing(request):
        work = work_form and posting_preview.work_preview(work_form, user=request.user)
        context |= posting_preview.preview_context(
            work=work, chapter=posting_preview.chapter_preview(chapter_form)
        )
        return render(request, template, context)
    return None


def _schedule_kept(request):
    """Return the schedule form for the guesses page, with the time typed kept."""
    return ScheduleForm(
        initial={"post_at": request.POST.get(f"{ScheduleForm.prefix}-post_at", "")}
    )


def _scheduled_message(when):
    return _("Scheduled for %(when)s. Until then it is a draft only you can see.") % {
        "when": formats.shown(when, "time")
    }


@login_required
@verified_to_post(form_kept=True)
def work_create(request):
    """Post a new work with its first chapter, typed in or uploaded."""
    work_form = WorkForm(request.POST or None, user=request.user)
    chapter_form = ChapterForm(request.POST or None, request.FILES or None)
    schedule_form = ScheduleForm(request.POST or None)
    with_writing_editor(work_form, chapter_form)
    context = {
        "work_form": work_form,
        "chapter_form": chapter_form,
        "schedule_form": schedule_form,
    }
    verification.refuse_form(request, work_form)
    if request.method == "POST":
        step = _unsaved_step(
            request,
            "stories/work_form.html",
            context,
            chapter_form=chapter_form,
            work_form=work_form,
            schedule_form=schedule_form,
        )
        if step is not None:
            return step
        post_at = schedule_form.scheduled_time
        with transaction.atomic():
            work = services.work_create(
                owner=request.user,
                first_chapter=chapter_form.chapter_text(),
                warnings=work_form.cleaned_data["warnings"],
                categories=work_form.cleaned_data["categories"],
                tags=work_form.tag_names(),
                post=request.POST.get("action") != "draft" and post_at is None,
                **work_form.work_fields(),
            )
            if post_at is not None:
                posting.work_schedule(work=work, post_at=post_at)
        if post_at is not None:
            messages.success(request, _scheduled_message(post_at))
        else:
            messages.success(
                request,
                _("Work posted.")
                if work.is_posted
                else _("Draft saved. Only you can see it."),
            )
        return redirect(work)
    return render(request, "stories/work_form.html", context)


@login_required
@verified_to_post
def work_edit(request, pk):
    """Change a work's details and tags."""
    work = _editable_work(request, pk)
    scheduled_for = work.scheduled_for
    form = with_writing_editor(
        WorkForm(request.POST or None, instance=work, user=request.user)
    )
    # A draft may be scheduled, or its schedule changed or cancelled.
    schedule_form = (
        None
        if work.is_posted
        else ScheduleForm(request.POST or None, scheduled_for=scheduled_for)
    )
    context = {
        "work_form": form,
        "work": work,
        "schedule_form": schedule_form,
        "scheduled_for": scheduled_for,
    }
    if request.method == "POST" and all(
        [form.is_valid(), schedule_form is None or schedule_form.is_valid()]
    ):
        if _previewing(request):
            context |= posting_preview.preview_context(
                work=posting_preview.work_preview(form, user=request.user)
            )
            return render(request, "stories/work_form.html", context)
        post_at = schedule_form.scheduled_time if schedule_form is not None else None
        with transaction.atomic():
            services.work_update(
                work=work,
                warnings=form.cleaned_data["warnings"],
                categories=form.cleaned_data["categories"],
                tags=form.tag_names(),
                **form.work_fields(),
            )
            if post_at is not None and post_at != scheduled_for:
                posting.work_schedule(work=work, post_at=post_at)
            elif post_at is None and scheduled_for is not None:
                posting.work_unschedule(work=work)
        messages.success(request, _("Work updated."))
        if post_at is not None:
            messages.success(request, _scheduled_message(post_at))
        return redirect(work)
    return render(request, "stories/work_form.html", context)


@login_required
def work_delete(request, pk):
    """Delete a work after the owner confirms; its other creators may not."""
    work = get_object_or_404(Work.objects.deletable_by(request.user), pk=pk)
    if request.method == "POST":
        title = work.title
        owner = work.owner
        services.work_delete(work=work)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": title})
        return redirect(owner)
    return render(request, "stories/work_confirm_delete.html", {"work": work})


@login_required
@require_POST
@verified_to_post
def work_post(request, pk):
    """Post a draft work so readers can find it."""
    work = _editable_work(request, pk)
    if not work.is_posted:
        services.work_post(work=work)
        messages.success(request, _("Work posted."))
    return redirect(work)


@login_required
@verified_to_post(form_kept=True)
def chapter_create(request, work_pk):
    """Add a chapter to a work, typed in or uploaded."""
    work = _editable_work(request, work_pk)
    form = ChapterForm(request.POST or None, request.FILES or None, work=work)
    with_writing_editor(form)
    # A draft work's chapters are posted with the work: only a posted work's
    # new chapter may be scheduled.
    schedule_form = ScheduleForm(request.POST or None) if work.is_posted else None
    context = {"chapter_form": form, "work": work, "schedule_form": schedule_form}
    verification.refuse_form(request, form)
    if request.method == "POST":
        step = _unsaved_step(
            request,
            "stories/chapter_form.html",
            context,
            chapter_form=form,
            schedule_form=schedule_form,
        )
        if step is not None:
            return step
        post_at = schedule_form.scheduled_time if schedule_form is not None else None
        with transaction.atomic():
            chapter = services.chapter_create(
                work=work,
                text=form.chapter_text(),
                post=request.POST.get("action") != "draft" and post_at is None,
            )
            if post_at is not None:
                posting.chapter_schedule(chapter=chapter, post_at=post_at)
        messages.success(
            request,
            _scheduled_message(post_at) if post_at is not None else _("Chapter added."),
        )
        return redirect(chapter)
    return render(request, "stories/chapter_form.html", context)


def _editable_chapter(request, work_pk, pk):
    work = _editable_work(request, work_pk)
    return work, get_object_or_404(Chapter, work=work, pk=pk)


@login_required
@verified_to_post(form_kept=True)
def chapter_edit(request, work_pk, pk):
    """Change a chapter's text, notes, title or number."""
    work, chapter = _editable_chapter(request, work_pk, pk)
    initial = {
        "number": chapter.number,
        "chapter_title": chapter.title,
        "chapter_notes": chapter.notes,
        "body": chapter.body,
        "chapter_end_notes": chapter.end_notes,
    }
    form = ChapterForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        work=work,
        chapter=chapter,
    )
    with_writing_editor(form)
    scheduled_for = chapter.scheduled_for
    # A draft chapter of a posted work may be scheduled, changed or cancelled.
    schedule_form = (
        ScheduleForm(request.POST or None, scheduled_for=scheduled_for)
        if work.is_posted and not chapter.is_posted
        else None
    )
    context = {
        "chapter_form": form,
        "work": work,
        "chapter": chapter,
        "schedule_form": schedule_form,
        "scheduled_for": scheduled_for,
    }
    verification.refuse_form(request, form)
    if request.method == "POST":
        step = _unsaved_step(
            request,
            "stories/chapter_form.html",
            context,
            chapter_form=form,
            schedule_form=schedule_form,
        )
        if step is not None:
            return step
        post_now = request.POST.get("action") == "post" and not chapter.is_posted
        post_at = (
            None if post_now or schedule_form is None else schedule_form.scheduled_time
        )
        with transaction.atomic():
            services.chapter_update(chapter=chapter, text=form.chapter_text())
            if post_now:
                services.chapter_post(chapter=chapter)
            elif post_at is not None and post_at != scheduled_for:
                posting.chapter_schedule(chapter=chapter, post_at=post_at)
            elif post_at is None and scheduled_for is not None:
                posting.chapter_unschedule(chapter=chapter)
        messages.success(request, _("Chapter updated."))
        if post_at is not None:
            messages.success(request, _scheduled_message(post_at))
        return redirect(chapter)
    return render(request, "stories/chapter_form.html", context)


@login_required
def chapter_delete(request, work_pk, pk):
    """Delete a chapter after the owner confirms."""
    work, chapter = _editable_chapter(request, work_pk, pk)
    if request.method == "POST":
        try:
            services.chapter_delete(chapter=chapter)
        except ValueError:
            messages.error(
                request,
                _("A work needs at least one chapter. Delete the whole work instead."),
            )
            return redirect(chapter)
        messages.success(request, _("Chapter deleted."))
        return redirect(work)
    return render(
        request,
        "stories/chapter_confirm_delete.html",
        {"work": work, "chapter": chapter},
    )


@login_required
def chapters_reorder(request, work_pk):
    """Put a work's chapters in a new order, given as position numbers."""
    work = _editable_work(request, work_pk)
    chapters = list(
        work.chapters.defer("body", "notes", "end_notes").order_by("position", "number")
    )
    if request.method == "POST":
        positions = []
        for chapter in chapters:
            value = request.POST.get(f"position-{chapter.pk}", "")
            if not (value.strip().isascii() and value.strip().isdigit()):
                messages.error(request, _("Give every chapter a position number."))
                return render(
                    request,
                    "stories/chapter_reorder.html",
                    {"work": work, "chapters": chapters},
                    status=400,
                )
            positions.append((int(value), chapter.position, chapter.pk))
        services.chapters_reorder(
            work=work, chapter_ids=[pk for *_ignored, pk in sorted(positions)]
        )
        messages.success(request, _("Chapters reordered."))
        return redirect(work)
    return render(
        request, "stories/chapter_reorder.html", {"work": work, "chapters": chapters}
    )


@guests_sign_in(_work_argument("work_pk"))
@ratelimits.limited(ratelimits.comment_limit, form_kept=True)
@verified_to_post(form_kept=True)
def comment_create(request, work_pk, pk):
    """Post a comment or a reply on a chapter; a failed one keeps its text.

    A refused comment is shown again at this address, so links and log-ins
    made from that page may come back here by GET: they go to the chapter.
    """
    work, chapter = reading.readable(request.user, work_pk, pk)
    if request.method != "POST":
        query = request.GET.urlencode()
        return redirect(f"{chapter.get_absolute_url()}{'?' if query else ''}{query}")
    if not (
        request.user.is_authenticated
        or (work.allow_guest_comments and guest_comments_allowed())
    ):
        return redirect_to_login(chapter.get_absolute_url())
    form = CommentForm(request.POST, user=request.user)
    ratelimits.refuse_form(request, form)
    verification.refuse_form(request, form)
    parent = None
    parent_id = request.POST.get("parent", "")
    if parent_id:
        if not (parent_id.isascii() and parent_id.isdigit()):
            return HttpResponseBadRequest(_("That is not a comment to reply to."))
        parent = get_object_or_404(
            Comment, pk=id_from(parent_id), chapter=chapter, is_deleted=False
        )
    if form.is_valid():
        user = request.user if request.user.is_authenticated else None
        try:
            comment = services.comment_post(
                chapter=chapter,
                parent=parent,
                user=user,
                body=form.cleaned_data["body"],
                guest_name=form.cleaned_data.get("guest_name", ""),
                guest_email=form.cleaned_data.get("guest_email", ""),
                guest_digest="" if user else guest_digest(request, "comments"),
            )
        except services.CommentBlocked as refusal:
            messages.error(request, str(refusal))
            return redirect(f"{chapter.get_absolute_url()}#comments")
        except services.CommentDuplicate as refusal:
            form.add_error(None, str(refusal))
        else:
            if comment.is_held:
                messages.success(
                    request,
                    _(
                        "Comment sent. It will show once a creator of the work "
                        "approves it."
                    ),
                )
                return redirect(f"{chapter.get_absolute_url()}#comments")
            messages.success(request, _("Comment posted."))
            return redirect(reading.comment_url(comment))
    page = reading.chapter_page(
        request,
        work,
        chapter,
        comment_form=form,
        reply_to=parent.pk if parent else None,
    )
    return _chapter_response(request, page, work_pk=work.pk, status=400)


@guests_sign_in(
    lambda kwargs: Comment.objects.filter(pk=kwargs["pk"]).values("work_id")
)
def comment_detail(request, pk):
    """Go to a comment on the page of its chapter that shows it."""
    comment = get_object_or_404(Comment.objects.select_related("chapter"), pk=pk)
    reading.readable(request.user, comment.work_id, comment.chapter_id)
    return redirect(reading.comment_url(comment))


@login_required
@verified_to_post(form_kept=True)
def comment_edit(request, pk):
    """Change one's own comment."""
    comment = get_object_or_404(
        Comment.objects.select_related("chapter", "work"),
        pk=pk,
        user=request.user,
        is_deleted=False,
    )
    form = CommentForm(
        request.POST or None, user=request.user, initial={"body": comment.body}
    )
    verification.refuse_form(request, form)
    if request.method == "POST" and form.is_valid():
        services.comment_edit(comment=comment, body=form.cleaned_data["body"])
        messages.success(request, _("Comment updated."))
        return redirect(reading.comment_url(comment))
    return render(
        request, "stories/comment_form.html", {"form": form, "comment": comment}
    )


@login_required
def comment_delete(request, pk):
    """Delete a comment: its writer, the work's owner or staff may."""
    comment = get_object_or_404(
        Comment.objects.select_related("chapter", "work"), pk=pk, is_deleted=False
    )
    if not comment.is_deletable_by(request.user, comment.work.creator_ids):
        raise PermissionDenied
    if request.method == "POST":
        chapter = comment.chapter
        services.comment_delete(comment=comment)
        messages.success(request, _("Comment deleted."))
        return redirect(f"{chapter.get_absolute_url()}#comments")
    return render(request, "stories/comment_confirm_delete.html", {"comment": comment})


@login_required
def hidden_list(request):
    """List the tags a reader hides, add tags by name, or show them again; the
    authors they hide are the users they muted, listed with a link to those."""
    form = HideForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            services.reader_unhide(
                reader=request.user, tag_ids=ids_from(request.POST.getlist("tag"))
            )
            messages.success(request, _("They will show in listings again."))
            return redirect("stories:hidden_list")
        if form.is_valid():
            services.reader_hide(reader=request.user, tags=form.cleaned_data["tags"])
            messages.success(request, _("Hidden from every listing and feed."))
            return redirect("stories:hidden_list")
    context = {
        "form": form,
        "hidden_tags": HiddenTag.objects.filter(reader=request.user)
        .select_related("tag")
        .order_by("tag__name"),
        "muted_users": get_user_model()
        .objects.filter(muted_by__muter=request.user)
        .order_by("username"),
    }
    return render(request, "stories/hidden_list.html", context)


@login_required
def work_hide(request, pk):
    """Offer to hide one of a work's tags, or its author, from every listing."""
    work = _work_for_reading(request, pk)
    tags = [tag for _kind, tags in work.tag_sections for tag in tags]
    if request.method == "POST":
        chosen = set(ids_from(request.POST.getlist("tag")))
        muting = set(ids_from(request.POST.getlist("creator_id")))
        services.reader_hide(
            reader=request.user, tags=[tag for tag in tags if tag.pk in chosen]
        )
        # Hiding an author is muting them: one list, at /users/<name>/muted/.
        for creator in work.creators:
            if creator.pk not in muting:
                continue
            try:
                user_mute(muter=request.user, muted=creator)
            except Refused as refusal:
                messages.error(request, str(refusal))
                return redirect_to_next(request, "stories:hidden_list")
        messages.success(request, _("Hidden from every listing and feed."))
        return redirect_to_next(request, "stories:hidden_list")
    return render(
        request,
        "stories/work_hide.html",
        {
            "work": work,
            "tags": tags,
            "next": safe_address(
                request, request.GET.get("next") or request.headers.get("Referer", "")
            ),
        },
    )


@require_GET
def tag_autocomplete(request):
    """Return, as JSON, the tags to suggest for ?q= (of one ?kind=, if given)."""
    text = " ".join(text_from(request.GET, "q").split())
    kind = request.GET.get("kind", "")
    if kind and kind not in TagKind.values:
        return JsonResponse({"error": _("There is no such kind of tag.")}, status=400)
    tags = Tag.objects.none()
    if len(text) >= TAG_SUGGESTION_MIN_LENGTH:
        tags = Tag.objects.suggested_for(text)
    if kind:
        tags = tags.filter(kind=kind)
    rows = tags.values("name", "kind", "canonical", "work_count")
    results = [
        {
            "name": row["name"],
            "kind": row["kind"],
            "canonical": row["canonical"],
            "works": row["work_count"],
        }
        for row in rows[:TAG_SUGGESTIONS_SHOWN]
    ]
    return JsonResponse({"results": results})
