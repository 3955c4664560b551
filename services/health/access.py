"""Who may read health files, and the access log every staff read (or denied attempt) writes.

Only health-station staff of the file's community hold `portal.see_health` (portal/core/disclosure.py) and pass the community
check; the resident reads their own file through their own pages (that is not logged: it is their data). A family
proxy (residents.proxies) reads it only when the resident granted the health file separately; each such read is
logged as the proxy's, and an attempt without that grant is logged as denied and answers 404.
Everyone else asking for a real file gets a 404 — and one access-log entry marked denied: the file's existence is
not confirmed to them. The staff pages of the station answer a role without the permission with a 403
(`health_staff_required`), and a record of another community with a 404.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from portal.core import disclosure
from portal.core.access import is_community_staff, staff_required
from portal.core.audit import sensitive_read
from portal.core.models import User
from residents.models import Resident
from residents.models_proxies import Right
from residents.proxies import proxy_subject
from services.health.models import HealthFile

Q = TypeVar("Q", bound=models.QuerySet)

LOG_FIELD = "health_file"
HEALTH_PERM = disclosure.permission(disclosure.Kind.HEALTH)  # portal.see_health

health_staff_required = staff_required(HEALTH_PERM)


class Purpose(models.TextChoices):
    CARE = "care", _("care and treatment")
    FOLLOW_UP = "follow_up", _("follow-up visit")
    FAMILY_PROXY = "proxy", _("family proxy (子女代办)")
    CHECKUP = "checkup", _("annual physical")
    MATERNAL = "maternal", _("maternal care")
    RESIDENT_REQUEST = "request", _("at the resident's request")


def may_read_health(user: User, community_id: int | None) -> bool:
    """Health-station staff of that very community; nobody else, district administrators included."""
    return bool(
        community_id is not None
        and is_community_staff(user)
        and user.community_id == community_id
        and user.has_perm(HEALTH_PERM)
    )


def health_scope(queryset: Q, user: User, path: str = "community") -> Q:
    """`queryset` narrowed to the user's own community when they are its health staff; nothing for anyone else
    (district administrators, and superusers without a community, included: they work with figures, not people)."""
    community_id = getattr(user, "community_id", None)
    if not may_read_health(user, community_id):
        return queryset.none()
    return queryset.filter(**{path: community_id})


def health_files_for(user: User):
    """The live files this user may work on (an empty queryset for anyone but health staff)."""
    return health_scope(HealthFile.objects.live(), user)


def log_health_read(*, actor: User, file: HealthFile, purpose: str, denied: bool = False) -> None:
    """Log one read of a file (through portal.core.audit): who, whose file, when, why. Never a health value."""
    sensitive_read(
        actor=actor,
        subjects=[file.resident_id],  # an anonymised file has nobody left to log against
        field=LOG_FIELD,
        purpose=Purpose(purpose).label if purpose in Purpose.values else "",
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


def health_file_for_proxy(*, actor: User, resident_id: int) -> tuple[Resident, HealthFile | None]:
    """The resident `actor` is family proxy for *with the health file granted* (in force now), and their live file,
    the read logged; otherwise 404 — and a denied entry when the resident has a file (residents.proxies)."""
    resident = proxy_subject(actor, resident_id, Right.HEALTH)
    if resident is None:
        file = HealthFile.objects.live().filter(resident_id=resident_id).first()
        if file is not None:
            log_health_read(actor=actor, file=file, purpose=Purpose.FAMILY_PROXY, denied=True)
        raise Http404
    file = HealthFile.objects.live().filter(resident=resident).first()
    if file is not None:
        log_health_read(actor=actor, file=file, purpose=Purpose.FAMILY_PROXY)
    return resident, file
