"""Admin of the events of both stations, scoped to the community; each station runs its own events."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.core import roles
from portal.core.admin_files import file_link
from portal.core.admin_scope import CommunityScopedAdmin
from services.events.models import EVENT_STATIONS, EventPhoto, EventRegistration, Station, StationEvent


class EventPhotoInline(admin.TabularInline):
    model = EventPhoto
    extra = 0
    fields = ["photo", "thumb", "caption"]
    readonly_fields = ["photo", "thumb"]

    @admin.display(description=_("photo"))
    def photo(self, obj: EventPhoto) -> str:
        return file_link(obj.image)

    @admin.display(description=_("thumbnail"))
    def thumb(self, obj: EventPhoto) -> str:
        return file_link(obj.thumbnail)

    def has_add_permission(self, request, obj=None):
        return False  # uploads go through the checked form on the event page


STATION_ROLES = {roles.HEALTH_STAFF: Station.HEALTH, roles.CULTURE_STAFF: Station.CULTURE}


@admin.register(StationEvent)
class StationEventAdmin(CommunityScopedAdmin):
    """Each station runs its own events: health-station staff see and edit the health station's, culture-station
    staff the culture station's (both roles: both); others with access (the district, read-only) see all."""

    list_display = ["title", "station", "kind", "large", "starts_at", "capacity", "seats_taken", "published"]
    list_filter = ["station", "kind", "large", "published"]
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
            kwargs["choices"] = [(value, label) for value, label in EVENT_STATIONS if value in stations]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(EventRegistration)
class EventRegistrationAdmin(CommunityScopedAdmin):
    community_path = "event__community"
    list_display = ["event", "resident", "status", "created_at", "checked_in_at"]
    list_select_related = ["event", "resident"]
    list_filter = ["status"]
    # A place is taken, cancelled and moved up only through the seat primitive (its one-live-seat constraint and the
    # waiting list with it), never by a save here: like the hall's bookings, every field is read-only.
    readonly_fields = [f.name for f in EventRegistration._meta.fields]

    def has_add_permission(self, request):
        return False
