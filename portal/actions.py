"""Writes of the portal core that span several models. Views, admin and tasks call these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.db import transaction

from portal import roles
from portal.models import AuditLog, User

if TYPE_CHECKING:
    from residents.models import Community


@transaction.atomic
def user_register(*, phone: str, name: str, community: Community, address: str, password: str) -> User:
    """Create a resident account that stays pending until staff link it to a record in the register."""
    user = User(phone=phone, name=name, community=community, registered_address=address)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=roles.RESIDENT))
    audit(actor=user, action="register", obj=user, community_id=community.pk, summary="self-registration")
    return user


def audit(*, actor: User | None, action: str, obj, community_id: int | None = None, summary: str = "") -> AuditLog:
    """Record who did what to which record. `summary` must not contain sensitive values."""
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        community_id=community_id if community_id is not None else getattr(obj, "community_id", None),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary[:300],
    )
