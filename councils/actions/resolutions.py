"""Resolutions: progress with evidence, who carries them out, overdue reminders."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.actions.common import STATION_ROLES, tell_proposers, users_with_role
from councils.models import (
    CouncilMember,
    MinutesItem,
    Resolution,
    ResolutionProgress,
    Suggestion,
)
from portal.core import roles
from portal.core.audit import audit
from portal.core.locks import refuse_locked
from portal.core.models import Kind
from portal.core.notify import message, notify

if TYPE_CHECKING:
    from portal.core.models import User


def resolution_may_report(resolution: Resolution, user: User) -> bool:
    """Staff of the community who may add progress: council staff, and the executor's own people."""
    if not (user.is_authenticated and user.has_perm("councils.add_resolutionprogress")):
        return False
    if user.community_id != resolution.community_id:
        return False
    return True


@transaction.atomic
def resolution_progress_add(
    *, resolution: Resolution, text: str, by: User, photo=None, completes: bool = False
) -> ResolutionProgress:
    """Report progress with evidence; the last report completes the resolution. Proposers are told."""
    resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
    if not resolution_may_report(resolution, by):
        raise PermissionDenied
    refuse_locked(resolution, _("This resolution has been carried out already."))
    if not text.strip():
        raise ValidationError({"text": _("Say what was done.")})
    progress = ResolutionProgress(resolution=resolution, text=text, completes=completes, recorded_by=by)
    if photo:
        progress.photo = photo
    progress.save()
    resolution.status = Resolution.Status.DONE if completes else Resolution.Status.IN_PROGRESS
    resolution.done_at = timezone.now() if completes else None
    resolution.save(update_fields=["status", "done_at"])
    new_status = Suggestion.Status.DONE if completes else Suggestion.Status.IN_PROGRESS
    for suggestion in Suggestion.objects.filter(resolution=resolution, merged_into__isnull=True).exclude(
        status__in=(Suggestion.Status.CLOSED, Suggestion.Status.DONE)
    ):
        suggestion.status = new_status
        suggestion.save(update_fields=["status"])
        title = message(
            _("Your suggestion %(number)s has been carried out")
            if completes
            else _("Progress on your suggestion %(number)s"),
            number=suggestion.tracking_number,
        )
        tell_proposers(suggestion, title, message(text))
    audit(actor=by, action="resolution_progress", obj=resolution, summary="done" if completes else "progress")
    return progress


def resolution_executors(resolution: Resolution) -> list[User]:
    """Who carries a resolution out: the committee director, the station's staff, or the unit's delegate."""
    if resolution.executor == MinutesItem.Executor.UNIT:
        users = [
            m.user
            for m in CouncilMember.objects.filter(
                unit_id=resolution.executor_unit_id, user__isnull=False
            ).select_related("user")
        ]
    elif resolution.executor == MinutesItem.Executor.STATION:
        users = list(
            users_with_role(resolution.community_id, STATION_ROLES.get(resolution.executor_station, roles.HALL_STAFF))
        )
    else:
        users = list(users_with_role(resolution.community_id, roles.COMMITTEE_DIRECTOR))
    return users


@transaction.atomic
def resolutions_remind_overdue(*, today: dt.date | None = None) -> int:
    """Remind executor and convenor of each overdue resolution, at most once a week per resolution."""
    today = today or timezone.localdate()
    sent = 0
    overdue = (
        Resolution.objects.overdue(today)
        .exclude(last_reminded_on__gt=today - dt.timedelta(days=7))
        .select_related("council__convenor", "executor_unit")
        .select_for_update(of=("self",), skip_locked=True)
    )
    for resolution in overdue:
        recipients = {u.pk: u for u in resolution_executors(resolution)}
        if resolution.council.convenor_id:
            recipients[resolution.council.convenor_id] = resolution.council.convenor
        for user in recipients.values():
            notify(
                kind=Kind.COUNCILS,
                recipient=user,
                title=message(_("Overdue resolution %(number)s"), number=resolution.number),
                body=message(
                    _("“%(title)s” was due on %(deadline)s. Please report progress."),
                    title=resolution.title,
                    deadline=f"{resolution.deadline:%Y-%m-%d}",
                ),
                url=reverse("councils:resolution", args=[resolution.pk]),
            )
            sent += 1
        resolution.last_reminded_on = today
        resolution.save(update_fields=["last_reminded_on"])
    return sent
