"""Writes of property management (物业进社区). Views, admin actions, tasks and other apps call these; nobody
repeats them. Keyword-only where they are the app's own; `repair_report` takes its first six positionally so that
another record (a grid patrol's finding) can become a repair in one call."""

from services.property.actions.appraisal import WEIGHTS, CompanyScore, appraisal_publish, combine, compute_scores, rank
from services.property.actions.repairs import (
    company_of,
    may_work,
    repair_arrive,
    repair_close,
    repair_dispatch,
    repair_fix,
    repair_rate,
    repair_report,
    repairs_flag_overdue,
)

__all__ = [
    "WEIGHTS",
    "CompanyScore",
    "appraisal_publish",
    "combine",
    "company_of",
    "compute_scores",
    "may_work",
    "rank",
    "repair_arrive",
    "repair_close",
    "repair_dispatch",
    "repair_fix",
    "repair_rate",
    "repair_report",
    "repairs_flag_overdue",
]
