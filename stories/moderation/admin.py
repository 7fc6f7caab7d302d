from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from stories.admin import ArchiveModelForm
from stories.moderation import services
from stories.moderation.models import GuestCommentSwitch, Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """The staff queue of reports: open ones first to look at, then resolved."""

    form = ArchiveModelForm
    list_display = ["__str__", "what", "reported_link", "reporter_shown", "status"]
    list_filter = ["status", "reason"]
    list_select_related = ["work", "comment", "comment__work", "reporter"]
    search_fields = ["details", "reporter_email", "reporter__username"]
    date_hierarchy = "created_at"
    actions = ["mark_resolved"]
    ordering = ["status", "-created_at"]
    # Reports are what readers sent: staff read them and resolve them (the action).
    readonly_fields = fields = [
        "reported_link",
        "reason",
        "details",
        "reporter",
        "reporter_email",
        "status",
        "created_at",
        "resolved_at",
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("what"))
    def what(self, report):
        if report.work_id:
            return _("Work: %(title)s") % {"title": report.work.title}
        return _("Comment on %(title)s: %(text)s") % {
            "title": report.comment.work.title,
            "text": Truncator(report.comment.body).words(8, html=True),
        }

    @admin.display(description=_("reported"))
    def reported_link(self, report):
        if report.work_id:
            admin_url = reverse("admin:stories_work_change", args=[report.work_id])
        else:
            admin_url = reverse(
                "admin:stories_comment_change", args=[report.comment_id]
            )
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            report.get_reported_url(),
            _("on the site"),
            admin_url,
            _("in the admin"),
        )

    @admin.display(description=_("reporter"))
    def reporter_shown(self, report):
        if report.reporter_id:
            return report.reporter.username
        return _("guest <%(email)s>") % {"email": report.reporter_email}

    @admin.action(description=_("Mark the chosen reports resolved"))
    def mark_resolved(self, request, queryset):
        count = services.reports_resolve(reports=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d report marked resolved.",
                "%(count)d reports marked resolved.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(GuestCommentSwitch)
class GuestCommentSwitchAdmin(admin.ModelAdmin):
    """The one switch for guest comments; turned through its service, so every
    cached comment form follows."""

    form = ArchiveModelForm
    list_display = ["__str__", "allowed", "changed_at"]
    fields = ["allowed"]

    def has_add_permission(self, request):
        return not GuestCommentSwitch.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.guest_comments_switch(allowed=obj.allowed)
        obj.pk = saved.pk
