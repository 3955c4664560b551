"""Writes of the portal core that span several models. Views, admin and tasks call these."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from portal.core import roles
from portal.core.audit import audit
from portal.core.models import Community, Session, User


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


@transaction.atomic
def user_reset_password(*, user: User, password: str) -> None:
    """A new password set with an SMS code (忘记密码): every session of the account ends, wherever it was."""
    user.set_password(password)
    user.save(update_fields=["password"])
    Session.objects.filter(user=user).delete()
    audit(actor=user, action="reset_password", obj=user, summary="password reset with an SMS code")
