"""How often a person may do something that leaves a row (a comment, a report): counted in the database from the
rows themselves, so the limit holds across processes and machines, survives a Redis outage and needs no key of its
own. The caller serialises one person's writes (`lock_person`) so that two requests at once cannot both pass.

    refuse_over_limit(Comment.objects.filter(author=user), COMMENT_LIMITS)

raises a ValidationError (code "rate_limit") with the first limit's message that is reached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise


@dataclass(frozen=True)
class Limit:
    """At most `count` rows in `per`; `message` (lazy text, may use %(count)d) says so when it is reached."""

    count: int
    per: dt.timedelta
    message: Promise


def refuse_over_limit(queryset: QuerySet, limits: Sequence[Limit], *, field: str = "created_at") -> None:
    """Raise ValidationError (code "rate_limit") if adding one more row to `queryset` would pass a limit. One query."""
    now = timezone.now()
    counts = queryset.aggregate(
        **{f"l{i}": Count("pk", filter=Q(**{f"{field}__gt": now - limit.per})) for i, limit in enumerate(limits)}
    )
    for i, limit in enumerate(limits):
        if counts[f"l{i}"] >= limit.count:
            raise ValidationError(limit.message, code="rate_limit", params={"count": limit.count})


def lock_person(user) -> None:
    """Hold the person's row until the transaction ends: their concurrent writes are counted one after the other."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
