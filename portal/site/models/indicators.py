"""Indicators of the 1000-point assessment entered by hand (填报) where the portal holds no record of them.

The district's programme (新华区千分考核星级分类实施方案) asks for things no page of the portal records: the
community's staff — reserve cadres sent from the district's offices (后备干部), university graduates (大学生) and
"4050" workers (laid-off people in their forties and fifties given community posts) — and its premises: office
space of 300 m² or more, furnished to the standard "六室四站两栏一家一校一场". Staff enter each value per community
and assessment year with the evidence it rests on (a note, optionally a scan); the site's assessment metrics
(portal/site/assessment_metrics.py) hand them to the scoring like any computed metric. A community without an
entry is "not entered", never a silent zero. Once the year's result of the community is frozen (its
AssessmentSnapshot), its entries are final (portal.core.locks).
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.access import ScopedQuerySet
from portal.core.stations import Station
from portal.core.uploads import private_storage
from portal.site.models.assessment import AssessmentSnapshot, Rubric


class Indicator(models.TextChoices):
    """What is entered by hand; each value is also the key of its metric."""

    RESERVE_CADRES = "staff_reserve_cadres", _("reserve cadres working in the community (后备干部)")
    GRADUATES = "staff_graduates", _("university graduates working in the community (大学生)")
    WORKERS_4050 = "staff_4050", _("“4050” workers in community posts (4050人员)")
    OFFICE_AREA = "office_area", _("office space in m² (办公用房)")
    FACILITIES = "office_facilities", _("items of the standard 六室四站两栏一家一校一场 in place")


# The source names the standard "六室四站两栏一家一校一场" but not its items. The four stations are the community's
# 三会四站 stations (portal.core.stations); the six rooms, two boards, home, school and ground are the usual ones
# of the standard as the district lists them.
class FacilityItem(models.TextChoices):
    OFFICE = "office", _("office (办公室)")
    MEETING = "meeting", _("meeting room (会议室)")
    PARTY_ROOM = "party_room", _("party-member activity room (党员活动室)")
    READING = "reading", _("library and reading room (图书阅览室)")
    POLICE = "police", _("community police room (警务室)")
    MEDIATION = "mediation", _("mediation room (调解室)")
    STATION_PARTY = f"station_{Station.PARTY}", Station.PARTY.label
    STATION_HALL = f"station_{Station.HALL}", Station.HALL.label
    STATION_HEALTH = f"station_{Station.HEALTH}", Station.HEALTH.label
    STATION_CULTURE = f"station_{Station.CULTURE}", Station.CULTURE.label
    PARTY_BOARD = "party_board", _("party-affairs notice board (党务公开栏)")
    AFFAIRS_BOARD = "affairs_board", _("residents'-affairs notice board (居务公开栏)")
    HOME = "home", _("residents' home (居民之家)")
    SCHOOL = "school", _("citizens' school (市民学校)")
    GROUND = "ground", _("outdoor sports ground (文体活动场地)")


def evidence_path(instance: IndicatorEntry, filename: str) -> str:
    """A generated name: nothing the uploader chose reaches the file system but a known extension."""
    ext = PurePosixPath(filename).suffix.lower()
    return f"assessment/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class IndicatorEntryQuerySet(ScopedQuerySet):
    pass


class IndicatorEntry(models.Model):
    rubric = models.ForeignKey(
        Rubric, on_delete=models.PROTECT, related_name="entries", verbose_name=_("assessment year")
    )
    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    indicator = models.CharField(_("indicator"), max_length=24, choices=Indicator.choices)
    value = models.DecimalField(
        _("value"),
        max_digits=8,
        decimal_places=1,
        help_text=_("A count of people, or square metres; for the facilities, the number of items ticked."),
    )
    # The checklist's items ticked (FacilityItem values, checked by portal.site.indicators.check_value): a JSON list,
    # so that the embedded SQLite default of `make run` holds it as well as PostgreSQL.
    items = models.JSONField(_("items in place"), default=list, blank=True)
    note = models.CharField(
        _("evidence"), max_length=500, help_text=_("Where the figure comes from: roster, lease, visit on …")
    )
    # Private: an assessment's evidence (rosters, leases) is for the district's and the community's staff only,
    # served by portal:indicator_file after the entry's own check.
    attachment = models.FileField(
        _("evidence file"), upload_to=evidence_path, storage=private_storage, blank=True, max_length=200
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered on"), default=timezone.now)

    objects = IndicatorEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("hand-entered indicator")
        verbose_name_plural = _("hand-entered indicators")
        ordering = ["rubric", "community", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "community", "indicator"], name="one_entry_per_indicator"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0),
                name="indicator_value_not_negative",
                violation_error_message=_("The value cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.value:g}"

    @property
    def is_locked(self) -> bool:
        """Final once the community's result for the year is frozen."""
        if not (self.rubric_id and self.community_id):
            return False
        return AssessmentSnapshot.objects.filter(rubric_id=self.rubric_id, community_id=self.community_id).exists()

    def private_file_url(self, field_name: str) -> str:
        return reverse("portal:indicator_file", args=[self.pk])

    def items_display(self) -> list[tuple[str, bool]]:
        """Every item of the standard with whether it is in place (the checklist as entered)."""
        present = set(self.items)
        return [(label, value in present) for value, label in FacilityItem.choices]
