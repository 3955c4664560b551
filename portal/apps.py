from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from portal.roles import sync_role_permissions

        # Permissions exist only after every app has migrated; keep each role's set in step with roles.py.
        post_migrate.connect(sync_role_permissions, dispatch_uid="portal.sync_role_permissions")

        import portal.notify  # noqa: F401 - its receivers keep the unread badge true
        import portal.sessions  # noqa: F401 - its receiver drops an ended session from the cache
        from portal.backends import connect_permission_signals
        from portal.pagecache import _connect_role_signals

        _connect_role_signals()
        connect_permission_signals()


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site (its app list is cached: portal/admin_sidebar.py)."""

    default = False  # "portal" itself is PortalConfig
    default_site = "portal.admin_sidebar.PortalAdminSite"
