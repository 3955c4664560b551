"""Forms of the culture station (no side effects; the actions do the work)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_DAYS_AWAY = 366  # a room is booked for the coming months; year 1 or 9999 is a typing slip, not a date


class RoomBookingForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    purpose = forms.CharField(label=_("What for"), max_length=100)

    def clean_day(self) -> dt.date:
        day = self.cleaned_data["day"]
        if abs((day - timezone.localdate()).days) > MAX_DAYS_AWAY:
            raise forms.ValidationError(_("Choose a date within a year from today."), code="far")
        return day

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if day and start and end:
            tz = timezone.get_current_timezone()
            data["starts_at"] = dt.datetime.combine(day, start, tzinfo=tz)
            data["ends_at"] = dt.datetime.combine(day, end, tzinfo=tz)
            if end <= start:
                self.add_error("end", _("The end must be after the start."))
        return data


class WeeklySeriesForm(forms.Form):
    """The same time every week, for a number of weeks (team practice, class sessions)."""

    room = forms.ModelChoiceField(label=_("Room"), queryset=None)
    first_day = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    weeks = forms.IntegerField(label=_("Number of weeks"), min_value=1, max_value=26, initial=8)
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args, rooms, fixed_room=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms
        if fixed_room is not None:
            self.fields["room"].initial = fixed_room
            self.fields["room"].disabled = True

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The end must be after the start."))
        return data
