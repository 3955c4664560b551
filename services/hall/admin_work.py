"""The next steps of one case, as buttons on its page in the admin: accept, assign to…, start, finish with a reply,
reject with a reason, add a note, add an attachment. Each goes through services.hall.actions; a refused step shows its
message next to the field and keeps what was typed. (Bulk steps stay on the case list.)"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.core.models import User
from portal.core.requests import form_errors
from services.hall import actions
from services.hall.models import Case


class StepForm(forms.Form):
    label = ""

    def __init__(self, *args, assignees=(), **kwargs):
        super().__init__(*args, **kwargs)


class AcceptForm(StepForm):
    label = _("Accept")


class StartForm(StepForm):
    label = _("Start work")


class AssignForm(StepForm):
    label = _("Assign")
    assignee = forms.TypedChoiceField(label=_("assign to"), coerce=int)

    def __init__(self, *args, assignees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "---------"), *assignees]


class CompleteForm(StepForm):
    label = _("Finish")
    text = forms.CharField(
        label=_("reply to the resident"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RejectForm(StepForm):
    label = _("Reject")
    text = forms.CharField(
        label=_("reason for rejection"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the case is rejected.")},
    )


class NoteForm(StepForm):
    label = _("Add the note")
    text = forms.CharField(
        label=_("note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the note.")},
    )
    internal = forms.BooleanField(label=_("internal (staff only)"), required=False, initial=True)


class AttachForm(StepForm):
    label = _("Attach")
    upload = forms.FileField(label=_("image or PDF"), error_messages={"required": _("Choose a file.")})
    internal = forms.BooleanField(label=_("internal (staff only)"), required=False)


STEPS: dict[str, type[StepForm]] = {
    "accept": AcceptForm,
    "assign": AssignForm,
    "start": StartForm,
    "complete": CompleteForm,
    "reject": RejectForm,
    "note": NoteForm,
    "attach": AttachForm,
}
# Which status a step moves the case to (the steps that move it are offered only when the flow allows).
MOVES = {
    "accept": Case.Status.ACCEPTED,
    "start": Case.Status.IN_PROGRESS,
    "complete": Case.Status.DONE,
    "reject": Case.Status.REJECTED,
}


def next_steps(case: Case) -> list[str]:
    allowed = Case.TRANSITIONS[Case.Status(case.status)]
    steps = [step for step, to in MOVES.items() if to in allowed]
    if case.is_open:
        steps.insert(1 if "accept" in steps else 0, "assign")
    return [*steps, "note", "attach"]


def step_forms(case: Case, assignees, bound: tuple[str, StepForm] | None = None) -> dict[str, StepForm]:
    """The form of every step this case may take now (the one just tried stays as it was sent)."""
    found = {}
    for step in next_steps(case):
        if bound is not None and bound[0] == step:
            found[step] = bound[1]
        else:
            found[step] = STEPS[step](prefix=step, assignees=assignees)
    return found


def case_work(request, case: Case, assignees) -> tuple[str | None, dict[str, StepForm] | None]:
    """Do the step posted (`_work`): (what was done, None), or (None, the forms again with the message next to the
    field). A step the case cannot take now (it moved on meanwhile) raises ValidationError."""
    step = request.POST.get("_work", "")
    if step not in next_steps(case):
        raise ValidationError(
            gettext("Case %(number)s is %(status)s: it cannot take this step now.")
            % {"number": case.number, "status": case.get_status_display()}
        )
    form = STEPS[step](request.POST, request.FILES, prefix=step, assignees=assignees)
    if form.is_valid():
        try:
            done = _do(step, form.cleaned_data, case=case, by=request.user)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return done, None
    return None, step_forms(case, assignees, bound=(step, form))


def _do(step: str, data: dict, *, case: Case, by: User) -> str:
    if step == "accept":
        actions.case_accept(case=case, by=by)
        return gettext("Case %(number)s accepted.") % {"number": case.number}
    if step == "start":
        actions.case_start(case=case, by=by)
        return gettext("Case %(number)s is in progress.") % {"number": case.number}
    if step == "complete":
        actions.case_complete(case=case, by=by, note=data["text"].strip())
        return gettext("Case %(number)s is done; the resident is told.") % {"number": case.number}
    if step == "reject":
        actions.case_reject(case=case, by=by, reason=data["text"])
        return gettext("Case %(number)s rejected; the resident is told why.") % {"number": case.number}
    if step == "assign":
        assignee = User.objects.get(pk=data["assignee"])
        actions.case_assign(case=case, assignee=assignee, by=by)
        return gettext("Case %(number)s assigned to %(name)s.") % {"number": case.number, "name": assignee.name}
    if step == "note":
        actions.case_add_note(case=case, by=by, text=data["text"], internal=data["internal"])
        return gettext("The note is on the timeline.")
    actions.case_add_attachment(case=case, upload=data["upload"], by=by, internal=data["internal"])
    return gettext("The file is attached.")
