"""Voting in the meeting room: motions and their amendments, one ballot per present member, the speakers list.

A secret vote keeps who voted (one `Ballot` row per member, so nobody votes twice) but not how: its `choice` stays
empty and only the motion's counters hold the totals. An open vote keeps each member's choice as well.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from councils.models.councils import CouncilMember
from councils.models.meetings import AgendaItem

User = settings.AUTH_USER_MODEL


class Motion(models.Model):
    """A motion on an agenda item, or an amendment to it (voted before the motion; carried, it rewrites the motion)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("motion", "proposed")
        OPEN = "open", pgettext_lazy("vote", "open")
        CLOSED = "closed", pgettext_lazy("vote", "closed")

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="motions", verbose_name=_("agenda item")
    )
    amends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="amendments",
        verbose_name=_("amends"),
    )
    text = models.TextField(_("motion text"))
    original_text = models.TextField(_("text as first proposed"), blank=True)
    proposed_by = models.ForeignKey(
        CouncilMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    secret = models.BooleanField(_("secret vote"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    opened_at = models.DateTimeField(_("vote opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("vote closed at"), null=True, blank=True)
    votes_yes = models.PositiveIntegerField(_("for"), default=0)
    votes_no = models.PositiveIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstain"), default=0)
    present = models.PositiveIntegerField(_("members present at the vote"), null=True, blank=True)
    quorum_reached = models.BooleanField(_("quorum reached"), null=True, blank=True)
    carried = models.BooleanField(_("carried"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["agenda_item_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item"], condition=Q(amends__isnull=True), name="motion_one_per_agenda_item"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_locked(self) -> bool:
        """Final with the minutes (portal.core.locks)."""
        return self.agenda_item_id is not None and self.agenda_item.is_locked

    @property
    def is_amendment(self) -> bool:
        return self.amends_id is not None

    @property
    def votes_cast(self) -> int:
        return self.votes_yes + self.votes_no + self.votes_abstain


class Ballot(models.Model):
    """One present member's vote on a motion: entered by the member on their phone, or by the secretary for a member
    without an account. A secret ballot records that the member voted, not how (`choice` is empty)."""

    class Choice(models.TextChoices):
        YES = "yes", pgettext_lazy("vote", "yes")
        NO = "no", pgettext_lazy("vote", "no")
        ABSTAIN = "abstain", pgettext_lazy("vote", "abstain")

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("motion"))
    member = models.ForeignKey(
        CouncilMember, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("member")
    )
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices, blank=True)
    entered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("entered by")
    )
    cast_at = models.DateTimeField(_("time cast"), default=timezone.now)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["motion_id", "cast_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["motion", "member"], name="ballot_once_per_member"),
            models.CheckConstraint(condition=Q(choice__in=["", "yes", "no", "abstain"]), name="ballot_choice_known"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.motion_id}"

    @property
    def is_locked(self) -> bool:
        return self.motion_id is not None and self.motion.is_locked


class Speaker(models.Model):
    """A request to speak on an agenda item: the secretary orders the list and times who is speaking."""

    class Status(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("speaker", "waiting")
        SPEAKING = "speaking", pgettext_lazy("speaker", "speaking")
        DONE = "done", pgettext_lazy("speaker", "spoke")
        WITHDRAWN = "withdrawn", pgettext_lazy("speaker", "withdrawn")

    ACTIVE = (Status.WAITING, Status.SPEAKING)

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("agenda item")
    )
    member = models.ForeignKey(
        CouncilMember, on_delete=models.CASCADE, related_name="speeches", verbose_name=_("member")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started speaking"), null=True, blank=True)
    seconds_used = models.PositiveIntegerField(_("time used (seconds)"), default=0)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers list")
        ordering = ["agenda_item_id", "position", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "member"],
                condition=Q(status__in=["waiting", "speaking"]),
                name="speaker_once_in_the_list",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.agenda_item_id}"

    @property
    def is_locked(self) -> bool:
        return self.agenda_item_id is not None and self.agenda_item.is_locked

    @property
    def minutes_used(self) -> str:
        seconds = self.seconds_used
        if self.status == self.Status.SPEAKING and self.started_at:
            seconds += int((timezone.now() - self.started_at).total_seconds())
        return f"{seconds // 60}:{seconds % 60:02d}"
