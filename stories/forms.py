from django import forms
from django.utils.translation import gettext_lazy as _

from stories import limits
from stories.importing import ACCEPTED_EXTENSIONS, MAX_FILE_BYTES
from stories.models import (
    ARCHIVE_WARNINGS,
    FREE_TAG_KINDS,
    Chapter,
    Rating,
    TagKind,
    Work,
)
from stories.services import ChapterText
from stories.tagging import join_tag_names, parse_tag_names
from stories.text import format_typed_text

TAG_FIELDS = {
    TagKind.FANDOM: "fandoms",
    TagKind.CHARACTER: "characters",
    TagKind.RELATIONSHIP: "relationships",
    TagKind.FREEFORM: "freeforms",
}
TEXTAREA = {"rows": 6}


def _check_length(value, limit):
    if len(value) > limit:
        raise forms.ValidationError(
            _("%(length)s characters: the limit is %(limit)s."),
            code="too_long",
            params={"length": f"{len(value):,}", "limit": f"{limit:,}"},
        )
    return format_typed_text(value)


class TagNamesField(forms.CharField):
    """Comma-separated tag names, cleaned to a list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Separate tags with commas."))
        super().__init__(**kwargs)

    def to_python(self, value):
        return parse_tag_names(super().to_python(value))

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value


class WorkForm(forms.ModelForm):
    warnings = forms.MultipleChoiceField(
        label=_("Archive warnings"),
        choices=[(name, name) for name in ARCHIVE_WARNINGS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one archive warning.")},
    )
    fandoms = TagNamesField(label=_("Fandoms"))
    relationships = TagNamesField(
        label=_("Relationships"),
        required=False,
        help_text=_('Separate tags with commas; "A/B" for romance, "A & B" for gen.'),
    )
    characters = TagNamesField(label=_("Characters"), required=False)
    freeforms = TagNamesField(label=_("Additional tags"), required=False)

    class Meta:
        model = Work
        fields = [
            "rating",
            "warnings",
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
            "allow_guest_comments",
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].min_length = 1
        self.fields["summary"].required = False
        if self.instance.pk and not self.is_bound:
            self._load_tags()

    def _load_tags(self):
        by_kind = {kind: [] for kind in TagKind}
        for item in self.instance.tagged_items.select_related("tag"):
            by_kind[item.tag.kind].append(item.tag)
        for kind, field in TAG_FIELDS.items():
            self.initial[field] = join_tag_names(sorted(by_kind[kind]))
        self.initial["warnings"] = [tag.name for tag in by_kind[TagKind.WARNING]]

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
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name not in TAG_FIELDS.values() and name != "warnings"
        }


class ChapterForm(forms.Form):
    """One chapter, typed in or uploaded as a file."""

    upload = forms.FileField(
        label=_("Upload the chapter from a file (instead of typing it below)"),
        required=False,
        help_text=_(
            "A .txt, .md or .html file up to %(size)d MB. The archive reads it, "
            "fills in this form and shows you what it guessed before anything is "
            "posted."
        )
        % {"size": MAX_FILE_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}
        ),
    )
    number = forms.IntegerField(
        label=_("Chapter number"),
        required=False,
        min_value=1,
        max_value=100_000,
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
            "Plain text (a blank line starts a new paragraph) or HTML. "
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

    def clean_chapter_notes(self):
        return _check_length(
            self.cleaned_data["chapter_notes"], limits.NOTES_MAX_LENGTH
        )

    def clean_chapter_end_notes(self):
        return _check_length(
            self.cleaned_data["chapter_end_notes"], limits.NOTES_MAX_LENGTH
        )

    def clean_number(self):
        number = self.cleaned_data["number"]
        if number and self.work is not None:
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

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("upload"):
            return cleaned
        body = cleaned.get("body", "")
        try:
            limits.check_chapter_text(body)
        except forms.ValidationError as error:
            self.add_error("body", error)
        else:
            cleaned["body"] = format_typed_text(body)
        return cleaned

    def chapter_text(self):
        """Return the cleaned chapter, as chapter_create and work_create take it."""
        data = self.cleaned_data
        return ChapterText(
            body=data["body"],
            title=data["chapter_title"],
            notes=data["chapter_notes"],
            end_notes=data["chapter_end_notes"],
            number=data["number"],
        )


class WorkFilterForm(forms.Form):
    """The filters every listing takes, all carried in the URL."""

    SORTS = {
        "updated": (_("Date updated"), ("-updated_at", "-id")),
        "published": (_("Date posted"), ("-published_at", "-id")),
        "title": (_("Title"), ("title", "id")),
        "words": (_("Word count"), ("-word_count", "-id")),
        "comments": (_("Comments"), ("-comment_count", "-id")),
    }

    include = TagNamesField(
        label=_("Include tags"),
        required=False,
        help_text=_("Works must have all of these."),
    )
    exclude = TagNamesField(
        label=_("Exclude tags"),
        required=False,
        help_text=_("Works with any of these are hidden."),
    )
    rating = forms.MultipleChoiceField(
        label=_("Ratings"),
        choices=Rating.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    complete = forms.BooleanField(label=_("Complete works only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        required=False,
    )

    def ordering(self):
        sort = self.cleaned_data.get("sort") or "updated"
        return self.SORTS[sort][1]


class CommentForm(forms.Form):
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
        if not html:
            raise forms.ValidationError(
                _("The comment has no text left once unsafe HTML is removed."),
                code="empty",
            )
        return html
