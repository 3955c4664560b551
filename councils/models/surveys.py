"""Surveys and polls (民意调查 / 征求意见): questions with options, a simple conditional skip, and the residents'
responses — one per person, or one per household, kept by the database."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from councils.models.councils import Council
from councils.models.meetings import AgendaItem
from councils.models.suggestions import Suggestion
from councils.querysets import SurveyQuerySet
from portal.core.models import Community
from residents.models import Building, Household

User = settings.AUTH_USER_MODEL


class Survey(models.Model):
    """A survey staff or a council's secretary put to the residents of a community (or of some courtyards)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", pgettext_lazy("survey", "open")
        CLOSED = "closed", pgettext_lazy("survey", "closed")
        PUBLISHED = "published", _("results published")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("community")
    )
    council = models.ForeignKey(
        Council, null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys", verbose_name=_("council")
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    buildings = models.ManyToManyField(
        Building,
        blank=True,
        related_name="+",
        verbose_name=_("buildings / courtyards"),
        help_text=_("Leave empty to ask the whole community."),
    )
    per_household = models.BooleanField(
        _("one answer per household"), default=False, help_text=_("Otherwise each resident answers for themself.")
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    results_public = models.BooleanField(
        _("results shown to residents"), default=True, help_text=_("Once staff publish them.")
    )
    suggestion = models.ForeignKey(
        Suggestion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
        verbose_name=_("about suggestion"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
        verbose_name=_("for agenda item"),
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(pgettext_lazy("time of", "published"), null=True, blank=True)
    responses_count = models.PositiveIntegerField(_("responses"), default=0)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_opening")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The survey must close after it opens.")})
        if self.council_id and self.community_id and self.council.community_id != self.community_id:
            raise ValidationError({"council": _("This council belongs to another community.")})
        if self.suggestion_id and self.community_id and self.suggestion.community_id != self.community_id:
            raise ValidationError({"suggestion": _("This suggestion belongs to another community.")})
        if (
            self.agenda_item_id
            and self.community_id
            and self.agenda_item.meeting.council.community_id != self.community_id
        ):
            raise ValidationError({"agenda_item": _("This agenda item belongs to another community.")})

    @property
    def is_locked(self) -> bool:
        """Published results are the record (portal.core.locks)."""
        return self.status == self.Status.PUBLISHED

    @property
    def is_accepting(self) -> bool:
        now = timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at

    @property
    def has_ended(self) -> bool:
        return self.status != self.Status.DRAFT and self.closes_at <= timezone.now()

    @property
    def results_visible(self) -> bool:
        """Residents see the results once staff published them (and chose to show them)."""
        return self.status == self.Status.PUBLISHED and self.results_public


class Question(models.Model):
    """One question: single or multiple choice, a 1–5 scale, or free text; shown only when an earlier answer
    picked a given option (`show_if_option`), if set."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        SCALE = "scale", _("scale 1 to 5")
        TEXT = "text", _("free text")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
    SCALE = range(1, 6)

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    text = models.CharField(_("question"), max_length=300)
    required = models.BooleanField(_("an answer is required"), default=True)
    show_if_option = models.ForeignKey(
        "Option",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("show only if this option was chosen"),
    )

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["survey_id", "order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_locked(self) -> bool:
        """A question is fixed once its survey is open: answers already given would change meaning."""
        return self.survey_id is not None and self.survey.status != Survey.Status.DRAFT

    @property
    def is_choice(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    def clean(self) -> None:
        if self.show_if_option_id:
            cond = self.show_if_option.question
            if cond.survey_id != self.survey_id or (cond.order, cond.pk) >= (self.order, self.pk or 10**9):
                raise ValidationError({"show_if_option": _("Choose an option of an earlier question of this survey.")})


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.CharField(pgettext_lazy("survey", "option"), max_length=200)

    class Meta:
        verbose_name = pgettext_lazy("survey", "option")
        verbose_name_plural = pgettext_lazy("survey", "options")
        ordering = ["question_id", "order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_locked(self) -> bool:
        return self.question_id is not None and self.question.is_locked


class Response(models.Model):
    """A resident's (or a household's) answers to a survey: once per person, and once per household when the
    survey asks households — both kept by the database."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey"))
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("respondent"))
    # Set only when the survey takes one answer per household: the key of that constraint.
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("household")
    )
    created_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="survey_response_once_per_person"),
            models.UniqueConstraint(
                fields=["survey", "household"],
                condition=Q(household__isnull=False),
                name="survey_response_once_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.survey_id}"


class Answer(models.Model):
    """One answer: an option (one row per option ticked), a scale value, or text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response"))
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question"))
    option = models.ForeignKey(
        Option,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=pgettext_lazy("survey", "option"),
    )
    value = models.PositiveSmallIntegerField(_("value"), null=True, blank=True)
    text = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question", "option"], name="survey_answer_option_once"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=5), name="survey_answer_scale_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.option_id or self.value or self.text[:20]}"
