from django import forms
from django.contrib import admin
from django.db import transaction

from archive.text import ControlCharactersRefused
from stories.bookmarks import services
from stories.bookmarks.models import Bookmark, BookmarkFolder
from stories.text import format_typed_text


class BookmarkAdminForm(ControlCharactersRefused, forms.ModelForm):
    class Meta:
        model = Bookmark
        fields = ("notes", "is_private", "is_rec")


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    """Staff may change a bookmark's notes and flags, or delete it, through the
    services, so the work's count of public bookmarks stays exact."""

    form = BookmarkAdminForm
    list_display = ("title", "owner", "work", "series", "is_private", "is_rec")
    list_filter = ("is_private", "is_rec", "created_at")
    list_select_related = ("owner", "work", "series")
    search_fields = ("title", "creator_name", "owner__username", "notes")
    fields = (
        "owner",
        "work",
        "series",
        "title",
        "creator_name",
        "folder",
        "notes",
        "is_private",
        "is_rec",
        "created_at",
        "updated_at",
    )
    readonly_fields = (
        "owner",
        "work",
        "series",
        "title",
        "creator_name",
        "folder",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request):
        # Readers bookmark from the works' pages.
        return False

    def save_model(self, request, obj, form, change):
        services.bookmark_update(
            bookmark=obj,
            notes=format_typed_text(obj.notes),
            tag_names=[tag.name for tag in obj.tags.all()],
            is_private=obj.is_private,
            is_rec=obj.is_rec,
            folder=obj.folder,
        )

    def delete_model(self, request, obj):
        services.bookmark_delete(bookmark=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for bookmark in queryset:
                services.bookmark_delete(bookmark=bookmark)


class BookmarkFolderAdminForm(ControlCharactersRefused, forms.ModelForm):
    class Meta:
        model = BookmarkFolder
        fields = ("name", "is_private")


@admin.register(BookmarkFolder)
class BookmarkFolderAdmin(admin.ModelAdmin):
    form = BookmarkFolderAdminForm
    list_display = ("name", "owner", "position", "is_private")
    list_filter = ("is_private",)
    list_select_related = ("owner",)
    search_fields = ("name", "owner__username")
    fields = ("owner", "name", "position", "is_private", "created_at")
    readonly_fields = ("owner", "position", "created_at")

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        services.folder_rename(folder=obj, name=obj.name, is_private=obj.is_private)

    def delete_model(self, request, obj):
        services.folder_delete(folder=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for folder in queryset:
                services.folder_delete(folder=folder)
