"""The health station's block on the staff workbench: follow-up visits overdue and due this week, consents to renew
(given under an older privacy notice). Counts only: the names are on the follow-up list, where reading is logged."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.core.waiting import Block, Tally
from services.health.access import health_scope
from services.health.models import CURRENT_NOTICE_VERSION, FollowUpPlan, HealthConsent

WEEK = 7

# The models these blocks read: the workbench keeps them until one changes (portal.core.waiting).
DEPENDS = ("services.FollowUpPlan", "services.HealthConsent")


def blocks(user, today: dt.date) -> list[Block]:
    if not user.has_perm("portal.see_health"):
        return []
    plans = health_scope(FollowUpPlan.objects.active(), user).aggregate(
        overdue=Count("pk", filter=Q(next_due__lt=today)),
        week=Count("pk", filter=Q(next_due__gte=today, next_due__lt=today + dt.timedelta(days=WEEK))),
    )
    renew = (
        health_scope(HealthConsent.objects.all(), user)
        .filter(withdrawn_at__isnull=True)
        .exclude(notice_version=CURRENT_NOTICE_VERSION)
        .count()
    )
    focus, files = reverse("services:health:focus"), reverse("services:health:files")
    return [
        Block(
            key="health.follow_ups",
            title=_("Health follow-ups and visits"),
            url=focus,
            tallies=[
                Tally(_("follow-ups overdue"), plans["overdue"], focus, urgent=True),
                Tally(_("follow-ups due this week"), plans["week"], focus),
                Tally(_("consents to renew"), renew, files),
            ],
            links=[
                (_("Health files"), files),
                (_("Focus groups"), focus),
                (_("Free physical campaigns"), reverse("services:health:campaigns")),
            ],
            empty=_("Names are on the follow-up list, where every reading is logged."),
        )
    ]
