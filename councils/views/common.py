"""Helpers shared by the councils views."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from portal.core.access import is_community_staff, sees_all_communities


def staff_of(user, community_id: int) -> bool:
    """Whether `user` works for this community (or for the whole district)."""
    return sees_all_communities(user) or (is_community_staff(user) and user.community_id == community_id)


def error_messages(exc: ValidationError) -> list[str]:
    """Every message of a ValidationError, field errors included, as plain strings."""
    if hasattr(exc, "error_dict"):
        return [str(m) for errors in exc.message_dict.values() for m in errors]
    return [str(m) for m in exc.messages]
