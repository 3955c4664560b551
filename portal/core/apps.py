from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor. Its app label stays "portal": the user model is portal.User and its tables keep their names."""

    name = "portal.core"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # lazy: receivers and signal hookups need the app registry, which is ready only here
        from django.core import checks
        from django.db.models.signals import post_migrate

        from portal.core import backends, notify, pagecache, sessions  # noqa: F401 - # lazy: their receivers connect
        from portal.core.roles import sync_role_permissions
        from portal.core.uploads import check_file_storages  # lazy: it walks the models, loaded only here

        # Permissions exist only after every app has migrated; keep each role's set in step with roles.py.
        post_migrate.connect(sync_role_permissions, dispatch_uid="portal.sync_role_permissions")
        pagecache.connect_signals()
        checks.register(check_file_storages)  # portal.E001: every file field is declared public or private
        backends.connect_permission_signals()
        backends.connect_account_signals()


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site (its app list is cached: portal/core/admin_sidebar.py)."""

    default = False  # "portal.core" itself is CoreConfig
    default_site = "portal.core.admin_sidebar.PortalAdminSite"
