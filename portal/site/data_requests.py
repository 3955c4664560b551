"""A resident's request to correct, complete or delete their personal information (PIPL arts. 45–47), from 我的:
it opens a case at the community's hall (`services.hall.actions.case_file`, kind "rights and complaints") with
the request's kind and text. The hall's intake acknowledges it in the resident's inbox and shows it on the staff
workbench among the unassigned cases; the case's timeline answers it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.core.audit import audit
from portal.core.models import User
from residents.models import Resident
from services.hall.actions import case_file
from services.hall.models import Case


class RequestKind(models.TextChoices):
    CORRECT = "correct", _("Correct information that is wrong (PIPL art. 46)")
    COMPLETE = "complete", _("Complete information that is missing (PIPL art. 46)")
    DELETE = "delete", _("Delete my personal information (PIPL art. 47)")


TITLES = {
    RequestKind.CORRECT: _("Personal information: request to correct"),
    RequestKind.COMPLETE: _("Personal information: request to complete"),
    RequestKind.DELETE: _("Personal information: request to delete"),
}


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you ask?"), choices=RequestKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Which information, and what it should be"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For example: my date of birth in the register is wrong, it should be 1950-03-02."),
    )


def data_request_file(*, resident: Resident, kind: str, text: str, by: User) -> Case:
    """Open the hall case for a correction or deletion request (ValidationError from the intake as is)."""
    kind = RequestKind(kind)
    # The case's subject is read by the hall's staff: in the site's language, whatever the resident's.
    with translation.override(settings.LANGUAGE_CODE):
        title = str(TITLES[kind])
        label = str(kind.label)
    case = case_file(
        resident=resident,
        kind=Case.Kind.RIGHTS,
        title=title,
        description=f"{label}\n\n{text.strip()}",
        filed_by=by,
    )
    audit(actor=by, action="data_request", obj=case, summary=f"PIPL request: {kind.value}")
    return case
