"""The district's 1000-point assessment of its communities (千分考核星级分类).

The district edits a rubric of criteria whose points sum to 1,000. A computed criterion takes its value from a
metric of the portal's own data (meetings held on time, case on-time rate …; see portal.site.assessment) and earns
its points in proportion to a target; a manual criterion is scored by hand with a reason. Stars follow
thresholds the district sets. A yearly snapshot freezes every community's scores: later data does not change it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.core.metrics import Section

RUBRIC_TOTAL = 1000


class Rubric(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=100)
    # Star thresholds: the least total points for 1 … 5 stars.
    star1 = models.PositiveSmallIntegerField(_("points for one star"), default=600)
    star2 = models.PositiveSmallIntegerField(_("points for two stars"), default=700)
    star3 = models.PositiveSmallIntegerField(_("points for three stars"), default=800)
    star4 = models.PositiveSmallIntegerField(_("points for four stars"), default=880)
    star5 = models.PositiveSmallIntegerField(_("points for five stars"), default=950)

    class Meta:
        db_table = "portal_rubric"  # the table kept its name when the site got its own app
        verbose_name = _("assessment rubric")
        verbose_name_plural = _("assessment rubrics")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(star1__lte=models.F("star2"))
                & models.Q(star2__lte=models.F("star3"))
                & models.Q(star3__lte=models.F("star4"))
                & models.Q(star4__lte=models.F("star5"))
                & models.Q(star5__lte=RUBRIC_TOTAL),
                name="rubric_star_thresholds_ascend",
                violation_error_message=_("Star thresholds must rise from one to five stars and stay within 1,000."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def stars_for(self, points: float) -> int:
        thresholds = [self.star1, self.star2, self.star3, self.star4, self.star5]
        return sum(1 for t in thresholds if points >= t)


class Criterion(models.Model):
    class Kind(models.TextChoices):
        COMPUTED = "computed", _("computed from the portal's data")
        MANUAL = "manual", _("scored by hand")

    class Rule(models.TextChoices):
        """How a metric's value becomes points (the page states the rule next to each criterion)."""

        PROPORTIONAL = "proportional", _("in proportion to the target")
        THRESHOLD = "threshold", _("all points at the target or above, none below")

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("rubric"))
    name = models.CharField(_("criterion"), max_length=120)
    points = models.PositiveSmallIntegerField(_("points"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MANUAL)
    metric = models.CharField(_("metric"), max_length=50, blank=True, help_text=_("For computed criteria."))
    target = models.FloatField(_("target"), null=True, blank=True, help_text=_("The value that earns full points."))
    rule = models.CharField(_("rule"), max_length=12, choices=Rule.choices, default=Rule.PROPORTIONAL)
    section = models.CharField(
        _("section"),
        max_length=12,
        choices=Section.choices,
        blank=True,
        help_text=_("Blank: the section of its metric (a criterion scored by hand: other indicators)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        db_table = "portal_criterion"  # the table kept its name when the site got its own app
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="manual") | (~models.Q(metric="") & models.Q(target__gt=0)),
                name="computed_criterion_has_metric_and_target",
                violation_error_message=_("A computed criterion needs a metric and a positive target."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.points})"

    def earned(self, value: float) -> float:
        """Points for a metric value, never more than the criterion's points. PROPORTIONAL: points × value / target
        (0 at 0, all at the target or above); THRESHOLD: all points at the target or above, none below."""
        if self.rule == self.Rule.THRESHOLD:
            return float(self.points) if value >= self.target else 0.0
        return round(self.points * max(0.0, min(value / self.target, 1.0)), 1)

    def rule_text(self) -> str:
        """The rule in words, shown on the assessment page next to the criterion."""
        if self.kind == self.Kind.MANUAL:
            return gettext("Scored by the district's assessors, up to %(points)s points, with a reason.") % {
                "points": self.points
            }
        target = f"{self.target:g}"
        if self.rule == self.Rule.THRESHOLD:
            return gettext("All %(points)s points at %(target)s or more; none below.") % {
                "points": self.points,
                "target": target,
            }
        return gettext("%(points)s points × value ÷ %(target)s, at most %(points)s.") % {
            "points": self.points,
            "target": target,
        }


class ManualScore(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="manual_scores")
    community = models.ForeignKey("portal.Community", on_delete=models.CASCADE, related_name="+")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    reason = models.CharField(_("reason"), max_length=300)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "portal_manualscore"  # the table kept its name when the site got its own app
        verbose_name = _("manual score")
        verbose_name_plural = _("manual scores")
        constraints = [models.UniqueConstraint(fields=["criterion", "community"], name="one_manual_score")]

    def __str__(self) -> str:
        return f"{self.criterion_id}/{self.community_id}: {self.points}"


class AssessmentSnapshot(models.Model):
    """A community's frozen result for a year: written once, never changed."""

    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="snapshots")
    community = models.ForeignKey("portal.Community", on_delete=models.PROTECT, related_name="assessments")
    total = models.DecimalField(_("total points"), max_digits=6, decimal_places=1)
    stars = models.PositiveSmallIntegerField(_("stars"))
    detail = models.JSONField(_("scores by criterion"))
    taken_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        db_table = "portal_assessmentsnapshot"  # the table kept its name when the site got its own app
        verbose_name = _("assessment snapshot")
        verbose_name_plural = _("assessment snapshots")
        ordering = ["-total"]
        constraints = [models.UniqueConstraint(fields=["rubric", "community"], name="one_snapshot_per_year")]

    def __str__(self) -> str:
        return f"{self.rubric.year} {self.community_id}: {self.total}"
