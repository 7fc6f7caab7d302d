from django.contrib import admin

from stories.readings.forms import ReadingAdminForm
from stories.readings.models import Reading


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    """Readers' histories, for staff answering a reader's question."""

    form = ReadingAdminForm

    list_display = (
        "user",
        "work",
        "last_chapter",
        "chapters_seen",
        "visits",
        "is_marked_for_later",
        "last_read_at",
    )
    list_filter = ("is_marked_for_later",)
    search_fields = ("user__username", "work__title")
    list_select_related = ("user", "work", "last_chapter")
    date_hierarchy = "last_read_at"

    def has_add_permission(self, request):
        # A reading is what a reader did; staff look, and may delete one.
        return False

    def has_change_permission(self, request, obj=None):
        return False
