"""The register: district → community → area (小区) → building/courtyard (楼院) → household (户) → resident,
stationed units (驻区单位) and the party organisation (党总支 → 党支部 → 楼院党小组 → 党员)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core import pagecache
from portal.core.access import ScopedQuerySet
from portal.core.disclosure import Kind, mask, mask_id_number
from portal.core.models import Community
from residents.idcard import birth_date_of, normalize_id_number, sex_of, validate_id_number

ELDERLY_AGE = 60
CHILDBEARING_AGES = (15, 49)  # 育龄妇女: women aged 15–49


class Area(models.Model):
    """A residential area (小区) of a community."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="areas", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=50)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("residential area")
        verbose_name_plural = _("residential areas")
        ordering = ["community_id", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="area_name_unique_in_community")]

    def __str__(self) -> str:
        return self.name


class BuildingQuerySet(ScopedQuerySet):
    grid_worker_path = "grid__worker"  # a grid worker (网格员) sees their grid's buildings (portal.core.access)


class Building(models.Model):
    """A building or courtyard (楼院): the unit of a party group, of a contact board and of a grid (网格)."""

    class Kind(models.TextChoices):
        BUILDING = "building", _("building")
        COURTYARD = "courtyard", _("courtyard")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="buildings", verbose_name=_("community")
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="buildings", verbose_name=_("residential area")
    )
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BUILDING)
    grid = models.ForeignKey(
        "residents.Grid",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="buildings",
        verbose_name=_("grid"),
    )

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("building / courtyard")
        verbose_name_plural = _("buildings / courtyards")
        ordering = ["area_id", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="building_name_unique_in_area")]

    def __str__(self) -> str:
        return f"{self.area.name} {self.name}" if "area" in self._state.fields_cache else self.name

    def clean(self) -> None:
        if self.area_id and self.community_id and self.area.community_id != self.community_id:
            raise ValidationError({"area": _("This area belongs to another community.")})
        if self.grid_id and self.community_id and self.grid.community_id != self.community_id:
            raise ValidationError({"grid": _("This grid belongs to another community.")})


class HouseholdQuerySet(ScopedQuerySet):
    grid_worker_path = "building__grid__worker"  # a grid worker sees their grid's households (portal.core.access)

    def counts(self) -> dict[int, int]:
        """{community id: households}, for every community: kept until a household changes (five minutes at most)."""

        def count() -> dict[int, int]:
            rows = self.model.objects.values("community_id").annotate(n=models.Count("pk"))
            return dict(rows.values_list("community_id", "n"))

        return pagecache.remember("residents:household-counts", ("residents.Household",), count, 300)


class Household(models.Model):
    """A household (户) living at one address."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="households", verbose_name=_("community")
    )
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="households", verbose_name=_("building / courtyard")
    )
    number = models.CharField(_("household number"), max_length=30, help_text=_("Unique within the community."))
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    room = models.CharField(_("room"), max_length=10, blank=True)
    phone = models.CharField(_("household phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["community_id", "number"]
        constraints = [models.UniqueConstraint(fields=["community", "number"], name="household_number_unique")]

    def __str__(self) -> str:
        # A label in every list and choice, whoever reads it: the room stays masked (portal.core.disclosure);
        # `address` has it in full for the pages of those who may see it.
        return f"{self.number} {self.masked_address}"

    @property
    def address(self) -> str:
        return self.address_with(self.room)

    @property
    def masked_address(self) -> str:
        """The building and unit, with the room masked (portal.core.disclosure)."""
        return self.address_with(mask(Kind.ADDRESS, self.room))

    def address_with(self, room: str) -> str:
        parts = [str(self.building)]
        if self.unit:
            parts.append(_("unit %(unit)s") % {"unit": self.unit})
        if room:
            parts.append(_("room %(room)s") % {"room": room})
        return " ".join(str(p) for p in parts)

    def clean(self) -> None:
        if self.building_id and self.community_id and self.building.community_id != self.community_id:
            raise ValidationError({"building": _("This building belongs to another community.")})


class ResidentQuerySet(ScopedQuerySet):
    grid_worker_path = "household__building__grid__worker"  # a grid worker sees their grid's residents

    def current(self):
        return self.filter(moved_out_on__isnull=True)

    def current_counts(self) -> dict[int, int]:
        """{community id: residents living there now}, for every community: a count over the district's whole
        register (60 ms at 250,000), so kept in the cache until a resident changes (five minutes at most)."""

        def count() -> dict[int, int]:
            rows = self.model.objects.current().values("community_id").annotate(n=models.Count("pk"))
            return dict(rows.values_list("community_id", "n"))

        return pagecache.remember("residents:current-counts", ("residents.Resident",), count, 300)

    def elderly(self, today: dt.date | None = None):
        today = today or timezone.localdate()
        return self.filter(birth_date__lte=_years_before(today, ELDERLY_AGE))

    def childbearing_women(self, today: dt.date | None = None):
        today = today or timezone.localdate()
        low, high = CHILDBEARING_AGES
        return self.filter(
            sex=Resident.Sex.FEMALE,
            birth_date__lte=_years_before(today, low),
            birth_date__gt=_years_before(today, high + 1),
        )


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class Resident(models.Model):
    """A person in the register. The tags are what the stations select people by.

    On PostgreSQL the table also has two columns this model does not declare, `search_text` and
    `search_tokens`: the staff search index, filled by triggers (residents/search.py, migration 0003).
    """

    class Sex(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    class Relation(models.TextChoices):
        HEAD = "head", _("head of household")
        SPOUSE = "spouse", _("spouse")
        CHILD = "child", _("child")
        PARENT = "parent", _("parent")
        OTHER = "other", _("other relative")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="residents", verbose_name=_("community")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="members", verbose_name=_("household")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident",
        verbose_name=_("portal account"),
    )
    name = models.CharField(_("full name"), max_length=50, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    id_number = models.CharField(
        _("ID number"),
        max_length=18,
        blank=True,
        validators=[validate_id_number],
        help_text=_("Sensitive: shown masked."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    relation = models.CharField(_("relation to head"), max_length=10, choices=Relation.choices, default=Relation.HEAD)
    # Tags the stations select people by. Disability and allowance status are sensitive (PIPL).
    lives_alone = models.BooleanField(_("lives alone"), default=False)
    is_disabled = models.BooleanField(_("disabled"), default=False)
    is_veteran = models.BooleanField(_("old veteran (老荣军)"), default=False)
    is_low_income = models.BooleanField(_("minimum-living allowance (低保)"), default=False)
    is_floating = models.BooleanField(_("floating population"), default=False)
    is_retiree = models.BooleanField(_("retiree"), default=False)
    moved_in_on = models.DateField(_("moved in"), null=True, blank=True)
    moved_out_on = models.DateField(_("moved out"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ResidentQuerySet.as_manager()

    SENSITIVE_FIELDS = ("id_number", "is_disabled", "is_low_income")

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["household_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["id_number"], condition=~Q(id_number=""), name="resident_id_number_unique"),
        ]
        # The admin's exact ID-number search (iexact). The name/phone/household/building search has its own
        # index, on PostgreSQL only, that Django does not see: see residents/search.py (migration 0003).
        indexes = [models.Index(Upper("id_number"), name="resident_id_number_upper")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.id_number:
            self.id_number = normalize_id_number(self.id_number)
            try:
                validate_id_number(self.id_number)
            except ValidationError:
                pass  # the field validator reports it
            else:
                if self.birth_date and birth_date_of(self.id_number) != self.birth_date:
                    errors["birth_date"] = _("The date of birth does not match the ID number.")
                if self.sex and sex_of(self.id_number) != self.sex:
                    errors["sex"] = _("The sex does not match the ID number.")
        if self.household_id and self.community_id and self.household.community_id != self.community_id:
            errors["household"] = _("This household belongs to another community.")
        if errors:
            raise ValidationError(errors)

    @property
    def age(self) -> int:
        today = timezone.localdate()
        b = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))

    @property
    def is_elderly(self) -> bool:
        return self.age >= ELDERLY_AGE

    @property
    def is_childbearing_woman(self) -> bool:
        low, high = CHILDBEARING_AGES
        return self.sex == self.Sex.FEMALE and low <= self.age <= high

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def tags(self) -> list[str]:
        """Public, non-sensitive tags for lists (disability and allowance are left out on purpose)."""
        labels = []
        if self.is_elderly:
            labels.append(_("elderly"))
        if self.lives_alone:
            labels.append(_("lives alone"))
        if self.is_veteran:
            labels.append(_("veteran"))
        if self.is_floating:
            labels.append(_("floating population"))
        if self.is_retiree:
            labels.append(_("retiree"))
        if self.is_childbearing_woman:
            labels.append(_("woman of child-bearing age"))
        return [str(label) for label in labels]


class StationedUnit(models.Model):
    """A unit stationed in the community (驻区单位): school, bank, company; sits on the joint council."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="stationed_units", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=100)
    party_organisation = models.CharField(_("party organisation"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stationed unit")
        verbose_name_plural = _("stationed units")
        ordering = ["community_id", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="unit_name_unique_in_community")]

    def __str__(self) -> str:
        return self.name


class GeneralBranch(models.Model):
    """The community's general party branch (党总支)."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="general_branch", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=100)
    secretary = models.CharField(_("secretary"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("general party branch")
        verbose_name_plural = _("general party branches")

    def __str__(self) -> str:
        return self.name


class Branch(models.Model):
    """A residential-area party branch (居民区党支部)."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="branches", verbose_name=_("community")
    )
    general_branch = models.ForeignKey(
        GeneralBranch, on_delete=models.CASCADE, related_name="branches", verbose_name=_("general party branch")
    )
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="branches",
        verbose_name=_("residential area"),
    )
    name = models.CharField(_("name"), max_length=100)
    secretary = models.CharField(_("secretary"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("party branch")
        verbose_name_plural = _("party branches")
        ordering = ["community_id", "name"]

    def __str__(self) -> str:
        return self.name


class PartyGroup(models.Model):
    """A building-courtyard party group (楼院党小组)."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="party_groups", verbose_name=_("community")
    )
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="groups", verbose_name=_("party branch"))
    name = models.CharField(_("name"), max_length=100)
    buildings = models.ManyToManyField(
        Building, blank=True, related_name="party_groups", verbose_name=_("buildings / courtyards")
    )
    leader = models.CharField(_("group leader"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("courtyard party group")
        verbose_name_plural = _("courtyard party groups")
        ordering = ["branch_id", "name"]

    def __str__(self) -> str:
        return self.name


class PartyMember(models.Model):
    """A party member filed at the party-member service station (党员服务站), by category."""

    class Category(models.TextChoices):
        STATIONED = "stationed", _("stationed-unit member (驻区党员)")
        LAID_OFF = "laid_off", _("laid-off / unemployed (下岗失业)")
        VETERAN = "veteran", _("veteran (退伍)")
        STUDENT = "student", _("university student (大学生)")
        RETIRED = "retired", _("retired (离退休)")
        FLOATING = "floating", _("floating (流动)")

    class Management(models.TextChoices):
        SELF = "self", _("self-managed (自管)")
        STATIONED = "stationed", _("stationed in a unit (驻区)")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="party_members", verbose_name=_("community")
    )
    name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    resident = models.OneToOneField(
        Resident,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_member",
        verbose_name=_("resident"),
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    management = models.CharField(_("management"), max_length=10, choices=Management.choices)
    branch = models.ForeignKey(
        Branch, null=True, blank=True, on_delete=models.SET_NULL, related_name="members", verbose_name=_("party branch")
    )
    group = models.ForeignKey(
        PartyGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("party group"),
    )
    unit = models.ForeignKey(
        StationedUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_members",
        verbose_name=_("stationed unit"),
    )
    speciality = models.CharField(_("speciality"), max_length=100, blank=True)
    joined_on = models.DateField(_("joined the party"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["community_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(management="self") | Q(unit__isnull=False), name="stationed_member_has_unit"
            )
        ]

    def __str__(self) -> str:
        return self.name


# The family proxies (子女代办), and the grids (网格) with their door-to-door visits and patrols, live in modules of
# their own; imported here so that Django finds the models.
from residents.models_grids import Grid as Grid  # noqa: E402
from residents.models_grids import HomeVisit as HomeVisit  # noqa: E402
from residents.models_grids import Patrol as Patrol  # noqa: E402
from residents.models_grids import PatrolPhoto as PatrolPhoto  # noqa: E402
from residents.models_proxies import ProxyGrant as ProxyGrant  # noqa: E402
