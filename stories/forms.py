from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from archive.text import ControlCharactersRefused
from stories import limits
from stories.creators import CreatorshipRefused, work_check_invite
from stories.importing import (
    ACCEPTED_EXTENSIONS,
    MAX_FILE_BYTES,
    ChapterFileError,
    check_file_size,
    import_chapter,
)
from stories.listing import SORTED_BY_COUNTS, Criteria
from stories.models import (
    ARCHIVE_CATEGORIES,
    ARCHIVE_WARNINGS,
    FREE_TAG_KINDS,
    Chapter,
    CreatorshipStatus,
    Rating,
    Tag,
    TagKind,
    Work,
)
from stories.moderation.forms import (
    WhoMayComment,
    who_may_comment_field,
    who_may_comment_fields,
    who_may_comment_of,
)
from stories.moderation.guard import SpamGuarded
from stories.pseuds.forms import pseuds_field
from stories.pseuds.services import default_pseud_of
from stories.services import ChapterText
from stories.tagging import join_tag_names, parse_tag_names
from stories.text import format_typed_text, has_content, html_to_text, typed_text_of

TAG_FIELDS = {
    TagKind.FANDOM: "fandoms",
    TagKind.CHARACTER: "characters",
    TagKind.RELATIONSHIP: "relationships",
    TagKind.FREEFORM: "freeforms",
}
# The fields of the fixed lists, which services take by these names.
FIXED_TAG_FIELDS = ("warnings", "categories")
TEXTAREA = {"rows": 6}
# Tag autocomplete suggests every kind of tag for an input marked with this.
ANY_KIND = ""


# The parts of a chapter, by ChapterText's names.
CHAPTER_PARTS = ("number", "title", "notes", "body", "end_notes")
# The parts an author types as text with paragraphs.
TYPED_PARTS = ("notes", "body", "end_notes")
CHAPTER_PART_LABELS = {
    "number": _("Chapter number"),
    "title": _("Chapter title"),
    "notes": _("Beginning notes"),
    "body": _("Chapter text"),
    "end_notes": _("End notes"),
}


def _refuse_longer_than(value, limit):
    if len(value) > limit:
        raise forms.ValidationError(
            _("%(length)s characters: the limit is %(limit)s."),
            code="too_long",
            params={"length": f"{len(value):,}", "limit": f"{limit:,}"},
        )


def _check_length(value, limit):
    _refuse_longer_than(value, limit)
    return format_typed_text(value)


class TagNamesField(forms.CharField):
    """Comma-separated tag names, cleaned to a list.

    autocomplete_kind marks the input for static/js/tag-autocomplete.js: a
    kind of tag to suggest, or ANY_KIND; None leaves suggestions off.
    """

    def __init__(self, *, autocomplete_kind=None, **kwargs):
        self.autocomplete_kind = autocomplete_kind
        kwargs.setdefault("help_text", _("Separate tags with commas."))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.autocomplete_kind is not None:
            attrs["data-tag-autocomplete"] = self.autocomplete_kind
        return attrs

    def to_python(self, value):
        return parse_tag_names(super().to_python(value))

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value


class WorkForm(ControlCharactersRefused, forms.ModelForm):
    warnings = forms.MultipleChoiceField(
        label=_("Archive warnings"),
        choices=[(name, name) for name in ARCHIVE_WARNINGS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one archive warning.")},
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=[(name, name) for name in ARCHIVE_CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "F/F: relationships between women; F/M: between a woman and a man; "
            "Gen: no romantic or sexual relationship, or none central; M/M: "
            "between men; Multi: more than one kind; Other: any other kind."
        ),
    )
    fandoms = TagNamesField(label=_("Fandoms"), autocomplete_kind=TagKind.FANDOM)
    relationships = TagNamesField(
        label=_("Relationships"),
        required=False,
        autocomplete_kind=TagKind.RELATIONSHIP,
        help_text=_('Separate tags with commas; "A/B" for romance, "A & B" for gen.'),
    )
    characters = TagNamesField(
        label=_("Characters"), required=False, autocomplete_kind=TagKind.CHARACTER
    )
    freeforms = TagNamesField(
        label=_("Additional tags"),
        required=False,
        autocomplete_kind=TagKind.FREEFORM,
    )
    # Two fields of the work, allow_guest_comments and hold_guest_comments.
    who_may_comment = who_may_comment_field()

    class Meta:
        model = Work
        fields = [
            "rating",
            "warnings",
            "categories",
            "fandoms",
            "relationships",
            "characters",
            "freeforms",
            "title",
            "creator_credit",
            "summary",
            "notes",
            "end_notes",
            "language",
            "expected_chapters",
            "restricted",
        ]
        widgets = {
            "summary": forms.Textarea(attrs=TEXTAREA),
            "notes": forms.Textarea(attrs=TEXTAREA),
            "end_notes": forms.Textarea(attrs=TEXTAREA),
        }
        help_texts = {
            "summary": _("Up to 1,250 characters. Plain text or HTML."),
            "notes": _("Shown before the work. Up to 5,000 characters."),
            "end_notes": _("Shown after the work. Up to 5,000 characters."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].min_length = 1
        self.fields["summary"].required = False
        # A select with a value chosen by default gets no `required` from Django.
        self.fields["rating"].widget.attrs["aria-required"] = "true"
        if self.instance.pk and not self.is_bound:
            self._load_tags()
            self.initial["who_may_comment"] = who_may_comment_of(self.instance)
        if user is not None and user.is_authenticated:
            self._add_pseuds(user)
        self._explain_credit()

    def _add_pseuds(self, user):
        """Offer the poster's pseuds, before the original creator: their
        default one for a new work, those credited now for a work of theirs.
        Staff changing someone else's work are offered none."""
        if self.instance.pk:
            credited = list(
                self.instance.creatorships.filter(
                    user=user, status=CreatorshipStatus.ACCEPTED
                )
                .exclude(pseud=None)
                .values_list("pseud_id", flat=True)
            )
            if not credited:
                return
            initial = credited
        else:
            initial = [default_pseud_of(user).pk]
        self.initial.setdefault("pseuds", initial)
        fields = {}
        for name, field in self.fields.items():
            if name == "creator_credit":
                fields["pseuds"] = pseuds_field(user)
            fields[name] = field
        self.fields = fields

    def _explain_credit(self):
        """Say what an original creator filled in (by a file's byline) means."""
        field = self.fields["creator_credit"]
        if self.is_bound:
            credit = self.data.get(self.add_prefix("creator_credit")) or ""
        else:
            credit = self.get_initial_for_field(field, "creator_credit") or ""
        if str(credit).strip():
            field.help_text = _(
                "This will show the work as archived by you for %(name)s; "
                "leave empty if you wrote it."
            ) % {"name": str(credit).strip()}

    def _load_tags(self):
        by_kind = {kind: [] for kind in TagKind}
        for item in self.instance.tagged_items.select_related("tag"):
            by_kind[item.tag.kind].append(item.tag)
        for kind, field in TAG_FIELDS.items():
            self.initial[field] = join_tag_names(sorted(by_kind[kind]))
        self.initial["warnings"] = [tag.name for tag in by_kind[TagKind.WARNING]]
        self.initial["categories"] = [tag.name for tag in by_kind[TagKind.CATEGORY]]

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Give the work a title."), code="required")
        return title

    def clean_summary(self):
        return _check_length(self.cleaned_data["summary"], limits.SUMMARY_MAX_LENGTH)

    def clean_notes(self):
        return _check_length(self.cleaned_data["notes"], limits.NOTES_MAX_LENGTH)

    def clean_end_notes(self):
        return _check_length(self.cleaned_data["end_notes"], limits.NOTES_MAX_LENGTH)

    def clean(self):
        cleaned = super().clean()
        names = {kind: cleaned.get(field, []) for kind, field in TAG_FIELDS.items()}
        try:
            limits.check_tag_names(names)
        except forms.ValidationError as error:
            self.add_error(None, error)
        return cleaned

    def tag_names(self):
        """Return the cleaned tag names by kind, as work_create takes them."""
        return {kind: self.cleaned_data[TAG_FIELDS[kind]] for kind in FREE_TAG_KINDS}

    def work_fields(self):
        """Return the cleaned model fields, as work_create and work_update take them."""
        fields = {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name not in TAG_FIELDS.values() and name not in FIXED_TAG_FIELDS
        }
        choice = self.cleaned_data.get("who_may_comment") or WhoMayComment.USERS
        if self.cleaned_data.get("pseuds"):
            fields["pseuds"] = list(self.cleaned_data["pseuds"])
        return {**fields, **who_may_comment_fields(choice)}


def _clean_chapter_title(title):
    _refuse_longer_than(title, limits.TITLE_MAX_LENGTH)
    return title


def _clean_chapter_notes(notes):
    return _check_length(notes, limits.NOTES_MAX_LENGTH)


def _clean_chapter_body(body):
    if not (body or "").strip():
        raise forms.ValidationError(
            _("Type the chapter text or upload a file."), code="required"
        )
    html = format_typed_text(body)
    # Measured on what readers see, so a chapter typed as plain text and the
    # same chapter as HTML (as an uploaded file gives it) measure the same.
    text = html_to_text(html)
    # An image alone is a chapter too short rather than an emptied one.
    if not text.strip() and "<img" not in html:
        raise forms.ValidationError(
            _("The chapter has no text left once unsafe HTML is removed."),
            code="empty",
        )
    limits.check_chapter_text(text)
    return html


def chapter_parts_from_file(imported, *, typed):
    """Return a chapter's parts read from a file, over the parts typed in the form.

    The file's text replaces the typed text; a number typed wins over the
    file's, and a title or notes the file leaves out keep what was typed. A
    file's chapter zero (a prologue) takes the next number, as an empty one does.
    """
    number = typed.get("number")
    if number is None:
        number = imported.chapter_number or None
    return {
        "number": number,
        "title": imported.chapter_title or typed.get("title", ""),
        "notes": imported.beginning_notes or typed.get("notes", ""),
        "body": imported.body,
        "end_notes": imported.end_notes or typed.get("end_notes", ""),
    }


class ChapterFields:
    """A chapter's limits and the reading of an uploaded file, for a chapter form.

    The author's form on the site and the admin's both inherit it, so the same
    chapter gets the same verdict from both. field_names says which of the
    form's fields holds each part of the chapter (by ChapterText's names); the
    form also has an upload field. work is the chapter's work (None for a new
    work's first chapter), chapter the one being changed, if any.
    """

    field_names = {part: part for part in CHAPTER_PARTS}
    work = None
    chapter = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.imported = None
        self.file_parts = None
        self.fields[self.field_names["number"]].widget.attrs.update(
            min=1, max=limits.CHAPTER_NUMBER_MAX
        )

    def clean(self):
        cleaned = super().clean()
        parts = {
            part: cleaned[name]
            for part, name in self.field_names.items()
            if name in cleaned
        }
        from_file = set()
        if cleaned.get("upload"):
            upload = cleaned["upload"]
            try:
                check_file_size(upload.size, upload.name)
                self.imported = import_chapter(upload.read(), upload.name)
            except ChapterFileError as error:
                self.add_error("upload", forms.ValidationError(str(error)))
                return cleaned
            self.file_parts = chapter_parts_from_file(self.imported, typed=parts)
            from_file = {
                part
                for part, value in self.file_parts.items()
                if value != parts.get(part)
            }
            parts = self.file_parts
        cleaners = {
            "number": self._clean_number,
            "title": _clean_chapter_title,
            "notes": _clean_chapter_notes,
            "body": _clean_chapter_body,
            "end_notes": _clean_chapter_notes,
        }
        for part, value in parts.items():
            name = self.field_names[part]
            try:
                cleaned[name] = cleaners[part](value)
            except forms.ValidationError as error:
                if part in from_file:
                    self._add_file_error(part, error)
                else:
                    self.add_error(name, error)
        return cleaned

    def _clean_number(self, number):
        if number is None:
            # Left empty: a new chapter takes the next number, a chapter
            # being changed keeps its own.
            return self.chapter.number if self.chapter is not None else None
        if not 1 <= number <= limits.CHAPTER_NUMBER_MAX:
            raise forms.ValidationError(
                _("Give the chapter a number from 1 to %(limit)s."),
                code="number_out_of_range",
                params={"limit": f"{limits.CHAPTER_NUMBER_MAX:,}"},
            )
        if self.work is not None:
            taken = Chapter.objects.filter(work=self.work, number=number)
            if self.chapter is not None:
                taken = taken.exclude(pk=self.chapter.pk)
            if taken.exists():
                raise forms.ValidationError(
                    _("This work already has a chapter %(number)d."),
                    code="duplicate_number",
                    params={"number": number},
                )
        return number

    def _add_file_error(self, part, error):
        """Say on the upload field which part of the file broke a limit."""
        for message in error.messages:
            self.add_error(
                "upload",
                forms.ValidationError(
                    _("%(part)s from the file: %(message)s"),
                    code="file_over_limit",
                    params={"part": CHAPTER_PART_LABELS[part], "message": message},
                ),
            )

    def initial_from_file(self):
        """Return the form's initial data read from the uploaded file, to confirm.

        Notes and text are given as an author types them in the boxes, which
        read back as the same chapter.
        """
        return {
            name: typed_text_of(self.file_parts[part])
            if part in TYPED_PARTS
            else self.file_parts[part]
            for part, name in self.field_names.items()
        }

    def chapter_text(self):
        """Return the cleaned chapter, as the chapter services take it."""
        return ChapterText(
            **{part: self.cleaned_data[name] for part, name in self.field_names.items()}
        )


class ChapterForm(ControlCharactersRefused, ChapterFields, forms.Form):
    """One chapter, typed in or uploaded as a file."""

    field_names = {
        "number": "number",
        "title": "chapter_title",
        "notes": "chapter_notes",
        "body": "body",
        "end_notes": "chapter_end_notes",
    }

    upload = forms.FileField(
        label=_("Upload the chapter from a file"),
        required=False,
        # The importer says why an empty file is refused, as for any other.
        allow_empty_file=True,
        help_text=_(
            "A .txt, .md, .html, .docx or .odt file up to %(size)d MB. “Read file” "
            "fills in the form from it and shows you how it will read; nothing is "
            "posted until you press Post."
        )
        % {"size": MAX_FILE_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}
        ),
    )
    number = forms.IntegerField(
        label=_("Chapter number"),
        required=False,
        help_text=_("Leave empty for the next number."),
    )
    chapter_title = forms.CharField(
        label=_("Chapter title"), required=False, max_length=limits.TITLE_MAX_LENGTH
    )
    chapter_notes = forms.CharField(
        label=_("Beginning notes"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    body = forms.CharField(
        label=_("Chapter text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Plain text (a blank line starts a new paragraph, a line of * * * is "
            "a scene break) or HTML. "
            "10 to 510,000 characters."
        ),
    )
    chapter_end_notes = forms.CharField(
        label=_("End notes"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def __init__(self, *args, work=None, chapter=None, **kwargs):
        self.work = work
        self.chapter = chapter
        super().__init__(*args, **kwargs)

    def typed_fields(self):
        """Return the visible fields but the file, which the forms show first."""
        return [field for field in self.visible_fields() if field.name != "upload"]


class WorkFilterForm(ControlCharactersRefused, forms.Form):
    """The filters every listing takes, all carried in the URL."""

    SORT_CHOICES = [
        ("updated", _("Date updated")),
        ("published", _("Date posted")),
        ("title", _("Title")),
        ("words", _("Word count")),
        ("kudos", _("Kudos")),
        ("hits", _("Hits")),
        ("bookmarks", _("Bookmarks")),
        ("comments", _("Comments")),
    ]
    COMPLETION_CHOICES = [
        ("", _("All works")),
        ("complete", _("Complete works only")),
        ("in-progress", _("Works in progress only")),
    ]
    UPDATED_CHOICES = [
        ("", _("Any time")),
        ("7", _("In the last week")),
        ("30", _("In the last month")),
        ("365", _("In the last year")),
    ]

    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    include = TagNamesField(
        label=_("Include tags"),
        required=False,
        help_text=_("Works must have all of these."),
        autocomplete_kind=ANY_KIND,
    )
    exclude = TagNamesField(
        label=_("Exclude tags"),
        required=False,
        help_text=_("Works with any of these are hidden."),
        autocomplete_kind=ANY_KIND,
    )
    rating = forms.MultipleChoiceField(
        label=_("Ratings"),
        choices=Rating.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exclude_warning = forms.MultipleChoiceField(
        label=_("Hide works with these warnings"),
        choices=[(name, name) for name in ARCHIVE_WARNINGS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    category = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=[(name, name) for name in ARCHIVE_CATEGORIES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    complete = forms.ChoiceField(
        label=_("Completion"), choices=COMPLETION_CHOICES, required=False
    )
    words_from = forms.IntegerField(label=_("Words from"), min_value=0, required=False)
    words_to = forms.IntegerField(label=_("Words to"), min_value=0, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Any language")), *settings.WORK_LANGUAGES],
        required=False,
    )
    updated_within = forms.ChoiceField(
        label=_("Updated"), choices=UPDATED_CHOICES, required=False
    )
    kudos_min = forms.IntegerField(
        label=_("Kudos at least"), min_value=0, required=False
    )
    hits_min = forms.IntegerField(label=_("Hits at least"), min_value=0, required=False)
    bookmarks_min = forms.IntegerField(
        label=_("Bookmarks at least"), min_value=0, required=False
    )
    comments_min = forms.IntegerField(
        label=_("Comments at least"), min_value=0, required=False
    )

    hide = forms.MultipleChoiceField(
        label=_("Hide works I have"),
        choices=[
            ("read", _("read")),
            ("kudosed", _("left kudos on")),
            ("bookmarked", _("bookmarked")),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def count_fields(self):
        """Return the "at least" fields, one per count readers leave."""
        return [self[f"{name}_min"] for name in SORTED_BY_COUNTS]

    def criteria(self):
        """Return what the valid fields ask for; invalid ones are left out."""
        if not self.is_bound:
            return Criteria()
        # Cleaning drops invalid fields from cleaned_data, so a bad word count
        # in a shared link does not throw away the rest of the filters.
        self.is_valid()
        data = self.cleaned_data
        return Criteria(
            include=(*(data.get("include") or ()), *(data.get("category") or ())),
            exclude=(
                *(data.get("exclude") or ()),
                *(data.get("exclude_warning") or ()),
            ),
            ratings=tuple(data.get("rating") or ()),
            completion=data.get("complete") or "",
            words_min=data.get("words_from"),
            words_max=data.get("words_to"),
            language=data.get("language") or "",
            updated_within_days=int(data["updated_within"])
            if data.get("updated_within")
            else None,
            sort=data.get("sort") or "updated",
            counts_min=tuple(
                (name, data[f"{name}_min"])
                for name in SORTED_BY_COUNTS
                if data.get(f"{name}_min")
            ),
            hide=tuple(data.get("hide") or ()),
        )


class WorkSearchForm(WorkFilterForm):
    """The listing filters on the search page, which sorts by best match first."""

    SORT_CHOICES = [("relevance", _("Best match")), *WorkFilterForm.SORT_CHOICES]

    q = forms.CharField(
        label=_("Search works"), required=False, widget=forms.HiddenInput
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def criteria(self):
        """Return the filters asked for, by best match unless a sort is chosen."""
        criteria = super().criteria()
        if not (self.is_bound and self.cleaned_data.get("sort")):
            return criteria._replace(sort="relevance")
        return criteria


class CommentForm(SpamGuarded, ControlCharactersRefused, forms.Form):
    """A comment; guests also give a name and an email that is never shown."""

    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Up to 10,000 characters. Plain text or HTML."),
    )
    guest_name = forms.CharField(label=_("Name"), max_length=100)
    guest_email = forms.EmailField(
        label=_("Email"), help_text=_("Never shown to anyone.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_authenticated:
            del self.fields["guest_name"]
            del self.fields["guest_email"]

    def clean_body(self):
        body = self.cleaned_data["body"]
        if len(body) > limits.COMMENT_MAX_LENGTH:
            raise forms.ValidationError(
                _("%(length)s characters: a comment may have at most %(limit)s."),
                code="too_long",
                params={
                    "length": f"{len(body):,}",
                    "limit": f"{limits.COMMENT_MAX_LENGTH:,}",
                },
            )
        html = format_typed_text(body)
        if not has_content(html):
            raise forms.ValidationError(
                _("The comment has no text left once unsafe HTML is removed."),
                code="empty",
            )
        return html


class HideForm(ControlCharactersRefused, forms.Form):
    """Tags a reader wants hidden from every listing."""

    tags = TagNamesField(
        label=_("Tags to hide"),
        help_text=_("Any kind of tag; separate them with commas."),
    )

    def clean_tags(self):
        names = self.cleaned_data["tags"]
        tags = list(Tag.objects.named(names))
        found = {tag.name.lower() for tag in tags}
        missing = [name for name in names if name.lower() not in found]
        if missing:
            raise forms.ValidationError(
                _("No tag is named %(names)s."),
                code="unknown_tag",
                params={"names": ", ".join(f"“{name}”" for name in missing)},
            )
        return tags


class CreatorInviteForm(ControlCharactersRefused, forms.Form):
    """The user name of a person a work's owner invites to be a creator."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("They are credited once they accept."),
    )

    def __init__(self, *args, work, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.work = work
        self.inviter = inviter

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No user is called “%(name)s”."),
                code="unknown_user",
                params={"name": name},
            )
        try:
            work_check_invite(work=self.work, user=user, invited_by=self.inviter)
        except CreatorshipRefused as refusal:
            raise forms.ValidationError(str(refusal), code="refused") from refusal
        return user
