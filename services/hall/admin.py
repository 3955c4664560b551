"""Staff admin of the service hall: catalogue, counters and hours, slots, bookings, and the case desk.

Every community-bound admin uses CommunityScopedAdmin (another community's record is a 404). Status changes,
assignments, notes and cancellations go through services.hall.actions, never through a bare save().
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from portal.core import pagecache
from portal.core.access import scope_to_staff
from portal.core.admin_forms import PlainSelect, PortalActionForm
from portal.core.admin_scope import (
    AuditedAdmin,
    CommunityRelatedFieldListFilter,
    CommunityScopedAdmin,
    chosen_community,
    staff_scope,
)
from portal.core.admin_urls import change_url
from portal.core.confirm import admin_confirm_page, admin_confirmed
from portal.core.models import User
from portal.core.requests import error_text
from services.hall import actions
from services.hall.admin_work import case_work, step_forms
from services.hall.models import (
    Booking,
    Case,
    CaseAttachment,
    ClosedDay,
    Counter,
    Mediation,
    MediationSession,
    OpeningHours,
    ServiceCategory,
    ServiceItem,
    Slot,
)
from services.hall.timeline import case_timeline

# ------------------------------------------------------------------------------------------------
# Catalogue and counters


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(AuditedAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class DocumentsField(forms.CharField):
    """The documents list edited as one document per line."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class ServiceItemForm(forms.ModelForm):
    documents = DocumentsField(label=_("documents to bring"), required=False, help_text=_("One document per line."))

    class Meta:
        model = ServiceItem
        fields = [
            "community", "category", "counter", "name", "keywords", "description", "documents", "time_limit_days",
            "case_kind", "needs_appointment", "online_application", "is_active", "order",
        ]  # fmt: skip


@admin.register(ServiceItem)
class ServiceItemAdmin(CommunityScopedAdmin):
    form = ServiceItemForm
    list_display = [
        "name",
        "category",
        "counter",
        "time_limit_days",
        "needs_appointment",
        "online_application",
        "is_active",
    ]
    list_filter = ["category", "case_kind", "needs_appointment", "online_application", "is_active"]
    list_select_related = ["category", "counter"]
    search_fields = ["name", "keywords"]


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Counter)
class CounterAdmin(CommunityScopedAdmin):
    list_display = ["number", "name", "location", "slot_minutes", "seats_per_slot", "is_active"]
    list_display_links = ["number", "name"]
    inlines = [OpeningHoursInline]
    search_fields = ["name"]


@admin.register(ClosedDay)
class ClosedDayAdmin(CommunityScopedAdmin):
    list_display = ["date", "counter", "reason"]
    list_select_related = ["counter"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        community_id = obj.community_id or request.user.community_id
        # A new closure cancels that day's appointments and tells the residents.
        closure = actions.closed_day_add(
            community_id=community_id, day=obj.date, reason=obj.reason, by=request.user, counter=obj.counter
        )
        obj.pk = closure.pk


@admin.register(Slot)
class SlotAdmin(CommunityScopedAdmin):
    list_display = ["starts_at", "counter", "capacity", "seats_taken"]
    list_filter = ["counter", "date"]
    list_select_related = ["counter"]
    readonly_fields = ["seats_taken"]
    date_hierarchy = "date"
    show_full_result_count = False


# ------------------------------------------------------------------------------------------------
# Bookings


@admin.register(Booking)
class BookingAdmin(CommunityScopedAdmin):
    list_display = ["code", "resident", "item", "slot", "status", "desk", "booked_by_name"]
    list_filter = ["status", "desk", "slot__counter", "date"]
    list_select_related = ["resident", "item", "slot", "booked_by"]
    search_fields = ["code", "resident__name"]
    date_hierarchy = "date"
    show_full_result_count = False
    readonly_fields = [f.name for f in Booking._meta.fields]
    actions = ["cancel_by_staff"]

    @admin.display(description=_("booked by"))
    def booked_by_name(self, obj: Booking) -> str:
        return obj.booked_by.name if obj.booked_by else ""

    def has_add_permission(self, request):
        return False  # staff book through the desk (代办), so the checks and notices are the same

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Cancel the selected appointments (the residents are told)"), permissions=["change"])
    def cancel_by_staff(self, request, queryset):
        if not admin_confirmed(request):
            return admin_confirm_page(
                self,
                request,
                queryset,
                title=_("Cancel the selected appointments?"),
                what=_("The residents are told that the hall cancelled their appointment; this cannot be undone."),
                button=_("Yes, cancel them"),
            )
        done = 0
        for booking in queryset:
            try:
                actions.booking_cancel(booking=booking, by=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{booking.code}: {error_text(exc)}", messages.WARNING)
        self.message_user(request, ngettext("%d appointment cancelled.", "%d appointments cancelled.", done) % done)


# ------------------------------------------------------------------------------------------------
# Cases


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("overdue")), ("no", _("on time"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.overdue(today)
        if self.value() == "no":
            return queryset.exclude(pk__in=Case.objects.overdue(today).values("pk"))
        return queryset


CASE_NUMBER = re.compile(r"bj0*(\d{1,9})", re.IGNORECASE)


class FollowUpFilter(admin.SimpleListFilter):
    """Mediations whose follow-up visit (回访) is due and not made yet."""

    title = _("follow-up visit (回访)")
    parameter_name = "follow_up"

    def lookups(self, request, model_admin):
        return [("due", _("due, not made yet"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.filter(
                mediation__follow_up_due__lte=timezone.localdate(), mediation__follow_up_done_on__isnull=True
            )
        return queryset


class CaseActionForm(PortalActionForm):
    # The choices are the staff of my community, filled in per request (changelist_view); the assign action
    # checks the choice against the same list, so the form only carries the number.
    assignee = forms.CharField(label=_("assign to"), required=False, widget=PlainSelect)
    reason = forms.CharField(label=_("reason for rejection"), max_length=300, required=False)


def assignable_staff(request, community_id: int | None = None) -> list[tuple[int, str]]:
    """(pk, name) of the active staff to whom this member of staff may assign a case, read once a request.

    Community staff assign within their own community. A district administrator assigns a case to the staff of the
    case's community (`community_id`: the case's, or the one the list is narrowed to); with none, there is nobody
    to offer (every community's staff would be a thousand names, of whom only one community's could take the case).
    """
    memo = getattr(request, "_assignable_staff", None)
    if memo is None:
        memo = request._assignable_staff = {}
    scope = staff_scope(request.user)
    if scope == "all":
        if community_id is None:
            return []
        scope = f"all:{community_id}"
    if scope not in memo:

        def staff():
            users = scope_to_staff(User.objects.filter(is_staff=True, is_active=True), request.user)
            if community_id is not None and scope.startswith("all:"):
                users = users.filter(community_id=community_id)
            return [(user.pk, str(user)) for user in users.order_by("name")]

        # Kept until an account changes (a new colleague, a name, a deactivation): every list page shows it.
        memo[scope] = pagecache.remember(f"admin-assignable-staff:{scope}", ("portal.User",), staff, 300)
    return memo[scope]


class AssigneeFilter(admin.RelatedFieldListFilter):
    """Filter by assignee among the staff one may assign to (the list the action bar offers too); a district
    administrator's, once the list is narrowed to a community."""

    def field_choices(self, field, request, model_admin):
        return assignable_staff(request, chosen_community(request, model_admin))

    def has_output(self):
        return bool(self.lookup_choices)


class CaseAttachmentInline(admin.TabularInline):
    model = CaseAttachment
    fields = ["download", "content_type", "size", "internal", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # files are added through actions.case_add_attachment (checked by content)

    @admin.display(description=pgettext_lazy("document", "file"))
    def download(self, obj: CaseAttachment) -> str:
        if obj.pk is None:
            return ""
        return format_html(
            '<a href="{}">{}</a>', reverse("services:attachment", args=[obj.case_id, obj.pk]), obj.original_name
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


class MediationInline(admin.StackedInline):
    model = Mediation
    extra = 0
    max_num = 1
    can_delete = False


@admin.register(Case)
class CaseAdmin(CommunityScopedAdmin):
    list_display = ["number_link", "title", "kind", "status", "resident", "assignee", "counter", "deadline", "overdue"]
    list_display_links = None
    list_filter = [
        "status",
        "kind",
        "source",
        OverdueFilter,
        FollowUpFilter,
        ("assignee", AssigneeFilter),
        ("counter", CommunityRelatedFieldListFilter),
    ]
    list_select_related = ["resident", "assignee", "counter"]
    search_fields = ["title", "resident__name", "resident__phone", "ticket"]  # and the case number: get_search_results
    show_full_result_count = False
    list_per_page = 50
    action_form = CaseActionForm
    actions = ["accept", "start", "complete", "reject", "assign", "assign_to_me"]
    inlines = [CaseAttachmentInline, MediationInline]  # the timeline and the next steps: change_form.html
    readonly_fields = [
        "resident", "item", "kind", "status", "rejection_reason", "assignee", "filed_by", "source", "ticket",
        "submitted_at", "accepted_at", "closed_at", "escalated_at", "rating", "rating_comment", "community",
    ]  # fmt: skip
    fields = [
        "resident", "item", "kind", "status", "title", "description", "location", "counter", "deadline", "assignee",
        "rejection_reason", "filed_by", "source", "ticket", "submitted_at", "accepted_at", "closed_at",
        "escalated_at", "rating", "rating_comment",
    ]  # fmt: skip

    @admin.display(description=_("number"), ordering="pk")
    def number_link(self, obj: Case) -> str:
        return format_html('<a href="{}">{}</a>', change_url("admin:services_case_change", obj.pk), obj.number)

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj: Case) -> bool:
        return obj.is_overdue

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_open:
            return self.fields  # closed cases are not edited in place (DESIGN.md rule 5)
        return self.readonly_fields

    def has_add_permission(self, request):
        return (
            False  # cases are filed through the site (by the resident, or by staff 代办) so the timeline starts right
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def get_inlines(self, request, obj):
        if obj is not None and obj.kind != Case.Kind.MEDIATION:
            return [CaseAttachmentInline]
        return self.inlines

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            labels = ", ".join(str(form.fields[name].label) for name in form.changed_data)
            actions.case_add_note(case=obj, by=request.user, text=str(_("Edited: %(fields)s") % {"fields": labels}))

    def get_search_results(self, request, queryset, search_term):
        """A case number (BJ0000229, bj229) finds that case; otherwise title, resident's name or phone."""
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        number = CASE_NUMBER.fullmatch(search_term.strip())
        if number:
            queryset |= self.get_queryset(request).filter(pk=int(number.group(1)))
        return queryset, duplicates

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id and request.method == "POST" and "_work" in request.POST:
            case = self.get_object(request, unquote(object_id))
            if case is None:
                raise Http404
            if not self.has_change_permission(request, case):
                raise PermissionDenied
            try:
                done, forms = case_work(request, case, assignable_staff(request, case.community_id))
            except ValidationError as exc:
                self.message_user(request, error_text(exc), messages.ERROR)
                return redirect(request.path)
            if done:
                self.message_user(request, done, messages.SUCCESS)
                return redirect(request.path)
            # Shown again with the message next to the field and what was typed kept.
            self.message_user(request, _("The step was not taken: see the message below."), messages.ERROR)
            request.method = "GET"
            extra_context["work_forms"] = forms
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["timeline"] = case_timeline(obj, staff=True)
            if self.has_change_permission(request, obj) and "work_forms" not in context:
                context["work_forms"] = step_forms(obj, assignable_staff(request, obj.community_id))
            mediation = getattr(obj, "mediation", None) if obj.kind == Case.Kind.MEDIATION else None
            context["mediation"] = mediation
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_context(self, request, context):
        # The assignee choices are the staff of my own community.
        action_form = context.get("action_form")
        if action_form is not None:
            staff = assignable_staff(request, chosen_community(request, self))
            action_form.fields["assignee"].widget.choices = [("", "---------"), *staff]

    def _each(self, request, queryset, func, **kwargs):
        done = 0
        for case in queryset:
            try:
                func(case=case, by=request.user, **kwargs)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{case.number}: {error_text(exc)}", messages.WARNING)
        self.message_user(request, ngettext("%d case updated.", "%d cases updated.", done) % done)

    @admin.action(description=_("Accept the selected cases"), permissions=["change"])
    def accept(self, request, queryset):
        self._each(request, queryset, actions.case_accept)

    @admin.action(description=_("Mark the selected cases in progress"), permissions=["change"])
    def start(self, request, queryset):
        self._each(request, queryset, actions.case_start)

    @admin.action(description=_("Close the selected cases as done"), permissions=["change"])
    def complete(self, request, queryset):
        self._each(request, queryset, actions.case_complete)

    @admin.action(description=_("Reject the selected cases (give the reason)"), permissions=["change"])
    def reject(self, request, queryset):
        reason = request.POST.get("reason", "").strip()
        if not reason:
            self.message_user(request, _("Say why the cases are rejected."), messages.ERROR)
            return
        self._each(request, queryset, actions.case_reject, reason=reason)

    @admin.action(description=_("Assign the selected cases to the chosen member of staff"), permissions=["change"])
    def assign(self, request, queryset):
        try:
            chosen = int(request.POST.get("assignee", ""))
        except ValueError:
            chosen = None
        staff = dict(assignable_staff(request, chosen_community(request, self)))
        assignee = User.objects.get(pk=chosen) if chosen in staff else None
        if assignee is None:
            if not staff:
                # A district administrator's list not yet narrowed to one community offers nobody.
                self.message_user(
                    request,
                    _("Filter the list by community first, then choose whom to assign the cases to."),
                    messages.ERROR,
                )
            else:
                self.message_user(request, _("Choose whom to assign the cases to."), messages.ERROR)
            return
        self._each(request, queryset, actions.case_assign, assignee=assignee)

    @admin.action(description=_("Assign the selected cases to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        self._each(request, queryset, actions.case_assign, assignee=request.user)


@admin.register(MediationSession)
class MediationSessionAdmin(CommunityScopedAdmin):
    community_path = "mediation__case__community"
    list_display = ["held_at", "mediation", "place", "mediator"]
    list_select_related = ["mediation__case", "mediator"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "mediation":
            kwargs["queryset"] = scope_to_staff(
                Mediation.objects.select_related("case"), request.user, "case__community"
            )
        elif db_field.name == "mediator":
            kwargs["queryset"] = scope_to_staff(User.objects.filter(is_staff=True), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
