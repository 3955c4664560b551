"""The portal's own records, one module per area."""

from portal.models.assessment import AssessmentSnapshot, Criterion, ManualScore, Rubric
from portal.models.audit import AuditLog, SensitiveAccessLog
from portal.models.civility import Appraisal, Nomination, Vote, nomination_photo_path
from portal.models.inbox import Delivery, Notification
from portal.models.search import SearchEntry
from portal.models.site import (
    ContactPerson,
    Facility,
    Notice,
    NoticeQuerySet,
    contact_photo_path,
    notice_attachment_path,
)
from portal.models.users import (
    MOBILE_RE,
    PendingAccount,
    Session,
    User,
    UserManager,
    mask_phone,
    normalize_mobile,
    validate_mobile,
)

__all__ = [
    "AssessmentSnapshot",
    "Criterion",
    "ManualScore",
    "Rubric",
    "Facility",
    "SearchEntry",
    "Appraisal",
    "Nomination",
    "Vote",
    "nomination_photo_path",
    "MOBILE_RE",
    "AuditLog",
    "ContactPerson",
    "Delivery",
    "Notice",
    "NoticeQuerySet",
    "Notification",
    "PendingAccount",
    "SensitiveAccessLog",
    "Session",
    "User",
    "UserManager",
    "contact_photo_path",
    "mask_phone",
    "normalize_mobile",
    "notice_attachment_path",
    "validate_mobile",
]
