"""Forms of the service hall. They parse and check input; they never write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from services.hall.models import Case, ServiceItem, Slot
from services.hall.uploads import check_attachment


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search services"), max_length=50, required=False)


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, slot: Slot) -> str:
        return f"{slot.local_start:%H:%M}–{slot.local_end:%H:%M}"


class BookingConfirmForm(forms.Form):
    """The last step: the resident confirms they have the documents on the list."""

    documents_ready = forms.BooleanField(
        label=_("I have read the list and will bring these documents."),
        error_messages={"required": _("Please confirm that you will bring the documents on the list.")},
    )
    note = forms.CharField(
        label=_("Note for the counter (optional)"), max_length=200, required=False, widget=forms.TextInput()
    )


class RescheduleForm(forms.Form):
    slot = forms.IntegerField(widget=forms.HiddenInput)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Booking code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class FinishForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("served", _("served")), ("no_show", _("did not come"))])


class ResidentSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Resident's name, phone, household number or building"), max_length=50, min_length=1, required=True
    )


class CaseFileForm(forms.Form):
    """A resident (or staff on their behalf) files a case."""

    kind = forms.ChoiceField(label=_("What is it?"), choices=Case.Kind.choices)
    item = forms.ModelChoiceField(label=_("Service (optional)"), queryset=ServiceItem.objects.none(), required=False)
    title = forms.CharField(label=_("Subject"), max_length=100)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    location = forms.CharField(label=_("Where (for repairs: building, unit, room)"), max_length=100, required=False)
    other_party = forms.CharField(
        label=_("The other party (for mediation: name and address)"), max_length=200, required=False
    )
    attachment = forms.FileField(
        label=_("Photo or PDF (optional, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )

    def __init__(self, *args, community_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = (
            ServiceItem.objects.active().filter(community_id=community_id).select_related("category")
        )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_attachment(upload)
        return upload

    def clean(self):
        data = super().clean()
        item = data.get("item")
        if item is not None and data.get("kind") and item.case_kind != data["kind"]:
            data["kind"] = item.case_kind  # the service decides what kind of case it is
        if data.get("kind") == Case.Kind.MEDIATION and not (data.get("other_party") or "").strip():
            self.add_error("other_party", _("Say who the other party of the dispute is."))
        return data


class CaseIntakeForm(CaseFileForm):
    """Staff take a report for a resident: also how it came in, and a 12345 ticket's number and deadline."""

    source = forms.ChoiceField(
        label=pgettext_lazy("case", "Came in"),
        choices=[(value, label) for value, label in Case.Source.choices if value != Case.Source.ONLINE],
        initial=Case.Source.COUNTER,
        required=False,  # at the counter, unless staff say otherwise
    )
    ticket = forms.CharField(label=_("12345 ticket number"), max_length=40, required=False)
    ticket_deadline = forms.DateField(
        label=_("12345 deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The case's deadline is this date when it is sooner than the service's time limit."),
    )
    field_order = ["source", "ticket", "ticket_deadline"]

    def clean(self):
        data = super().clean()
        data["source"] = data.get("source") or Case.Source.COUNTER
        if data.get("source") == Case.Source.HOTLINE:
            if not (data.get("ticket") or "").strip():
                self.add_error("ticket", _("A 12345 ticket needs its ticket number."))
            if not data.get("ticket_deadline") and "ticket_deadline" not in self.errors:
                self.add_error("ticket_deadline", _("A 12345 ticket needs the deadline the hotline set."))
        return data


class CaseRateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the result?"),
        coerce=int,
        choices=[(i, "★" * i) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=300, required=False)


class CaseNoteForm(forms.Form):
    text = forms.CharField(label=_("Message to the hall"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write the message."))
        return text
