"""Writes on the register that span several models (STYLE.md): admin, views and tasks call these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.access import sees_all_communities
from portal.core.audit import audit
from portal.core.notify import message, notify
from residents.models import Resident

if TYPE_CHECKING:
    from portal.core.models import User


def account_link_check(*, user: User, resident: Resident, by: User) -> None:
    """Raise ValidationError (PermissionDenied without the permission) unless `by` may link `user` to `resident`."""
    if not by.has_perm("portal.link_account"):
        raise PermissionDenied
    if not sees_all_communities(by):
        if resident.community_id != by.community_id:
            raise ValidationError(_("This resident lives in another community."), code="resident_other_community")
        if user.community_id is not None and user.community_id != by.community_id:
            raise ValidationError(_("This account was registered in another community."), code="user_other_community")
    if not user.is_active:
        raise ValidationError(_("This account is disabled."), code="user_inactive")
    if resident.moved_out_on is not None:
        raise ValidationError(_("This resident has moved out of the community."), code="resident_moved_out")
    if resident.user_id is not None:
        if resident.user_id == user.pk:
            raise ValidationError(_("This account is already linked to this resident."), code="already_linked")
        raise ValidationError(_("This resident is already linked to another account."), code="resident_taken")
    if Resident.objects.filter(user_id=user.pk).exists():
        raise ValidationError(_("This account is already linked to another resident."), code="user_taken")


@transaction.atomic
def account_link(*, user: User, resident: Resident, by: User) -> Resident:
    """Link a registered account to its record in the register: the account joins the resident's community."""
    # Lock both rows so two members of staff cannot link the same person or account at once.
    resident = Resident.objects.select_for_update().select_related("community").get(pk=resident.pk)
    user = type(user).objects.select_for_update().get(pk=user.pk)
    account_link_check(user=user, resident=resident, by=by)

    resident.user = user
    resident.save(update_fields=["user"])
    user.community_id = resident.community_id
    user.save(update_fields=["community"])
    # No names, ID numbers or phones in the audit trail: ids only.
    audit(actor=by, action="account_link", obj=resident, summary=f"linked account #{user.pk}")
    _notify_linked(user=user, resident=resident)
    return resident


def _notify_linked(*, user: User, resident: Resident) -> None:
    notify(
        recipient=user,
        title=_("Your account is confirmed"),
        body=message(
            _("%(community)s has linked your account to your household. You can now book services online."),
            community=resident.community.name,
        ),
        url=reverse("portal:my"),
    )
