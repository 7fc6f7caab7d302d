"""What the API answers with: plain names, ISO 8601 dates, absolute links."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stories.downloads.addresses import FORMATS, download_url
from stories.models import Rating, TagKind

# A work's tags by kind, each list under a plain name.
TAG_LISTS = {
    "warnings": (TagKind.WARNING, "Its archive warnings."),
    "categories": (
        TagKind.CATEGORY,
        "Its categories (F/F, F/M, Gen, M/M, Multi, Other).",
    ),
    "fandoms": (TagKind.FANDOM, "Its fandoms."),
    "relationships": (TagKind.RELATIONSHIP, "Its relationships."),
    "characters": (TagKind.CHARACTER, "Its characters."),
    "additional_tags": (TagKind.FREEFORM, "Its additional tags."),
}


def absolute(context, address):
    """Return an address as an absolute URL, on the host the request came to."""
    return context["request"].build_absolute_uri(address)


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute URL of an object's HTML page."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("help_text", "Its page on the archive.")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return absolute(self.context, value.get_absolute_url())


@extend_schema_field(OpenApiTypes.URI)
class AddressField(serializers.Field):
    """An absolute URL by a view's name (in the API unless told) and, for each
    of the view's arguments, the attribute holding it."""

    def __init__(self, view_name, help_text="Its address in this API.", **arguments):
        self.view_name = view_name
        self.arguments = arguments or {"pk": "pk"}
        super().__init__(read_only=True, source="*", help_text=help_text)

    def to_representation(self, value):
        kwargs = {name: getattr(value, attr) for name, attr in self.arguments.items()}
        return absolute(self.context, reverse(self.view_name, kwargs=kwargs))


@extend_schema_field(OpenApiTypes.URI)
class DownloadUrlField(serializers.Field):
    def __init__(self, ext):
        self.ext = ext
        super().__init__(
            read_only=True, source="*", help_text=f"The work as {FORMATS[ext]}."
        )

    def to_representation(self, value):
        return absolute(self.context, download_url(value, self.ext))


class DownloadsSerializer(serializers.Serializer):
    """A work's downloads, one link a format."""

    def get_fields(self):
        return {ext: DownloadUrlField(ext) for ext in FORMATS}


class PersonSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    url = PageUrlField()
    api_url = AddressField("api:user_detail", username="username")


class PseudSerializer(serializers.Serializer):
    """A name a work is credited to: a pseud of one of its creators."""

    name = serializers.CharField(read_only=True)
    username = serializers.CharField(
        source="user.username", read_only=True, help_text="Whose pseud it is."
    )
    byline = serializers.CharField(
        read_only=True, help_text='As bylines show it: "Pseud (username)".'
    )
    url = PageUrlField(help_text="The pseud's page, with its works.")


class PersonDetailSerializer(PersonSerializer):
    works_api_url = AddressField(
        "api:user_works", help_text="Their works.", username="username"
    )
    series_api_url = AddressField(
        "api:user_series", help_text="Their series.", username="username"
    )
    bookmarks_api_url = AddressField(
        "api:user_bookmarks", help_text="Their public bookmarks.", username="username"
    )


class TagRefSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=TagKind.choices, read_only=True)
    url = PageUrlField()
    api_url = AddressField("api:tag_detail", slug="slug")


class TagSerializer(TagRefSerializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    canonical = serializers.BooleanField(read_only=True)
    work_count = serializers.IntegerField(
        read_only=True,
        help_text="Posted works listed under it, synonyms' included.",
    )
    works_api_url = AddressField(
        "api:tag_works", help_text="The works listed under it.", slug="slug"
    )
    synonym_of = TagRefSerializer(
        source="merger",
        read_only=True,
        allow_null=True,
        help_text="The canonical tag it lists its works under, if a synonym.",
    )
    synonyms = TagRefSerializer(
        source="shown_synonyms", many=True, read_only=True, help_text="Its synonyms."
    )
    parents = TagRefSerializer(
        source="shown_parents",
        many=True,
        read_only=True,
        help_text="The fandoms it belongs to.",
    )


class TaggedWorkMixin(serializers.Serializer):
    """A work's tags, a list a kind, as the work page shows them."""

    def get_fields(self):
        fields = super().get_fields()
        for name, (kind, meaning) in TAG_LISTS.items():
            fields[name] = TagListField(kind, help_text=meaning)
        return fields


@extend_schema_field(TagRefSerializer(many=True))
class TagListField(serializers.Field):
    def __init__(self, kind, **kwargs):
        self.kind = kind
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, value):
        tags = value.tags_by_kind[self.kind]
        return TagRefSerializer(tags, many=True, context=self.context).data


class WorkRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = PageUrlField()
    api_url = AddressField("api:work_detail")


class WorkSerializer(TaggedWorkMixin, WorkRefSerializer):
    """A work as a listing's blurb shows it."""

    creators = PersonSerializer(many=True, read_only=True)
    pseuds = PseudSerializer(
        source="credited_pseuds",
        many=True,
        read_only=True,
        help_text="The pseuds the work is credited to, in byline order.",
    )
    byline = serializers.CharField(
        source="credit",
        read_only=True,
        help_text="Whom the work is by: its original creator, else its creators.",
    )
    summary = serializers.CharField(read_only=True, help_text="Sanitized HTML.")
    rating = serializers.ChoiceField(choices=Rating.choices, read_only=True)
    language = serializers.CharField(read_only=True)
    words = serializers.IntegerField(source="word_count", read_only=True)
    chapter_count = serializers.IntegerField(
        read_only=True, help_text="Posted chapters."
    )
    expected_chapters = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Null while unknown."
    )
    complete = serializers.BooleanField(source="is_complete", read_only=True)
    published = serializers.DateTimeField(source="published_at", read_only=True)
    updated = serializers.DateTimeField(source="updated_at", read_only=True)
    kudos = serializers.IntegerField(source="kudos_count", read_only=True)
    hits = serializers.IntegerField(source="hit_count", read_only=True)
    bookmarks = serializers.IntegerField(source="bookmark_count", read_only=True)
    comments = serializers.IntegerField(source="comment_count", read_only=True)
    downloads = DownloadsSerializer(source="*", read_only=True)


class ChapterRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(
        read_only=True, help_text="The author's own number; there may be gaps."
    )
    position = serializers.IntegerField(read_only=True, help_text="Its place in order.")
    title = serializers.CharField(read_only=True)
    words = serializers.IntegerField(source="word_count", read_only=True)
    published = serializers.DateTimeField(source="published_at", read_only=True)
    updated = serializers.DateTimeField(source="updated_at", read_only=True)
    url = PageUrlField()
    api_url = AddressField(
        "api:chapter_detail", help_text="Its text.", work_pk="work_id", pk="pk"
    )


class SeriesPlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="series_id", read_only=True)
    title = serializers.CharField(read_only=True)
    part = serializers.IntegerField(
        source="number",
        read_only=True,
        help_text="The work's part in the series, counting posted works.",
    )
    url = AddressField(
        "series:series_detail", help_text="Its page on the archive.", pk="series_id"
    )
    api_url = AddressField("api:series_detail", pk="series_id")


class WorkDetailSerializer(WorkSerializer):
    """A work with its notes, its series and its chapters' details."""

    notes = serializers.CharField(read_only=True, help_text="Sanitized HTML.")
    end_notes = serializers.CharField(read_only=True, help_text="Sanitized HTML.")
    series = SeriesPlaceSerializer(source="shown_series", many=True, read_only=True)
    chapters = ChapterRefSerializer(
        source="shown_chapters",
        many=True,
        read_only=True,
        help_text="Its posted chapters, in order.",
    )
    bookmarks_api_url = AddressField(
        "api:work_bookmarks", help_text="Its public bookmarks."
    )


class ChapterSerializer(ChapterRefSerializer):
    """A chapter's text and notes, sanitized HTML as stored."""

    work = WorkRefSerializer(read_only=True)
    notes = serializers.CharField(read_only=True)
    text = serializers.CharField(source="body", read_only=True)
    end_notes = serializers.CharField(read_only=True)


class SeriesSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    creator = PersonSerializer(source="owner", read_only=True)
    summary = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)
    complete = serializers.BooleanField(source="is_complete", read_only=True)
    work_count = serializers.IntegerField(source="shown_works", read_only=True)
    words = serializers.IntegerField(source="shown_words", read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)
    updated = serializers.DateTimeField(source="updated_at", read_only=True)
    url = PageUrlField()
    api_url = AddressField("api:series_detail")


class SeriesPartSerializer(serializers.Serializer):
    part = serializers.IntegerField(
        source="number", read_only=True, help_text="Counting posted works."
    )
    work = WorkSerializer(read_only=True)


class SeriesDetailSerializer(SeriesSerializer):
    parts = SeriesPartSerializer(source="shown_parts", many=True, read_only=True)


class SeriesRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = PageUrlField()
    api_url = AddressField("api:series_detail")


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {
            "name": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
        },
    }
)
class FolderField(serializers.Field):
    """A public folder's name and page; null outside folders."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, value):
        folder = value.folder
        if folder is None:
            return None
        address = reverse(
            "bookmarks:folder_detail",
            kwargs={"username": value.owner.username, "folder_pk": folder.pk},
        )
        return {"name": folder.name, "url": absolute(self.context, address)}


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class BookmarkTagsField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return [tag.name for tag in value.all()]


class BookmarkSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    bookmarker = PersonSerializer(source="owner", read_only=True)
    work = WorkRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="Null for a series or a deleted work.",
    )
    series = SeriesRefSerializer(read_only=True, allow_null=True)
    title = serializers.CharField(
        read_only=True, help_text="What was bookmarked, kept if it is deleted."
    )
    byline = serializers.CharField(source="creator_name", read_only=True)
    notes = serializers.CharField(read_only=True, help_text="Sanitized HTML.")
    tags = BookmarkTagsField(help_text="The bookmarker's own tags.")
    recommendation = serializers.BooleanField(source="is_rec", read_only=True)
    folder = FolderField()
    created = serializers.DateTimeField(source="created_at", read_only=True)
    updated = serializers.DateTimeField(source="updated_at", read_only=True)
    url = PageUrlField()
    api_url = AddressField("api:bookmark_detail")
