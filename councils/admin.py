"""Django admin for the councils, scoped to the staff's community. Minutes and resolutions keep their history;
approved minutes and resolutions are read-only here too (corrections are addenda and progress updates)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from councils import models
from portal.core.admin_files import PrivateFilesAdminMixin
from portal.core.admin_scope import CommunityScopedAdmin


class MemberInline(admin.TabularInline):
    model = models.CouncilMember
    extra = 0
    fields = ["role", "name", "unit", "skill", "chosen_by", "term_start", "term_end", "user"]
    raw_id_fields = ["user", "party_member", "resident"]


@admin.register(models.Council)
class CouncilAdmin(CommunityScopedAdmin):
    list_display = ["name", "community", "kind", "convenor", "secretary", "meetings_per_year", "quorum_percent"]
    list_select_related = ["community", "convenor", "secretary"]
    list_filter = ["kind"]
    raw_id_fields = ["convenor", "secretary"]
    inlines = [MemberInline]


@admin.register(models.Nomination)
class NominationAdmin(CommunityScopedAdmin):
    community_path = "council__community"
    list_display = ["nominee", "council", "role", "method", "status", "votes"]
    list_select_related = ["council"]
    list_filter = ["method", "status"]
    raw_id_fields = ["resident", "meeting", "member"]


def meeting_locked(meeting) -> bool:
    """A meeting whose minutes are approved: it, its agenda and its attendance are the record now."""
    return (
        meeting is not None
        and models.Minutes.objects.filter(meeting=meeting, status__in=models.Minutes.LOCKED).exists()
    )


class LockedWhenApproved:
    """Approved records are never edited in place."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.is_locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.is_locked(obj):
            return False
        return super().has_delete_permission(request, obj)


class AgendaInline(admin.TabularInline):
    model = models.AgendaItem
    extra = 0
    raw_id_fields = ["suggestion"]

    # `obj` is the meeting: once its minutes are approved its agenda titles are part of them.
    def has_add_permission(self, request, obj=None):
        return not meeting_locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not meeting_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not meeting_locked(obj) and super().has_delete_permission(request, obj)


@admin.register(models.Meeting)
class MeetingAdmin(LockedWhenApproved, CommunityScopedAdmin):
    community_path = "council__community"
    list_display = ["title", "council", "kind", "starts_at", "status", "notice_sent_at"]
    list_select_related = ["council"]
    list_filter = ["kind", "status"]
    date_hierarchy = "starts_at"
    inlines = [AgendaInline]

    def is_locked(self, obj):
        return meeting_locked(obj)


class AttachmentInline(PrivateFilesAdminMixin, admin.TabularInline):
    model = models.MinutesAttachment
    extra = 0
    fields = ["file", "caption", "uploaded_by", "created_at"]
    readonly_fields = ["uploaded_by", "created_at"]


@admin.register(models.Minutes)
class MinutesAdmin(LockedWhenApproved, CommunityScopedAdmin, SimpleHistoryAdmin):
    community_path = "meeting__council__community"
    list_display = ["meeting", "status", "submitted_at", "approved_at", "published_at"]
    list_select_related = ["meeting"]
    list_filter = ["status"]
    readonly_fields = ["status", "submitted_at", "approved_by", "approved_at", "published_at", "saved_at"]
    raw_id_fields = ["meeting", "recorded_by"]
    inlines = [AttachmentInline]

    def is_locked(self, obj):
        return obj.is_locked


@admin.register(models.Resolution)
class ResolutionAdmin(LockedWhenApproved, CommunityScopedAdmin, SimpleHistoryAdmin):
    list_display = ["number", "title", "council", "executor", "deadline", "status"]
    list_select_related = ["council"]
    list_filter = ["status", "executor", "year"]
    search_fields = ["title"]
    raw_id_fields = ["minutes_item", "executor_unit"]

    def is_locked(self, obj):
        return True  # created by approval; changed only through progress updates

    def has_add_permission(self, request):
        return False


@admin.register(models.ResolutionProgress)
class ResolutionProgressAdmin(CommunityScopedAdmin):
    community_path = "resolution__community"
    list_display = ["resolution", "created_at", "completes"]
    list_select_related = ["resolution"]


@admin.register(models.Suggestion)
class SuggestionAdmin(CommunityScopedAdmin):
    list_display = ["tracking_number", "title", "category", "status", "supporters_count", "rating", "created_at"]
    list_filter = ["status", "category"]
    search_fields = ["tracking_number", "title"]
    raw_id_fields = ["proposer", "merged_into", "resolution"]
    readonly_fields = ["tracking_number", "supporters_count"]


@admin.register(models.Project)
class ProjectAdmin(CommunityScopedAdmin):
    community_path = "council__community"
    list_display = ["title", "council", "year"]
    list_select_related = ["council"]


@admin.register(models.ResourcePledge)
class ResourcePledgeAdmin(CommunityScopedAdmin):
    community_path = "council__community"
    list_display = ["description", "unit", "kind", "year", "pledged", "delivered"]
    list_select_related = ["unit"]
    list_filter = ["kind", "year"]
