"""The admin of property management: companies with the courtyards they serve, their accounts and cleaners (quota
against actual), owners' committees with members, inspections, the repairs (read here, worked on their page, a
company's staff seeing only their company's) and the appraisal periods (published by an action, then final)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.core.admin_scope import AuditedAdmin, CommunityScopedAdmin, ReadOnlyAdmin
from portal.core.requests import error_text
from services.property import actions
from services.property.actions.appraisal import PUBLISH_PERMISSION
from services.property.models import (
    Cleaner,
    OwnersCommittee,
    OwnersCommitteeMember,
    PropertyAppraisal,
    PropertyCompany,
    PropertyCoverage,
    PropertyInspection,
    PropertyScore,
    PropertyStaff,
    Repair,
)


class CoverageInline(admin.TabularInline):
    model = PropertyCoverage
    extra = 0
    autocomplete_fields = ["building"]


class StaffInline(admin.TabularInline):
    model = PropertyStaff
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(PropertyCompany)
class PropertyCompanyAdmin(CommunityScopedAdmin):
    list_display = ["name", "hotline", "arrive_hours", "fix_hours", "courtyards", "cleaner_count", "quota", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    inlines = [CoverageInline, StaffInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_buildings=Count("coverage", distinct=True),
                n_cleaners=Count("cleaners", filter=Q(cleaners__left_on__isnull=True), distinct=True),
            )
        )

    @admin.display(description=_("courtyards served"), ordering="n_buildings")
    def courtyards(self, obj) -> int:
        return obj.n_buildings

    @admin.display(description=_("cleaners"), ordering="n_cleaners")
    def cleaner_count(self, obj) -> int:
        return obj.n_cleaners

    @admin.display(description=_("cleaner quota (1 per 2 buildings)"))
    def quota(self, obj) -> int:
        return PropertyCompany.cleaner_quota(obj.n_buildings)


@admin.register(Cleaner)
class CleanerAdmin(CommunityScopedAdmin):
    community_path = "company__community"
    list_display = ["name", "company", "phone", "started_on", "left_on"]
    list_filter = ["company"]
    search_fields = ["name"]
    autocomplete_fields = ["buildings"]
    list_select_related = ["company"]


class MemberInline(admin.TabularInline):
    model = OwnersCommitteeMember
    extra = 0
    autocomplete_fields = ["resident"]


@admin.register(OwnersCommittee)
class OwnersCommitteeAdmin(CommunityScopedAdmin):
    list_display = ["name", "area", "elected_on", "term_ends_on"]
    list_select_related = ["area"]
    search_fields = ["name"]
    inlines = [MemberInline]


@admin.register(PropertyInspection)
class PropertyInspectionAdmin(CommunityScopedAdmin):
    community_path = "company__community"
    list_display = ["inspected_on", "company", "building", "score", "inspector"]
    list_filter = ["company"]
    list_select_related = ["company", "building", "inspector"]
    autocomplete_fields = ["building"]
    exclude = ["inspector"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.inspector = request.user
        super().save_model(request, obj, form, change)


@admin.register(Repair)
class RepairAdmin(ReadOnlyAdmin):
    """Repairs are written by their actions only (reported, dispatched, arrived, fixed, rated): read here, worked on
    their page. A property company's staff see their company's only."""

    list_display = ["number_link", "kind", "building", "company", "status", "source", "reported_at", "overdue"]
    list_filter = ["status", "kind", "source", "company"]
    list_select_related = ["building__area", "company"]
    search_fields = ["description", "location"]
    date_hierarchy = "reported_at"

    def get_queryset(self, request):
        return Repair.objects.for_staff(request.user)

    @admin.display(description=_("repair"), ordering="pk")
    def number_link(self, obj) -> str:
        return format_html('<a href="{}">{}</a>', reverse("services:property:repair", args=[obj.pk]), obj.number)

    @admin.display(description=_("past its promise"), boolean=True)
    def overdue(self, obj) -> bool:
        return obj.is_overdue


class ScoreInline(admin.TabularInline):
    model = PropertyScore
    extra = 0
    fields = ["rank", "company", "score", "repairs", "in_promise", "average_rating", "inspection"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PropertyAppraisal)
class PropertyAppraisalAdmin(AuditedAdmin):
    list_display = ["name", "starts_on", "ends_on", "published_at"]
    readonly_fields = ["published_at", "published_by"]
    inlines = [ScoreInline]
    actions = ["publish"]

    @admin.action(description=_("Publish the scores (final)"), permissions=["publish"])
    def publish(self, request, queryset):
        for appraisal in queryset:
            try:
                actions.appraisal_publish(appraisal=appraisal, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{appraisal}: {error_text(exc)}", messages.ERROR)
            else:
                self.message_user(request, _("%(name)s is published.") % {"name": appraisal.name}, messages.SUCCESS)

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(PUBLISH_PERMISSION)
