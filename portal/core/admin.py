"""The admin of the core's own records: the district and its communities (the User admin is the site's, as it links
accounts to the register)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import PeriodicTask

from portal.core.admin_scope import AuditedAdmin, CommunityScopedAdmin
from portal.core.models import Community, District


@admin.register(District)
class DistrictAdmin(AuditedAdmin):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Community)
class CommunityAdmin(CommunityScopedAdmin):
    community_path = "pk"
    list_display = ("name", "district", "slug", "phone")
    list_select_related = ("district",)
    search_fields = ("name", "slug")
    fieldsets = (
        (None, {"fields": ("district", "name", "slug", "address", "phone")}),
        (
            _("Area and boundaries"),
            {"fields": ("area_km2", "boundary_east", "boundary_west", "boundary_south", "boundary_north")},
        ),
        (None, {"fields": ("introduction",)}),
    )


# Role groups and the periodic tasks are edited in the admin too: their writes are audited like every other.
admin.site.unregister(Group)
admin.site.unregister(PeriodicTask)


@admin.register(Group)
class GroupAdmin(AuditedAdmin, auth_admin.GroupAdmin):
    pass


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(AuditedAdmin, beat_admin.PeriodicTaskAdmin):
    pass
