"""The portal's admin site: Django's, with the app list (the navigation sidebar of every admin page) cached,
and the sidebar's HTML too (templates/admin/nav_sidebar.html, under `nav_sidebar_key`).

Django builds the app list again on every admin page: two permission checks per registered model through
every authentication backend, a URL reversal per link, and a sort by translated names — about 7 ms of the
~25 ms an admin list page costs. What it shows depends only on who asks (their permissions, role flags and
community), the language and the registered admins, so it is cached per user under a key made of exactly those:
a new role or permission, another language or a deploy that registers other admins gives a new key at once.
The cache holds plain strings, never lazy translations, and the pages themselves check permissions as before.

Its login page is the portal's: staff sign in with two factors there, and the admin has no form of its own.
"""

from __future__ import annotations

import hashlib

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.defaultfilters import urlencode
from django.urls import get_script_prefix, reverse
from django.utils import translation

APP_LIST_SECONDS = 300


class PortalAdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        """No second way in: the admin's sign-in is the portal's (`settings.LOGIN_URL`), where staff pass two
        factors (portal.core.second_factor). Signed in without the admin's permission (a resident): 403, not a
        form to try another account."""
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
            raise PermissionDenied
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name))

    def get_app_list(self, request, app_label=None):
        key = self._app_list_key(request) if app_label is None else None
        if key is None:
            return super().get_app_list(request, app_label)
        settled = caches["settled"]  # the key names all the list is made of: a copy in each process too
        app_list = settled.get(key)
        if app_list is None:
            app_list = _plain(super().get_app_list(request))
            settled.set(key, app_list, APP_LIST_SECONDS)
        return app_list

    def each_context(self, request):
        context = super().each_context(request)
        context["nav_sidebar_key"] = self._nav_sidebar_key(request, context.get("available_apps") or [])
        return context

    def _nav_sidebar_key(self, request, app_list: list[dict]) -> str | None:
        """The sidebar's HTML depends on the app list and on which of its links lead to the current page."""
        key = self._app_list_key(request)
        if key is None:
            return None
        path = urlencode(request.path)  # as admin/app_list.html compares them
        current = [
            url
            for app in app_list
            for url in (app.get("app_url"), *(model.get("admin_url") for model in app["models"]))
            if url and url in path
        ]
        return f"{key}:{hashlib.sha256(repr(current).encode()).hexdigest()[:16]}"

    def _app_list_key(self, request) -> str | None:
        if hasattr(request, "_admin_app_list_key"):
            return request._admin_app_list_key
        request._admin_app_list_key = self._make_app_list_key(request)
        return request._admin_app_list_key

    def _registry_signature(self) -> str:
        """The registered admins (fixed once the URLs are loaded; worked out again if one is added)."""
        size = len(self._registry)
        if getattr(self, "_signature_size", None) != size:
            self._signature, self._signature_size = _registry_signature_of(self._registry), size
        return self._signature

    def _make_app_list_key(self, request) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        who = (user.pk, user.is_active, user.is_staff, user.is_superuser, getattr(user, "community_id", None))
        what = sorted(user.get_all_permissions())
        where = (self.name, get_script_prefix(), translation.get_language())
        registry = self._registry_signature()
        digest = hashlib.sha256(repr((who, what, where, registry)).encode()).hexdigest()[:32]
        return f"admin-app-list:{user.pk}:{digest}"


def _registry_signature_of(registry: dict) -> str:
    return repr(sorted(f"{m._meta.label}:{type(a).__module__}.{type(a).__qualname__}" for m, a in registry.items()))


def _plain(app_list: list[dict]) -> list[dict]:
    """The app list with its names translated now (lazy translations do not keep in a shared cache)."""
    return [
        {**app, "name": str(app["name"]), "models": [{**model, "name": str(model["name"])} for model in app["models"]]}
        for app in app_list
    ]
