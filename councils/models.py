"""The three councils (三会): members and their nomination, meetings, agenda, attendance, minutes,
resolutions (决议) and their progress, residents' suggestions (献计献策), and the joint council's resources."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.querysets import (
    CouncilQuerySet,
    CouncilScopedQuerySet,
    MeetingQuerySet,
    MemberQuerySet,
    MinutesQuerySet,
    PledgeQuerySet,
    ResolutionQuerySet,
    SuggestionQuerySet,
)
from residents.models import Community, PartyMember, Resident, StationedUnit

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
        verbose_name=_("secretary"),
    )
    meetings_per_year = models.PositiveSmallIntegerField(
        _("regular meetings per year"), default=4, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (more than this % of members present)"),
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
        """The smallest attendance that is *more than* quorum_percent % of `members`."""
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
        VOLUNTEER = "volunteer", _("volunteer")

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
    def co_signer_list(self) -> list[str]:
        return [line.strip() for line in self.co_signers.splitlines() if line.strip()]

    def clean(self) -> None:
        if self.method == CouncilMember.Chosen.JOINT_NOMINATION and len(self.co_signer_list) < self.MIN_CO_SIGNERS:
            raise ValidationError(
                {"co_signers": _("A joint nomination needs at least %(n)d co-signers.") % {"n": self.MIN_CO_SIGNERS}}
            )


class Meeting(models.Model):
    """A meeting of a council: regular (per the rhythm), ad hoc or emergency."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("regular")
        AD_HOC = "ad_hoc", _("ad hoc")
        EMERGENCY = "emergency", _("emergency")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("council"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    notice_sent_at = models.DateTimeField(_("notice sent"), null=True, blank=True)
    members_count = models.PositiveIntegerField(
        _("members at the time"), null=True, blank=True, help_text=_("Frozen when attendance is recorded.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["council", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def notice_due_at(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(days=self.council.notice_days)

    def quorum(self) -> Quorum:
        """Members, present and needed. Uses `present_count` / `active_members` annotations when a list set them."""
        members = self.members_count
        if members is None:
            members = getattr(self, "active_members", None)
        if members is None:
            members = self.council.members.active_on(timezone.localtime(self.starts_at).date()).count()
        present = getattr(self, "present_count", None)
        if present is None:
            present = self.attendance.filter(present=True).count()
        return Quorum(
            members=members,
            present=present,
            needed=self.council.quorum_needed(members),
            percent=self.council.quorum_percent,
        )


@dataclass(frozen=True)
class Quorum:
    members: int
    present: int
    needed: int
    percent: int

    @property
    def reached(self) -> bool:
        return self.members > 0 and self.present >= self.needed


class AgendaItem(models.Model):
    """An item on a meeting's agenda: put there by staff or from a resident's suggestion."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    suggestion = models.ForeignKey(
        "Suggestion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
        verbose_name=_("from suggestion"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting_id", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting"))
    member = models.ForeignKey(
        CouncilMember, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("member")
    )
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.meeting_id}: {'present' if self.present else 'absent'}"


class Minutes(models.Model):
    """The record of a meeting. draft → submitted → approved (convenor) → published; never edited once approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    LOCKED = (Status.APPROVED, Status.PUBLISHED)

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes", verbose_name=_("meeting"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    summary = models.TextField(_("general summary"), blank=True)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    saved_at = models.DateTimeField(_("last saved"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    return_note = models.TextField(_("why it was returned"), blank=True)

    history = HistoricalRecords()
    objects = MinutesQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting minutes")
        verbose_name_plural = _("meeting minutes")
        ordering = ["-meeting__starts_at"]
        permissions = [("approve_minutes", _("Can approve minutes as the council's convenor"))]

    def __str__(self) -> str:
        return str(self.meeting)

    @property
    def is_locked(self) -> bool:
        return self.status in self.LOCKED

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED


class MinutesItem(models.Model):
    """What was said and decided on one agenda item, with the vote."""

    class Executor(models.TextChoices):
        COMMITTEE = "committee", _("residents' committee (居委会)")
        STATION = "station", _("a station")
        UNIT = "unit", _("a stationed unit")

    class Station(models.TextChoices):
        PARTY = "party", _("party-member service station (党员服务站)")
        HALL = "hall", _("one-stop convenience service hall (便民服务站)")
        HEALTH = "health", _("health service station (健康服务站)")
        CULTURE = "culture", _("culture service station (文化服务站)")

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting minutes")
    )
    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, related_name="minutes_item", verbose_name=_("agenda item")
    )
    discussion = models.TextField(_("discussion summary"), blank=True)
    decision = models.TextField(_("decision"), blank=True)
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstain"), default=0)
    adopt_resolution = models.BooleanField(
        _("binding: becomes a resolution"),
        default=False,
        help_text=_("Numbered when the convenor approves the minutes."),
    )
    executor = models.CharField(_("carried out by"), max_length=10, choices=Executor.choices, blank=True)
    executor_station = models.CharField(_("station"), max_length=10, choices=Station.choices, blank=True)
    executor_unit = models.ForeignKey(
        StationedUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("stationed unit"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes item")
        verbose_name_plural = _("minutes items")
        ordering = ["agenda_item__order", "id"]

    def __str__(self) -> str:
        return str(self.agenda_item)

    @property
    def votes_cast(self) -> int:
        return self.votes_for + self.votes_against + self.votes_abstain

    @property
    def carried(self) -> bool:
        """A motion carries with more votes for than half of the votes cast."""
        return self.votes_for * 2 > self.votes_cast


class MinutesAddendum(models.Model):
    """A correction to approved minutes: a new linked record; the minutes themselves are not changed."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.PROTECT, related_name="addenda", verbose_name=_("meeting minutes")
    )
    text = models.TextField(_("correction"))
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("addendum to minutes")
        verbose_name_plural = _("addenda to minutes")
        ordering = ["minutes_id", "created_at"]

    def __str__(self) -> str:
        return self.text[:40]


def validate_attachment(file) -> None:
    """Photos (checked by Pillow), PDF and office documents, at most 10 MB."""
    import os

    from PIL import Image

    extension = os.path.splitext(file.name)[1].lower()
    if extension not in MinutesAttachment.ALLOWED:
        raise ValidationError(
            _("Attach a photo (JPEG, PNG), a PDF or an office document (Word, Excel)."), code="attachment_type"
        )
    if file.size > MinutesAttachment.MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="attachment_size")
    if extension in MinutesAttachment.PHOTOS:
        try:
            with Image.open(file) as image:
                image.verify()
        except Exception as exc:
            raise ValidationError(_("This file is not a readable image."), code="attachment_image") from exc
        finally:
            file.seek(0)


class MinutesAttachment(models.Model):
    """A photo or document kept with the minutes (a signed attendance sheet, a photo of the meeting …)."""

    PHOTOS = (".jpg", ".jpeg", ".png")
    ALLOWED = (*PHOTOS, ".pdf", ".doc", ".docx", ".xls", ".xlsx")
    MAX_BYTES = 10 * 1024 * 1024

    minutes = models.ForeignKey(
        Minutes, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("meeting minutes")
    )
    file = models.FileField(_("file"), upload_to="councils/minutes/%Y/%m/", validators=[validate_attachment])
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment to minutes")
        verbose_name_plural = _("attachments to minutes")
        ordering = ["minutes_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.file.name.rsplit("/", 1)[-1]

    @property
    def is_photo(self) -> bool:
        return self.file.name.lower().endswith(self.PHOTOS)


class Resolution(models.Model):
    """A binding decision (决议), numbered per community and year, carried out by an executor by a deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("to be carried out")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("carried out")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="resolutions", verbose_name=_("community")
    )
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="resolutions", verbose_name=_("council")
    )
    minutes_item = models.OneToOneField(
        MinutesItem, on_delete=models.PROTECT, related_name="resolution", verbose_name=_("decided in")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("number in the year"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("decision"))
    executor = models.CharField(_("carried out by"), max_length=10, choices=MinutesItem.Executor.choices)
    executor_station = models.CharField(_("station"), max_length=10, choices=MinutesItem.Station.choices, blank=True)
    executor_unit = models.ForeignKey(
        StationedUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
        verbose_name=_("stationed unit"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    done_at = models.DateTimeField(_("carried out on"), null=True, blank=True)
    last_reminded_on = models.DateField(_("last overdue reminder"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    history = HistoricalRecords()
    objects = ResolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["-year", "-seq"]
        constraints = [models.UniqueConstraint(fields=["community", "year", "seq"], name="resolution_number_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """〔2026〕3号 style: year and sequence within the community."""
        return f"〔{self.year}〕{self.seq}号"

    @property
    def executor_label(self) -> str:
        if self.executor == MinutesItem.Executor.UNIT and self.executor_unit_id:
            return self.executor_unit.name
        if self.executor == MinutesItem.Executor.STATION and self.executor_station:
            return str(self.get_executor_station_display())
        return str(self.get_executor_display())

    @property
    def is_overdue(self) -> bool:
        return self.status != self.Status.DONE and self.deadline < timezone.localdate()


class ResolutionProgress(models.Model):
    """A progress update on a resolution with its evidence."""

    resolution = models.ForeignKey(
        Resolution, on_delete=models.PROTECT, related_name="progress", verbose_name=_("resolution")
    )
    text = models.TextField(_("what was done"))
    photo = models.ImageField(_("photo"), upload_to="councils/progress/%Y/%m/", blank=True)
    completes = models.BooleanField(_("this completes the resolution"), default=False)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["resolution_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


def new_tracking_number() -> str:
    """JY + date + 6 random hex digits: unguessable, so the number alone reveals nothing about volume."""
    return f"JY{timezone.localdate():%Y%m%d}{secrets.token_hex(3).upper()}"


class Suggestion(models.Model):
    """A resident's suggestion (献计献策), followed from submission to a resolution and back to the resident."""

    class Category(models.TextChoices):
        ENVIRONMENT = "environment", _("environment and sanitation")
        FEES = "fees", _("fees (heating, sanitation …)")
        PARKING = "parking", _("parking and traffic")
        SAFETY = "safety", _("safety")
        FACILITIES = "facilities", _("public facilities and repairs")
        SERVICES = "services", _("services and care")
        CULTURE = "culture", _("culture and activities")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        ON_AGENDA = "on_agenda", _("on a meeting's agenda")
        DECIDED = "decided", _("decided")
        IN_PROGRESS = "in_progress", _("being carried out")
        DONE = "done", _("carried out")
        CLOSED = "closed", _("closed")
        MERGED = "merged", _("merged into another")
        DECLINED = "declined", _("not taken up")

    # Public once staff have looked at it; "submitted" waits for triage.
    PUBLIC = [s for s in Status.values if s != "submitted"]
    RATEABLE = (Status.DONE, Status.CLOSED, Status.DECLINED)

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("community")
    )
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True, default=new_tracking_number)
    proposer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("proposer"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("your suggestion"))
    photo = models.ImageField(_("photo"), upload_to="councils/suggestions/%Y/%m/", blank=True)
    location = models.CharField(_("where"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        verbose_name=_("merged into"),
    )
    reply = models.TextField(_("reply from the community"), blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    resolution = models.ForeignKey(
        Resolution,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        verbose_name=_("resolution"),
    )
    supporters_count = models.PositiveIntegerField(_("supporters"), default=0)
    rating = models.PositiveSmallIntegerField(
        _("rating of the outcome"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("comment on the outcome"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="suggestion_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False), name="merged_suggestion_has_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.title}"

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC

    @property
    def may_be_rated(self) -> bool:
        return self.status in self.RATEABLE and self.rating is None


class SuggestionSupport(models.Model):
    """A resident's support (附议) for a suggestion: once per person, enforced by the database."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="supports", verbose_name=_("suggestion")
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("supporter"))
    created_at = models.DateTimeField(_("supported"), default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["suggestion", "user"], name="support_once_per_person")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.suggestion_id}"


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
    """A stationed unit's pledge of rooms (m²), funds (¥) or supplies (¥ value), and what it delivered."""

    class Kind(models.TextChoices):
        ROOM = "room", _("rooms (m²)")
        FUNDS = "funds", _("funds (¥)")
        SUPPLIES = "supplies", _("supplies (¥ value)")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("council"))
    unit = models.ForeignKey(
        StationedUnit, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("stationed unit")
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
            )
        ]

    def __str__(self) -> str:
        return self.description
