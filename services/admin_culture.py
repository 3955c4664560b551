"""Admin of the culture station and of events (both stations), scoped to the community."""

from __future__ import annotations

from django.contrib import admin

from portal.core import roles
from portal.core.admin_scope import CommunityScopedAdmin
from services.models import (
    ClassEnrolment,
    ClassSession,
    CultureClass,
    EventPhoto,
    EventRegistration,
    Room,
    RoomBooking,
    Station,
    StationEvent,
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
        return False  # sessions take their room through services.actions.culture.class_session_add


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

    def has_add_permission(self, request):
        return False  # seats are taken through the capacity primitive


class EventPhotoInline(admin.TabularInline):
    model = EventPhoto
    extra = 0
    fields = ["image", "thumbnail", "caption"]
    readonly_fields = ["image", "thumbnail"]

    def has_add_permission(self, request, obj=None):
        return False  # uploads go through the checked form on the event page


STATION_ROLES = {roles.HEALTH_STAFF: Station.HEALTH, roles.CULTURE_STAFF: Station.CULTURE}


@admin.register(StationEvent)
class StationEventAdmin(CommunityScopedAdmin):
    """Each station runs its own events: health-station staff see and edit the health station's, culture-station
    staff the culture station's (both roles: both); others with access (the district, read-only) see all."""

    list_display = ["title", "station", "kind", "starts_at", "capacity", "seats_taken", "published"]
    list_filter = ["station", "kind", "published"]
    date_hierarchy = "starts_at"
    search_fields = ["title"]
    inlines = [EventPhotoInline]

    @staticmethod
    def stations_of(user) -> list[str] | None:
        """The stations whose events `user` runs; None when not limited to a station."""
        if user.is_superuser:
            return None
        names = {group.name for group in user.groups.all()}
        stations = [station for role, station in STATION_ROLES.items() if role in names]
        return stations or None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        stations = self.stations_of(request.user)
        return queryset if stations is None else queryset.filter(station__in=stations)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        stations = self.stations_of(request.user)
        if db_field.name == "station" and stations is not None:
            kwargs["choices"] = [(value, label) for value, label in Station.choices if value in stations]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(EventRegistration)
class EventRegistrationAdmin(CommunityScopedAdmin):
    community_path = "event__community"
    list_display = ["event", "resident", "status", "created_at"]
    list_select_related = ["event", "resident"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False
