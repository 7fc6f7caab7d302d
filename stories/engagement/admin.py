from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from stories.admin import ArchiveModelForm
from stories.engagement import services
from stories.engagement.models import Kudos


@admin.register(Kudos)
class KudosAdmin(admin.ModelAdmin):
    """Kudos to look at, and to delete through the service that fixes the count."""

    form = ArchiveModelForm
    list_display = ("work", "given_by", "created_at")
    list_select_related = ("work", "user")
    list_filter = ("created_at",)
    search_fields = ("work__title", "user__username")
    raw_id_fields = ("work", "user")
    fields = ("work", "user", "guest_key", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        # Readers leave kudos on the work pages.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("left by"), ordering="user__username")
    def given_by(self, kudos):
        return kudos.user.username if kudos.user_id else _("a guest")

    def delete_model(self, request, obj):
        services.kudos_delete(kudos=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for kudos in queryset:
                services.kudos_delete(kudos=kudos)
