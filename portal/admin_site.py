"""Admin for the portal's site content: notices (公告) and contact-board people (联系标牌)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin_scope import CommunityScopedAdmin
from portal.models import ContactPerson, Notice


@admin.register(Notice)
class NoticeAdmin(CommunityScopedAdmin):
    list_display = ("title", "category", "community", "pinned", "publish_at", "expires_at", "published")
    list_filter = ("category", "pinned")
    list_select_related = ("community",)
    search_fields = ("title", "body")
    date_hierarchy = "publish_at"
    exclude = ("author", "created_at")

    @admin.display(boolean=True, description=_("published"))
    def published(self, obj: Notice) -> bool:
        return obj.is_published

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(ContactPerson)
class ContactPersonAdmin(CommunityScopedAdmin):
    list_display = ("name", "kind", "phone", "community", "order")
    list_filter = ("kind",)
    list_select_related = ("community",)
    search_fields = ("name", "phone")
    autocomplete_fields = ("buildings",)
