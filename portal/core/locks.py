"""The lock rule, in one place: a record that has become final — approved minutes and the meeting, agenda,
attendance and votes they record; a closed case with its timeline and files; a carried-out resolution and its
progress; a published appraisal — is never edited in place, by the admin, a page or an action.

A model says when one of its rows is final with an `is_locked` property (a row of a model without one never is).
`AuditedAdmin`, the base of every admin of the portal, refuses to change or delete a locked row and so shows its
inlines read-only; a form that would add a row under a final one says why; the actions check the same property
(`refuse_locked`), so that a page cannot do what the admin cannot.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LOCKED_MESSAGE = _("This record is final and can no longer be changed.")


def is_locked(obj) -> bool:
    """Whether `obj` is final (its model's `is_locked`); None and models without the property are not."""
    return obj is not None and bool(getattr(obj, "is_locked", False))


def refuse_locked(obj, message: str | Promise | None = None) -> None:
    """Raise the lock's ValidationError (code "locked") when `obj` is final."""
    if is_locked(obj):
        raise ValidationError(message or LOCKED_MESSAGE, code="locked")


def _never(request, obj=None) -> bool:
    return False


def read_only_inline(inline):
    """An inline instance of a final parent: shown, never added to, changed or deleted (no blank extra form)."""
    inline.has_add_permission = inline.has_change_permission = inline.has_delete_permission = _never
    inline.max_num = 0
    return inline


def refusing_locked(form_class):
    """`form_class` that refuses to add a row under a final one (a mediation session of a closed case, a progress
    update of a carried-out resolution): after the model's own validation, when the instance holds what was typed,
    it is a form error and nothing typed is lost. A stored row's lock is its admin's change permission."""

    class LockCheckedForm(form_class):
        def _post_clean(self):
            super()._post_clean()
            if self.instance._state.adding and is_locked(self.instance):
                self.add_error(None, ValidationError(LOCKED_MESSAGE, code="locked"))

    LockCheckedForm.__name__ = form_class.__name__
    LockCheckedForm.__qualname__ = form_class.__qualname__
    return LockCheckedForm
