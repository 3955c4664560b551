"""Community scoping for Django admin (DESIGN.md rule 1): one mixin every community-bound ModelAdmin uses."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from portal.core import locks, pagecache
from portal.core.access import is_community_staff, scope_to_staff, sees_all_communities, works_one_grid
from portal.core.admin_disclosure import DisclosureMixin
from portal.core.admin_files import PrivateFilesAdminMixin
from portal.core.admin_forms import PortalActionForm
from portal.core.audit import audit

# Django's own message, translated in Django's catalogue (a constant, so that makemessages leaves it there).
ACTION_CHECKBOX_LABEL = "Select this object for an action - {}"


class AuditedAdmin(DisclosureMixin, PrivateFilesAdminMixin, admin.ModelAdmin):
    """Personal fields follow the disclosure table (DisclosureMixin: masked, read-only, not searchable for a role
    that may not see them in full).

    Every write through the admin is also an audit() row (who, what, which record; changed field names, never
    values): Django's own LogEntry is per-site history, the audit log is the one staff-write record of the portal.
    A private file's input links to its serving view (portal.core.admin_files).

    A final row (portal.core.locks) is never changed or deleted here: its change page is the read-only view, its
    inlines are read-only (no blank form, no delete box), a POST is a 403, a batch delete holding it is refused, and
    a form that would add a row under a final one is refused with a message.

    Each member of staff has their own copy of a list page (portal.core.pagecache.own_copy) until a model it shows
    changes: the model, the models its fields point to and those that point to it (one step), those on its
    `list_select_related` paths, and `list_depends` (what a display column reads further away); LIST_SECONDS at
    most. A model whose changes move no generation (the logs) has its list drawn afresh each time."""

    list_depends: tuple[str, ...] = ()
    LIST_SECONDS = 60

    def changelist_view(self, request, extra_context=None):
        def draw():
            response = super(AuditedAdmin, self).changelist_view(request, extra_context)
            if getattr(response, "context_data", None) is not None:
                self.changelist_context(request, response.context_data)
            return response

        if request.method != "GET":
            response = draw()
            pagecache.bump(self.model)  # an action may have written with update(), which sends no post_save
            return response
        if not pagecache.is_watched(self.model._meta.label):
            return draw()
        return pagecache.own_copy(request, self.changelist_depends(), self.LIST_SECONDS, draw)

    def changelist_context(self, request, context: dict) -> None:
        """Change the list page's context before it is drawn (and kept): a subclass's hook."""

    def changelist_depends(self) -> tuple[str, ...]:
        found = getattr(self, "_changelist_depends", None)
        if found is None:
            labels = {self.model._meta.label, *self.list_depends}
            for field in self.model._meta.get_fields():
                related = field.related_model if field.is_relation else None
                if related is not None and not related._meta.auto_created:
                    labels.add(related._meta.label)
            paths = self.list_select_related if isinstance(self.list_select_related, (list, tuple)) else ()
            for path in paths:  # and every model on the paths the list reads in its query (household__building)
                model = self.model
                for name in path.split("__"):
                    model = model._meta.get_field(name).related_model
                    labels.add(model._meta.label)
            found = self._changelist_depends = tuple(
                sorted(label for label in labels if pagecache.is_watched(label) and ".Historical" not in label)
            )
        return found

    def has_change_permission(self, request, obj=None):
        return not locks.is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not locks.is_locked(obj) and super().has_delete_permission(request, obj)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if locks.is_locked(obj):
            return [locks.read_only_inline(inline) for inline in inlines]
        return inlines

    def get_form(self, request, obj=None, change=False, **kwargs):
        return locks.refusing_locked(super().get_form(request, obj, change=change, **kwargs))

    def response_action(self, request, queryset):
        # Django filters the list by the ticked ids as given: a forged id that is not a key ("abc") would be a 500.
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                self.model._meta.pk.to_python(value)
        except ValidationError:
            self.message_user(request, gettext("No such records: nothing was changed."), level=messages.WARNING)
            return None
        return super().response_action(request, queryset)

    def get_deleted_objects(self, objs, request):
        # "Delete selected" asks only for the model's delete permission: a final row among them refuses the batch.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(locks.is_locked(obj) for obj in objs):
            perms_needed = {*perms_needed, str(self.opts.verbose_name)}
        return deleted, counts, perms_needed, protected

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        audit(actor=request.user, action="admin_add", obj=obj, summary=_fields_of(message))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        audit(actor=request.user, action="admin_change", obj=obj, summary=_fields_of(message))
        return entry

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit(actor=request.user, action="admin_delete", obj=obj, summary=str(obj)[:120])
        return super().log_deletions(request, queryset)


def scoped_choices(related: type[models.Model], user) -> models.QuerySet | None:
    """The rows of `related` a member of staff may pick: through its ScopedQuerySet (a meeting by its council's
    community) or its own community field; None when the model belongs to no community (categories …)."""
    queryset = related._default_manager.all()
    if hasattr(queryset, "for_staff"):
        return queryset.for_staff(user)
    if _has_field(related, "community"):
        return scope_to_staff(queryset, user)
    return None


def _fields_of(message) -> str:
    """The names of the fields an admin change touched (Django's change message, without any value)."""
    if isinstance(message, list):
        names = [name for part in message for change in part.values() for name in change.get("fields", ())]
        return ", ".join(str(name) for name in names)
    return str(message)[:300]


class CommunityScopedAdmin(AuditedAdmin):
    """Staff see, pick and change only their own community's rows; another community's row is a 404.

    `community_path` is the lookup from the model to its community ("community", "household__community" …).
    Foreign-key choices are narrowed the same way when the related model has a community.
    """

    community_path = "community"
    action_form = PortalActionForm

    def get_queryset(self, request):
        return scope_to_staff(super().get_queryset(request), request.user, self.community_path)

    # A district administrator's lists hold every community's rows: the community is their first filter (the
    # filters on counters, buildings, staff … then offer that community's rows: CommunityRelatedFieldListFilter)
    # and, where the rows belong to a community directly, a column. Community staff have only one community.
    def _by_community(self, request) -> bool:
        return self.community_path.endswith("community") and sees_all_communities(request.user)

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if self._by_community(request):
            filters.insert(0, (self.community_path, CommunityListFilter))
        return filters

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if self._by_community(request) and self.community_path == "community" and "community" not in columns:
            columns.append("community")
        return columns

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if self.community_path == "community" and not sees_all_communities(request.user) and request.user.community_id:
            initial.setdefault("community", request.user.community_id)
        return initial

    def get_list_select_related(self, request):
        related = super().get_list_select_related(request)
        if self._by_community(request) and self.community_path == "community" and isinstance(related, (list, tuple)):
            return [*related, "community"] if "community" not in related else related
        return related

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history falls back to the history rows of a record the queryset does not hold: scope first.
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reached only through django-simple-history's URLs (the revert form): the same scope as the change page.
        current = self._in_scope_or_404(request, object_id)
        if not self.has_change_permission(request, current):
            # The version shown is an older one (not final itself): reverting to it would rewrite the record as it
            # stands now, which may not be changed (approved minutes, a resolution).
            if request.method == "POST":
                raise PermissionDenied
            extra_context = {**(extra_context or {}), "revert_disabled": True, "has_change_permission": False}
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _in_scope_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index with "doesn't exist"; another community's record simply does not exist.
        raise Http404

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if not sees_all_communities(request.user):
            if related._meta.label == "portal.Community":
                kwargs["queryset"] = related._default_manager.filter(pk=request.user.community_id)
            else:
                choices = scoped_choices(related, request.user)
                if choices is not None:
                    kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = None if sees_all_communities(request.user) else scoped_choices(db_field.related_model, request.user)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete requests come here too: keep them inside the community.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return scope_to_staff(queryset, request.user, self.community_path), may_have_duplicates

    def action_checkbox(self, obj):
        # Django's markup, without rendering a CheckboxInput through the form templates for every row
        # (about 0.15 ms a row: 7 ms for a page of 50).
        # As format_html would build it (the translated label is the format, the object's name escaped), with
        # one format instead of two: it runs for every row of every list.
        label = gettext(ACTION_CHECKBOX_LABEL).format(escape(str(obj)))
        return mark_safe(  # noqa: S308 - the values are escaped here
            f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" value="{escape(str(obj.pk))}"'
            f' class="action-select" aria-label="{label}">'
        )

    def save_model(self, request, obj, form, change):
        if (
            not change
            and self.community_path == "community"
            and not sees_all_communities(request.user)
            and hasattr(obj, "community_id")
        ):
            obj.community_id = request.user.community_id
        super().save_model(request, obj, form, change)


def chosen_community(request, model_admin) -> int | None:
    """The community a district administrator's list is narrowed to (CommunityListFilter), or None."""
    value = request.GET.get(f"{model_admin.community_path}__id__exact", "")
    return int(value) if value.isdecimal() else None


class SelectWhenLongMixin:
    """A filter drawn as a drop-down once it has more than `select_from` choices (a city's 116 communities, a
    community's 130 buildings), as links below that (templates/admin/filter_select.html)."""

    template = "admin/filter_select.html"
    select_from = 12


class CommunityListFilter(SelectWhenLongMixin, admin.RelatedFieldListFilter):
    """A district administrator's filter by community: the district's communities, read once for every list."""

    def field_choices(self, field, request, model_admin):
        related = field.related_model

        def choices():
            return [(row.pk, str(row)) for row in related._default_manager.order_by("name")]

        return pagecache.remember(f"admin-communities:{get_language()}", (related._meta.label,), choices, 300)


class CommunityRelatedFieldListFilter(SelectWhenLongMixin, admin.RelatedFieldListFilter):
    """A filter on a related model that offers its rows in the staff member's own community (every community's
    to a district administrator), found by an index lookup on the related table.

    RelatedOnlyFieldListFilter offers the rows that occur in the list, found by a DISTINCT over every row of the
    list joined up to the related table: for the residents' filter by building, the whole community's register
    on every page view. The rows are the same but for one the list does not reach yet (a new building, still
    without residents), which may be chosen and shows an empty list.
    """

    def field_choices(self, field, request, model_admin):
        related = field.related_model
        if not _has_field(related, "community"):
            raise TypeError(f"{related._meta.label} has no community: use RelatedOnlyFieldListFilter")
        ordering = self.field_admin_ordering(field, request, model_admin)
        scope = staff_scope(request.user)
        community = None
        if scope == "all":
            # Every community's counters or buildings would be hundreds of links on every page of a district
            # administrator's list: theirs are the rows of the community chosen first. With none chosen the filter
            # stays hidden, unless a row is already chosen (a saved link), which it then shows so it can be cleared.
            community = chosen_community(request, model_admin)
            if community is None:
                chosen = (self.lookup_val or [""])[-1]
                if not chosen.isdecimal():
                    return []
                value = field.remote_field.get_related_field().attname
                return [(getattr(row, value), str(row)) for row in related._default_manager.filter(pk=int(chosen))]
            scope = f"all:{community}"

        def choices():
            rows = scope_to_staff(related._default_manager.all(), request.user)
            if community is not None:
                rows = rows.filter(community_id=community)
            if ordering:
                rows = rows.order_by(*ordering)
            # The pairs Field.get_choices() makes, from one query on the related table.
            value = field.remote_field.get_related_field().attname
            return [(getattr(row, value), str(row)) for row in rows]

        # Kept until a row of the related table changes (a minute at most: labels may name other rows).
        key = f"admin-choices:{related._meta.label_lower}:{scope}:{get_language()}:{ordering}"
        return pagecache.remember(key, (related._meta.label,), choices, 60)

    def has_output(self):
        return bool(self.lookup_choices)


def staff_scope(user) -> str:
    """Whose rows `scope_to_staff` leaves this user: a key part for anything cached from them."""
    if sees_all_communities(user):
        return "all"
    if works_one_grid(user):
        return f"{user.community_id}:grid-of-{user.pk}"  # narrower than the community: a key of its own
    return str(user.community_id) if is_community_staff(user) else "none"


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


class ReadOnlyAdmin(CommunityScopedAdmin):
    """Records written only by their actions (logs, moderated content): listed and read here, never changed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
