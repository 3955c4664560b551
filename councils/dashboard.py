"""Dashboard panels of the councils: meetings held vs due, resolutions done vs overdue, suggestions answered."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from councils.cadence import cadence_for
from councils.models import Council, Resolution, Suggestion
from portal.core.panels import Panel, percent


def panels(community_id: int, today: dt.date) -> list[Panel]:
    councils = list(Council.objects.filter(community_id=community_id).order_by("kind"))
    cadence = cadence_for(councils, years=1, today=today)
    meetings = Panel(
        title=_("Council meetings held vs due (last 12 months and this period)"),
        columns=[_("Council"), _("Due"), _("Held")],
        rows=[[c.council.get_kind_display(), c.due, c.held] for c in cadence],
        chart=[(c.council.get_kind_display(), c.held) for c in cadence],
        value_label=_("Regular meetings held (number)"),
    )
    res = Resolution.objects.filter(community_id=community_id).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=Resolution.Status.DONE)),
        overdue=Count("pk", filter=~Q(status=Resolution.Status.DONE) & Q(deadline__lt=today)),
    )
    open_on_time = res["total"] - res["done"] - res["overdue"]
    resolutions = Panel(
        title=_("Resolutions"),
        columns=[_("State"), _("Resolutions")],
        rows=[[_("carried out"), res["done"]], [_("open, on time"), open_on_time], [_("overdue"), res["overdue"]]],
        chart=[
            (_("carried out"), res["done"]),
            (pgettext("resolution", "open"), open_on_time),
            (_("overdue"), res["overdue"]),
        ],
        value_label=_("Resolutions (number)"),
    )
    since = timezone.now() - dt.timedelta(days=365)
    sug = Suggestion.objects.filter(community_id=community_id, created_at__gte=since).aggregate(
        total=Count("pk"), answered=Count("pk", filter=Q(replied_at__isnull=False))
    )
    suggestions = Panel(
        title=_("Suggestions answered, last 12 months"),
        columns=[_("Suggestions"), _("Answered"), _("Share")],
        rows=[[sug["total"], sug["answered"], percent(sug["answered"], sug["total"])]],
    )
    return [meetings, resolutions, suggestions]
