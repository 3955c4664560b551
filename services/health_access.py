"""Who may read health files, and the access log every staff read (or denied attempt) writes.

Only health-station staff of the file's community hold `services.view_health_values` and pass the community
check; the resident reads their own file through their own pages (that is not logged: it is their data).
Everyone else gets a 404 — and if they asked for a real file, one SensitiveAccessLog entry marked denied.
"""

from __future__ import annotations

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from portal.core.access import is_community_staff
from portal.core.models import SensitiveAccessLog, User
from services.models import HealthFile

LOG_FIELD = "health_file"


class Purpose(models.TextChoices):
    CARE = "care", _("care and treatment")
    FOLLOW_UP = "follow_up", _("follow-up visit")
    CHECKUP = "checkup", _("annual physical")
    MATERNAL = "maternal", _("maternal care")
    RESIDENT_REQUEST = "request", _("at the resident's request")


def may_read_health(user: User, community_id: int | None) -> bool:
    """Health-station staff of that very community; nobody else, district administrators included."""
    return bool(
        community_id is not None
        and is_community_staff(user)
        and user.community_id == community_id
        and user.has_perm("services.view_health_values")
    )


def health_files_for(user: User):
    """The live files this user may work on (an empty queryset for anyone but health staff)."""
    files = HealthFile.objects.live()
    if not (is_community_staff(user) and user.has_perm("services.view_health_values")):
        return files.none()
    return files.filter(community_id=user.community_id)


def log_health_read(*, actor: User, file: HealthFile, purpose: str, denied: bool = False) -> SensitiveAccessLog | None:
    """Write one access-log entry: who, whose file, when, why. Never a health value."""
    if file.resident_id is None:
        return None
    return SensitiveAccessLog.objects.create(
        actor=actor if actor.is_authenticated else None,
        subject_id=file.resident_id,
        field=LOG_FIELD,
        purpose=str(Purpose(purpose).label) if purpose in Purpose.values else "",
        denied=denied,
    )


def health_file_open(*, actor: User, file_id: int, purpose: str) -> HealthFile:
    """Load a file for a member of staff and log the read; a refused attempt is logged as denied and 404s."""
    file = (
        HealthFile.objects.live()
        .select_related("resident", "household", "household__building", "consent")
        .filter(pk=file_id)
        .first()
    )
    if file is None:
        raise Http404
    if not may_read_health(actor, file.community_id):
        log_health_read(actor=actor, file=file, purpose=purpose, denied=True)
        raise Http404
    if purpose not in Purpose.values:
        purpose = Purpose.CARE
    log_health_read(actor=actor, file=file, purpose=purpose)
    return file
