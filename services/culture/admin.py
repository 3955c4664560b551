"""Admin of the culture station, scoped to the community."""

from __future__ import annotations

from django.contrib import admin

from portal.core.admin_scope import CommunityScopedAdmin
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


@admin.register(RoomBooking)
class RoomBookingAdmin(CommunityScopedAdmin):
    community_path = "room__community"
    list_display = ["room", "starts_at", "ends_at", "team", "purpose", "status"]
    list_select_related = ["room", "team"]
    list_filter = ["status", "room"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["resident"]
    exclude = ["booked_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.booked_by = request.user
        super().save_model(request, obj, form, change)


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
