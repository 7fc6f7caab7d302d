"""The read API: what a guest may see of the archive, as JSON.

Every view answers as to a guest, whoever asks (no authentication is read),
so one answer serves everyone and may be kept by any cache for API_MAX_AGE
seconds; its ETag is a digest of its content, so it changes when the data
does and a conditional GET of an unchanged answer is a 304.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import FloatField, Prefetch, prefetch_related_objects
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin, RetrieveModelMixin
from rest_framework.permissions import AllowAny

from stories.api import serializers as api
from stories.api.filters import (
    TAG_FILTER_PARAMETERS,
    ApiWorkFilterForm,
    ApiWorkSearchForm,
    TagFilterForm,
    form_parameters,
)
from stories.api.pagination import KeysetPagination
from stories.bookmarks.models import Bookmark
from stories.listing import Hidden, WorkQuery
from stories.models import Chapter, Tag, Work
from stories.querysets import creators_prefetch, work_tags_prefetch
from stories.search import parse_query
from stories.series.models import Series, SeriesWork
from stories.series.navigation import series_lines

# Whoever asks, the API answers as to a guest.
GUEST = AnonymousUser()

DETAIL = inline_serializer("Detail", {"detail": serializers.CharField()})
ERRORS = {
    404: OpenApiResponse(DETAIL, description="Not found, or not for guests."),
    429: OpenApiResponse(DETAIL, description="Too many requests: see Retry-After."),
}
LIST_ERRORS = {
    **ERRORS,
    400: OpenApiResponse(
        OpenApiTypes.OBJECT, description="A parameter's errors, by its name."
    ),
}


def validated(request, response):
    """Give a successful GET its ETag and Cache-Control; a 304 when unchanged."""
    if request.method not in {"GET", "HEAD"} or response.status_code != 200:
        return response
    if not getattr(response, "is_rendered", True):
        response.render()
    set_response_etag(response)
    patch_cache_control(response, public=True, max_age=settings.API_MAX_AGE)
    return get_conditional_response(request, etag=response["ETag"], response=response)


class ApiMixin:
    """Read only, as a guest; ETags and Cache-Control on every answer."""

    http_method_names = ["get", "head", "options"]
    authentication_classes = ()
    permission_classes = (AllowAny,)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return validated(request, response)


class ApiView(ApiMixin, GenericAPIView):
    pagination_class = None


class DetailView(RetrieveModelMixin, ApiView):
    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)


class ListView(ListModelMixin, ApiView):
    pagination_class = KeysetPagination

    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


def _listing_params(request):
    """Return the request's parameters but the paging ones, for a filter form."""
    params = request.query_params.copy()
    for name in (KeysetPagination.cursor_query_param, "page_size"):
        params.pop(name, None)
    return params


def _refuse_invalid(form):
    if form.is_bound and not form.is_valid():
        raise ValidationError(
            {name: list(errors) for name, errors in form.errors.items()}
        )


class WorkListing(ListView):
    """Posted works, filtered and sorted as the archive's listings are."""

    serializer_class = api.WorkSerializer
    form_class = ApiWorkFilterForm

    def listing(self, params):
        """Return the listing this address asks for."""
        return WorkQuery(params, form_class=self.form_class, hidden=Hidden())

    def get_queryset(self):
        query = self.listing(_listing_params(self.request))
        _refuse_invalid(query.form)
        return query.works().for_listing()


WORKS_LISTED = (
    "Filters and sorts are the archive's listings' own, by the same names as on "
    "/works/: tags to include and exclude (comma-separated names), ratings, "
    "warnings, completion, words, language, update date, at least so many kudos, "
    "hits, bookmarks or comments. Follow `next` for the next page."
)


def _listing_schema(form_class, summary, description=WORKS_LISTED):
    return extend_schema(
        summary=summary,
        description=description,
        parameters=form_parameters(form_class),
        responses={200: api.WorkSerializer(many=True), **LIST_ERRORS},
    )


@_listing_schema(ApiWorkFilterForm, "Posted works")
class WorkList(WorkListing):
    pass


@_listing_schema(
    ApiWorkSearchForm,
    "Search posted works",
    "What the search box finds (`q`), best match first unless sorted; "
    f"with the listings' filters. {WORKS_LISTED}",
)
class WorkSearch(WorkListing):
    form_class = ApiWorkSearchForm

    def get_queryset(self):
        works = super().get_queryset()
        order = works.query.order_by
        if order[:1] == ("-rank",):
            # PostgreSQL ranks are single precision, which a cursor would
            # carry back rounded: paged by the same rank in double precision.
            works = works.annotate(
                exact_rank=Cast("rank", output_field=FloatField())
            ).order_by("-exact_rank", *order[1:])
        return works

    def listing(self, params):
        return WorkQuery(
            params,
            form_class=self.form_class,
            hidden=Hidden(),
            search=parse_query(params.get("q", "").strip()),
        )


@extend_schema(
    summary="A work, with its chapters",
    responses={200: api.WorkDetailSerializer, **ERRORS},
)
class WorkDetail(DetailView):
    """A posted work: its details, tags, series and its posted chapters' details."""

    serializer_class = api.WorkDetailSerializer
    queryset = Work.objects.visible_to(GUEST).for_listing()

    def get_object(self):
        work = super().get_object()
        work.shown_chapters = list(
            Chapter.objects.visible_to(GUEST)
            .filter(work=work)
            .order_by("position", "number")
            .defer("body", "notes", "end_notes")
        )
        work.shown_series = series_lines(work, GUEST)
        return work


@extend_schema(
    summary="A chapter's text", responses={200: api.ChapterSerializer, **ERRORS}
)
class ChapterDetail(DetailView):
    """A posted chapter of a posted work: its text and notes, sanitized HTML."""

    serializer_class = api.ChapterSerializer

    def get_object(self):
        chapters = Chapter.objects.visible_to(GUEST).select_related("work")
        chapter = get_object_or_404(chapters, pk=self.kwargs["pk"])
        # Compared here, not looked up: a work id past any row's (a foreign
        # key's lookup has no range check) would overflow SQLite's integers.
        if chapter.work_id != self.kwargs["work_pk"]:
            raise Http404
        return chapter


@extend_schema(
    summary="A work's public bookmarks",
    responses={200: api.BookmarkSerializer(many=True), **LIST_ERRORS},
)
class WorkBookmarks(ListView):
    """The public bookmarks of a posted work, newest first."""

    serializer_class = api.BookmarkSerializer

    def get_queryset(self):
        work = get_object_or_404(Work.objects.visible_to(GUEST), pk=self.kwargs["pk"])
        return _bookmarks(Bookmark.objects.filter(work=work))


def _bookmarks(bookmarks):
    return (
        bookmarks.listed_publicly()
        .select_related("owner", "work", "series", "folder")
        .prefetch_related("tags")
        .order_by("-created_at", "-id")
    )


def _tags():
    shown = Tag.objects.public().order_by("name", "id")
    return (
        Tag.objects.public()
        .select_related("merger")
        .prefetch_related(
            Prefetch("synonyms", shown, to_attr="shown_synonyms"),
            Prefetch("parents", shown, to_attr="shown_parents"),
        )
    )


@extend_schema(
    summary="Tags",
    parameters=TAG_FILTER_PARAMETERS,
    responses={200: api.TagSerializer(many=True), **LIST_ERRORS},
)
class TagList(ListView):
    """Tags anyone may know of (canonical ones, and those on posted works), by
    name, each with its synonyms and parent fandoms."""

    serializer_class = api.TagSerializer

    def get_queryset(self):
        form = TagFilterForm(self.request.query_params)
        _refuse_invalid(form)
        return form.tags(_tags()).order_by("name", "id")


def _public_tag(slug, tags=None):
    tags = tags if tags is not None else Tag.objects.public().select_related("merger")
    return get_object_or_404(tags, slug=slug)


@extend_schema(summary="A tag", responses={200: api.TagSerializer, **ERRORS})
class TagDetail(DetailView):
    """A tag: its kind, whether canonical, its synonyms and parent fandoms."""

    serializer_class = api.TagSerializer

    def get_object(self):
        return _public_tag(self.kwargs["slug"], _tags())


@_listing_schema(
    ApiWorkFilterForm,
    "A tag's works",
    f"The posted works listed under a tag (a synonym's are its canonical tag's). "
    f"{WORKS_LISTED}",
)
class TagWorks(WorkListing):
    def listing(self, params):
        tag = _public_tag(self.kwargs["slug"])
        return WorkQuery(
            params,
            form_class=self.form_class,
            hidden=Hidden(),
            base_tag=tag.merger or tag,
        )


def _person(username):
    return get_object_or_404(get_user_model(), username=username, is_active=True)


@extend_schema(
    summary="A person", responses={200: api.PersonDetailSerializer, **ERRORS}
)
class UserDetail(DetailView):
    """A person: their page and where their works, series and bookmarks are."""

    serializer_class = api.PersonDetailSerializer

    def get_object(self):
        return _person(self.kwargs["username"])


@_listing_schema(
    ApiWorkFilterForm,
    "A person's works",
    f"The posted works a person is a creator of. {WORKS_LISTED}",
)
class UserWorks(WorkListing):
    def listing(self, params):
        return WorkQuery(
            params,
            form_class=self.form_class,
            hidden=Hidden(),
            creator=_person(self.kwargs["username"]),
        )


def _series():
    return Series.objects.listed_for(GUEST).select_related("owner")


@extend_schema(
    summary="A person's series",
    responses={200: api.SeriesSerializer(many=True), **LIST_ERRORS},
)
class UserSeries(ListView):
    """A person's series that hold a posted work, latest changed first."""

    serializer_class = api.SeriesSerializer

    def get_queryset(self):
        person = _person(self.kwargs["username"])
        return _series().filter(owner=person).order_by("-updated_at", "-id")


@extend_schema(
    summary="A series", responses={200: api.SeriesDetailSerializer, **ERRORS}
)
class SeriesDetail(DetailView):
    """A series and its posted works, in order."""

    serializer_class = api.SeriesDetailSerializer
    queryset = _series()

    def get_object(self):
        series = super().get_object()
        series.shown_parts = list(
            SeriesWork.objects.filter(series=series)
            .visible_to(GUEST)
            .select_related("work__owner")
            .order_by("position", "pk")
        )
        # Drafts are skipped, and numbered past, as on the series' page.
        for number, part in enumerate(series.shown_parts, start=1):
            part.number = number
        prefetch_related_objects(
            [part.work for part in series.shown_parts],
            work_tags_prefetch(),
            creators_prefetch(),
        )
        return series


@extend_schema(
    summary="A person's public bookmarks",
    responses={200: api.BookmarkSerializer(many=True), **LIST_ERRORS},
)
class UserBookmarks(ListView):
    """A person's public bookmarks outside private folders, newest first."""

    serializer_class = api.BookmarkSerializer

    def get_queryset(self):
        person = _person(self.kwargs["username"])
        return _bookmarks(Bookmark.objects.filter(owner=person))


@extend_schema(summary="A bookmark", responses={200: api.BookmarkSerializer, **ERRORS})
class BookmarkDetail(DetailView):
    """A public bookmark outside private folders."""

    serializer_class = api.BookmarkSerializer
    queryset = _bookmarks(Bookmark.objects.all())


class SchemaView(ApiMixin, SpectacularAPIView):
    """The API's OpenAPI 3 schema."""
