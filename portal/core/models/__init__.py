"""The core's records: tenancy, accounts and sessions, audit, the inbox and the search index."""

from portal.core.models.audit import AuditLog, SensitiveAccessLog
from portal.core.models.codes import PhoneCode
from portal.core.models.idempotency import IdempotencyKey
from portal.core.models.inbox import Delivery, Kind, Notification, NotificationPreference
from portal.core.models.reminders import CalendarFeed, ReminderSent
from portal.core.models.search import SearchEntry
from portal.core.models.second_factor import RecoveryCode, SecondFactor
from portal.core.models.tenancy import Community, CommunityQuerySet, District
from portal.core.models.users import (
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
    "MOBILE_RE",
    "AuditLog",
    "CalendarFeed",
    "Community",
    "CommunityQuerySet",
    "Delivery",
    "District",
    "IdempotencyKey",
    "Kind",
    "Notification",
    "NotificationPreference",
    "PendingAccount",
    "PhoneCode",
    "RecoveryCode",
    "ReminderSent",
    "SearchEntry",
    "SecondFactor",
    "SensitiveAccessLog",
    "Session",
    "User",
    "UserManager",
    "mask_phone",
    "normalize_mobile",
    "validate_mobile",
]
