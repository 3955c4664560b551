"""The site's block on the staff workbench: the year's hand-entered assessment indicators (填报) still missing."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.core.waiting import Block, Row, Tally
from portal.site.models import AssessmentSnapshot, Indicator, IndicatorEntry, Rubric

DEPENDS = ("site.AssessmentSnapshot", "site.IndicatorEntry", "site.Rubric")


def blocks(user, today: dt.date) -> list[Block]:
    if not (user.has_perm("site.change_indicatorentry") and user.community_id):
        return []
    return [_assessment(user, today)]


def _assessment(user, today: dt.date) -> Block:
    """Two queries: this year's rubric (and whether the community's result is frozen), the entries made."""
    community_id = user.community_id
    frozen = AssessmentSnapshot.objects.filter(rubric=OuterRef("pk"), community_id=community_id)
    rubric = Rubric.objects.filter(year=today.year).annotate(frozen=Exists(frozen)).first()
    entered = set(
        IndicatorEntry.objects.filter(rubric=rubric, community_id=community_id).values_list("indicator", flat=True)
    )
    missing = [i for i in Indicator if i.value not in entered] if rubric and not rubric.frozen else []
    slug = user.community.slug
    url = reverse("portal:assessment", args=[slug])
    return Block(
        key="site.assessment",
        title=_("1000-point assessment"),
        url=url,
        tallies=[Tally(_("indicators to enter"), len(missing), url)],
        rows=[
            Row(str(i.label), reverse("portal:indicator_enter", args=[slug, today.year, i.value]), _("not entered"))
            for i in missing
        ],
        empty=_("Every hand-entered indicator of the year is in.")
        if rubric
        else _("No assessment rubric for this year yet."),
    )
