"""Admin for the portal's site content: notices (公告) and contact-board people (联系标牌)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.actions import appraisal_publish
from portal.admin_scope import CommunityScopedAdmin
from portal.models import Appraisal, ContactPerson, Facility, Nomination, Notice
from portal.search import search_index_remove, search_index_update
from portal.search_documents import notice_document


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
        if obj.is_published:
            search_index_update([notice_document(obj)])
        else:
            search_index_remove(kind="notice", object_ids=[obj.pk])


@admin.register(ContactPerson)
class ContactPersonAdmin(CommunityScopedAdmin):
    list_display = ("name", "kind", "phone", "community", "order")
    list_filter = ("kind",)
    list_select_related = ("community",)
    search_fields = ("name", "phone")
    autocomplete_fields = ("buildings",)


class NominationInline(admin.TabularInline):
    model = Nomination
    extra = 0
    fields = ("title", "household", "building", "status", "votes", "is_winner", "story")
    readonly_fields = ("votes", "is_winner")
    autocomplete_fields = ("household", "building")


@admin.register(Appraisal)
class AppraisalAdmin(CommunityScopedAdmin):
    list_display = ("title", "kind", "community", "status", "nominate_until", "vote_until")
    list_filter = ("kind", "status")
    list_select_related = ("community",)
    inlines = [NominationInline]
    actions = ["publish_results"]

    @admin.action(description=_("Close voting and publish the results"))
    def publish_results(self, request, queryset):
        for appraisal in queryset:
            appraisal_publish(appraisal=appraisal, by=request.user)
        self.message_user(request, _("Results published."))


@admin.register(Facility)
class FacilityAdmin(CommunityScopedAdmin):
    list_display = ("name", "kind", "walk_minutes", "opening_hours", "community")
    list_filter = ("kind",)
    list_select_related = ("community",)
    search_fields = ("name", "address")
    autocomplete_fields = ("unit",)
