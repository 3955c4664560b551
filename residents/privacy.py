"""A resident's own register record, for "download my data" (portal.site.views.account.user_data)."""

from __future__ import annotations


def export_user_data(user) -> dict | None:
    resident = getattr(user, "resident", None)
    if resident is None:
        return None
    household = resident.household
    return {
        "name": resident.name,
        "sex": resident.get_sex_display(),
        "birth_date": resident.birth_date,
        "id_number": resident.id_number,  # the person's own number: they may have a copy
        "phone": resident.phone,
        "household": household.number,
        "address": household.address,
        "relation": resident.get_relation_display(),
        "tags": resident.tags(),
        # Who read my sensitive data (the sensitive-read log, PIPL): each read or refused attempt, by whom.
        "access_log": [
            {
                "when": row.at,
                "what": row.field,
                "by": row.actor.name if row.actor_id else None,
                "purpose": row.purpose,
                "denied": row.denied,
            }
            for row in resident.access_log.select_related("actor").order_by("at", "pk")
        ],
    }
