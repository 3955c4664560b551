"""Admin of the health station. Only health staff of the community see these models; lists and search show
names and dates, never health values; opening a file's form is a read and is logged like the file page."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from portal.core.admin_scope import CommunityScopedAdmin
from services.health.access import Purpose, log_health_read, may_read_health
from services.health.actions import health_consent_withdraw, health_file_update
from services.health.models import (
    CheckupCampaign,
    CheckupRecord,
    CheckupSlot,
    FollowUpPlan,
    FollowUpVisit,
    HealthConsent,
    HealthFile,
    MaternalVisit,
    Reading,
)


class HealthOnlyMixin:
    """Nobody but health-station staff (with a community) sees health models in the admin at all."""

    def _health(self, request) -> bool:
        # The admin asks this before login too (its login page builds the app list): anonymous means no.
        return may_read_health(request.user, getattr(request.user, "community_id", None))

    def has_module_permission(self, request):
        return self._health(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._health(request) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._health(request) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._health(request) and super().has_add_permission(request, *args)

    def has_delete_permission(self, request, obj=None):
        return self._health(request) and super().has_delete_permission(request, obj)


class FileEntryInline(HealthOnlyMixin, admin.TabularInline):
    extra = 0

    def _open(self, obj) -> bool:
        return obj is None or obj.processing_allowed()

    def has_add_permission(self, request, obj=None):
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._open(obj) and super().has_change_permission(request, obj)


class ReadingInline(FileEntryInline):
    model = Reading


class CheckupInline(FileEntryInline):
    model = CheckupRecord
    exclude = ["booking"]


class FollowUpVisitInline(FileEntryInline):
    model = FollowUpVisit
    fields = ["visited_on", "notes", "plan"]

    def get_formset(self, request, obj=None, **kwargs):
        """A visit's plan is one of this file's plans: those are the choices, read once for every row (a select
        of its own per row read every plan of every community, one query per visit)."""
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get("plan")
        if field is not None:
            field.queryset = FollowUpPlan.objects.filter(file=obj) if obj is not None else FollowUpPlan.objects.none()
            field.choices = [("", field.empty_label), *((plan.pk, str(plan)) for plan in field.queryset)]
        return formset


class MaternalVisitInline(FileEntryInline):
    model = MaternalVisit


@admin.register(HealthFile)
class HealthFileAdmin(HealthOnlyMixin, CommunityScopedAdmin):
    list_display = ["__str__", "resident", "household", "maternal_care", "created_at"]
    list_select_related = ["resident", "household", "household__building"]
    search_fields = ["resident__name"]  # names only: searching by a health value would reveal it
    list_filter = ["maternal_care"]
    fields = [
        "resident",
        "household",
        "consent",
        "maternal_care",
        "chronic_conditions",
        "allergies",
        "medications",
        "retention_until",
    ]
    readonly_fields = ["resident", "household", "consent", "maternal_care", "retention_until"]
    inlines = [ReadingInline, CheckupInline, FollowUpVisitInline, MaternalVisitInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(anonymised_at__isnull=True)

    def has_add_permission(self, request):
        return False  # files are opened with a consent, on the health station's page

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.processing_allowed():
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """An edit of the file's text goes through the action: consent checked, audited (never a bare save)."""
        health_file_update(
            file=obj,
            by=request.user,
            chronic_conditions=obj.chronic_conditions,
            allergies=obj.allergies,
            medications=obj.medications,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        target = HealthFile.objects.live().only("pk", "community_id", "resident_id").filter(pk=_int(object_id)).first()
        if target is not None and not may_read_health(request.user, target.community_id):
            log_health_read(actor=request.user, file=target, purpose="", denied=True)
            raise Http404
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and getattr(response, "status_code", 200) == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                log_health_read(actor=request.user, file=obj, purpose=Purpose.CARE)
        return response


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@admin.register(HealthConsent)
class HealthConsentAdmin(HealthOnlyMixin, CommunityScopedAdmin):
    list_display = ["resident", "notice_version", "consented_at", "given_by", "withdrawn_at"]
    list_select_related = ["resident"]
    search_fields = ["resident__name"]
    readonly_fields = [f.name for f in HealthConsent._meta.fields]
    actions = ["withdraw"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Withdraw the selected consents"))
    def withdraw(self, request, queryset):
        for consent in queryset:
            health_consent_withdraw(consent=consent, by=request.user)
        self.message_user(request, _("Consent withdrawn."), messages.SUCCESS)


@admin.register(FollowUpPlan)
class FollowUpPlanAdmin(HealthOnlyMixin, CommunityScopedAdmin):
    list_display = ["__str__", "group", "next_due", "interval_days", "active"]
    list_filter = ["group", "active"]
    autocomplete_fields = ["file"]
    search_fields = ["file__resident__name"]
    list_select_related = ["file"]

    def save_model(self, request, obj, form, change):
        if obj.file_id and obj.file.community_id != request.user.community_id:
            raise ValidationError(_("This file belongs to another community."))
        obj.community_id = obj.file.community_id
        super().save_model(request, obj, form, change)


class CheckupSlotInline(HealthOnlyMixin, admin.TabularInline):
    model = CheckupSlot
    extra = 1
    fields = ["starts_at", "ends_at", "capacity", "seats_taken"]
    readonly_fields = ["seats_taken"]


@admin.register(CheckupCampaign)
class CheckupCampaignAdmin(CommunityScopedAdmin):
    list_display = ["title", "year", "starts_on", "ends_on"]
    inlines = [CheckupSlotInline]
