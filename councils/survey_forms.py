"""Forms of surveys: staff build a survey and its questions; a resident's answer form is built from the questions.
They parse; councils.actions.surveys checks and records."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.models import AgendaItem, Council, Option, Question, Suggestion, Survey
from residents.models import Building

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SurveyForm(forms.ModelForm):
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DATETIME)

    class Meta:
        model = Survey
        fields = [
            "title",
            "intro",
            "council",
            "buildings",
            "per_household",
            "opens_at",
            "closes_at",
            "results_public",
            "suggestion",
            "agenda_item",
        ]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3}), "buildings": forms.CheckboxSelectMultiple}

    def __init__(self, *args, community_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = Council.objects.filter(community_id=community_id)
        self.fields["buildings"].queryset = Building.objects.filter(community_id=community_id).select_related("area")
        self.fields["suggestion"].queryset = Suggestion.objects.filter(
            community_id=community_id, status__in=Suggestion.PUBLIC
        ).exclude(status__in=(Suggestion.Status.MERGED, Suggestion.Status.CLOSED, Suggestion.Status.DECLINED))
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(
            meeting__council__community_id=community_id, meeting__status__in=("draft", "scheduled", "held")
        ).select_related("meeting")
        self.fields["agenda_item"].label_from_instance = lambda item: f"{item.meeting} · {item.title}"
        if self.instance.pk and self.instance.status == Survey.Status.OPEN:
            for name in ("council", "buildings", "per_household", "opens_at", "suggestion", "agenda_item"):
                self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        if closes and closes <= timezone.now() and not self.instance.pk:
            self.add_error("closes_at", _("The end is already past: set a later end."))
        return data


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("Question"), max_length=300)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a choice question: one option a line."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)
    show_if_option = forms.ModelChoiceField(
        label=_("Show only if"),
        required=False,
        queryset=Option.objects.none(),
        empty_label=_("always shown"),
        help_text=_("Shown only to those who chose this answer to an earlier question."),
    )

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["show_if_option"]
        field.queryset = Option.objects.filter(question__survey=survey).select_related("question")
        field.label_from_instance = lambda o: f"{o.question.order}. {o.question.text} = {o.text}"

    def clean_options(self):
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class AnswerForm(forms.Form):
    """One field per question (`q<id>`), none required here: the action checks what is required, taking the
    conditional questions into account, and reports each missing answer next to its question."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            name = f"q{q.pk}"
            label = q.text
            if q.kind == Question.Kind.TEXT:
                field = forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
            elif q.kind == Question.Kind.SCALE:
                field = forms.TypedChoiceField(
                    label=label,
                    coerce=int,
                    choices=[(v, str(v)) for v in Question.SCALE],
                    widget=forms.RadioSelect(attrs={"class": "survey-scale"}),
                )
            elif q.kind == Question.Kind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    label=label,
                    coerce=int,
                    choices=[(o.pk, o.text) for o in q.options.all()],
                    widget=forms.CheckboxSelectMultiple,
                )
            else:
                field = forms.TypedChoiceField(
                    label=label, coerce=int, choices=[(o.pk, o.text) for o in q.options.all()], widget=forms.RadioSelect
                )
            field.required = False
            if q.kind == Question.Kind.SCALE:
                field.help_text = _("1 = not at all satisfied / agree, 5 = fully")
            self.fields[name] = field

    def rows(self):
        """(question, bound field) in order, for the template."""
        return [(q, self[f"q{q.pk}"]) for q in self.questions]

    def answers(self) -> dict[int, object]:
        """{question id: the value as typed or ticked} — also from an invalid form, for the action to judge."""
        data = {}
        for q in self.questions:
            name = self.add_prefix(f"q{q.pk}")
            data[q.pk] = self.data.getlist(name) if q.kind == Question.Kind.MULTIPLE else self.data.get(name)
        return data
