from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.html import format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from stories import limits, services
from stories.importing import ACCEPTED_EXTENSIONS, ChapterFileError, import_chapter
from stories.models import Chapter, Comment, Status, Tag, TagKind, Work
from stories.text import format_typed_text, html_to_text

WORK_HTML_FIELDS = ("summary", "notes", "end_notes")


class ChapterInline(admin.TabularInline):
    """A work's chapters at a glance; each is edited on its own page."""

    model = Chapter
    fields = ("number", "title", "status", "word_count")
    readonly_fields = fields
    ordering = ("position", "number")
    show_change_link = True
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "owner",
        "creator_credit",
        "rating",
        "status",
        "is_complete",
        "word_count",
        "chapter_count",
        "comment_count",
        "updated_at",
    )
    list_filter = ("status", "rating", "is_complete", "language")
    list_select_related = ("owner",)
    search_fields = ("title", "creator_credit", "owner__username", "summary")
    autocomplete_fields = ("owner",)
    inlines = (ChapterInline,)
    actions = ("post_works", "mark_works_draft")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "owner",
                    "title",
                    "creator_credit",
                    "summary",
                    "notes",
                    "end_notes",
                )
            },
        ),
        (
            _("Details"),
            {
                "fields": (
                    "status",
                    "rating",
                    "language",
                    "expected_chapters",
                    "allow_guest_comments",
                )
            },
        ),
        (
            _("Tags and counts"),
            {
                "fields": (
                    "tag_list",
                    "word_count",
                    "chapter_count",
                    "comment_count",
                    "is_complete",
                    "published_at",
                    "updated_at",
                    "created_at",
                    "modified_at",
                )
            },
        ),
    )
    readonly_fields = (
        "tag_list",
        "word_count",
        "chapter_count",
        "comment_count",
        "is_complete",
        "published_at",
        "updated_at",
        "created_at",
        "modified_at",
    )

    def has_add_permission(self, request):
        # A work is born with its first chapter (services.work_create): on the
        # site's posting form or with the import_chapters command.
        return False

    def delete_model(self, request, obj):
        services.work_delete(work=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for work in queryset:
                services.work_delete(work=work)

    @admin.display(description=_("tags"))
    def tag_list(self, work):
        names = defaultdict(list)
        for item in work.tagged_items.select_related("tag").order_by("tag__name"):
            names[item.tag.kind].append(item.tag.name)
        rows = [(kind.label, ", ".join(names[kind])) for kind in TagKind if names[kind]]
        return format_html_join("\n", "<div>{}: {}</div>", rows) or "-"

    def save_model(self, request, obj, form, change):
        """Save the work with its HTML sanitized, then recount it or post it."""
        changed = form.changed_data
        for name in WORK_HTML_FIELDS:
            if name in changed:
                setattr(obj, name, format_typed_text(getattr(obj, name)))
        obj.save(update_fields=[*changed, "modified_at"])
        if "status" in changed and obj.is_posted:
            services.work_post(work=obj)
        else:
            services.work_refresh_stats(work=obj)

    @admin.action(description=_("Post selected works"))
    def post_works(self, request, queryset):
        works = list(queryset.filter(status=Status.DRAFT))
        with transaction.atomic():
            for work in works:
                services.work_post(work=work)
        self.message_user(
            request,
            ngettext("Posted %(count)d work.", "Posted %(count)d works.", len(works))
            % {"count": len(works)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark selected as draft"))
    def mark_works_draft(self, request, queryset):
        works = list(queryset.posted())
        with transaction.atomic():
            for work in works:
                services.work_unpost(work=work)
        self.message_user(
            request,
            ngettext(
                "Marked %(count)d work as draft.",
                "Marked %(count)d works as drafts.",
                len(works),
            )
            % {"count": len(works)},
            messages.SUCCESS,
        )


class ChapterAdminForm(forms.ModelForm):
    """A chapter typed in, or read from an uploaded file by the chapter importer."""

    upload = forms.FileField(
        label=_("Upload"),
        required=False,
        help_text=_(
            "Upload a .txt, .md or .html file: its text replaces the fields below. "
            "A chapter number typed below wins over the file's."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}
        ),
    )

    class Meta:
        model = Chapter
        fields = ["work", "upload", "number", "title", "notes", "body", "end_notes"]
        help_texts = {
            "number": _(
                "Leave empty for the file's number, or else the next one in the work."
            ),
            "body": _(
                "Plain text (a blank line starts a new paragraph) or HTML. "
                "Required unless a file is uploaded."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].required = False
        self.fields["number"].required = False

    def clean_notes(self):
        return self._typed_notes("notes")

    def clean_end_notes(self):
        return self._typed_notes("end_notes")

    def _typed_notes(self, name):
        notes = self.cleaned_data[name]
        if len(notes) > limits.NOTES_MAX_LENGTH:
            raise ValidationError(
                _("%(length)s characters: the limit is %(limit)s."),
                code="too_long",
                params={
                    "length": f"{len(notes):,}",
                    "limit": f"{limits.NOTES_MAX_LENGTH:,}",
                },
            )
        return format_typed_text(notes)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("upload"):
            self._fill_from_upload(cleaned)
        else:
            self._clean_typed_body(cleaned)
        self._clean_number(cleaned)
        return cleaned

    def _fill_from_upload(self, cleaned):
        upload = cleaned["upload"]
        try:
            imported = import_chapter(upload.read(), upload.name)
            limits.check_chapter_text(html_to_text(imported.body))
        except ChapterFileError as error:
            self.add_error("upload", str(error))
            return
        except ValidationError as error:
            self.add_error("upload", error)
            return
        cleaned["body"] = imported.body
        # What the file leaves out keeps what was typed.
        cleaned["title"] = imported.chapter_title or cleaned.get("title", "")
        cleaned["notes"] = imported.beginning_notes or cleaned.get("notes", "")
        cleaned["end_notes"] = imported.end_notes or cleaned.get("end_notes", "")
        if not cleaned.get("number"):
            cleaned["number"] = imported.chapter_number

    def _clean_typed_body(self, cleaned):
        body = format_typed_text(cleaned.get("body", ""))
        if not body:
            self.add_error(
                "body",
                ValidationError(
                    _("Type the chapter text or upload a file."), code="required"
                ),
            )
            return
        # Measured on what readers see: markup that sanitizing drops does not count.
        try:
            limits.check_chapter_text(html_to_text(body))
        except ValidationError as error:
            self.add_error("body", error)
            return
        cleaned["body"] = body

    def _clean_number(self, cleaned):
        number = cleaned.get("number")
        if not number and self.instance.pk:
            cleaned["number"] = number = self.instance.number
        work = cleaned.get("work") or (self.instance.work if self.instance.pk else None)
        if not number or work is None:
            return
        taken = Chapter.objects.filter(work=work, number=number).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            self.add_error(
                "number",
                ValidationError(
                    _("This work already has a chapter %(number)d."),
                    code="duplicate_number",
                    params={"number": number},
                ),
            )

    def chapter_text(self):
        """Return the cleaned chapter, as the chapter services take it."""
        data = self.cleaned_data
        return services.ChapterText(
            body=data["body"],
            title=data.get("title", ""),
            notes=data.get("notes", ""),
            end_notes=data.get("end_notes", ""),
            number=data.get("number"),
        )


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    form = ChapterAdminForm
    list_display = ("work", "number", "title", "status", "word_count", "updated_at")
    list_filter = ("status",)
    list_select_related = ("work",)
    search_fields = ("work__title", "title")
    autocomplete_fields = ("work",)
    readonly_fields = (
        "status",
        "position",
        "word_count",
        "published_at",
        "created_at",
        "updated_at",
    )
    text_fields = ("upload", "number", "title", "notes", "body", "end_notes")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("work", *self.text_fields)}),)
        return (
            (None, {"fields": ("work", *self.text_fields)}),
            (_("Status"), {"fields": self.readonly_fields}),
        )

    def get_readonly_fields(self, request, obj=None):
        # Moving a chapter to another work would leave both works' numbers and
        # counts wrong.
        if obj is not None:
            return ("work", *self.readonly_fields)
        return self.readonly_fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deleting in bulk would skip chapter_delete's renumbering and recounts.
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        """Save through the services, so word counts and the work's stats stay right."""
        text = form.chapter_text()
        if change:
            services.chapter_update(chapter=obj, text=text)
            return
        chapter = services.chapter_create(work=obj.work, text=text)
        # The admin logs the addition and redirects with obj: make it the stored row.
        obj.pk = chapter.pk
        obj.refresh_from_db()

    def delete_view(self, request, object_id, extra_context=None):
        chapter = self.get_object(request, unquote(object_id))
        if (
            chapter is not None
            and not chapter.work.chapters.exclude(pk=chapter.pk).exists()
        ):
            self.message_user(
                request,
                _("A work keeps at least one chapter: delete the work instead."),
                messages.ERROR,
            )
            return redirect("admin:stories_chapter_change", chapter.pk)
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        services.chapter_delete(chapter=obj)


class TagAdminForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "kind"]

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        cleaned = super().clean()
        name, kind = cleaned.get("name"), cleaned.get("kind")
        if not (name and kind):
            return cleaned
        try:
            limits.check_tag_names({kind: [name]})
        except ValidationError as error:
            self.add_error("name", error)
            return cleaned
        taken = Tag.objects.named([name]).filter(kind=kind).exclude(pk=self.instance.pk)
        if taken.exists():
            self.add_error(
                "name",
                ValidationError(
                    _('There is already a tag "%(name)s" of the kind %(kind)s.'),
                    code="duplicate_tag",
                    params={"name": name, "kind": TagKind(kind).label},
                ),
            )
        return cleaned


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = TagAdminForm
    list_display = ("name", "kind", "slug", "work_count")
    list_filter = ("kind",)
    search_fields = ("name",)
    fields = ("name", "kind", "slug")
    # taggit makes the slug from the name when the tag is first saved.
    readonly_fields = ("slug",)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = (
        "short_body",
        "author",
        "work",
        "chapter",
        "created_at",
        "is_deleted",
    )
    list_filter = ("is_deleted", "created_at")
    list_select_related = ("user", "work", "chapter")
    search_fields = ("body", "user__username", "guest_name", "guest_email")
    fields = (
        "work",
        "chapter",
        "parent",
        "user",
        "guest_name",
        "guest_email",
        "body",
        "is_edited",
        "is_deleted",
        "created_at",
        "updated_at",
    )
    readonly_fields = (
        "work",
        "chapter",
        "parent",
        "user",
        "guest_name",
        "guest_email",
        "is_edited",
        "is_deleted",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request):
        # Comments are posted by readers on the chapter pages.
        return False

    @admin.display(description=_("comment"))
    def short_body(self, comment):
        if comment.is_deleted:
            return _("(deleted)")
        return Truncator(html_to_text(comment.body)).chars(80)

    @admin.display(description=_("author"), ordering="user__username")
    def author(self, comment):
        return comment.author_name

    def save_model(self, request, obj, form, change):
        """Save a moderator's edit as an edit, with the body made safe."""
        if "body" in form.changed_data:
            services.comment_edit(comment=obj, body=format_typed_text(obj.body))

    def delete_model(self, request, obj):
        services.comment_delete(comment=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for pk in queryset.values_list("pk", flat=True):
                # Deleting one comment may already have removed another
                # selected one: a reply, or a placeholder left without replies.
                comment = Comment.objects.filter(pk=pk).first()
                if comment is not None:
                    services.comment_delete(comment=comment)
