"""Tenancy: the district and its communities (社区), the unit of scope for every staff member and record."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.access import ScopedQuerySet


class District(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        db_table = "residents_district"  # created by the register app; the table kept its name

    def __str__(self) -> str:
        return self.name


class CommunityQuerySet(ScopedQuerySet):
    community_path = "pk"


class Community(models.Model):
    """A community (社区) run by a residents' committee: the unit of scope for staff."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="communities", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=50)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=6, decimal_places=2, null=True, blank=True)
    boundary_east = models.CharField(_("east boundary"), max_length=50, blank=True)
    boundary_west = models.CharField(_("west boundary"), max_length=50, blank=True)
    boundary_south = models.CharField(_("south boundary"), max_length=50, blank=True)
    boundary_north = models.CharField(_("north boundary"), max_length=50, blank=True)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    phone = models.CharField(_("office phone"), max_length=30, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        db_table = "residents_community"  # created by the register app; the table kept its name
        ordering = ["district_id", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="community_name_unique_in_district")]

    def __str__(self) -> str:
        return self.name
