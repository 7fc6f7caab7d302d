"""The OPDS catalogue at /opds/: what an e-reader browses, searches and
downloads from.

Acquisition feeds are listings (stories/listing.py): the same query objects,
exclusions, cached entries and scopes as the HTML pages, so a reader signed
in with HTTP Basic never sees the tags they hide or the people they muted,
and drafts never appear. A feed page is kept as a cached part, like a listing
page, until a work on it or the listing itself changes.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import InvalidPage, Paginator
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from archive.params import text_from
from stories.caching import ALL_WORKS, TAG_NAMES, WORK, cached, cached_many, part
from stories.forms import WorkFilterForm, WorkSearchForm
from stories.listing import WorkQuery, hidden_for
from stories.models import Tag, TagKind, Work
from stories.opds.auth import basic_auth_reader, basic_auth_required
from stories.opds.catalogue import (
    ACQUISITION,
    NAVIGATION,
    SEARCH_DESCRIPTION,
    SITE_NAME,
    SORT_NEW,
    Link,
    feed,
    navigation_entry,
    search_description,
    work_entry,
)
from stories.search import parse_query

FANDOMS_PER_PAGE = 50


def _origin(request):
    """Return the scheme and host that every link of a document starts with."""
    return request.build_absolute_uri("/").rstrip("/")


def _common_links(origin):
    return [
        Link("start", origin + reverse("opds:root"), NAVIGATION, SITE_NAME),
        Link("search", origin + reverse("opds:search_description"), SEARCH_DESCRIPTION),
    ]


def _page_links(page, page_url, kind):
    """Return the links to the first, previous, next and last pages."""
    links = []
    if page.paginator.num_pages > 1:
        links.append(Link("first", page_url(1), kind))
        links.append(Link("last", page_url(page.paginator.num_pages), kind))
    if page.has_previous():
        links.append(Link("previous", page_url(page.previous_page_number()), kind))
    if page.has_next():
        links.append(Link("next", page_url(page.next_page_number()), kind))
    return links


def _addresses(origin, path, filters):
    """Return the feed's id and a function giving the address of its pages."""
    feed_id = origin + path + (f"?{filters}" if filters else "")

    def page_url(number):
        if number == 1:
            return feed_id
        return f"{origin}{path}?{filters}{'&' if filters else ''}page={number}"

    return feed_id, page_url


def _response(body, content_type):
    return HttpResponse(body, content_type=content_type)


def _root_feed(request):
    """Return the catalogue's start: newest works, fandoms, the reader's works."""
    origin = _origin(request)
    entries = [
        navigation_entry(
            href=origin + reverse("opds:work_list"),
            title=_("Newest works"),
            content=_("Works posted or updated most recently, newest first."),
            rel=SORT_NEW,
            kind=ACQUISITION,
        ),
        navigation_entry(
            href=origin + reverse("opds:fandom_list"),
            title=_("Fandoms"),
            content=_("Every fandom with posted works, by name."),
        ),
    ]
    if request.user.is_authenticated:
        entries.append(
            navigation_entry(
                href=origin + reverse("opds:user_works", args=[request.user.username]),
                title=_("Your works"),
                content=_("The works you posted."),
                kind=ACQUISITION,
            )
        )
    root = origin + reverse("opds:root")
    return _response(
        feed(
            feed_id=root,
            title=SITE_NAME,
            subtitle=_("Fan fiction to read on your e-reader."),
            links=[
                Link("self", root, NAVIGATION),
                *_common_links(origin),
                Link("alternate", origin + reverse("stories:home"), "text/html"),
            ],
            entries=entries,
            origin=origin,
        ),
        NAVIGATION,
    )


@require_safe
@basic_auth_reader
def root(request):
    """The navigation feed every e-reader starts from: /opds/."""
    return _root_feed(request)


@require_safe
@basic_auth_required
def signin(request):
    """The start feed, for clients that send credentials only when asked."""
    return _root_feed(request)


@require_safe
@basic_auth_reader
def fandom_list(request):
    """Every fandom with posted works, by name, a page at a time, minus the
    fandoms the reader hides."""
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        raise Http404(_("There is no such page.")) from None
    origin = _origin(request)
    hidden = hidden_for(request.user)

    def render():
        fandoms = (
            Tag.objects.most_used(TagKind.FANDOM)
            .exclude(pk__in=hidden.tag_ids)
            .order_by(Lower("name"), "pk")
            .only("name", "slug", "work_count")
        )
        paginator = Paginator(fandoms, FANDOMS_PER_PAGE)
        try:
            page = paginator.page(number)
        except InvalidPage as error:
            raise Http404(str(error)) from error
        feed_id, page_url = _addresses(origin, reverse("opds:fandom_list"), "")
        entries = [
            navigation_entry(
                href=origin + reverse("opds:tag_works", args=[fandom.slug]),
                title=fandom.name,
                content=ngettext("%(count)s work", "%(count)s works", fandom.work_count)
                % {"count": f"{fandom.work_count:,}"},
                kind=ACQUISITION,
            )
            for fandom in page.object_list
        ]
        return feed(
            feed_id=feed_id,
            title=_("Fandoms"),
            links=[
                Link("self", page_url(page.number), NAVIGATION),
                Link("up", origin + reverse("opds:root"), NAVIGATION),
                *_common_links(origin),
                Link("alternate", origin + reverse("stories:fandom_list"), "text/html"),
                *_page_links(page, page_url, NAVIGATION),
            ],
            entries=entries,
            origin=origin,
        )

    # A fandom's count changes with any work listed under it, and its name or
    # canonical spelling with wrangling.
    body = cached(
        part(
            "opds-fandoms",
            origin,
            hidden.cache_key,
            number,
            scopes=[ALL_WORKS, TAG_NAMES],
        ),
        render,
    )
    return _response(body, NAVIGATION)


@dataclass
class Listing:
    """An acquisition feed: the listing it shows and what it says of itself."""

    query: WorkQuery
    title: str
    up: str
    html_url: str


def work_entries(ids, origin):
    """Return the acquisition entries of these posted works, in order, as XML
    text, each kept until its work changes."""
    parts = [part("opds-entry", origin, pk, scopes=[WORK(pk)]) for pk in ids]

    def render_missing(missing):
        wanted = [item.vary[1] for item in missing]
        loaded = Work.objects.posted().filter(pk__in=wanted).for_listing().in_bulk()
        # A work deleted or taken back since its listing was found has none.
        return {
            item: work_entry(loaded[item.vary[1]], origin)
            if item.vary[1] in loaded
            else ""
            for item in missing
        }

    return [entry for entry in cached_many(parts, render_missing) if entry]


def _acquisition_response(request, listing):
    """Return a page of a listing as an acquisition feed."""
    query = listing.query
    entry = query.cached_entry(request.GET.get("page", ""))
    origin = _origin(request)

    def render():
        page = entry.page(query.page_size)
        paginator = page.paginator
        feed_id, page_url = _addresses(origin, request.path, query.filters)
        html_url = listing.html_url + (f"?{query.filters}" if query.filters else "")
        return feed(
            feed_id=feed_id,
            title=listing.title,
            subtitle=ngettext("%(count)s work", "%(count)s works", paginator.count)
            % {"count": paginator.count_display},
            links=[
                Link("self", page_url(page.number), ACQUISITION),
                Link("up", listing.up, NAVIGATION),
                *_common_links(origin),
                Link("alternate", origin + html_url, "text/html"),
                *_page_links(page, page_url, ACQUISITION),
            ],
            entries=work_entries(entry.ids, origin),
            origin=origin,
        )

    if query.per_reader:
        body = render()
    else:
        shown = query.scopes | {WORK(pk) for pk in entry.ids}
        body = cached(
            part(
                "opds-feed",
                origin,
                request.path,
                *query.vary,
                entry.number,
                scopes=shown,
            ),
            render,
        )
    return _response(body, ACQUISITION)


@require_safe
@basic_auth_reader
def work_list(request):
    """The newest works, as /works/ lists them (with its filters): /opds/works/."""
    origin = _origin(request)
    query = WorkQuery(
        request.GET, form_class=WorkFilterForm, hidden=hidden_for(request.user)
    )
    return _acquisition_response(
        request,
        Listing(
            query=query,
            title=_("Newest works"),
            up=origin + reverse("opds:root"),
            html_url=reverse("stories:work_list"),
        ),
    )


@require_safe
@basic_auth_reader
def tag_works(request, slug):
    """The works listed under a tag (a synonym's, its canonical tag's)."""
    tag = get_object_or_404(Tag.objects.select_related("merger"), slug=slug)
    tag = tag.merger or tag
    origin = _origin(request)
    query = WorkQuery(
        request.GET,
        form_class=WorkFilterForm,
        hidden=hidden_for(request.user),
        base_tag=tag,
    )
    return _acquisition_response(
        request,
        Listing(
            query=query,
            title=tag.name,
            up=origin + reverse("opds:fandom_list"),
            html_url=tag.get_absolute_url(),
        ),
    )


@require_safe
@basic_auth_reader
def user_works(request, username):
    """A person's posted works (never their drafts, even to themselves)."""
    person = get_object_or_404(get_user_model(), username=username, is_active=True)
    origin = _origin(request)
    query = WorkQuery(
        request.GET,
        form_class=WorkFilterForm,
        hidden=hidden_for(request.user),
        creator=person,
    )
    return _acquisition_response(
        request,
        Listing(
            query=query,
            title=_("Works by %(name)s") % {"name": person.username},
            up=origin + reverse("opds:root"),
            html_url=person.get_absolute_url(),
        ),
    )


@require_safe
@basic_auth_reader
def search(request):
    """Posted works found by the search box's rules, best match first."""
    text = text_from(request.GET, "q").strip()
    origin = _origin(request)
    query = WorkQuery(
        request.GET,
        form_class=WorkSearchForm,
        hidden=hidden_for(request.user),
        search=parse_query(text),
    )
    return _acquisition_response(
        request,
        Listing(
            query=query,
            title=_("Search: %(text)s") % {"text": text} if text else _("Search"),
            up=origin + reverse("opds:root"),
            html_url=reverse("stories:work_search"),
        ),
    )


@require_safe
def search_description_view(request):
    """The OpenSearch description e-readers read to search the catalogue."""
    origin = _origin(request)
    return _response(
        search_description(
            template=origin + reverse("opds:search") + "?q={searchTerms}",
            html_template=origin + reverse("stories:work_search") + "?q={searchTerms}",
        ),
        SEARCH_DESCRIPTION,
    )
