"""The volunteers' part of "download my data" (portal.site.views.account.user_data): my volunteer record, my
sign-ups with their hours (and every correction of them), my badges; and, if the community serves me (elders living
alone, people with disabilities …), that record and the visits paid to me."""

from __future__ import annotations

from volunteers.models import Badge, HourCorrection, PersonServed, SignUp, VisitRecord


def export_user_data(user) -> dict:
    resident = getattr(user, "resident", None)
    if resident is None:
        return {}
    volunteer = getattr(resident, "volunteer", None)
    data: dict = {"volunteer": None, "signups": [], "hour_corrections": [], "badges": []}
    if volunteer is not None:
        data["volunteer"] = {
            "status": volunteer.status,
            "number": volunteer.number,
            "team": volunteer.team.name if volunteer.team_id else None,
            "skills": volunteer.skills,
            "skill_note": volunteer.skill_note,
            "availability": volunteer.availability,
            "applied_at": volunteer.applied_at,
            "decided_at": volunteer.decided_at,
            "approved_on": volunteer.approved_on,
            "decision_note": volunteer.decision_note,
        }
        data["signups"] = list(
            SignUp.objects.filter(volunteer=volunteer)
            .order_by("activity__date", "pk")
            .values(
                "activity__title",
                "activity__date",
                "activity__place",
                "status",
                "created_at",
                "checked_in_at",
                "checked_out_at",
                "hours",
                "hours_confirmed_at",
            )
        )
        data["hour_corrections"] = list(
            HourCorrection.objects.filter(signup__volunteer=volunteer)
            .order_by("at")
            .values("signup__activity__title", "old_hours", "new_hours", "reason", "at")
        )
        data["badges"] = list(
            Badge.objects.filter(volunteer=volunteer).values("status", "requested_at", "rendered_at", "revoked_at")
        )
    served = list(PersonServed.objects.filter(resident=resident))
    data["served_as"] = [{"kind": s.kind, "needs": s.needs, "since": s.since, "ended_on": s.ended_on} for s in served]
    data["visits_received"] = list(
        VisitRecord.objects.filter(person__in=served)
        .order_by("visited_on", "pk")
        .values("visited_on", "what_was_done", "needs_next", "recorded_at")
    )
    return data
