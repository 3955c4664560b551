"""The site's own records: notices, contact boards and facilities, civility appraisals, the assessment."""

from portal.site.models.assessment import AssessmentSnapshot, Criterion, ManualScore, Rubric
from portal.site.models.civility import Appraisal, Nomination, Vote, nomination_photo_path
from portal.site.models.indicators import FacilityItem, Indicator, IndicatorEntry
from portal.site.models.notices import (
    ContactPerson,
    Facility,
    Notice,
    NoticeQuerySet,
    contact_photo_path,
    notice_attachment_path,
)

__all__ = [
    "Appraisal",
    "AssessmentSnapshot",
    "ContactPerson",
    "Criterion",
    "Facility",
    "FacilityItem",
    "Indicator",
    "IndicatorEntry",
    "ManualScore",
    "Nomination",
    "Notice",
    "NoticeQuerySet",
    "Rubric",
    "Vote",
    "contact_photo_path",
    "nomination_photo_path",
    "notice_attachment_path",
]
