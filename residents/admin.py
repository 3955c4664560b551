"""Django admin for the register. Every community-bound admin is a CommunityScopedAdmin (DESIGN.md rule 1):
staff see, pick and change only their own community's rows, and another community's row is a 404.

Personal fields follow the disclosure table (portal/core/disclosure.py; AuditedAdmin masks the rest). ID numbers,
disability and allowance status go further: they exist in the admin only for users who may see them (`portal.see_…`)
— not in forms, lists, filters, searches, lookups or files for anyone else. Opening a resident's change form that
shows them, and every export of a personal column in full, writes SensitiveAccessLog rows.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.tmp_storages import CacheStorage

from portal.core import disclosure
from portal.core.access import is_community_staff, scope_to_staff, sees_all_communities
from portal.core.admin_disclosure import DisclosureMixin, log_full_read
from portal.core.admin_scope import CommunityRelatedFieldListFilter, CommunityScopedAdmin
from portal.core.audit import audit
from portal.core.models import Community
from residents import search
from residents.models import (
    Area,
    Branch,
    Building,
    GeneralBranch,
    Household,
    PartyGroup,
    PartyMember,
    Resident,
    StationedUnit,
)
from residents.resources import HouseholdResource, ResidentResource

SENSITIVE = Resident.SENSITIVE_FIELDS
EXPORT_PURPOSE = _("register export (admin)")


def hidden_sensitive(user) -> set[str]:
    """The sensitive fields (ID number, disability, allowance status) `user` may not see: left out altogether."""
    return {name for name in SENSITIVE if not disclosure.sees(user, disclosure.kind_of(Resident, name))}


# --- list filters -------------------------------------------------------------------------------------------
class AgeGroupFilter(admin.SimpleListFilter):
    title = _("age group")
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [("elderly", _("elderly (60 and over)")), ("childbearing", _("women of child-bearing age (15–49)"))]

    def queryset(self, request, queryset):
        if self.value() == "elderly":
            return queryset.elderly()
        if self.value() == "childbearing":
            return queryset.childbearing_women()
        return queryset


class ResidenceFilter(admin.SimpleListFilter):
    title = _("residence")
    parameter_name = "residence"

    def lookups(self, request, model_admin):
        return [("current", _("lives here")), ("moved_out", _("has moved out"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "moved_out":
            return queryset.filter(moved_out_on__isnull=False)
        return queryset


def _search_lookup(field: str) -> str:
    """The lookup Django admin makes of a search field on the model itself ("=id_number" → id_number__iexact)."""
    if field.startswith("="):
        return f"{field[1:]}__iexact"
    if field.startswith("^"):
        return f"{field[1:]}__istartswith"
    return f"{field}__icontains"


def related_only(path: str):
    """A filter on a related model that offers only the staff member's own community's values (not a DISTINCT
    over the whole list: see CommunityRelatedFieldListFilter)."""
    return (path, CommunityRelatedFieldListFilter)


class BuildingInAreaFilter(CommunityRelatedFieldListFilter):
    """The building filter offers the buildings of the area chosen in the area filter beside it.

    A community has about 130 buildings (a district 3,700): as one list of links on every page of the register
    it is long to scan and costs more to draw than the page's rows. Choosing an area first narrows it to the
    25–40 buildings of that area. With no area chosen the filter stays hidden, unless a building is already
    chosen (a saved link), which it then shows so that it can be cleared.
    """

    def field_choices(self, field, request, model_admin):
        area = request.GET.get(f"{self.field_path}__area__id__exact", "")
        chosen = (self.lookup_val or [""])[-1]
        if area.isdecimal():
            rows = Building.objects.filter(area_id=int(area))
        elif chosen.isdecimal():
            rows = Building.objects.filter(pk=int(chosen))
        else:
            return []
        return [(row.pk, str(row)) for row in scope_to_staff(rows, request.user)]

    def has_output(self):
        return bool(self.lookup_choices)


def building_filter(path: str):
    return (path, BuildingInAreaFilter)


# --- import and export --------------------------------------------------------------------------------------
class ImportFileStorage(CacheStorage):
    """An uploaded file waits for confirmation in the shared cache, not on one server's disk, for an hour at most."""

    CACHE_PREFIX = "residents-import-"
    CACHE_LIFETIME = 3600


class CommunityImportForm(ImportForm):
    """District administrators choose the community; community staff always import into their own."""

    community = forms.ModelChoiceField(queryset=Community.objects.all(), label=_("community"))
    field_order = ["community", "resource", "import_file", "format"]


class CommunityConfirmImportForm(ConfirmImportForm):
    community = forms.ModelChoiceField(queryset=Community.objects.all(), widget=forms.HiddenInput)


class RegisterImportExportMixin(ImportExportMixin):
    """Excel in and out, all or nothing, into the importing user's community, with row numbers for every error."""

    import_formats = [XLSX, CSV]
    export_formats = [XLSX, CSV]
    export_form_class = ExportForm  # no per-column picker: the columns follow the user's permissions
    tmp_storage_class = ImportFileStorage
    import_template_name = "admin/residents/import.html"
    skip_admin_log = True  # one audit entry per file instead of one admin log entry per row
    import_extra_permissions: tuple[str, ...] = ()

    def has_import_permission(self, request):
        user = request.user
        if not (sees_all_communities(user) or is_community_staff(user)):
            return False
        return self.has_add_permission(request) and all(user.has_perm(p) for p in self.import_extra_permissions)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_form_class(self, request):
        return CommunityImportForm if sees_all_communities(request.user) else ImportForm

    def get_confirm_form_class(self, request):
        return CommunityConfirmImportForm if sees_all_communities(request.user) else ConfirmImportForm

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None and "community" in import_form.cleaned_data:
            initial["community"] = import_form.cleaned_data["community"].pk
        return initial

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {
            "community": self.import_community(request, kwargs.get("form")),
            "user": request.user,
        }

    def get_data_for_export(self, request, queryset, **kwargs):
        resource = self.choose_export_resource_class(kwargs.get("export_form"), request)(
            **self.get_export_resource_kwargs(request, **kwargs)
        )
        data = resource.export(queryset=queryset, **kwargs)
        if resource.full_kinds:
            # A file with personal columns in full leaves the system: who took whose, never the values.
            people = Resident.objects.filter(
                pk__in=queryset.values("pk") if queryset.model is Resident else queryset.values("members")
            )
            log_full_read(request.user, people.values_list("pk", flat=True), resource.full_kinds, EXPORT_PURPOSE)
            community = request.user.community
            audit(
                actor=request.user,
                action="export_sensitive",
                obj=community if community is not None else request.user,
                community_id=getattr(community, "pk", None),
                summary=f"{len(data)} {resource._meta.name}: " + ", ".join(sorted(resource.full_kinds)),
            )
        return data

    def import_community(self, request, form) -> Community | None:
        """Never from the file: the staff member's own community, or the one a district administrator chose."""
        user = request.user
        if sees_all_communities(user):
            return (getattr(form, "cleaned_data", None) or {}).get("community")
        if is_community_staff(user):
            return user.community
        return None

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # All or nothing: a row that turns bad between preview and confirmation rolls the whole file back too.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, _("Nothing was imported: the file has errors. Upload it again to see them."))
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*self.get_model_info())))
        return super().process_result(result, request)


# --- register admins -----------------------------------------------------------------------------------------
@admin.register(Area)
class AreaAdmin(CommunityScopedAdmin):
    list_display = ("name",)
    list_select_related = ("community",)
    search_fields = ("name",)


@admin.register(Building)
class BuildingAdmin(CommunityScopedAdmin):
    list_display = ("name", "area", "kind", "grid")
    list_select_related = ("area", "community", "grid")
    list_filter = ("kind", related_only("area"), related_only("grid"))
    search_fields = ("name", "area__name")
    autocomplete_fields = ("area",)


class ResidentInline(DisclosureMixin, admin.TabularInline):
    """The household's members. Sensitive fields are edited on the resident's own page, where reads are logged."""

    model = Resident
    fields = (
        "name",
        "relation",
        "sex",
        "birth_date",
        "phone",
        "lives_alone",
        "is_veteran",
        "is_floating",
        "is_retiree",
    )
    extra = 0
    show_change_link = True


@admin.register(Household)
class HouseholdAdmin(RegisterImportExportMixin, CommunityScopedAdmin):
    resource_classes = [HouseholdResource]
    list_display = ("number", "address", "phone", "member_count")
    list_select_related = ("building__area", "community")
    list_filter = (related_only("building__area"), building_filter("building"))
    list_per_page = 50
    show_full_result_count = False
    search_fields = ("number", "phone", "building__name", "members__name")
    autocomplete_fields = ("building",)
    fields = ("community", "number", "building", "unit", "room", "phone")
    inlines = [ResidentInline]

    def get_search_results(self, request, queryset, search_term):
        # Members' names through the residents' search index (residents/search.py) rather than a join of every
        # member and a DISTINCT over the list. A member's document also holds their phone number, so a household
        # is found by a member's phone as well — only by those who see phone numbers in full.
        if not (search.index_available() and search_term and "phone" in self.get_search_fields(request)):
            return super().get_search_results(request, queryset, search_term)
        for word in search.search_words(search_term):
            members = scope_to_staff(Resident.objects.filter(search.document_contains(word)), request.user)
            queryset = queryset.filter(
                models.Q(number__icontains=word)
                | models.Q(phone__icontains=word)
                | models.Q(building__name__icontains=word)
                | models.Q(pk__in=members.values("household_id"))
            )
        return super().get_search_results(request, queryset, "")

    def get_queryset(self, request):
        # A correlated count, not Count("members"): a search on members' names joins them again and would
        # multiply a joined count.
        members = Resident.objects.filter(household=OuterRef("pk")).order_by().values("household")
        member_count = Coalesce(Subquery(members.annotate(n=Count("pk")).values("n")), 0)
        return super().get_queryset(request).annotate(member_count=member_count)

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if not disclosure.sees(request.user, disclosure.Kind.ADDRESS):
            columns[columns.index("address")] = "masked_address"
        return columns

    @admin.display(description=_("address"), ordering="building__name")
    def address(self, obj):
        return obj.address

    @admin.display(description=_("address"), ordering="building__name")
    def masked_address(self, obj):
        return obj.masked_address

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    def save_formset(self, request, form, formset, change):
        # Members belong to the household's community; the inline does not ask for it.
        if formset.model is Resident:
            for inline_form in formset.forms:
                inline_form.instance.community_id = form.instance.community_id
        super().save_formset(request, form, formset, change)


@admin.register(Resident)
class ResidentAdmin(RegisterImportExportMixin, CommunityScopedAdmin):
    resource_classes = [ResidentResource]
    import_extra_permissions = ("residents.add_household",)  # new household numbers create households
    list_display = ("name", "sex", "birth_date", "household", "phone", "tag_list")
    list_select_related = ("household__building__area", "community")
    # 8,430 residents a community, 250,000 a district: no full count on every search, and pages of 50.
    list_per_page = 50
    show_full_result_count = False
    list_filter = (
        AgeGroupFilter,
        "lives_alone",
        "is_veteran",
        "is_floating",
        "is_retiree",
        related_only("household__building__area"),
        building_filter("household__building"),
        "sex",
        "relation",
        ResidenceFilter,
    )
    search_fields = ("name", "phone", "household__number", "household__building__name")
    search_help_text = _("Name, phone, household number or building.")
    autocomplete_fields = ("household", "user")
    fieldsets = (
        (None, {"fields": ("community", "household", "relation", "name", "sex", "birth_date", "phone", "user")}),
        (_("Tags"), {"fields": ("lives_alone", "is_veteran", "is_floating", "is_retiree")}),
        (_("Sensitive personal information"), {"fields": ("id_number", "is_disabled", "is_low_income")}),
        (_("Moving in and out"), {"fields": ("moved_in_on", "moved_out_on")}),
    )

    # Sensitive fields: present only for users who may see them ------------------------------------------------
    def omitted_fields(self, request):
        return hidden_sensitive(request.user)

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if disclosure.sees(request.user, disclosure.Kind.ID_NUMBER):
            columns.insert(4, "masked_id_number")
        return columns

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        filters[1:1] = [f for f in ("is_disabled", "is_low_income") if f not in hidden_sensitive(request.user)]
        return filters

    def get_search_fields(self, request):
        fields = list(super().get_search_fields(request))
        if disclosure.sees(request.user, disclosure.Kind.ID_NUMBER):
            fields.append("=id_number")  # whole numbers only: no guessing by prefix
        return fields

    def get_search_results(self, request, queryset, search_term):
        # name, phone, household number and building through the residents' search index (residents/search.py)
        # instead of four icontains across two joins: a scan of every resident in scope on each search.
        fields = [str(f) for f in self.get_search_fields(request)]
        if not (search.index_available() and search_term and set(search.DOCUMENT_FIELDS) <= set(fields)):
            return super().get_search_results(request, queryset, search_term)
        others = [_search_lookup(f) for f in fields if f not in search.DOCUMENT_FIELDS]
        for word in search.search_words(search_term):
            queryset = queryset.filter(
                models.Q.create(
                    [search.document_contains(word), *((lookup, word) for lookup in others)], connector="OR"
                )
            )
        # The rest (community scoping) as for an empty search.
        return super().get_search_results(request, queryset, "")

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return obj.masked_id_number

    @admin.display(description=_("tags"))
    def tag_list(self, obj):
        return "、".join(obj.tags())


@admin.register(StationedUnit)
class StationedUnitAdmin(CommunityScopedAdmin):
    list_display = ("name", "party_organisation", "contact_name", "contact_phone")
    list_select_related = ("community",)
    search_fields = ("name", "party_organisation", "contact_name")


@admin.register(GeneralBranch)
class GeneralBranchAdmin(CommunityScopedAdmin):
    list_display = ("name", "secretary", "contact_phone")
    list_select_related = ("community",)
    search_fields = ("name", "secretary")


@admin.register(Branch)
class BranchAdmin(CommunityScopedAdmin):
    list_display = ("name", "general_branch", "area", "secretary", "contact_phone")
    list_select_related = ("general_branch", "area", "community")
    list_filter = (related_only("area"),)
    search_fields = ("name", "secretary")
    autocomplete_fields = ("area",)


@admin.register(PartyGroup)
class PartyGroupAdmin(CommunityScopedAdmin):
    list_display = ("name", "branch", "leader", "contact_phone")
    list_select_related = ("branch", "community")
    list_filter = (related_only("branch"),)
    search_fields = ("name", "leader", "buildings__name")
    autocomplete_fields = ("branch", "buildings")


@admin.register(PartyMember)
class PartyMemberAdmin(CommunityScopedAdmin):
    list_display = ("name", "category", "management", "branch", "group", "unit", "phone")
    list_select_related = ("branch", "group", "unit", "community")
    list_filter = ("category", "management", related_only("branch"), related_only("unit"))
    search_fields = ("name", "phone", "speciality")
    autocomplete_fields = ("resident", "branch", "group", "unit")


# Grids (网格), home visits and patrols: their admins in a module of their own.
from residents import admin_grids as admin_grids  # noqa: E402,F401
