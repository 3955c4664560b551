"""Property management on the staff workbench: the open repairs this member of staff may see (a company's staff:
their company's), those past their promise flagged; links to the repair desk, the companies and the ranking."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.waiting import FIRST_ROWS, Block, Row, Tally
from services.property.models import Repair

# The models these blocks read: the workbench keeps them until one changes (portal.core.waiting).
DEPENDS = ("services.Repair",)


def blocks(user, today: dt.date) -> list[Block]:
    if not user.has_perm("services.view_repair"):
        return []
    return [_repairs(user)]


def _repairs(user) -> Block:
    now = timezone.now()
    open_repairs = Repair.objects.for_staff(user).open()
    late = Q(status="dispatched", arrive_by__lt=now) | Q(status__in=("dispatched", "arrived"), fix_by__lt=now)
    counts = open_repairs.aggregate(
        waiting=Count("pk", filter=Q(status="reported")),
        open=Count("pk"),
        overdue=Count("pk", filter=late),
    )
    first = open_repairs.select_related("building__area", "company").order_by("fix_by", "reported_at", "pk")[
        :FIRST_ROWS
    ]
    url = reverse("services:property:repairs")
    links = []
    if user.has_perm("services.dispatch_repair"):
        links.append((_("Record a report"), reverse("services:property:desk")))
    if user.has_perm("services.view_propertycompany"):
        links.append((_("Property companies"), reverse("services:property:companies")))
    if user.has_perm("services.view_propertyscore"):
        links.append((_("Appraisal ranking"), reverse("services:property:ranking")))
    return Block(
        key="property.repairs",
        title=_("Property repairs"),
        url=url,
        tallies=[
            Tally(_("open"), counts["open"], url),
            Tally(_("not yet dispatched"), counts["waiting"], f"{url}?status=reported"),
            Tally(_("past their promise"), counts["overdue"], f"{url}?status=overdue", urgent=True),
        ],
        rows=[
            Row(
                f"{r.number} {r.get_kind_display()} · {r.building}",
                reverse("services:property:repair", args=[r.pk]),
                _("fix by %(when)s") % {"when": f"{timezone.localtime(r.fix_by):%m-%d %H:%M}"}
                if r.fix_by
                else _("not yet dispatched"),
                urgent=r.is_overdue or r.fix_by is None,
            )
            for r in first
        ],
        links=links,
        empty=_("No open repair."),
    )
