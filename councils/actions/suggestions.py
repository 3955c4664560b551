"""Residents' suggestions (献计献策): submission, support, triage, closing, rating; telling the proposers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.actions.common import suggestion_url, tell_proposers
from councils.models import (
    Council,
    Suggestion,
    SuggestionSupport,
)
from portal.core.access import require_community
from portal.core.audit import audit
from portal.core.models import Community, Kind
from portal.core.notify import message, notify

if TYPE_CHECKING:
    from portal.core.models import User


@transaction.atomic
def suggestion_submit(
    *, proposer: User, community: Community, category: str, title: str, text: str, location: str = "", photo=None
) -> Suggestion:
    """A resident's suggestion: gets a tracking number, and the proposer a receipt in the inbox."""
    suggestion = Suggestion(
        community=community, proposer=proposer, category=category, title=title, text=text, location=location
    )
    if photo:
        suggestion.photo = photo
    suggestion.full_clean()
    suggestion.save()
    notify(
        kind=Kind.COUNCILS,
        recipient=proposer,
        title=message(_("Suggestion received: %(number)s"), number=suggestion.tracking_number),
        body=message(
            _("Thank you. Keep this number to follow your suggestion: %(number)s"), number=suggestion.tracking_number
        ),
        url=suggestion_url(suggestion),
        channels=(),
    )
    return suggestion


def suggestions_remind_triage(*, older_than_days: int = 2) -> int:
    """Tell each community's council secretaries how many suggestions have waited for triage (daily)."""
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    waiting = dict(
        Suggestion.objects.filter(status=Suggestion.Status.SUBMITTED, created_at__lt=cutoff)
        .values_list("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
    )
    sent = 0
    for council in Council.objects.filter(community_id__in=waiting, secretary__isnull=False).select_related(
        "secretary"
    ):
        if council.kind != Council.Kind.DELIBERATION:
            continue  # one reminder per community: the deliberation council's secretary triages
        notify(
            kind=Kind.COUNCILS,
            recipient=council.secretary,
            title=message(_("%(n)d suggestions wait for a reply"), n=waiting[council.community_id]),
            body=message(_("Residents wrote them more than %(days)d days ago."), days=older_than_days),
            url=reverse("councils:triage"),
            channels=(),
        )
        sent += 1
    return sent


def suggestion_support(*, suggestion: Suggestion, user: User) -> SuggestionSupport:
    """Support (附议) a public suggestion, once per person (the database refuses a second time)."""
    if not suggestion.is_public or suggestion.status in (Suggestion.Status.MERGED, Suggestion.Status.CLOSED):
        raise ValidationError(_("This suggestion cannot be supported."))
    if suggestion.proposer_id == user.pk:
        raise ValidationError(_("This is your own suggestion."))
    try:
        with transaction.atomic():
            support = SuggestionSupport.objects.create(suggestion=suggestion, user=user)
            Suggestion.objects.filter(pk=suggestion.pk).update(supporters_count=F("supporters_count") + 1)
    except IntegrityError:
        raise ValidationError(_("You have already supported this suggestion.")) from None
    return support


def _require_triage(suggestion: Suggestion, by: User) -> None:
    if not by.has_perm("councils.change_suggestion"):
        raise PermissionDenied
    require_community(by, suggestion.community_id)


@transaction.atomic
def suggestion_reply(*, suggestion: Suggestion, reply: str, by: User) -> Suggestion:
    """Staff reply; a new suggestion is thereby accepted and becomes public."""
    _require_triage(suggestion, by)
    if not reply.strip():
        raise ValidationError({"reply": _("Write the reply.")})
    suggestion.reply = reply
    suggestion.replied_at = timezone.now()
    if suggestion.status == Suggestion.Status.SUBMITTED:
        suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.save(update_fields=["reply", "replied_at", "status"])
    tell_proposers(
        suggestion,
        message(_("Reply to your suggestion %(number)s"), number=suggestion.tracking_number),
        message(reply),
    )
    audit(actor=by, action="suggestion_reply", obj=suggestion)
    return suggestion


@transaction.atomic
def suggestion_merge(*, suggestion: Suggestion, into: Suggestion, by: User) -> Suggestion:
    """Merge a duplicate: its supporters join the other, and its proposer follows the other from now on."""
    _require_triage(suggestion, by)
    if into.pk == suggestion.pk or into.community_id != suggestion.community_id or into.merged_into_id:
        raise ValidationError({"into": _("Choose another, unmerged suggestion of this community.")})
    if suggestion.status not in (Suggestion.Status.SUBMITTED, Suggestion.Status.ACCEPTED):
        raise ValidationError(_("Only a new or accepted suggestion can be merged."))
    users = list(suggestion.supports.values_list("user_id", flat=True)) + [suggestion.proposer_id]
    SuggestionSupport.objects.bulk_create(
        [SuggestionSupport(suggestion=into, user_id=u) for u in users if u != into.proposer_id], ignore_conflicts=True
    )
    Suggestion.objects.filter(pk=into.pk).update(supporters_count=into.supports.count())
    Suggestion.objects.filter(merged_into=suggestion).update(merged_into=into)
    suggestion.status = Suggestion.Status.MERGED
    suggestion.merged_into = into
    suggestion.resolution_id = into.resolution_id
    suggestion.save(update_fields=["status", "merged_into", "resolution"])
    notify(
        kind=Kind.COUNCILS,
        recipient=suggestion.proposer,
        title=message(_("Your suggestion %(number)s was merged"), number=suggestion.tracking_number),
        body=message(
            _("It is followed together with %(other)s, which raises the same matter."), other=into.tracking_number
        ),
        url=suggestion_url(into),
    )
    audit(actor=by, action="suggestion_merge", obj=suggestion, summary=f"into #{into.pk}")
    return suggestion


@transaction.atomic
def suggestion_decline(*, suggestion: Suggestion, reply: str, by: User) -> Suggestion:
    """Not taken up, with the reason."""
    _require_triage(suggestion, by)
    if suggestion.status not in (Suggestion.Status.SUBMITTED, Suggestion.Status.ACCEPTED):
        raise ValidationError(_("Only a new or accepted suggestion can be declined."))
    if not reply.strip():
        raise ValidationError({"reply": _("Say why it is not taken up.")})
    suggestion.status = Suggestion.Status.DECLINED
    suggestion.reply = reply
    suggestion.replied_at = timezone.now()
    suggestion.save(update_fields=["status", "reply", "replied_at"])
    tell_proposers(
        suggestion,
        message(_("Reply to your suggestion %(number)s"), number=suggestion.tracking_number),
        message(reply),
    )
    audit(actor=by, action="suggestion_decline", obj=suggestion)
    return suggestion


@transaction.atomic
def suggestion_close(*, suggestion: Suggestion, by: User, note: str = "") -> Suggestion:
    """Close the loop; the proposer is asked to rate the outcome."""
    _require_triage(suggestion, by)
    if suggestion.status in (Suggestion.Status.CLOSED, Suggestion.Status.MERGED):
        raise ValidationError(_("This suggestion is closed already."))
    suggestion.status = Suggestion.Status.CLOSED
    suggestion.closed_at = timezone.now()
    if note:
        suggestion.reply = note
        suggestion.replied_at = timezone.now()
    suggestion.save(update_fields=["status", "closed_at", "reply", "replied_at"])
    tell_proposers(
        suggestion,
        message(_("Your suggestion %(number)s is closed"), number=suggestion.tracking_number),
        _("Please tell us how satisfied you are with the outcome."),
    )
    audit(actor=by, action="suggestion_close", obj=suggestion)
    return suggestion


def suggestion_rate(*, suggestion: Suggestion, user: User, rating: int, comment: str = "") -> Suggestion:
    """The proposer rates the outcome once, when it is carried out, closed or declined."""
    if suggestion.proposer_id != user.pk:
        raise PermissionDenied
    if not suggestion.may_be_rated:
        raise ValidationError(_("This suggestion cannot be rated now."))
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose 1 to 5 stars.")})
    suggestion.rating = rating
    suggestion.rating_comment = comment
    suggestion.save(update_fields=["rating", "rating_comment"])
    return suggestion
