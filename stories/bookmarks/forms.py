from typing import NamedTuple

from django import forms
from django.utils.translation import gettext_lazy as _

from archive.text import ControlCharactersRefused
from stories import limits
from stories.bookmarks.models import BOOKMARK_NOTES_MAX_LENGTH, BookmarkFolder
from stories.forms import TagNamesField, WorkFilterForm
from stories.tagging import TAG_NAME_MAX_LENGTH
from stories.text import format_typed_text


class BookmarkForm(ControlCharactersRefused, forms.Form):
    """A reader's bookmark: notes, their own tags, privacy, rec and folder."""

    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Up to 5,000 characters. Plain text or HTML."),
    )
    tags = TagNamesField(
        label=_("Your tags"),
        required=False,
        help_text=_("Your own words for it; separate tags with commas."),
    )
    is_rec = forms.BooleanField(label=_("Recommend it"), required=False)
    is_private = forms.BooleanField(
        label=_("Private bookmark"),
        required=False,
        help_text=_("Only you will see it, and it is not counted on the work."),
    )
    folder = forms.ModelChoiceField(
        label=_("Folder"),
        queryset=BookmarkFolder.objects.none(),
        required=False,
        empty_label=_("No folder"),
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"].queryset = BookmarkFolder.objects.filter(
            owner=owner
        ).order_by("position", "id")

    def clean_notes(self):
        notes = self.cleaned_data["notes"]
        if len(notes) > BOOKMARK_NOTES_MAX_LENGTH:
            raise forms.ValidationError(
                _("%(length)s characters: notes may have at most %(limit)s."),
                code="too_long",
                params={
                    "length": f"{len(notes):,}",
                    "limit": f"{BOOKMARK_NOTES_MAX_LENGTH:,}",
                },
            )
        return format_typed_text(notes)

    def clean_tags(self):
        names = self.cleaned_data["tags"]
        if len(names) > limits.TAGS_MAX_COUNT:
            raise forms.ValidationError(
                _("%(count)s tags: a bookmark may have at most %(limit)s."),
                code="too_many_tags",
                params={"count": len(names), "limit": limits.TAGS_MAX_COUNT},
            )
        long_names = [name for name in names if len(name) > TAG_NAME_MAX_LENGTH]
        if long_names:
            raise forms.ValidationError(
                _("A tag may have at most %(limit)s characters."),
                code="tag_too_long",
                params={"limit": TAG_NAME_MAX_LENGTH},
            )
        return names

    def bookmark_fields(self):
        """Return the cleaned fields as the services' keyword arguments."""
        data = self.cleaned_data
        return {
            "notes": data["notes"],
            "tag_names": data["tags"],
            "is_private": data["is_private"],
            "is_rec": data["is_rec"],
            "folder": data["folder"],
        }


class FolderForm(ControlCharactersRefused, forms.Form):
    """A folder's name and whether others may see it."""

    name = forms.CharField(label=_("Folder name"), max_length=100)
    is_private = forms.BooleanField(
        label=_("Private folder"),
        required=False,
        help_text=_("Only you will see it and what is in it."),
    )

    def __init__(self, *args, owner, folder=None, **kwargs):
        self.owner = owner
        self.folder = folder
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the folder a name."), code="required")
        others = BookmarkFolder.objects.filter(owner=self.owner, name__iexact=name)
        if self.folder is not None:
            others = others.exclude(pk=self.folder.pk)
        if others.exists():
            raise forms.ValidationError(
                _("You already have a folder named “%(name)s”."),
                code="duplicate",
                params={"name": name},
            )
        return name


class BookmarkFilters(NamedTuple):
    """What a reader asked a list of bookmarks for, besides the work filters."""

    sort: str = "bookmarked"
    rec_only: bool = False
    tags: tuple[str, ...] = ()


class BookmarkFilterForm(WorkFilterForm):
    """A list of bookmarks' sorts and filters, carried in the URL: its own and
    the work filters of every listing."""

    SORT_CHOICES = [
        ("bookmarked", _("Date bookmarked")),
        ("updated", _("Date updated")),
        ("title", _("Title")),
    ]
    FOLDER_SORT_CHOICES = [("position", _("Folder order")), *SORT_CHOICES]

    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    rec = forms.BooleanField(label=_("Recommendations only"), required=False)
    bookmark_tags = TagNamesField(
        label=_("Bookmark tags"),
        required=False,
        help_text=_("Bookmarks must have all of these of the bookmarker's tags."),
    )

    def __init__(self, *args, in_folder=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["include"].label = _("Works with these tags")
        self.fields["exclude"].label = _("Works without these tags")
        self.in_folder = in_folder
        if in_folder:
            self.fields["sort"].choices = self.FOLDER_SORT_CHOICES

    @property
    def default_sort(self):
        return "position" if self.in_folder else "bookmarked"

    def bookmark_filters(self):
        """Return the bookmark filters the valid fields ask for."""
        if not self.is_bound:
            return BookmarkFilters(sort=self.default_sort)
        self.is_valid()
        data = self.cleaned_data
        return BookmarkFilters(
            sort=data.get("sort") or self.default_sort,
            rec_only=bool(data.get("rec")),
            tags=tuple(data.get("bookmark_tags") or ()),
        )

    def work_criteria(self):
        """Return the work filters asked for (their sort is the bookmarks')."""
        return self.criteria()._replace(sort="updated")
