"""Civility appraisals (文明家庭 / 文明楼院评选): nominations, one vote per household, publishing the result."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from portal.core.audit import audit
from portal.core.models import User
from portal.site.models import Appraisal, Nomination, Vote


def nomination_create(*, appraisal, by: User, title: str, reasons: str, household=None, building=None, photo=None):
    """Put a household or a courtyard forward while nominations are open; staff review it before the ballot."""
    if not appraisal.nominating:
        raise ValidationError(_("Nominations for this appraisal are closed."), code="closed")
    nomination = Nomination(
        appraisal=appraisal,
        title=title,
        reasons=reasons,
        household=household,
        building=building,
        photo=photo,
        nominated_by=by,
        status=Nomination.Status.ACCEPTED if by.is_staff else Nomination.Status.PENDING,
    )
    nomination.full_clean()
    nomination.save()
    return nomination


def vote_cast(*, nomination, voter: User):
    """One vote per household: a second vote from anyone in the household is refused, also under concurrency."""
    appraisal = nomination.appraisal
    resident = getattr(voter, "resident", None)
    if resident is None:
        raise ValidationError(_("Only residents whose household is confirmed can vote."), code="no_household")
    if resident.community_id != appraisal.community_id:
        raise ValidationError(_("You can vote only in your own community's appraisal."), code="community")
    if not appraisal.voting:
        raise ValidationError(_("Voting for this appraisal is closed."), code="closed")
    if nomination.status != Nomination.Status.ACCEPTED:
        raise ValidationError(_("This nomination is not on the ballot."), code="not_on_ballot")
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                appraisal=appraisal, nomination=nomination, household_id=resident.household_id, voter=voter
            )
            Nomination.objects.filter(pk=nomination.pk).update(votes=F("votes") + 1)
    except IntegrityError:
        raise ValidationError(_("Your household has already voted in this appraisal."), code="voted") from None
    return vote


@transaction.atomic
def appraisal_publish(*, appraisal, by: User) -> list:
    """Close the appraisal: the most-voted nominations win, and the result is public. Once only: a published result
    is final (a second publish would pick the winners again, by then under another number of winners)."""
    appraisal = Appraisal.objects.select_for_update().get(pk=appraisal.pk)  # two publishes at once: one waits
    if appraisal.status == Appraisal.Status.PUBLISHED:
        raise ValidationError(
            _("The results of “%(title)s” are already published: they are final.") % {"title": appraisal.title},
            code="published",
        )
    if appraisal.status != Appraisal.Status.OPEN:
        raise ValidationError(
            _("“%(title)s” was never opened: there is no ballot to publish.") % {"title": appraisal.title},
            code="draft",
        )
    ballot = appraisal.nominations.filter(status=Nomination.Status.ACCEPTED).order_by("-votes", "id")
    winners = list(ballot[: appraisal.winners])
    Nomination.objects.filter(pk__in=[n.pk for n in winners]).update(is_winner=True)
    appraisal.status = Appraisal.Status.PUBLISHED
    appraisal.save(update_fields=["status"])
    audit(actor=by, action="appraisal_publish", obj=appraisal, summary=f"{len(winners)} winners")
    return winners
