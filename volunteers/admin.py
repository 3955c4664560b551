"""Staff admin of the volunteers app. Every ModelAdmin is community-scoped; state changes go through actions."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.core.admin_files import file_link
from portal.core.admin_scope import CommunityScopedAdmin, ReadOnlyAdmin
from portal.core.audit import audit, sensitive_read
from portal.core.requests import error_text
from volunteers import actions
from volunteers.models import (
    Activity,
    Badge,
    DutyPost,
    HourCorrection,
    PartyTask,
    PersonServed,
    SignUp,
    StationedReport,
    Team,
    UnitSummary,
    VisitPlan,
    VisitRecord,
    Volunteer,
    Wish,
)


def _run(modeladmin, request, queryset, fn, done):
    ok = 0
    for obj in queryset:
        try:
            fn(obj)
            ok += 1
        except ValidationError as exc:
            modeladmin.message_user(request, f"{obj}: {error_text(exc)}", messages.ERROR)
    if ok:
        modeladmin.message_user(request, done % {"count": ok}, messages.SUCCESS)


@admin.register(Team)
class TeamAdmin(CommunityScopedAdmin):
    list_display = ("name", "kind", "leader", "is_active", "community")
    list_filter = ("kind", "is_active")
    list_select_related = ("leader__resident", "community")
    search_fields = ("name",)
    raw_id_fields = ("leader",)


@admin.register(Volunteer)
class VolunteerAdmin(CommunityScopedAdmin):
    list_display = ("number", "resident", "status", "team", "is_council_member", "applied_at", "community")
    list_filter = ("status", "team", "is_council_member")
    list_select_related = ("resident", "team", "community")
    search_fields = ("number", "resident__name")
    raw_id_fields = ("resident",)
    readonly_fields = ("status", "number", "decided_at", "decided_by", "approved_on", "applied_at")
    actions = ("approve", "reject", "revoke")

    def has_delete_permission(self, request, obj=None):
        return False  # a volunteer's record is revoked, never deleted: hours stay attached

    @admin.action(description=_("Approve the selected applications"), permissions=["approve"])
    def approve(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda v: actions.volunteer_approve(volunteer=v, by=request.user),
            _("%(count)d volunteers approved."),
        )

    @admin.action(description=_("Decline the selected applications"), permissions=["approve"])
    def reject(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda v: actions.volunteer_reject(volunteer=v, by=request.user),
            _("%(count)d applications declined."),
        )

    @admin.action(description=_("Revoke the selected volunteers (badges stop verifying)"), permissions=["approve"])
    def revoke(self, request, queryset):
        reason = str(_("Revoked by the community office"))
        _run(
            self,
            request,
            queryset,
            lambda v: actions.volunteer_revoke(volunteer=v, by=request.user, reason=reason),
            _("%(count)d volunteers revoked."),
        )

    def has_approve_permission(self, request):
        return request.user.has_perm("volunteers.approve_volunteer")


class SignUpInline(admin.TabularInline):
    model = SignUp
    extra = 0
    fields = ("volunteer", "status", "checked_in_at", "checked_out_at", "hours", "hours_confirmed_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # places are taken through the seat primitive, not typed in


@admin.register(Activity)
class ActivityAdmin(CommunityScopedAdmin):
    list_display = ("title", "date", "start_time", "end_time", "team", "capacity", "seats_taken", "status")
    list_filter = ("status", "team", "date")
    list_select_related = ("team",)
    search_fields = ("title", "place")
    date_hierarchy = "date"
    readonly_fields = ("seats_taken",)
    inlines = [SignUpInline]
    list_select_related = ("team",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        audit(actor=request.user, action="activity_change" if change else "activity_create", obj=obj, summary=obj.title)


@admin.register(SignUp)
class SignUpAdmin(CommunityScopedAdmin):
    community_path = "activity__community"
    list_display = ("activity", "volunteer", "status", "checked_in_at", "checked_out_at", "hours", "hours_confirmed_at")
    list_filter = ("status",)
    list_select_related = ("activity", "volunteer__resident")
    search_fields = ("volunteer__number", "volunteer__resident__name", "activity__title")
    readonly_fields = [f.name for f in SignUp._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(HourCorrection)
class HourCorrectionAdmin(CommunityScopedAdmin):
    community_path = "signup__activity__community"
    list_display = ("at", "signup", "old_hours", "new_hours", "reason", "corrected_by")
    list_select_related = ("signup", "corrected_by")
    readonly_fields = ("signup", "corrected_by", "old_hours", "new_hours", "reason", "at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Badge)
class BadgeAdmin(CommunityScopedAdmin):
    community_path = "volunteer__community"
    list_display = ("code", "volunteer", "status", "requested_at", "revoked_at", "font_name")
    list_select_related = ("volunteer__resident",)
    readonly_fields = ("code", "volunteer", "status", "png", "verify_url", "font_name", "requested_at", "rendered_at")
    exclude = ("image",)

    @admin.display(description=_("image"))
    def png(self, obj: Badge) -> str:
        return file_link(obj.image)

    def has_add_permission(self, request):
        return False  # issued by volunteers.actions.badge_request (code, QR and image); here only revoked


class VisitPlanInline(admin.TabularInline):
    model = VisitPlan
    extra = 0
    raw_id_fields = ("volunteer",)


@admin.register(PersonServed)
class PersonServedAdmin(CommunityScopedAdmin):
    list_display = ("__str__", "kind", "since", "ended_on")
    list_filter = ("kind",)
    raw_id_fields = ("resident",)
    inlines = [VisitPlanInline]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and request.method == "GET":
            # The form shows who is served and their needs: one entry per opening, as on the coordinators' page.
            with translation.override(settings.LANGUAGE_CODE):
                purpose = gettext("Volunteer service")
            sensitive_read(
                actor=request.user, subjects=[obj.resident_id], field="volunteers.person_served", purpose=purpose
            )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


@admin.register(VisitRecord)
class VisitRecordAdmin(CommunityScopedAdmin):
    community_path = "person__community"
    list_display = ("person", "visited_on", "recorded_by")
    list_select_related = ("person", "recorded_by")
    raw_id_fields = ("person",)
    filter_horizontal = ("visitors",)


@admin.register(DutyPost)
class DutyPostAdmin(CommunityScopedAdmin):
    list_display = ("title", "kind", "building", "area", "task")
    list_filter = ("kind",)
    list_select_related = ("building", "area")
    filter_horizontal = ("holders",)


@admin.register(PartyTask)
class PartyTaskAdmin(CommunityScopedAdmin):
    list_display = ("title", "category", "assignee", "due_on", "completed_on", "hours")
    list_filter = ("category", "completed_on")
    list_select_related = ("assignee",)
    raw_id_fields = ("assignee",)
    readonly_fields = ("completed_on",)
    actions = ("complete",)

    @admin.action(description=_("Mark the selected tasks completed (hours as entered, 2 h if none)"))
    def complete(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda t: actions.party_task_complete(task=t, by=request.user, hours=t.hours or Decimal(2)),
            _("%(count)d tasks completed."),
        )


# 在职党员报到 and 微心愿: written only by their actions (the office's pages under /volunteers/office/); read here.


@admin.register(StationedReport)
class StationedReportAdmin(ReadOnlyAdmin):
    list_display = ("year", "name", "unit", "status", "channel", "group", "reported_at", "community")
    list_filter = ("year", "status", "channel")
    list_select_related = ("unit", "group", "community")
    search_fields = ("name", "unit__name")


@admin.register(Wish)
class WishAdmin(ReadOnlyAdmin):
    list_display = ("title", "status", "posted_at", "claimed_by", "confirmed_at", "community")
    list_filter = ("status",)
    list_select_related = ("claimed_by", "community")
    search_fields = ("title",)


@admin.register(UnitSummary)
class UnitSummaryAdmin(ReadOnlyAdmin):
    list_display = ("year", "unit", "prepared_at", "sent_at", "sent_by", "community")
    list_filter = ("year",)
    list_select_related = ("unit", "sent_by", "community")
