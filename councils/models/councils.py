"""The councils, their members and nominations, and the joint council's projects and pledges (共驻共建)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from councils.querysets import (
    CouncilQuerySet,
    CouncilScopedQuerySet,
    MemberQuerySet,
    PledgeQuerySet,
)
from portal.core.models import Community
from residents.models import PartyMember, Resident, StationedUnit

User = settings.AUTH_USER_MODEL


class Council(models.Model):
    """One of a community's three councils, with its convenor, secretary, rhythm and quorum rule."""

    class Kind(models.TextChoices):
        JOINT = "joint", _("joint party-building council (党建联席会)")
        DELIBERATION = "deliberation", _("party–resident deliberation council (党居议事会)")
        COORDINATION = "coordination", _("volunteer coordination council (志愿者协调会)")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="councils", verbose_name=_("community")
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    purpose = models.TextField(_("what it does"), blank=True)
    convenor = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="convened_councils",
        verbose_name=_("convenor"),
    )
    secretary = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="councils_as_secretary",
        verbose_name=pgettext_lazy("council", "secretary"),
    )
    meetings_per_year = models.PositiveSmallIntegerField(
        _("regular meetings per year"), default=4, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (more than this percentage of members present)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("50 means more than half of the members."),
    )
    notice_days = models.PositiveSmallIntegerField(_("notice sent this many days ahead"), default=3)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["community_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["community", "kind"], name="one_council_of_a_kind")]

    def __str__(self) -> str:
        return self.name

    @property
    def period_months(self) -> int:
        """Months between regular meetings (3 for quarterly)."""
        return max(12 // self.meetings_per_year, 1)

    def period_of(self, day: dt.date) -> tuple[dt.date, dt.date]:
        """The rhythm period (e.g. the quarter) containing `day`: [start, end)."""
        months = self.period_months
        index = (day.month - 1) // months
        start = dt.date(day.year, index * months + 1, 1)
        end_month = index * months + months + 1
        end = dt.date(day.year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
        return start, end

    def quorum_needed(self, members: int) -> int:
        """The smallest attendance that is *more than* quorum_percent % of `members` (Meeting.quorum freezes it)."""
        return members * self.quorum_percent // 100 + 1

    def is_secretary(self, user) -> bool:
        return bool(user.is_authenticated and user.pk == self.secretary_id and user.has_perm("councils.change_minutes"))

    def is_convenor(self, user) -> bool:
        return bool(user.is_authenticated and user.pk == self.convenor_id and user.has_perm("councils.approve_minutes"))

    def may_run_meetings(self, user) -> bool:
        """The secretary and the convenor prepare meetings (agenda, notice, attendance)."""
        return self.is_secretary(user) or self.is_convenor(user)


class CouncilMember(models.Model):
    """A seat on a council: a unit's delegate, a representative, a committee member or a volunteer."""

    class Role(models.TextChoices):
        UNIT_DELEGATE = "unit", _("stationed unit's delegate")
        BRANCH_MEMBER = "branch", _("general-branch member")
        PARTY_REP = "party_rep", _("party-member representative")
        RESIDENT_REP = "resident_rep", _("resident representative")
        COMMITTEE = "committee", _("residents'-committee member")
        VOLUNTEER = "volunteer", pgettext_lazy("council seat", "volunteer")

    class Chosen(models.TextChoices):
        EX_OFFICIO = "ex_officio", _("by office")
        ELECTION = "election", _("election")
        JOINT_NOMINATION = "joint", _("joint nomination (联名推荐)")
        PARTY_NOMINATION = "party", _("nomination by the party organisation (党组织提名)")
        APPOINTED = "appointed", _("appointed by the unit")
        RECRUITED = "recruited", _("registered volunteer")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members", verbose_name=_("council"))
    role = models.CharField(_("seat"), max_length=12, choices=Role.choices)
    name = models.CharField(_("name"), max_length=50)
    unit = models.ForeignKey(
        StationedUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_seats",
        verbose_name=_("stationed unit"),
    )
    party_member = models.ForeignKey(
        PartyMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("party member")
    )
    resident = models.ForeignKey(
        Resident, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("resident")
    )
    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_seats",
        verbose_name=_("portal account"),
    )
    phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
        help_text=_("For members without a portal account: meeting notices reach them by SMS."),
    )
    skill = models.CharField(_("skill (一技之长)"), max_length=50, blank=True)
    chosen_by = models.CharField(_("how chosen"), max_length=10, choices=Chosen.choices, default=Chosen.EX_OFFICIO)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["council_id", "role", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(role="unit") | Q(unit__isnull=False), name="unit_delegate_has_unit"),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="member_term_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.name}" if self.unit_id and "unit" in self._state.fields_cache else self.name

    @property
    def contact_phone(self) -> str:
        """Where an SMS reaches a member without an account: their own number, else the register's."""
        if self.phone:
            return self.phone
        for person in (self.resident, self.party_member):
            if person is not None and person.phone:
                return person.phone
        return ""

    def clean(self) -> None:
        if self.unit_id and self.council_id and self.unit.community_id != self.council.community_id:
            raise ValidationError({"unit": _("This unit is stationed in another community.")})


class Nomination(models.Model):
    """A candidate for a representative's seat, and how they were put forward."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ELECTED = "elected", _("elected")
        NOT_ELECTED = "not_elected", _("not elected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    MIN_CO_SIGNERS = 5
    UNDECIDED = (Status.PENDING, Status.WITHDRAWN)

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("council")
    )
    role = models.CharField(_("seat"), max_length=12, choices=CouncilMember.Role.choices)
    nominee = models.CharField(_("nominee"), max_length=50)
    resident = models.ForeignKey(
        Resident, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("resident")
    )
    method = models.CharField(_("nominated by"), max_length=10, choices=CouncilMember.Chosen.choices)
    co_signers = models.TextField(
        _("co-signers"), blank=True, help_text=_("For a joint nomination: the names of the co-signers, one a line.")
    )
    meeting = models.ForeignKey(
        "Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nominations",
        verbose_name=_("election at meeting"),
    )
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    member = models.OneToOneField(
        CouncilMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nomination",
        verbose_name=_("seat won"),
    )
    nominated_on = models.DateField(_("nominated on"), default=timezone.localdate)

    objects = CouncilScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["council_id", "-nominated_on", "id"]

    def __str__(self) -> str:
        return self.nominee

    @property
    def is_locked(self) -> bool:
        """Decided by an election's votes: final (portal.core.locks)."""
        return self.status not in self.UNDECIDED

    @property
    def co_signer_list(self) -> list[str]:
        return [line.strip() for line in self.co_signers.splitlines() if line.strip()]

    def clean(self) -> None:
        if self.method == CouncilMember.Chosen.JOINT_NOMINATION and len(self.co_signer_list) < self.MIN_CO_SIGNERS:
            raise ValidationError(
                {"co_signers": _("A joint nomination needs at least %(n)d co-signers.") % {"n": self.MIN_CO_SIGNERS}}
            )


class Project(models.Model):
    """A joint-council project that units' resources fund (共驻共建)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="projects", verbose_name=_("council"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"))

    objects = CouncilScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint project")
        verbose_name_plural = _("joint projects")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title


class ResourcePledge(models.Model):
    """A stationed unit's pledge of rooms (m²), funds (¥) or supplies (¥ value), and what it delivered. Funds a
    government department gave through the joint council (争取政府部门帮助) are recorded too: then `donor` names the
    department and `unit` is empty."""

    class Kind(models.TextChoices):
        ROOM = "room", _("rooms (m²)")
        FUNDS = "funds", _("funds (¥)")
        SUPPLIES = "supplies", _("supplies (¥ value)")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("council"))
    unit = models.ForeignKey(
        StationedUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
        verbose_name=_("stationed unit"),
    )
    donor = models.CharField(
        _("other source"),
        max_length=100,
        blank=True,
        help_text=_("A government department (or another giver) that is not a stationed unit; leave the unit empty."),
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="pledges", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    pledged = models.DecimalField(_("pledged"), max_digits=12, decimal_places=2)
    delivered = models.DecimalField(_("delivered"), max_digits=12, decimal_places=2, default=0)

    objects = PledgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("resource pledge")
        verbose_name_plural = _("resource pledges")
        ordering = ["-year", "unit_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pledged__gte=0) & Q(delivered__gte=0), name="pledge_amounts_not_negative"
            ),
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(donor="")) | (Q(unit__isnull=True) & ~Q(donor="")),
                name="pledge_from_a_unit_or_another_source",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def giver(self) -> str:
        return self.unit.name if self.unit_id else self.donor

    def clean(self) -> None:
        if (self.unit_id is None) == (not self.donor.strip()):
            raise ValidationError(
                {"unit": _("Name either the stationed unit or the other source (a government department), not both.")}
            )
