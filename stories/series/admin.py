from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from archive.autocomplete import AutocompleteChecked
from archive.text import ControlCharactersRefused
from stories.series import services
from stories.series.models import Series, SeriesWork
from stories.text import format_typed_text

SERIES_FIELDS = ("title", "summary", "notes", "is_complete")
LAST = 10**9


class SeriesAdminForm(ControlCharactersRefused, forms.ModelForm):
    class Meta:
        model = Series
        fields = ("owner", *SERIES_FIELDS)


class SeriesWorkForm(ControlCharactersRefused, forms.ModelForm):
    class Meta:
        model = SeriesWork
        fields = ("work", "position")
        help_texts = {"position": _("Empty: after the others.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False


class PartsFormSet(forms.BaseInlineFormSet):
    """A series' parts: each a work of the series' owner, each once."""

    def clean(self):
        super().clean()
        owner = getattr(self.instance, "owner", None)
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        works = [data["work"] for data in kept if data.get("work")]
        if owner is not None and any(work.owner_id != owner.pk for work in works):
            raise ValidationError(
                _("A series holds only its owner's works."), code="not_owners"
            )
        if len({work.pk for work in works}) != len(works):
            raise ValidationError(
                _("A work is in a series once."), code="duplicate_work"
            )


class SeriesWorkInline(admin.TabularInline):
    """A series' works in order; saved through the series services."""

    model = SeriesWork
    form = SeriesWorkForm
    formset = PartsFormSet
    fields = ("work", "position")
    raw_id_fields = ("work",)
    ordering = ("position", "pk")
    extra = 0


@admin.register(Series)
class SeriesAdmin(AutocompleteChecked, admin.ModelAdmin):
    form = SeriesAdminForm
    list_display = ("title", "owner", "is_complete", "updated_at")
    list_filter = ("is_complete",)
    list_select_related = ("owner",)
    search_fields = ("title", "owner__username")
    autocomplete_fields = ("owner",)
    inlines = (SeriesWorkInline,)

    def get_readonly_fields(self, request, obj=None):
        # A series keeps its owner: its works are the owner's.
        return ("owner",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        """Save the series' details through the services; its parts follow in
        save_related."""
        fields = {name: form.cleaned_data[name] for name in SERIES_FIELDS}
        for name in ("summary", "notes"):
            fields[name] = format_typed_text(fields[name])
        if change:
            services.series_update(series=obj, **fields)
        else:
            created = services.series_create(owner=form.cleaned_data["owner"], **fields)
            obj.pk = created.pk
            obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """Add, remove and reorder the series' works through the services."""
        form.save_m2m()
        series = form.instance
        for formset in formsets:
            # The works the rows held before: the forms' instances already
            # hold what was posted.
            held = {part.pk: part for part in series.parts.select_related("work")}
            rows = [
                (held.get(part.instance.pk), part.cleaned_data)
                for part in formset.forms
                if part.cleaned_data and part.cleaned_data.get("work")
            ]
            removed, added = [], []
            for previous, data in rows:
                if previous and (data["DELETE"] or previous.work != data["work"]):
                    services.series_remove_work(series=series, work=previous.work)
                    removed.append(previous)
            kept = [(previous, data) for previous, data in rows if not data["DELETE"]]
            for previous, data in kept:
                if previous is None or previous.work != data["work"]:
                    added.append(
                        services.series_add_work(series=series, work=data["work"])
                    )
            # Rows without a position go last, in the order they were given.
            order = sorted(
                (data["position"] or LAST, index, data["work"].pk)
                for index, (_previous, data) in enumerate(kept)
            )
            services.series_reorder(
                series=series, work_ids=[work_id for *_, work_id in order]
            )
            # What the admin's history says was done, as formset.save() tells it.
            formset.new_objects, formset.deleted_objects = added, removed
            formset.changed_objects = []

    def delete_model(self, request, obj):
        services.series_delete(series=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for series in queryset:
                services.series_delete(series=series)
