"""How the apps plug into the core: each may have a module of a known name, found here by that name. The core never
imports an app; it asks every installed app, in INSTALLED_APPS order, for these modules:

    roles.py              ROLE_PERMISSIONS: the permissions each role has on the app's models (portal.core.roles)
    seed.py               seed_community / seed_district / counts / MORE_SEEDERS (portal.core.seeding)
    search_documents.py   the documents the site search indexes (portal.core.search)
    privacy.py            what a resident's data download holds (the site's 我的 page)
    assessment_metrics.py METRICS for the 1000-point assessment (portal.core.metrics)
    dashboard.py          panels(community_id, today) for the community dashboard (portal.core.panels)
    workbench.py          blocks(user, today) for the staff workbench 工作台 (portal.core.waiting)
    schedules.py          SCHEDULES: the app's periodic tasks, each created by a migration (portal.core.schedules)
    reminders.py          SOURCES: the day-before reminders of what residents hold (portal.core.reminders)
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.apps import AppConfig, apps


def app_module(app_config: AppConfig, name: str) -> ModuleType | None:
    """`<app>.<name>`, or None when the app has no such module (an import error inside it is raised)."""
    full = f"{app_config.name}.{name}"
    try:
        return import_module(full)
    except ModuleNotFoundError as exc:
        if exc.name != full:
            raise  # the module exists but imports something missing: say so
        return None


def app_modules(name: str) -> Iterator[tuple[AppConfig, ModuleType]]:
    """(app, module) for every installed app that has a module called `name`, in INSTALLED_APPS order."""
    for app_config in apps.get_app_configs():
        module = app_module(app_config, name)
        if module is not None:
            yield app_config, module


def modules_depend(name: str) -> tuple[str, ...] | None:
    """Every model label the apps' `name` modules declare as DEPENDS (what they read), in order and once each; None
    while one of those modules does not say (whatever is built on them cannot be kept)."""
    found: dict[str, None] = {}
    for _app, module in app_modules(name):
        depends = getattr(module, "DEPENDS", None)
        if depends is None:
            return None
        found.update(dict.fromkeys(depends))
    return tuple(found)
