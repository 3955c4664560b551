"""Django admin for grid work (网格化管理): the director draws the grids (their buildings and worker); visits and
patrols are recorded on the grid worker's pages (services/grids/) and only read here. Imported by residents.admin."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.core.access import scope_to_staff
from portal.core.admin_files import file_link
from portal.core.admin_scope import CommunityScopedAdmin, ReadOnlyAdmin
from residents.grids import grid_set_buildings
from residents.models import Building, Grid, HomeVisit, Patrol, PatrolPhoto


class GridForm(forms.ModelForm):
    buildings = forms.ModelMultipleChoiceField(
        label=_("buildings / courtyards"),
        queryset=Building.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A building belongs to one grid at most: ticking it here takes it out of any other grid."),
    )

    class Meta:
        model = Grid
        fields = ("community", "name", "worker", "visit_interval_days")


@admin.register(Grid)
class GridAdmin(CommunityScopedAdmin):
    form = GridForm
    list_display = ("name", "worker", "visit_interval_days", "building_count")
    list_select_related = ("worker",)
    search_fields = ("name", "worker__name")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        buildings = scope_to_staff(Building.objects.select_related("area"), request.user)
        if obj is not None:
            buildings = buildings.filter(community_id=obj.community_id)
        form.base_fields["buildings"].queryset = buildings.order_by("area__name", "name")
        form.base_fields["buildings"].initial = list(obj.buildings.values_list("pk", flat=True)) if obj else []
        return form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        grid_set_buildings(grid=form.instance, buildings=form.cleaned_data["buildings"], by=request.user)

    @admin.display(description=_("buildings / courtyards"))
    def building_count(self, obj):
        return obj.buildings.count()

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("buildings")


class PatrolPhotoInline(admin.TabularInline):
    model = PatrolPhoto
    fields = ("photo", "content_type", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("photo"))
    def photo(self, obj):
        return file_link(obj.image)  # a private file: linked to the view that checks who asks


@admin.register(HomeVisit)
class HomeVisitAdmin(ReadOnlyAdmin):
    """Recorded by the grid worker (services/grids/): read here, with what the issue became."""

    list_display = ("visited_on", "household", "kind", "visited_by", "handed_over_at")
    list_select_related = ("household__building", "visited_by")
    list_filter = ("kind", "visited_on")
    search_fields = ("household__number",)
    date_hierarchy = "visited_on"


@admin.register(Patrol)
class PatrolAdmin(ReadOnlyAdmin):
    list_display = ("patrolled_at", "grid", "location", "patrolled_by", "handed_over_at")
    list_select_related = ("grid", "patrolled_by")
    list_filter = ("grid",)
    search_fields = ("location",)
    inlines = [PatrolPhotoInline]
