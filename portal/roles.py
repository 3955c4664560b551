"""Roles are groups (DESIGN.md rule 2). The groups are created by migration portal 0003; their permissions
are listed here by name and kept in step after every `migrate`, as apps add models.

Code asks `user.has_perm(...)`, never for a group or a username. The group names are what staff see in the
admin, so they are Chinese; the constants are what code refers to.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps as global_apps
from django.db.models import Q

RESIDENT = "居民"
HALL_STAFF = "便民服务站工作人员"
HEALTH_STAFF = "健康服务站工作人员"
CULTURE_STAFF = "文化服务站工作人员"
COUNCIL_SECRETARY = "议事会秘书"
BRANCH_SECRETARY = "党总支书记"
COMMITTEE_DIRECTOR = "居委会主任"
VOLUNTEER = "志愿者"
DISTRICT_ADMIN = "区级管理员"

ALL_ROLES = [
    RESIDENT,
    HALL_STAFF,
    HEALTH_STAFF,
    CULTURE_STAFF,
    COUNCIL_SECRETARY,
    BRANCH_SECRETARY,
    COMMITTEE_DIRECTOR,
    VOLUNTEER,
    DISTRICT_ADMIN,
]
STAFF_ROLES = [
    HALL_STAFF,
    HEALTH_STAFF,
    CULTURE_STAFF,
    COUNCIL_SECRETARY,
    BRANCH_SECRETARY,
    COMMITTEE_DIRECTOR,
    DISTRICT_ADMIN,
]


def crud(app_label: str, *models: str, view_only: bool = False) -> list[str]:
    """Permission names for the given models: view only, or view/add/change/delete."""
    actions = ("view",) if view_only else ("view", "add", "change", "delete")
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


# Each app lists its roles' permissions in `<app>/roles.py` as ROLE_PERMISSIONS ("app_label.codename");
# these are the portal's own. Permissions of models that do not exist yet are skipped.
SITE_CONTENT = ("notice", "contactperson", "appraisal", "nomination", "facility")

ROLE_PERMISSIONS: dict[str, list[str]] = {
    HALL_STAFF: ["portal.link_account", "portal.view_user", *crud("portal", *SITE_CONTENT)],
    HEALTH_STAFF: crud("portal", "notice"),
    CULTURE_STAFF: crud("portal", "notice"),
    BRANCH_SECRETARY: crud("portal", "notice"),
    COMMITTEE_DIRECTOR: [
        "portal.link_account",
        "portal.view_user",
        "portal.view_auditlog",
        *crud("portal", *SITE_CONTENT),
    ],
    DISTRICT_ADMIN: [
        *crud("portal", *SITE_CONTENT),
        *crud("portal", "rubric", "criterion", "manualscore"),
        "portal.view_assessmentsnapshot",
        "portal.view_all_communities",
        "portal.link_account",
        *crud("portal", "user"),
        "portal.view_auditlog",
        "portal.view_sensitiveaccesslog",
    ],
}


def collected_role_permissions() -> dict[str, set[str]]:
    """Merge ROLE_PERMISSIONS of every installed app's `roles` module."""
    merged: dict[str, set[str]] = {role: set() for role in ALL_ROLES}
    for app_config in global_apps.get_app_configs():
        try:
            module = import_module(f"{app_config.name}.roles")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app_config.name}.roles":
                raise
            continue
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
