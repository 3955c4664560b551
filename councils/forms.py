"""Forms of the councils app: they parse and validate; the actions do the work."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from councils.models import Ballot, CouncilMember, Meeting, MinutesItem, Nomination, Project, ResourcePledge, Suggestion
from councils.models.comments import MAX_COMMENT_LENGTH, MAX_REASON_LENGTH
from portal.core.uploads import rename_image, validate_image
from residents.models import StationedUnit

MAX_PHOTO_BYTES = 5 * 1024 * 1024


def _check_photo(photo):
    """ImageField already opened the file with Pillow; here the size and pixels are limited (no decompression
    bomb reaches public media) and the file gets a generated name."""
    if not photo or not hasattr(photo, "content_type"):  # nothing new uploaded (or the stored file kept)
        return photo
    if photo.size > MAX_PHOTO_BYTES:
        raise forms.ValidationError(_("The photo is larger than 5 MB. Please choose a smaller one."))
    validate_image(photo, MAX_PHOTO_BYTES)
    rename_image(photo)
    return photo


class SuggestionForm(forms.ModelForm):
    class Meta:
        model = Suggestion
        fields = ["category", "title", "text", "location", "photo"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/*"}),
        }
        help_texts = {
            "location": _("e.g. 华苑小区 3号楼 east gate"),
            "photo": _("Optional: a photo of the place (JPEG or PNG, at most 5 MB)."),
        }

    def clean_photo(self):
        return _check_photo(self.cleaned_data.get("photo"))


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the outcome?"),
        coerce=int,
        choices=[(i, "★" * i) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)


class MeetingForm(forms.ModelForm):
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )

    class Meta:
        model = Meeting
        fields = ["kind", "title", "starts_at", "place"]
        # When it may start is the action's check (councils.actions.meeting_time_check), shown next to the field.


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SuggestionToAgendaForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings if meetings is not None else Meeting.objects.none()


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Tracking number of the suggestion to merge into"), max_length=20)


class MinutesForm(forms.Form):
    summary = forms.CharField(label=_("General summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class MinutesItemForm(forms.ModelForm):
    """One agenda item's record. Prefixed by item id so several sit in one page and autosave together."""

    class Meta:
        model = MinutesItem
        fields = [
            "discussion",
            "decision",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "adopt_resolution",
            "executor",
            "executor_station",
            "executor_unit",
            "deadline",
        ]
        widgets = {
            "discussion": forms.Textarea(attrs={"rows": 5}),
            "decision": forms.Textarea(attrs={"rows": 3}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, community_id: int, unit_choices: list | None = None, **kwargs):
        """`unit_choices` (from unit_choices()): the executor units read once for all the items of a page;
        without it each form reads them itself."""
        super().__init__(*args, **kwargs)
        field = self.fields["executor_unit"]
        field.queryset = self.executor_units(community_id)
        if unit_choices is not None:
            field.choices = unit_choices
        for name in ("votes_for", "votes_against", "votes_abstain"):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})

    @staticmethod
    def executor_units(community_id: int):
        return StationedUnit.objects.filter(community_id=community_id)

    @classmethod
    def unit_choices(cls, community_id: int) -> list[tuple]:
        """The executor-unit choices of the community, in one query, for every item form of a page."""
        empty = cls.base_fields["executor_unit"].empty_label
        return [("", empty), *((unit.pk, str(unit)) for unit in cls.executor_units(community_id))]


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(label=_("Present"), widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(m.pk, str(m)) for m in members]

    def clean_present(self):
        return [int(pk) for pk in self.cleaned_data["present"]]


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("What needs to change"), widget=forms.Textarea(attrs={"rows": 3}))


class AddendumForm(forms.Form):
    text = forms.CharField(label=_("Correction"), widget=forms.Textarea(attrs={"rows": 3}))


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.ImageField(
        label=_("Photo (evidence)"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )
    completes = forms.BooleanField(label=_("This completes the resolution"), required=False)

    def clean_photo(self):
        return _check_photo(self.cleaned_data.get("photo"))


class NominationForm(forms.ModelForm):
    """A candidate for a representative's seat; a joint nomination lists its co-signers."""

    class Meta:
        model = Nomination
        fields = ["role", "nominee", "method", "co_signers"]
        widgets = {"co_signers": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        seats = (CouncilMember.Role.PARTY_REP, CouncilMember.Role.RESIDENT_REP)
        self.fields["role"].choices = [c for c in CouncilMember.Role.choices if c[0] in seats]
        ways = (
            CouncilMember.Chosen.ELECTION,
            CouncilMember.Chosen.JOINT_NOMINATION,
            CouncilMember.Chosen.PARTY_NOMINATION,
        )
        self.fields["method"].choices = [c for c in CouncilMember.Chosen.choices if c[0] in ways]


class ElectionForm(forms.Form):
    """Votes per pending nomination, and how many seats are filled."""

    seats = forms.IntegerField(label=_("Seats to fill"), min_value=1, max_value=50)

    def __init__(self, *args, nominations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.nominations = list(nominations)
        for n in self.nominations:
            self.fields[f"votes_{n.pk}"] = forms.IntegerField(
                label=f"{n.nominee} ({n.get_method_display()})", min_value=0, initial=0
            )

    def votes(self) -> dict[int, int]:
        return {n.pk: self.cleaned_data[f"votes_{n.pk}"] for n in self.nominations}


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Photo or document"), help_text=_("JPEG, PNG, PDF, Word or Excel; at most 10 MB."))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why it is cancelled"), max_length=300)


class PledgeForm(forms.ModelForm):
    class Meta:
        model = ResourcePledge
        fields = ["unit", "donor", "kind", "description", "year", "pledged", "delivered", "project"]

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = StationedUnit.objects.filter(community_id=council.community_id)
        self.fields["project"].queryset = Project.objects.filter(council=council)

    def clean(self):
        data = super().clean()
        if (
            data.get("pledged") is not None
            and data.get("delivered") is not None
            and data["delivered"] > data["pledged"] * 2
        ):
            self.add_error("delivered", _("Delivered is more than twice the pledge: please check the figure."))
        return data


class MotionForm(forms.Form):
    """A motion on an agenda item, or an amendment to its motion (`amends`)."""

    item = forms.IntegerField(widget=forms.HiddenInput)
    amends = forms.CharField(widget=forms.HiddenInput, required=False)  # a motion's id; the view looks it up
    text = forms.CharField(label=_("Motion text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    proposed_by = forms.ModelChoiceField(label=_("Proposed by"), queryset=CouncilMember.objects.none(), required=False)
    secret = forms.BooleanField(label=_("Secret vote (the record keeps who voted, not how)"), required=False)

    def __init__(self, *args, members=None, choices=None, **kwargs):
        """`members`: a queryset of the members present; `choices` (from member_choices()): read once per page."""
        super().__init__(*args, **kwargs)
        field = self.fields["proposed_by"]
        field.queryset = members if members is not None else CouncilMember.objects.none()
        if choices is not None:
            field.choices = choices


def member_choices(members) -> list[tuple]:
    """The choices of a member field, from members already read."""
    return [("", "---------"), *((m.pk, m.name) for m in members)]


class BallotForm(forms.Form):
    """The secretary enters the vote of a present member without a portal account."""

    member = forms.ModelChoiceField(label=_("Member"), queryset=CouncilMember.objects.none())
    choice = forms.ChoiceField(label=pgettext_lazy("ballot", "Vote"), choices=Ballot.Choice.choices)

    def __init__(self, *args, members=None, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        field.queryset = members if members is not None else CouncilMember.objects.none()
        if choices is not None:
            field.choices = choices


class SpeakerForm(forms.Form):
    """The secretary puts a present member on an item's speakers list."""

    item = forms.IntegerField(widget=forms.HiddenInput)
    member = forms.ModelChoiceField(label=_("Member"), queryset=CouncilMember.objects.none())

    def __init__(self, *args, members=None, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        field.queryset = members if members is not None else CouncilMember.objects.none()
        if choices is not None:
            field.choices = choices


class VoteForm(forms.Form):
    """A member's own vote, from their phone."""

    choice = forms.ChoiceField(label=pgettext_lazy("ballot", "Vote"), choices=Ballot.Choice.choices)


class CommentForm(forms.Form):
    """A comment or a reply. The text is kept as typed (stripped) and escaped wherever it is shown."""

    text = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your comment.")},
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this comment? (optional)"),
        max_length=MAX_REASON_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding (shown in place of the comment)"),
        max_length=MAX_REASON_LENGTH,
        error_messages={"required": _("Say why the comment is hidden.")},
    )
