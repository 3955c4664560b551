"""Family proxies (子女代办): granting, revoking, and asking whether someone may act for a resident right now.

A resident grants online (their own consent); staff set a grant up at the counter and record how the resident
consented (a signed form, in person). Either side — or the counter — may revoke at any time. Every question "may X
act for Y" reads the database (`proxy_subject`), so an expired or revoked grant stops working at once. Both sides
are told in their inbox (and by SMS, as they chose: portal.core.notify)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core import pagecache
from portal.core.access import is_community_staff
from portal.core.audit import audit
from portal.core.models import Kind, User, normalize_mobile
from portal.core.notify import message, notify
from residents.models_proxies import ProxyGrant, Right

if TYPE_CHECKING:
    from residents.models import Resident

MAX_PERIOD = dt.timedelta(days=3 * 366)  # a grant is renewed at least every three years
STAFF_PERM = "residents.add_proxygrant"
REVOKE_PERM = "residents.change_proxygrant"


def proxy_subject(user: User, resident_id: int, right: str) -> Resident | None:
    """The resident `user` may act for now with `right` (a Right value), or None."""
    if not user.is_authenticated:
        return None
    grant = (
        ProxyGrant.objects.allowing(right)
        .filter(grantee=user, grantor_id=resident_id, grantor__moved_out_on__isnull=True)
        .select_related("grantor__user")
        .first()
    )
    return grant.grantor if grant else None


def proxy_subjects(user: User, right: str) -> list[Resident]:
    """The residents `user` may act for now with `right`: the choices "for myself / for 妈妈" on a page."""
    if not user.is_authenticated:
        return []

    def subjects():
        grants = (
            ProxyGrant.objects.allowing(right)
            .filter(grantee=user, grantor__moved_out_on__isnull=True)
            .select_related("grantor")
            .order_by("grantor__name", "grantor_id")
        )
        return [g.grantor for g in grants]

    # Shown on every page that books or files for someone; kept until a grant changes (a resident who moved out
    # leaves the list within the minute; acting for them is checked afresh: proxy_grantor).
    today = timezone.localdate().isoformat()
    return pagecache.remember(f"proxy-subjects:{user.pk}:{right}:{today}", ("residents.ProxyGrant",), subjects, 60)


def grantee_by_phone(phone: str) -> User:
    """The account a resident names by its mobile number; ValidationError on the phone field otherwise."""
    found = User.objects.filter(phone=normalize_mobile(phone), is_active=True).first()
    if found is None:
        raise ValidationError(
            {"phone": _("No account uses this number. Ask your family member to register first.")}, code="no_account"
        )
    return found


def _check_period(starts_on: dt.date, ends_on: dt.date) -> None:
    today = timezone.localdate()
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date must not be before the start date.")}, code="order")
    if ends_on < today:
        raise ValidationError({"ends_on": _("The end date has already passed.")}, code="past")
    if ends_on - starts_on > MAX_PERIOD:
        raise ValidationError({"ends_on": _("A proxy is granted for three years at most.")}, code="too_long")


@transaction.atomic
def proxy_grant(
    *,
    grantor: Resident,
    grantee: User,
    starts_on: dt.date,
    ends_on: dt.date,
    by: User,
    rights: dict[str, bool] | None = None,
    relation: str = "",
    consent: str = ProxyGrant.Consent.ONLINE,
) -> ProxyGrant:
    """Let `grantee` act for `grantor`. `by` is the resident themselves (consent online) or counter staff of the
    resident's community, who record how the resident consented (signed form, in person)."""
    by_resident = grantor.user_id is not None and by.pk == grantor.user_id
    if by_resident:
        consent = ProxyGrant.Consent.ONLINE
    else:
        if not (by.has_perm(STAFF_PERM) and is_community_staff(by) and by.community_id == grantor.community_id):
            raise PermissionDenied
        if consent not in (ProxyGrant.Consent.SIGNED_FORM, ProxyGrant.Consent.IN_PERSON):
            raise ValidationError({"consent": _("Record how the resident gave their consent.")}, code="consent")
    if grantor.moved_out_on is not None:
        raise ValidationError(_("This resident has moved out of the community."), code="moved_out")
    if grantee.pk == grantor.user_id:
        raise ValidationError({"phone": _("That is the resident's own account.")}, code="self")
    _check_period(starts_on, ends_on)
    rights = rights or {}
    chosen = {right.value: bool(rights.get(right.value, right is not Right.HEALTH)) for right in Right}
    if not any(chosen[r.value] for r in Right if r is not Right.HEALTH) and not chosen[Right.HEALTH]:
        raise ValidationError(_("Choose at least one thing the family member may do."), code="no_rights")
    # One live grant per pair: a new one replaces the old (its period and rights).
    for old in ProxyGrant.objects.select_for_update().filter(grantor=grantor, grantee=grantee, revoked_at__isnull=True):
        old.revoked_at, old.revoked_by = timezone.now(), by
        old.save(update_fields=["revoked_at", "revoked_by"])
    grant = ProxyGrant(
        community_id=grantor.community_id,
        grantor=grantor,
        grantee=grantee,
        relation=relation.strip()[:20],
        starts_on=starts_on,
        ends_on=ends_on,
        consent=consent,
        consent_recorded_by=None if by_resident else by,
        **chosen,
    )
    grant.full_clean()
    grant.save()
    audit(
        actor=by,
        action="proxy_grant",
        obj=grant,
        community_id=grantor.community_id,
        summary=f"resident #{grantor.pk} → account #{grantee.pk}, {starts_on}–{ends_on}, consent {consent}",
    )
    _tell_both(
        grant,
        to_grantor=message(
            _("You let %(name)s act for you (代办) from %(start)s until %(end)s: %(rights)s."),
            name=grantee.name,
            start=starts_on.isoformat(),
            end=ends_on.isoformat(),
            rights="、".join(grant.rights()),
        ),
        to_grantee=message(
            _("%(name)s lets you act for them (代办) from %(start)s until %(end)s: %(rights)s."),
            name=grantor.name,
            start=starts_on.isoformat(),
            end=ends_on.isoformat(),
            rights="、".join(grant.rights()),
        ),
        title=_("Family proxy granted (子女代办)"),
    )
    return grant


def may_revoke(grant: ProxyGrant, user: User) -> bool:
    """Either side, or counter staff of the resident's community."""
    if user.pk in (grant.grantee_id, grant.grantor.user_id):
        return True
    return user.has_perm(REVOKE_PERM) and is_community_staff(user) and user.community_id == grant.community_id


@transaction.atomic
def proxy_revoke(*, grant: ProxyGrant, by: User) -> ProxyGrant:
    """End a grant now (by either side, or the counter); both sides are told."""
    grant = (
        ProxyGrant.objects.select_for_update(of=("self",)).select_related("grantor__user", "grantee").get(pk=grant.pk)
    )
    if not may_revoke(grant, by):
        raise PermissionDenied
    if grant.revoked_at is not None:
        raise ValidationError(_("This proxy has already been revoked."), code="revoked")
    grant.revoked_at, grant.revoked_by = timezone.now(), by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    audit(actor=by, action="proxy_revoke", obj=grant, community_id=grant.community_id)
    _tell_both(
        grant,
        to_grantor=message(_("%(name)s can no longer act for you."), name=grant.grantee.name),
        to_grantee=message(_("You can no longer act for %(name)s."), name=grant.grantor.name),
        title=_("Family proxy ended (子女代办)"),
    )
    return grant


def _tell_both(grant: ProxyGrant, *, to_grantor, to_grantee, title) -> None:
    url = reverse("portal:proxies")
    if grant.grantor.user_id:
        notify(recipient=grant.grantor.user, kind=Kind.ACCOUNT, title=title, body=to_grantor, url=url)
    notify(recipient=grant.grantee, kind=Kind.ACCOUNT, title=title, body=to_grantee, url=url)


def acted_by_note(actor: User | None, resident: Resident):
    """ "由 X 代办" for a notice to the resident, when someone else acted; "" when they acted themselves."""
    if actor is None or actor.pk == resident.user_id:
        return ""
    return message(_("done for you by %(who)s (代办)"), who=actor.name)
