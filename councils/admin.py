"""Django admin for the councils, scoped to the staff's community. Minutes and resolutions keep their history;
approved minutes and resolutions are read-only here too (corrections are addenda and progress updates)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from councils import actions, models
from portal.core.admin_files import PrivateFilesAdminMixin
from portal.core.admin_scope import CommunityScopedAdmin, ReadOnlyAdmin
from portal.core.requests import form_errors


class MemberInline(admin.TabularInline):
    model = models.CouncilMember
    extra = 0
    fields = ["role", "name", "unit", "skill", "chosen_by", "term_start", "term_end", "user"]
    raw_id_fields = ["user", "party_member", "resident"]


@admin.register(models.Council)
class CouncilAdmin(CommunityScopedAdmin):
    list_display = ["name", "community", "kind", "convenor", "secretary", "meetings_per_year", "quorum_percent"]
    list_select_related = ["community", "convenor", "secretary"]
    list_filter = ["kind"]
    raw_id_fields = ["convenor", "secretary"]
    inlines = [MemberInline]


@admin.register(models.Nomination)
class NominationAdmin(CommunityScopedAdmin):
    community_path = "council__community"
    list_display = ["nominee", "council", "role", "method", "status", "votes"]
    list_select_related = ["council"]
    list_filter = ["method", "status"]
    raw_id_fields = ["resident"]
    # The election's result is recorded by councils.actions.election_record, never typed in; a nomination decided
    # by it is final (Nomination.is_locked). Here a pending nomination may only be withdrawn.
    readonly_fields = ["meeting", "votes", "member"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            kwargs["choices"] = [(s.value, s.label) for s in models.Nomination.UNDECIDED]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class AgendaInline(admin.TabularInline):
    model = models.AgendaItem
    extra = 0
    raw_id_fields = ["suggestion"]


class MeetingAdminForm(forms.ModelForm):
    """The time checks of the staff pages (councils.actions.meeting_time_check): a new, draft or scheduled meeting
    starts in the future, a held one in the past; the message stands next to the start."""

    def clean(self):
        data = super().clean()
        starts_at = data.get("starts_at")
        if starts_at is not None and (self.instance._state.adding or "starts_at" in self.changed_data):
            try:
                actions.meeting_time_check(meeting=self.instance, starts_at=starts_at)
            except ValidationError as exc:
                form_errors(self, exc)
        return data


@admin.register(models.Meeting)
class MeetingAdmin(CommunityScopedAdmin):
    community_path = "council__community"
    form = MeetingAdminForm
    list_display = ["title", "council", "kind", "starts_at", "status", "notice_sent_at"]
    list_select_related = ["council"]
    list_filter = ["kind", "status"]
    date_hierarchy = "starts_at"
    # Moved by the actions only (scheduling, notices, attendance, cancelling), each with its checks and notices.
    readonly_fields = ["status", "notice_sent_at", "members_count", "quorum_percent", "current_item"]
    inlines = [AgendaInline]


class AttachmentInline(PrivateFilesAdminMixin, admin.TabularInline):
    model = models.MinutesAttachment
    extra = 0
    fields = ["file", "caption", "uploaded_by", "created_at"]
    readonly_fields = ["uploaded_by", "created_at"]


class MinutesAdminForm(forms.ModelForm):
    """Minutes begin once their meeting has started, and never for a cancelled one, as on the secretary's page
    (councils.actions.minutes_may_begin); the message stands next to the meeting."""

    def clean(self):
        data = super().clean()
        meeting = data.get("meeting")
        if meeting is not None and self.instance._state.adding:
            try:
                actions.minutes_may_begin(meeting)
            except ValidationError as exc:
                form_errors(self, exc)
        return data


@admin.register(models.Minutes)
class MinutesAdmin(CommunityScopedAdmin, SimpleHistoryAdmin):
    community_path = "meeting__council__community"
    form = MinutesAdminForm
    list_display = ["meeting", "status", "submitted_at", "approved_at", "published_at"]
    list_select_related = ["meeting"]
    list_filter = ["status"]
    readonly_fields = ["status", "submitted_at", "approved_by", "approved_at", "published_at", "saved_at"]
    raw_id_fields = ["meeting", "recorded_by"]
    inlines = [AttachmentInline]

    def has_change_permission(self, request, obj=None):
        # Written in the minutes editor, where only a draft changes (councils.actions.minutes_save_draft): the same
        # here. Approved minutes are final (Minutes.is_locked); submitted ones wait for the convenor.
        if obj is not None and obj.status != models.Minutes.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "meeting"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            actions.minutes_items_fill(obj)  # one item per agenda item, as the secretary's page starts them


@admin.register(models.Resolution)
class ResolutionAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Numbered by the approval of the minutes; moved on only by progress updates (councils.actions)."""

    list_display = ["number", "title", "council", "executor", "deadline", "status"]
    list_select_related = ["council"]
    list_filter = ["status", "executor", "year"]
    search_fields = ["title"]
    raw_id_fields = ["minutes_item", "executor_unit"]


@admin.register(models.ResolutionProgress)
class ResolutionProgressAdmin(CommunityScopedAdmin):
    community_path = "resolution__community"
    list_display = ["resolution", "created_at", "completes"]
    list_select_related = ["resolution"]
    # Whether it completes the resolution moves the resolution's status: reported through the page only.
    readonly_fields = ["resolution", "completes", "recorded_by", "created_at"]

    def has_add_permission(self, request):
        return False  # reported on the resolution's page (councils.actions.resolution_progress_add)


@admin.register(models.Suggestion)
class SuggestionAdmin(CommunityScopedAdmin):
    list_display = ["tracking_number", "title", "category", "status", "supporters_count", "rating", "created_at"]
    list_filter = ["status", "category"]
    search_fields = ["tracking_number", "title"]
    raw_id_fields = ["proposer"]
    # The triage actions move the status and merge; the approval of the minutes links the resolution.
    readonly_fields = ["tracking_number", "status", "merged_into", "resolution", "supporters_count"]


@admin.register(models.Project)
class ProjectAdmin(CommunityScopedAdmin):
    community_path = "council__community"
    list_display = ["title", "council", "year"]
    list_select_related = ["council"]


@admin.register(models.ResourcePledge)
class ResourcePledgeAdmin(CommunityScopedAdmin):
    community_path = "council__community"
    list_display = ["description", "unit", "donor", "kind", "year", "pledged", "delivered"]
    list_select_related = ["unit"]
    list_filter = ["kind", "year"]


@admin.register(models.Comment)
class CommentAdmin(ReadOnlyAdmin):
    """Residents' comments, to find and read; moderation (hiding with a reason, which tells the author and closes the
    reports) is done on the site (councils.actions.comment_hide), so nothing is changed or deleted here."""

    list_display = ["__str__", "author", "created_at", "hidden_at", "suggestion", "resolution", "minutes"]
    list_select_related = ["author", "suggestion", "resolution", "minutes__meeting"]
    list_filter = ["hidden_at"]
    search_fields = ["text"]
    date_hierarchy = "created_at"
    raw_id_fields = ["suggestion", "resolution", "minutes", "parent", "author", "hidden_by"]
    readonly_fields = ["hide_link"]

    @admin.display(description=_("moderation"))
    def hide_link(self, obj):
        if obj.pk is None or obj.is_hidden:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("councils:comment_hide", args=[obj.pk]), pgettext_lazy("comment", "Hide")
        )


@admin.register(models.CommentReport)
class CommentReportAdmin(ReadOnlyAdmin):
    """Handled on the site (hide the comment, or dismiss its reports)."""

    community_path = "comment__community"
    list_display = ["comment", "reporter", "created_at", "handled_at", "handled_by"]
    list_select_related = ["comment", "reporter", "handled_by"]
    list_filter = ["handled_at"]
    raw_id_fields = ["comment", "reporter", "handled_by"]


class QuestionInline(admin.TabularInline):
    model = models.Question
    extra = 0
    fields = ["order", "kind", "text", "required", "show_if_option"]
    raw_id_fields = ["show_if_option"]
    show_change_link = True


@admin.register(models.Survey)
class SurveyAdmin(CommunityScopedAdmin):
    list_display = ["title", "community", "council", "status", "opens_at", "closes_at", "responses_count"]
    list_select_related = ["community", "council"]
    list_filter = ["status", "per_household"]
    search_fields = ["title"]
    raw_id_fields = ["suggestion", "agenda_item"]
    filter_horizontal = ["buildings"]
    # Opened, closed and published by councils.actions.surveys (with their checks and messages); the count is
    # kept by the answers themselves.
    readonly_fields = ["status", "published_at", "responses_count", "created_by", "created_at"]
    inlines = [QuestionInline]

    def get_readonly_fields(self, request, obj=None):
        # Once open, whom it asks and how it counts are fixed (answers were given under them); the end may move.
        if obj is not None and obj.status != models.Survey.Status.DRAFT:
            return [*self.readonly_fields, "council", "buildings", "per_household", "opens_at", "suggestion"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class OptionInline(admin.TabularInline):
    model = models.Option
    extra = 0
    fields = ["order", "text"]


@admin.register(models.Question)
class QuestionAdmin(CommunityScopedAdmin):
    community_path = "survey__community"
    list_display = ["text", "survey", "order", "kind", "required"]
    list_select_related = ["survey"]
    list_filter = ["kind"]
    raw_id_fields = ["survey", "show_if_option"]
    inlines = [OptionInline]
