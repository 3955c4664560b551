"""Stationed party members reporting in to the community (在职党员进社区报到), residents' small wishes (微心愿) they
claim and fulfil, and the yearly summary sent back to each unit's party organisation (共驻共建)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.access import ScopedQuerySet
from volunteers.models.served import mask_name


class StationedReportQuerySet(ScopedQuerySet):
    def live(self):
        """Reports that stand: waiting for the office or confirmed (a declined one may be filed again)."""
        return self.exclude(status=StationedReport.Status.DECLINED)

    def confirmed(self):
        return self.filter(status=StationedReport.Status.CONFIRMED)

    def of_user(self, user):
        """The signed-in member's reports: filed from their phone, or at the counter with their mobile number."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(user=user) | Q(user__isnull=True, phone=user.phone))


class StationedReport(models.Model):
    """A stationed party member's report-in (报到) for one year: filed by the member or at the counter, confirmed by
    the office, who place the member in a courtyard party group (楼院党小组)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for the office")
        CONFIRMED = "confirmed", pgettext_lazy("report-in status", "reported in")
        DECLINED = "declined", pgettext_lazy("report-in status", "declined")

    class Channel(models.TextChoices):
        ONLINE = "online", _("on the phone")
        COUNTER = "counter", pgettext_lazy("report-in channel", "at the counter")

    TRANSITIONS = {
        Status.SUBMITTED: (Status.CONFIRMED, Status.DECLINED),
        Status.CONFIRMED: (),
        Status.DECLINED: (),
    }

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="stationed_reports", verbose_name=_("community")
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    unit = models.ForeignKey(
        "residents.StationedUnit", on_delete=models.PROTECT, related_name="reports", verbose_name=_("stationed unit")
    )
    member = models.ForeignKey(
        "residents.PartyMember",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        verbose_name=_("party member"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stationed_reports",
        verbose_name=_("portal account"),
    )
    name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20)
    speciality = models.CharField(_("speciality"), max_length=100, blank=True)
    offer = models.CharField(
        _("what I can offer"),
        max_length=200,
        blank=True,
        help_text=_("E.g. tutoring children at weekends, small electrical repairs."),
    )
    wished_group = models.ForeignKey(
        "residents.PartyGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("courtyard I would like to serve"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reported_at = models.DateTimeField(_("reported in"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    group = models.ForeignKey(
        "residents.PartyGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stationed_reports",
        verbose_name=_("party group"),
    )
    decided_at = models.DateTimeField(pgettext_lazy("time of", "decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.CharField(_("note on the decision"), max_length=200, blank=True)

    objects = StationedReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("stationed member's report-in")
        verbose_name_plural = _("stationed members' reports-in")
        ordering = ["community_id", "-year", "unit_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year", "phone"],
                condition=~Q(status="declined"),
                name="stationed_report_one_live_per_year",
            ),
        ]
        indexes = [models.Index(fields=["community", "year", "status"], name="stationed_report_register")]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED


class WishQuerySet(ScopedQuerySet):
    def published(self):
        """Shown to reporting members: open for a claim, or taken and on its way."""
        return self.filter(status__in=Wish.PUBLIC_STATUSES)

    def open(self):
        return self.filter(status=Wish.Status.PUBLISHED)


class Wish(models.Model):
    """A resident's small wish (微心愿): "help carry coal", "a school bag for my grandson". Staff publish it with the
    personal details masked; a reporting-in stationed member claims and fulfils it; staff confirm; the resident thanks.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for review")
        PUBLISHED = "published", _("open for a party member")
        CLAIMED = "claimed", pgettext_lazy("wish status", "claimed")
        FULFILLED = "fulfilled", _("fulfilled, to confirm")
        CONFIRMED = "confirmed", pgettext_lazy("wish status", "fulfilled")
        THANKED = "thanked", pgettext_lazy("wish status", "thanked")
        DECLINED = "declined", pgettext_lazy("wish status", "not published")

    # The state machine: from → the states the actions may move it to.
    TRANSITIONS = {
        Status.SUBMITTED: (Status.PUBLISHED, Status.DECLINED),
        Status.PUBLISHED: (Status.CLAIMED,),
        Status.CLAIMED: (Status.FULFILLED, Status.PUBLISHED),
        Status.FULFILLED: (Status.CONFIRMED, Status.CLAIMED),
        Status.CONFIRMED: (Status.THANKED,),
        Status.THANKED: (),
        Status.DECLINED: (),
    }
    PUBLIC_STATUSES = (Status.PUBLISHED, Status.CLAIMED, Status.FULFILLED, Status.CONFIRMED, Status.THANKED)

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="wishes", verbose_name=_("community")
    )
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, related_name="wishes", verbose_name=_("resident")
    )
    title = models.CharField(_("wish"), max_length=60, help_text=_("In a few words, e.g. help carrying coal upstairs."))
    details = models.TextField(_("details"), max_length=500, blank=True)
    public_details = models.CharField(
        _("details shown to party members"),
        max_length=300,
        blank=True,
        help_text=_("Without names, phone numbers or room numbers."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    posted_at = models.DateTimeField(_("posted"), default=timezone.now)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("posted by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    decline_reason = models.CharField(_("reason"), max_length=200, blank=True)
    claimed_by = models.ForeignKey(
        "residents.PartyMember",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wishes_claimed",
        verbose_name=_("claimed by"),
    )
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)
    fulfil_note = models.CharField(_("what was done"), max_length=200, blank=True)
    confirmed_at = models.DateTimeField(pgettext_lazy("time of", "confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    task = models.OneToOneField(
        "volunteers.PartyTask",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wish",
        verbose_name=_("service task (hours)"),
    )
    thanked_at = models.DateTimeField(_("thanked"), null=True, blank=True)
    thanks = models.CharField(_("words of thanks"), max_length=200, blank=True)

    objects = WishQuerySet.as_manager()

    class Meta:
        verbose_name = _("small wish (微心愿)")
        verbose_name_plural = _("small wishes (微心愿)")
        ordering = ["community_id", "-posted_at", "-pk"]
        indexes = [models.Index(fields=["community", "status", "posted_at"], name="wish_by_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def masked_name(self) -> str:
        """王秀英 → 王*英: how party members see who made the wish."""
        return mask_name(self.resident.name)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def may_become(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())


class UnitSummary(models.Model):
    """The yearly summary of a stationed unit's reporting members sent back to its party organisation (PDF and Excel
    made from the records when downloaded); staff mark it sent."""

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="unit_summaries", verbose_name=_("community")
    )
    unit = models.ForeignKey(
        "residents.StationedUnit", on_delete=models.CASCADE, related_name="summaries", verbose_name=_("stationed unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    prepared_at = models.DateTimeField(_("prepared"), default=timezone.now)
    sent_at = models.DateTimeField(pgettext_lazy("time of", "sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_note = models.CharField(_("how it was sent"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("yearly summary for a unit")
        verbose_name_plural = _("yearly summaries for units")
        ordering = ["community_id", "-year", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unit_summary_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id}"
