from django.contrib import admin

from stories.admin import ArchiveModelForm
from stories.subscriptions.models import (
    Notification,
    NotificationPreferences,
    Subscription,
)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = ArchiveModelForm
    list_display = ("user", "work", "creator", "series", "tag", "created_at")
    list_select_related = ("user", "work", "creator", "series", "tag")
    raw_id_fields = ("user", "work", "creator", "series", "tag")
    search_fields = ("user__username",)
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    form = ArchiveModelForm
    list_display = ("user", "kind", "work", "delivery", "created_at", "read_at")
    list_filter = ("kind", "delivery")
    list_select_related = ("user", "work")
    raw_id_fields = ("user", "actor", "work", "chapter", "comment", "series", "tag")
    search_fields = ("user__username",)
    date_hierarchy = "created_at"


@admin.register(NotificationPreferences)
class NotificationPreferencesAdmin(admin.ModelAdmin):
    form = ArchiveModelForm
    list_display = ("user", "comments_on", "replies_on")
    raw_id_fields = ("user",)
