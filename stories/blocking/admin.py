from django.contrib import admin
from django.db import transaction

from stories.admin import ArchiveModelForm
from stories.blocking import services
from stories.blocking.models import Block, Mute


class RelationAdmin(admin.ModelAdmin):
    """Blocks and mutes are made by readers on their pages; staff may look at
    them and lift them, through the same services."""

    form = ArchiveModelForm
    list_select_related = True
    date_hierarchy = "created_at"
    readonly_fields = ("created_at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Block)
class BlockAdmin(RelationAdmin):
    list_display = ("blocker", "blocked", "created_at")
    search_fields = ("blocker__username", "blocked__username")

    def delete_model(self, request, obj):
        services.user_unblock(blocker=obj.blocker, blocked=obj.blocked)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for block in queryset.select_related("blocker", "blocked"):
                services.user_unblock(blocker=block.blocker, blocked=block.blocked)


@admin.register(Mute)
class MuteAdmin(RelationAdmin):
    list_display = ("muter", "muted", "created_at")
    search_fields = ("muter__username", "muted__username")

    def delete_model(self, request, obj):
        services.user_unmute(muter=obj.muter, muted=obj.muted)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for mute in queryset.select_related("muter", "muted"):
                services.user_unmute(muter=mute.muter, muted=mute.muted)
