"""Roles are groups (DESIGN.md rule 2). The groups are created by migration portal 0003; their permissions
are listed here by name and kept in step after every `migrate`, as apps add models.

Code asks `user.has_perm(...)`, never for a group or a username. The group names are what staff see in the
admin, so they are Chinese; the constants are what code refers to.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db.models import Q

from portal.core.disclosure import role_permissions as disclosure_permissions
from portal.core.plugins import app_modules
from portal.core.role_names import (
    ALL_ROLES,
    BRANCH_SECRETARY,
    COMMITTEE_DIRECTOR,
    COUNCIL_SECRETARY,
    CULTURE_STAFF,
    DISTRICT_ADMIN,
    GRID_WORKER,
    HALL_STAFF,
    HEALTH_STAFF,
    PROPERTY_STAFF,
    RESIDENT,
    STAFF_ROLES,
    VOLUNTEER,
)

__all__ = [
    "ALL_ROLES",
    "BRANCH_SECRETARY",
    "COMMITTEE_DIRECTOR",
    "COUNCIL_SECRETARY",
    "CULTURE_STAFF",
    "DISTRICT_ADMIN",
    "GRID_WORKER",
    "HALL_STAFF",
    "HEALTH_STAFF",
    "PROPERTY_STAFF",
    "RESIDENT",
    "STAFF_ROLES",
    "VOLUNTEER",
    "collected_role_permissions",
    "crud",
    "sync_role_permissions",
]


def crud(app_label: str, *models: str, view_only: bool = False) -> list[str]:
    """Permission names for the given models: view only, or view/add/change/delete."""
    actions = ("view",) if view_only else ("view", "add", "change", "delete")
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


# Each app lists its roles' permissions in `<app>/roles.py` as ROLE_PERMISSIONS ("app_label.codename");
# these are the core's own. Permissions of models that do not exist yet are skipped.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    HALL_STAFF: ["portal.link_account", "portal.view_user"],
    COMMITTEE_DIRECTOR: ["portal.link_account", "portal.view_user", "portal.view_auditlog"],
    DISTRICT_ADMIN: [
        "portal.view_all_communities",
        "portal.link_account",
        *crud("portal", "user", "district", "community"),
        "portal.view_auditlog",
        "portal.view_sensitiveaccesslog",
    ],
}


def collected_role_permissions() -> dict[str, set[str]]:
    """Merge ROLE_PERMISSIONS of every installed app's `roles` module."""
    merged: dict[str, set[str]] = {role: set() for role in ALL_ROLES}
    # Who sees which personal field in full: the disclosure table (portal/core/disclosure.py).
    for role, names in disclosure_permissions().items():
        merged[role].update(names)
    for _app, module in app_modules("roles"):
        for role, names in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged[role].update(names)
    return merged


def sync_role_permissions(sender=None, apps=global_apps, **kwargs) -> None:
    """Give each role exactly the permissions listed above (those that exist). Runs after the last app migrates."""
    app_configs = list(global_apps.get_app_configs())
    if sender is not None and sender.name != app_configs[-1].name:
        return
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in collected_role_permissions().items():
        group, _ = Group.objects.get_or_create(name=role)
        query = Q(pk__in=[])
        for name in names:
            app_label, codename = name.split(".", 1)
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(query))
