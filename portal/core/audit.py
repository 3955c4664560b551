"""The two logs every app writes through: `audit()` for each staff write, `sensitive_read()` for each staff read of
sensitive personal data (health files, ID numbers, people served, allowance or disability status; PIPL).

No app writes AuditLog or SensitiveAccessLog rows itself: a log line that one app formats its own way is a line a
reviewer misses. Neither log ever holds the sensitive value, only who, what, whose, when and why.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation

from portal.core.models import AuditLog, SensitiveAccessLog, User


def _actor(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def audit(*, actor: User | None, action: str, obj, community_id: int | None = None, summary: str = "") -> AuditLog:
    """Record who did what to which record. `summary` must not contain sensitive values."""
    return AuditLog.objects.create(
        actor=_actor(actor),
        community_id=community_id if community_id is not None else getattr(obj, "community_id", None),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary[:300],
    )


def sensitive_read(
    *, actor: User | None, subjects: Iterable, field: str, purpose: str = "", denied: bool = False
) -> list[SensitiveAccessLog]:
    """Log one read of `field` per resident in `subjects` (residents or their ids; None is skipped).

    `purpose` (lazy text) is stored in the site's language, whoever reads; `denied` marks a refused attempt at a
    real record."""
    with translation.override(settings.LANGUAGE_CODE):
        purpose = str(purpose)[:200]
    rows = [
        SensitiveAccessLog(
            actor=_actor(actor), subject_id=getattr(s, "pk", s), field=field, purpose=purpose, denied=denied
        )
        for s in subjects
        if s is not None
    ]
    return SensitiveAccessLog.objects.bulk_create(rows) if rows else []
