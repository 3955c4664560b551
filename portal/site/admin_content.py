"""Admin for the portal's site content: notices (公告) and contact-board people (联系标牌)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.admin_files import file_link
from portal.core.admin_scope import AuditedAdmin, CommunityScopedAdmin
from portal.core.confirm import admin_confirm_page, admin_confirmed
from portal.core.locks import refusing_locked
from portal.core.metrics import all_metrics
from portal.core.models import Community
from portal.core.requests import error_text
from portal.core.search import search_index_remove, search_index_update
from portal.core.uploads import validate_document
from portal.site.actions import appraisal_publish
from portal.site.assessment import assessment_snapshot_take
from portal.site.indicators import check_value
from portal.site.models import (
    Appraisal,
    AssessmentSnapshot,
    ContactPerson,
    Criterion,
    Facility,
    FacilityItem,
    Indicator,
    IndicatorEntry,
    ManualScore,
    Nomination,
    Notice,
    Rubric,
)
from portal.site.search_documents import notice_document


@admin.register(Notice)
class NoticeAdmin(CommunityScopedAdmin):
    list_display = ("title", "category", "community", "pinned", "publish_at", "expires_at", "published")
    list_filter = ("category", "pinned")
    list_select_related = ("community",)
    search_fields = ("title", "body")
    date_hierarchy = "publish_at"
    exclude = ("author", "created_at")

    @admin.display(boolean=True, description=_("published"))
    def published(self, obj: Notice) -> bool:
        return obj.is_published

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        if obj.is_published:
            search_index_update([notice_document(obj)])
        else:
            search_index_remove(kind="notice", object_ids=[obj.pk])


@admin.register(ContactPerson)
class ContactPersonAdmin(CommunityScopedAdmin):
    list_display = ("name", "kind", "phone", "community", "order")
    list_filter = ("kind",)
    list_select_related = ("community",)
    search_fields = ("name", "phone")
    autocomplete_fields = ("buildings",)


class NominationInline(admin.TabularInline):
    model = Nomination
    extra = 0
    fields = ("title", "household", "building", "photo_link", "status", "votes", "is_winner", "story")
    readonly_fields = ("photo_link", "votes", "is_winner")

    @admin.display(description=_("photo"))
    def photo_link(self, obj: Nomination) -> str:
        return file_link(obj.photo)

    autocomplete_fields = ("household", "building")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == Appraisal.Status.PUBLISHED:
            return [name for name in self.fields if name != "story"]  # the ballot is final; the winners' stories follow
        return self.readonly_fields

    def has_add_permission(self, request, obj=None):
        published = obj is not None and obj.status == Appraisal.Status.PUBLISHED
        return not published and super().has_add_permission(request, obj)  # no one joins a ballot that is over

    def has_delete_permission(self, request, obj=None):
        published = obj is not None and obj.status == Appraisal.Status.PUBLISHED
        return not published and super().has_delete_permission(request, obj)


@admin.register(Appraisal)
class AppraisalAdmin(CommunityScopedAdmin):
    list_display = ("title", "kind", "community", "status", "nominate_until", "vote_until")
    list_filter = ("kind", "status")
    list_select_related = ("community",)
    inlines = [NominationInline]
    actions = ["publish_results"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == Appraisal.Status.PUBLISHED:
            # Published by its action, with the winners: the result is final (never reopened, its number of winners
            # and dates never changed behind it); only the winners' stories follow, in the inline.
            return [field.name for field in Appraisal._meta.fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        published = obj is not None and obj.status == Appraisal.Status.PUBLISHED
        return not published and super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # "Delete selected" asks only for the model's delete permission: a published result among them refuses it.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(obj.status == Appraisal.Status.PUBLISHED for obj in objs):
            perms_needed = {*perms_needed, str(self.opts.verbose_name)}
        return deleted, counts, perms_needed, protected

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":  # results are published by the action below, which picks the winners
            kwargs["choices"] = [(s.value, s.label) for s in (Appraisal.Status.DRAFT, Appraisal.Status.OPEN)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.action(description=_("Close voting and publish the results"), permissions=["change"])
    def publish_results(self, request, queryset):
        if not admin_confirmed(request):
            return admin_confirm_page(
                self,
                request,
                queryset,
                title=_("Publish the results?"),
                what=_("Voting closes, the most-voted nominations win and the result is public; it is final."),
                button=_("Yes, publish the results"),
            )
        published = 0
        for appraisal in queryset:
            try:
                appraisal_publish(appraisal=appraisal, by=request.user)
            except ValidationError as exc:
                self.message_user(request, error_text(exc), level=messages.WARNING)
            else:
                published += 1
        if published:
            self.message_user(request, _("Results published."))


@admin.register(Facility)
class FacilityAdmin(CommunityScopedAdmin):
    list_display = ("name", "kind", "walk_minutes", "opening_hours", "community")
    list_filter = ("kind",)
    list_select_related = ("community",)
    search_fields = ("name", "address")
    autocomplete_fields = ("unit",)


# --- the district's 1000-point assessment (千分考核) ------------------------------------------------------------
def metric_choices():
    return [("", "—")] + [(key, str(metric.label)) for key, metric in sorted(all_metrics().items())]


class CriterionForm(forms.ModelForm):
    metric = forms.ChoiceField(label=_("metric"), choices=metric_choices, required=False)

    class Meta:
        model = Criterion
        fields = ("order", "name", "points", "kind", "metric", "target", "rule", "section")


class CriterionInline(admin.TabularInline):
    model = Criterion
    form = CriterionForm
    extra = 0
    fields = ("order", "name", "points", "kind", "metric", "target", "rule", "section")


@admin.register(Rubric)
class RubricAdmin(AuditedAdmin):
    list_display = ("year", "title", "criteria_total", "star1", "star3", "star5")
    inlines = [CriterionInline]
    actions = ["freeze_year"]

    @admin.display(description=_("points in the criteria"))
    def criteria_total(self, obj: Rubric) -> int:
        return sum(c.points for c in obj.criteria.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("criteria")

    @admin.action(description=_("Freeze the year's assessment (snapshot of every community)"))
    def freeze_year(self, request, queryset):
        ids = list(Community.objects.values_list("pk", flat=True))
        for rubric in queryset:
            try:
                assessment_snapshot_take(rubric=rubric, community_ids=ids, by=request.user)
            except ValidationError as exc:
                self.message_user(request, error_text(exc), level=messages.ERROR)
            else:
                self.message_user(request, _("Snapshot taken for %(year)s.") % {"year": rubric.year})


@admin.register(ManualScore)
class ManualScoreAdmin(AuditedAdmin):
    list_display = ("criterion", "community", "points", "reason", "scored_by", "scored_at")
    list_select_related = ("criterion", "community", "scored_by")
    list_filter = ("criterion__rubric",)
    exclude = ("scored_by", "scored_at")
    autocomplete_fields = ("community",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "criterion":
            kwargs["queryset"] = Criterion.objects.filter(kind=Criterion.Kind.MANUAL).select_related("rubric")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.scored_by = request.user
        super().save_model(request, obj, form, change)


class IndicatorEntryForm(forms.ModelForm):
    """The same checks as the staff page (portal.site.indicators): the value of the facilities is the number of
    items ticked; a count is whole; an evidence file is a PDF or an image."""

    items = forms.MultipleChoiceField(
        label=_("items in place"), choices=FacilityItem.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = IndicatorEntry
        fields = ("rubric", "community", "indicator", "value", "items", "note", "attachment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "value" in self.fields:
            self.fields["value"].required = False

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if isinstance(upload, UploadedFile):  # a new file (a stored one is a FieldFile)
            validate_document(upload)
        return upload

    def clean(self):
        data = super().clean()
        indicator = data.get("indicator")
        if indicator in Indicator.values:
            try:
                data["value"] = check_value(indicator, data.get("value"), data.get("items") or [])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
            else:
                self.instance.value = data["value"]
            if indicator != Indicator.FACILITIES:
                data["items"] = []
        return data


@admin.register(IndicatorEntry)
class IndicatorEntryAdmin(CommunityScopedAdmin):
    """Hand-entered indicators of the assessment (填报); final once the community's year is frozen."""

    form = refusing_locked(IndicatorEntryForm)
    list_display = ("indicator", "community", "rubric", "value", "entered_by", "entered_at")
    list_select_related = ("community", "rubric", "entered_by")
    list_filter = ("rubric", "indicator")
    readonly_fields = ("entered_by", "entered_at")

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        obj.entered_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(AssessmentSnapshot)
class AssessmentSnapshotAdmin(AuditedAdmin):
    list_display = ("rubric", "community", "total", "stars", "taken_at")
    list_select_related = ("rubric", "community")
    list_filter = ("rubric", "stars")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
