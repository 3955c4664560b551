"""物业进社区: property companies and the courtyards they serve, their cleaners and staff, owners' committees (业委会)
(`companies`), the property hotline's repairs (`repairs`), inspections and the street office's appraisal periods
(`appraisal`)."""

from services.property.models.appraisal import PropertyAppraisal, PropertyInspection, PropertyScore
from services.property.models.companies import (
    BUILDINGS_PER_CLEANER,
    Cleaner,
    OwnersCommittee,
    OwnersCommitteeMember,
    PropertyCompany,
    PropertyCoverage,
    PropertyStaff,
)
from services.property.models.repairs import Repair

__all__ = [
    "BUILDINGS_PER_CLEANER",
    "Cleaner",
    "OwnersCommittee",
    "OwnersCommitteeMember",
    "PropertyAppraisal",
    "PropertyCompany",
    "PropertyCoverage",
    "PropertyInspection",
    "PropertyScore",
    "PropertyStaff",
    "Repair",
]
