"""The party-member service station (党员服务站): duty posts and service tasks of party members."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.core.access import ScopedQuerySet
from residents.models import PartyMember


class DutyPost(models.Model):
    """A party member's area of responsibility (党员责任区) or model post (党员示范岗): a building, an area or a task."""

    class Kind(models.TextChoices):
        AREA = "area", _("area of responsibility (党员责任区)")
        MODEL_POST = "model_post", _("model post (党员示范岗)")

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="duty_posts", verbose_name=_("community")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    building = models.ForeignKey(
        "residents.Building",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duty_posts",
        verbose_name=_("building / courtyard"),
    )
    area = models.ForeignKey(
        "residents.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duty_posts",
        verbose_name=_("residential area"),
    )
    task = models.CharField(_("task"), max_length=200, blank=True)
    holders = models.ManyToManyField(
        "residents.PartyMember", blank=True, related_name="duty_posts", verbose_name=_("holders")
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty post")
        verbose_name_plural = _("duty posts")
        ordering = ["community_id", "kind", "title"]

    def __str__(self) -> str:
        return self.title


class PartyTaskQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(completed_on__isnull=True)

    def completed(self):
        return self.filter(completed_on__isnull=False)


class PartyTask(models.Model):
    """A service task given to party members of a category (and speciality); completion earns service hours."""

    community = models.ForeignKey(
        "portal.Community", on_delete=models.CASCADE, related_name="party_tasks", verbose_name=_("community")
    )
    title = models.CharField(_("title"), max_length=100)
    category = models.CharField(_("for members of category"), max_length=12, choices=PartyMember.Category.choices)
    speciality = models.CharField(_("speciality wanted"), max_length=100, blank=True)
    assignee = models.ForeignKey(
        "residents.PartyMember", on_delete=models.CASCADE, related_name="service_tasks", verbose_name=_("assigned to")
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True, db_index=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = PartyTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("party-member service task")
        verbose_name_plural = _("party-member service tasks")
        ordering = ["community_id", "-due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0) & Q(hours__lte=24), name="party_task_hours_in_range"),
        ]

    def __str__(self) -> str:
        return self.title
