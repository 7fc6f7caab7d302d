from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from archive.autocomplete import AutocompleteChecked
from archive.text import ControlCharactersRefused
from stories import creators, limits, services
from stories.forms import ChapterFields
from stories.importing import ACCEPTED_EXTENSIONS
from stories.models import Chapter, Comment, Creatorship, Status, Tag, TagKind, Work
from stories.tagging import TAG_NAME_MAX_LENGTH
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


class ArchiveModelForm(ControlCharactersRefused, forms.ModelForm):
    """The admin's form for a model without a form of its own."""


class CreatorshipInlineForm(ArchiveModelForm):
    """A creator of a work: staff invite people on the owner's behalf and take
    creators off; whether they accept stays theirs."""

    class Meta:
        model = Creatorship
        fields = ("user",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["user"].disabled = True

    def clean(self):
        cleaned = super().clean()
        work, user = self.instance.work, cleaned.get("user")
        deleting = cleaned.get("DELETE")
        if self.instance.pk and deleting and user and user.pk == work.owner_id:
            raise ValidationError(
                _("The owner of a work cannot leave it: delete the work instead.")
            )
        if not self.instance.pk and user is not None and not deleting:
            try:
                creators.work_check_invite(
                    work=work, user=user, invited_by=self.request_user
                )
            except creators.CreatorshipRefused as refusal:
                raise ValidationError(str(refusal)) from refusal
        return cleaned


class CreatorshipInline(AutocompleteChecked, admin.TabularInline):
    """A work's creators and pending invitations."""

    model = Creatorship
    fk_name = "work"
    form = CreatorshipInlineForm
    fields = ("user", "status", "invited_by", "position", "created_at")
    readonly_fields = ("status", "invited_by", "position", "created_at")
    autocomplete_fields = ("user",)
    ordering = ("position", "id")
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # The inviter of a row added here is the staff member adding it.
        formset.form = type(
            "CreatorshipInlineForm", (self.form,), {"request_user": request.user}
        )
        return formset


@admin.register(Work)
class WorkAdmin(AutocompleteChecked, admin.ModelAdmin):
    form = ArchiveModelForm
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
    inlines = (CreatorshipInline, ChapterInline)
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

    def save_formset(self, request, form, formset, change):
        """Write creators through their services; chapters are read-only here."""
        if formset.model is not Creatorship:
            return super().save_formset(request, form, formset, change)
        work = form.instance
        # What the admin's history message names.
        formset.new_objects, formset.changed_objects = [], []
        formset.deleted_objects = []
        for inline in formset.deleted_forms:
            if inline.instance.pk:
                creators.work_remove_creator(
                    work=work, user=inline.instance.user, removed_by=request.user
                )
                formset.deleted_objects.append(inline.instance)
        for inline in formset.forms:
            if inline in formset.deleted_forms or inline.instance.pk:
                continue
            if inline.has_changed() and inline.cleaned_data.get("user"):
                formset.new_objects.append(
                    creators.work_invite_creator(
                        work=work,
                        user=inline.cleaned_data["user"],
                        invited_by=request.user,
                    )
                )
        return None

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
        elif "status" in changed:
            services.work_unpost(work=obj)
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


class ChapterAdminForm(ControlCharactersRefused, ChapterFields, forms.ModelForm):
    """A chapter typed in, or read from an uploaded file by the chapter importer."""

    upload = forms.FileField(
        label=_("Upload"),
        required=False,
        allow_empty_file=True,
        help_text=_(
            "Upload a .txt, .md, .html, .docx or .odt file: its text replaces the "
            "fields below. "
            "A chapter number typed below wins over the file's."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}
        ),
    )
    number = forms.IntegerField(
        label=_("Chapter number"),
        required=False,
        help_text=_(
            "Leave empty for the file's number, or else the next one in the work."
        ),
    )

    class Meta:
        model = Chapter
        fields = ["work", "upload", "number", "title", "notes", "body", "end_notes"]
        help_texts = {
            "body": _(
                "Plain text (a blank line starts a new paragraph) or HTML. "
                "Required unless a file is uploaded."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].required = False

    def clean(self):
        if self.instance.pk:
            self.work, self.chapter = self.instance.work, self.instance
        else:
            self.work = self.cleaned_data.get("work")
        return super().clean()


@admin.register(Chapter)
class ChapterAdmin(AutocompleteChecked, admin.ModelAdmin):
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


class TagAdminForm(ControlCharactersRefused, forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "kind", "canonical", "merger", "parents"]
        help_texts = {
            "merger": _(
                "Works with this tag list under that canonical tag; this tag's "
                "own synonyms move along to it."
            ),
            "parents": _("Only characters and relationships belong to fandoms."),
        }

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def _clean_wrangling(self, cleaned):
        """Check canonical, synonym and parent fandoms as the wrangling services do."""
        kind, merger = cleaned.get("kind"), cleaned.get("merger")
        if not kind:
            return
        if "kind" in self.changed_data and _is_wrangled(self.instance):
            self.add_error(
                "kind",
                ValidationError(
                    _(
                        "Only a tag without synonyms, canonical tag or fandoms "
                        "may change kind."
                    ),
                    code="wrangled_kind",
                ),
            )
            return
        # The tag as it will be once saved.
        tag = Tag(
            pk=self.instance.pk,
            name=cleaned.get("name") or self.instance.name,
            kind=kind,
            merger=merger,
        )
        if merger is not None and cleaned.get("canonical"):
            self.add_error(
                "canonical",
                ValidationError(
                    _("A synonym is not canonical: untick this or clear “synonym of”."),
                    code="canonical_synonym",
                ),
            )
        if merger is not None:
            self._check_with(
                "merger",
                services.tag_check_synonym,
                tag=tag,
                canonical=merger,
                move_synonyms=True,
            )
        elif self.instance.canonical and not cleaned.get("canonical"):
            self._check_with("canonical", services.tag_check_noncanonical, tag=tag)
        if "parents" in self.changed_data and "parents" in cleaned:
            self._check_with(
                "parents",
                services.tag_check_parents,
                tag=tag,
                fandoms=cleaned["parents"],
            )

    def _check_with(self, field, check, **kwargs):
        try:
            check(**kwargs)
        except ValueError as error:
            self.add_error(field, ValidationError(str(error), code="wrangling"))

    def clean(self):
        cleaned = super().clean()
        self._clean_wrangling(cleaned)
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


def _is_wrangled(tag):
    """Return whether a stored tag has synonyms, a canonical tag or fandom links."""
    if tag.pk is None:
        return False
    return (
        tag.merger_id is not None
        or tag.synonyms.exists()
        or tag.parents.exists()
        or tag.children.exists()
    )


class WranglingFilter(admin.SimpleListFilter):
    title = _("wrangling")
    parameter_name = "wrangling"

    def lookups(self, request, model_admin):
        return [
            ("has-synonyms", _("Has synonyms")),
            ("synonym", _("Is a synonym")),
            ("unwrangled", _("Unwrangled")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "has-synonyms":
            return queryset.filter(Exists(Tag.objects.filter(merger=OuterRef("pk"))))
        if self.value() == "synonym":
            return queryset.filter(merger__isnull=False)
        if self.value() == "unwrangled":
            return queryset.filter(canonical=False, merger__isnull=True)
        return queryset


class TagByNameForm(ControlCharactersRefused, forms.Form):
    """The one tag a bulk wrangling action applies to the selected tags."""

    tag_label = _("Tag")

    tag = forms.CharField(max_length=TAG_NAME_MAX_LENGTH)

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["tag"].label = self.tag_label
        self.fields["tag"].widget.attrs["data-tag-autocomplete"] = kind

    def clean_tag(self):
        name = " ".join(self.cleaned_data["tag"].split())
        tag = Tag.objects.named([name]).filter(kind=self.kind).first()
        if tag is None:
            raise ValidationError(
                _("There is no %(kind)s named “%(name)s”."),
                code="unknown_tag",
                params={"kind": TagKind(self.kind).label.lower(), "name": name},
            )
        return tag


class SynonymActionForm(TagByNameForm):
    tag_label = _("Canonical tag")

    make_canonical = forms.BooleanField(
        label=_("Make it canonical if it is not yet"), required=False
    )


class ParentActionForm(TagByNameForm):
    tag_label = _("Parent fandom")

    replace = forms.BooleanField(
        label=_("Remove their other parent fandoms"), required=False
    )


@admin.register(Tag)
class TagAdmin(AutocompleteChecked, admin.ModelAdmin):
    form = TagAdminForm
    list_display = ("name", "kind", "canonical", "merger", "work_count")
    list_filter = ("kind", "canonical", WranglingFilter)
    list_select_related = ("merger",)
    search_fields = ("name",)
    autocomplete_fields = ("merger", "parents")
    fields = (
        "name",
        "kind",
        "slug",
        "canonical",
        "merger",
        "synonym_list",
        "parents",
        "work_count",
    )
    # taggit makes the slug from the name when the tag is first saved.
    readonly_fields = ("slug", "synonym_list", "work_count")
    actions = ("make_canonical", "make_synonyms", "set_parent_fandom")

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        if request.GET.get("field_name") == "parents":
            # The parent fandoms' autocomplete offers canonical spellings only.
            queryset = queryset.filter(merger__isnull=True)
        return queryset, may_have_duplicates

    @admin.display(description=_("synonyms"))
    def synonym_list(self, tag):
        if tag.pk is None:
            return "-"
        names = tag.synonyms.order_by(Lower("name")).values_list("name", flat=True)
        return ", ".join(names) or "-"

    def _say_updated_in_background(self, request, *, count, blurbs, done=""):
        """Tell staff that count works follow a change in the background, if any.

        The count comes from services.tags_works_count, taken before the change.
        """
        if not count:
            return
        if blurbs:
            later = ngettext(
                "%(count)s work is being updated in the background: search and "
                "its blurb follow within a minute.",
                "%(count)s works are being updated in the background: search and "
                "blurbs follow within a minute.",
                count,
            )
        else:
            later = ngettext(
                "%(count)s work is being updated in the background: search "
                "follows within a minute.",
                "%(count)s works are being updated in the background: search "
                "follows within a minute.",
                count,
            )
        later %= {"count": number_format(count, force_grouping=True)}
        self.message_user(request, f"{done} {later}".strip(), messages.INFO)

    def save_model(self, request, obj, form, change):
        """Save the name and kind; save_related wrangles through the services."""
        if not change:
            obj.canonical, obj.merger = False, None
            obj.save()
            return
        if {"name", "kind"} & set(form.changed_data):
            count = services.tags_works_count(tags=[obj])
            services.tag_rename(tag=obj, name=obj.name, kind=obj.kind)
            self._say_updated_in_background(
                request,
                done=_("“%(name)s” renamed.") % {"name": obj.name},
                count=count,
                blurbs=True,
            )

    def save_related(self, request, form, formsets, change):
        """Apply the canonical, synonym and parent fandoms the form asks for."""
        tag, data = form.instance, form.cleaned_data
        tag.refresh_from_db(fields=["canonical", "merger"])
        merger = data.get("merger")
        if merger is not None and merger.pk != tag.merger_id:
            count = services.tags_works_count(tags=[tag])
            services.tag_make_synonym(tag=tag, canonical=merger, move_synonyms=True)
            self._say_updated_in_background(
                request,
                done=_("“%(name)s” is now a synonym of “%(canonical)s”.")
                % {"name": tag.name, "canonical": merger.name},
                count=count,
                blurbs=False,
            )
        elif merger is None and tag.merger_id is not None:
            count = services.tags_works_count(tags=[tag])
            services.tag_remove_synonym(tag=tag)
            self._say_updated_in_background(
                request,
                done=_("“%(name)s” is no longer a synonym.") % {"name": tag.name},
                count=count,
                blurbs=False,
            )
        if data.get("canonical") and not tag.canonical:
            services.tag_make_canonical(tag=tag)
        elif not data.get("canonical") and tag.canonical:
            services.tag_make_noncanonical(tag=tag)
        if "parents" in form.changed_data:
            services.tag_set_parents(tag=tag, fandoms=data["parents"])

    def delete_model(self, request, obj):
        count = services.tags_works_count(tags=[obj])
        services.tag_delete(tag=obj)
        self._say_updated_in_background(
            request,
            done=_("“%(name)s” deleted.") % {"name": obj.name},
            count=count,
            blurbs=True,
        )

    def delete_queryset(self, request, queryset):
        tags = list(queryset)
        count = services.tags_works_count(tags=tags)
        with transaction.atomic():
            for tag in tags:
                services.tag_delete(tag=tag)
        # The admin says how many tags it deleted.
        self._say_updated_in_background(request, count=count, blurbs=True)

    @admin.action(description=_("Mark selected as canonical"), permissions=["change"])
    def make_canonical(self, request, queryset):
        tags = list(queryset.filter(canonical=False, merger__isnull=True))
        synonyms = queryset.filter(merger__isnull=False).count()
        with transaction.atomic():
            for tag in tags:
                services.tag_make_canonical(tag=tag)
        self.message_user(
            request,
            ngettext(
                "Marked %(count)d tag canonical.",
                "Marked %(count)d tags canonical.",
                len(tags),
            )
            % {"count": len(tags)},
            messages.SUCCESS,
        )
        if synonyms:
            self.message_user(
                request,
                ngettext(
                    "Left out %(count)d synonym: remove it from its canonical "
                    "tag's synonyms first.",
                    "Left out %(count)d synonyms: remove them from their canonical "
                    "tags' synonyms first.",
                    synonyms,
                )
                % {"count": synonyms},
                messages.WARNING,
            )

    @admin.action(
        description=_("Make selected tags synonyms of…"), permissions=["change"]
    )
    def make_synonyms(self, request, queryset):
        tags = list(queryset.order_by(Lower("name")))
        kinds = {tag.kind for tag in tags}
        if len(kinds) != 1:
            self.message_user(
                request,
                _("Choose tags of one kind: a synonym has its canonical tag's kind."),
                messages.ERROR,
            )
            return None
        form = SynonymActionForm(
            request.POST if "apply" in request.POST else None, kind=kinds.pop()
        )
        if form.is_valid():
            canonical = form.cleaned_data["tag"]
            synonyms = [tag for tag in tags if tag.pk != canonical.pk]
            count = services.tags_works_count(tags=synonyms)
            try:
                with transaction.atomic():
                    if form.cleaned_data["make_canonical"] and not canonical.canonical:
                        services.tag_make_canonical(tag=canonical)
                    services.tags_make_synonyms(
                        tags=synonyms, canonical=canonical, move_synonyms=True
                    )
            except ValueError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Made %(count)d tag a synonym of “%(name)s”.",
                        "Made %(count)d tags synonyms of “%(name)s”.",
                        len(synonyms),
                    )
                    % {"count": len(synonyms), "name": canonical.name},
                    messages.SUCCESS,
                )
                self._say_updated_in_background(
                    request,
                    done=_("Their works are listed under it already."),
                    count=count,
                    blurbs=False,
                )
                return None
        return self._wrangling_page(
            request,
            tags=tags,
            form=form,
            action="make_synonyms",
            title=_("Make tags synonyms"),
            intro=_(
                "These tags become synonyms of the canonical tag you name: their "
                "works list under it, and their own synonyms move along to it."
            ),
            submit=_("Make them synonyms"),
        )

    @admin.action(description=_("Set parent fandom…"), permissions=["change"])
    def set_parent_fandom(self, request, queryset):
        tags = list(queryset.order_by(Lower("name")))
        if any(tag.kind not in services.PARENTED_KINDS for tag in tags):
            self.message_user(
                request,
                _(
                    "Only characters and relationships belong to fandoms: "
                    "choose only those."
                ),
                messages.ERROR,
            )
            return None
        form = ParentActionForm(
            request.POST if "apply" in request.POST else None, kind=TagKind.FANDOM
        )
        if form.is_valid():
            fandom = form.cleaned_data["tag"]
            try:
                with transaction.atomic():
                    if form.cleaned_data["replace"]:
                        for tag in tags:
                            services.tag_set_parents(tag=tag, fandoms=[fandom])
                    else:
                        services.tags_add_parent(tags=tags, fandom=fandom)
            except ValueError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Put %(count)d tag in “%(name)s”.",
                        "Put %(count)d tags in “%(name)s”.",
                        len(tags),
                    )
                    % {"count": len(tags), "name": fandom.name},
                    messages.SUCCESS,
                )
                return None
        return self._wrangling_page(
            request,
            tags=tags,
            form=form,
            action="set_parent_fandom",
            title=_("Set parent fandom"),
            intro=_("These characters and relationships go in the fandom you name."),
            submit=_("Set parent fandom"),
        )

    def _wrangling_page(self, request, *, tags, form, action, title, intro, submit):
        """Return the intermediate page where staff name the tag an action uses."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "intro": intro,
            "submit_label": submit,
            "tags": tags,
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/stories/tag/wrangling_action.html", context
        )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = ArchiveModelForm
    list_display = (
        "short_body",
        "author",
        "work",
        "chapter",
        "created_at",
        "is_deleted",
        "status",
    )
    list_filter = ("status", "is_deleted", "created_at")
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
