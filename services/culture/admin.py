"""Admin of the culture station, scoped to the community."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.core.admin_scope import CommunityScopedAdmin
from portal.core.confirm import admin_confirm_page, admin_confirmed
from portal.core.requests import form_errors
from services.culture import actions
from services.culture.models import (
    ClassEnrolment,
    ClassSession,
    CultureClass,
    CulturePlan,
    Room,
    RoomBooking,
    Team,
    TeamMember,
)


@admin.register(Room)
class RoomAdmin(CommunityScopedAdmin):
    list_display = ["name", "kind", "capacity", "opens_at", "closes_at", "bookable"]
    list_filter = ["kind", "bookable"]


class RoomBookingAdminForm(forms.ModelForm):
    """The admin's booking form asks the checks the pages ask (services.culture.actions.room_booking_check): the
    room's hours, not in the past, the community, no other live booking at that time. The status is not in the form
    (a booking is cancelled by its action), so Django's own check of the overlap constraint, which needs it, would
    be skipped: this is that check, with its message next to the time."""

    TIME_FIELDS = ("room", "starts_at", "ends_at", "resident", "team")

    class Meta:
        model = RoomBooking
        fields = ["room", "starts_at", "ends_at", "resident", "team", "purpose"]

    def clean(self):
        data = super().clean()
        booking = self.instance
        live = booking._state.adding or booking.status == RoomBooking.Status.ACTIVE
        moved = booking._state.adding or any(name in self.changed_data for name in self.TIME_FIELDS)
        if not (live and moved) or any(data.get(name) is None for name in ("room", "starts_at", "ends_at")):
            return data  # a cancelled booking holds no room; a missing time has its own message already
        try:
            actions.room_booking_check(
                room=data["room"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                resident=data.get("resident"),
                team=data.get("team"),
                by_staff=True,
                booking=None if booking._state.adding else booking,
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict") and exc.code in ("overlap", "hours"):
                exc = ValidationError({"starts_at": exc.messages})
            form_errors(self, exc)
        return data


@admin.register(RoomBooking)
class RoomBookingAdmin(CommunityScopedAdmin):
    community_path = "room__community"
    form = RoomBookingAdminForm
    list_display = ["room", "starts_at", "ends_at", "team", "purpose", "status"]
    list_select_related = ["room", "team"]
    list_filter = ["status", "room"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["resident"]
    # Cancelled only by its action (the room is freed, the resident told): never typed in here.
    readonly_fields = ["status", "booked_by", "created_at"]
    actions = ["cancel_by_staff"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.booked_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Cancel the selected room bookings (the residents are told)"), permissions=["change"])
    def cancel_by_staff(self, request, queryset):
        if not admin_confirmed(request):
            return admin_confirm_page(
                self,
                request,
                queryset,
                title=_("Cancel the selected room bookings?"),
                what=_("The rooms are free again at those times and the residents who booked them are told."),
                button=_("Yes, cancel them"),
            )
        done = 0
        for booking in queryset.filter(status=RoomBooking.Status.ACTIVE):
            actions.room_booking_cancel(booking=booking, by=request.user)
            done += 1
        self.message_user(request, ngettext("%d room booking cancelled.", "%d room bookings cancelled.", done) % done)


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 1
    raw_id_fields = ["resident"]


@admin.register(Team)
class TeamAdmin(CommunityScopedAdmin):
    list_display = ["name", "founded_on"]
    inlines = [TeamMemberInline]


class ClassSessionInline(admin.TabularInline):
    model = ClassSession
    extra = 0
    fields = ["starts_at", "ends_at", "topic"]
    readonly_fields = ["starts_at", "ends_at"]

    def has_add_permission(self, request, obj=None):
        return False  # sessions take their room through services.culture.actions.class_session_add


@admin.register(CultureClass)
class CultureClassAdmin(CommunityScopedAdmin):
    list_display = ["name", "room", "teacher", "capacity", "seats_taken"]
    list_select_related = ["room"]
    inlines = [ClassSessionInline]


@admin.register(ClassEnrolment)
class ClassEnrolmentAdmin(CommunityScopedAdmin):
    community_path = "klass__community"
    list_display = ["klass", "resident", "status", "created_at"]
    list_select_related = ["klass", "resident"]
    list_filter = ["status"]
    # A seat is taken, cancelled and moved up only through the capacity primitive (its one-live-seat constraint and
    # the waiting list with it), never by a save here: like the hall's bookings, every field is read-only.
    readonly_fields = [f.name for f in ClassEnrolment._meta.fields]

    def has_add_permission(self, request):
        return False  # seats are taken through the capacity primitive


@admin.register(CulturePlan)
class CulturePlanAdmin(CommunityScopedAdmin):
    """The yearly plan (large fun events); the dashboard shows the year's count against it."""

    list_display = ["year", "large_events"]
    list_filter = ["year"]
