"""A resident's health file with its entries, and as plain data: their own copy (PIPL), for the download on the
health pages and for the account's "download my data"."""

from __future__ import annotations

from residents.models import Resident
from services.health.models import HealthFile


def with_entries(files):
    """Health files with their resident, household, consent and every entry, read in a fixed number of queries."""
    return files.select_related("resident", "household", "household__building", "consent").prefetch_related(
        "readings", "checkups", "visits", "maternal_visits"
    )


def health_data_of(resident: Resident) -> dict:
    """A resident's consents and health file as plain data (their copy under PIPL)."""
    file = with_entries(HealthFile.objects.live().filter(resident=resident)).first()
    data = {
        "resident": resident.name,
        "consents": [
            {
                "notice_version": c.notice_version,
                "consented_at": c.consented_at.isoformat(),
                "given_by": c.given_by,
                "guardian_name": c.guardian_name,
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in resident.health_consents.order_by("consented_at")
        ],
        "file": None,
    }
    if file is not None:
        data["file"] = {
            "opened": file.created_at.isoformat(),
            "chronic_conditions": file.chronic_conditions,
            "allergies": file.allergies,
            "medications": file.medications,
            "readings": [
                {"kind": r.kind, "date": r.taken_on.isoformat(), "value": str(r.value), "value2": str(r.value2 or "")}
                for r in file.readings.all()
            ],
            "checkups": [{"date": c.examined_on.isoformat(), "results": c.results} for c in file.checkups.all()],
            "follow_up_visits": [{"date": v.visited_on.isoformat(), "notes": v.notes} for v in file.visits.all()],
            "maternal_care_visits": [
                {"kind": v.kind, "date": v.visited_on.isoformat(), "notes": v.notes} for v in file.maternal_visits.all()
            ],
        }
    return data
