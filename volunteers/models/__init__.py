"""Volunteers and the party-member service station: one module per subject."""

from volunteers.models.activities import Activity, HourCorrection, SignUp, hours_between, span
from volunteers.models.badges import Badge
from volunteers.models.party import DutyPost, PartyTask
from volunteers.models.served import PersonServed, VisitPlan, VisitRecord
from volunteers.models.stationed import StationedReport, UnitSummary, Wish
from volunteers.models.volunteers import (
    AVAILABILITY_CHOICES,
    SKILL_CHOICES,
    STAR_THRESHOLDS,
    Team,
    Volunteer,
    star_level,
)

__all__ = [
    "AVAILABILITY_CHOICES",
    "SKILL_CHOICES",
    "STAR_THRESHOLDS",
    "Activity",
    "Badge",
    "DutyPost",
    "HourCorrection",
    "PartyTask",
    "PersonServed",
    "SignUp",
    "StationedReport",
    "Team",
    "UnitSummary",
    "VisitPlan",
    "VisitRecord",
    "Volunteer",
    "Wish",
    "hours_between",
    "span",
    "star_level",
]
