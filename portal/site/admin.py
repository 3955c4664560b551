"""Django admin for the portal's own records: users, pending registrations and the (read-only) audit logs.

Staff of a community see only their community's users (CommunityScopedAdmin); a district administrator sees all.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from portal.core import roles
from portal.core.access import scope_to_staff, sees_all_communities
from portal.core.admin_scope import CommunityScopedAdmin, ReadOnlyAdmin
from portal.core.models import AuditLog, PendingAccount, SensitiveAccessLog, User, mask_phone, normalize_mobile
from residents.actions import account_link, account_link_check
from residents.models import PartyMember, Resident

admin.site.site_header = _("Community portal administration")
admin.site.site_title = _("Community portal")
admin.site.index_title = _("Administration")


class MaskedPhoneMixin:
    @admin.display(description=_("mobile number"), ordering="phone")
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


# --- users ------------------------------------------------------------------------------------------------------
def phone_field() -> forms.CharField:
    # Longer than 11 on input: "+86 139-1234-5678" is normalized first, then the model checks the 11 digits.
    return forms.CharField(label=User._meta.get_field("phone").verbose_name, max_length=20)


class PortalUserCreationForm(BaseUserCreationForm):
    phone = phone_field()

    class Meta:
        model = User
        fields = ("phone", "name", "community")

    def clean_phone(self):
        return normalize_mobile(self.cleaned_data["phone"])


class PortalUserChangeForm(UserChangeForm):
    phone = phone_field()

    class Meta:
        model = User
        fields = "__all__"

    def clean_phone(self):
        return normalize_mobile(self.cleaned_data["phone"])


@admin.register(User)
class UserAdmin(MaskedPhoneMixin, CommunityScopedAdmin, BaseUserAdmin):
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    list_display = ("name", "masked_phone", "community", "role_list", "is_staff", "is_active", "last_login")
    list_select_related = ("community",)
    list_filter = ("is_staff", "is_active", "groups")
    search_fields = ("name", "phone", "email")
    ordering = ("name", "id")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("phone", "password")}),
        (_("Personal info"), {"fields": ("name", "email", "community", "registered_address")}),
        (_("Roles"), {"fields": ("is_active", "is_staff", "groups")}),
        (_("Permissions"), {"fields": ("is_superuser", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("phone", "name", "community", "password1", "password2")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Only a superuser hands out superuser status or single permissions; everyone else works with roles.
        return [(name, opts) for name, opts in fieldsets if "is_superuser" not in opts["fields"]]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not sees_all_communities(request.user):
            kwargs["queryset"] = Group.objects.exclude(name=roles.DISTRICT_ADMIN)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("roles"))
    def role_list(self, obj):
        return "、".join(group.name for group in obj.groups.all())


# --- pending registrations --------------------------------------------------------------------------------------
def linkable_residents(user: User):
    """Residents `user` may link an account to: in their community, living here, without an account yet."""
    residents = Resident.objects.filter(user__isnull=True, moved_out_on__isnull=True)
    return scope_to_staff(residents, user).select_related("household__building__area")


class LinkableResidentsView(AutocompleteJsonView):
    """Autocomplete answers for the resident picker of a pending registration (community-scoped)."""

    def process_request(self, request):
        return request.GET.get("term", ""), self.admin_site.get_model_admin(Resident), None, "pk"

    def has_perm(self, request, obj=None):
        return request.user.has_perm("portal.link_account")

    def get_queryset(self):
        qs, may_have_duplicates = self.model_admin.get_search_results(
            self.request, linkable_residents(self.request.user), self.term
        )
        return qs.distinct() if may_have_duplicates else qs

    def serialize_result(self, obj, to_field_name):
        # Enough to tell two people of the same name apart; no ID number.
        return {
            "id": str(obj.pk),
            "text": f"{obj.name} · {obj.household.number} {obj.household.address} · {obj.birth_date:%Y}",
        }


class ResidentPicker(AutocompleteSelect):
    """The admin's select2 autocomplete, asking LinkableResidentsView instead of the generic endpoint."""

    def __init__(self, url_name: str, admin_site):
        # Any foreign key to Resident gives the widget the right target model; the answers come from our view.
        super().__init__(PartyMember._meta.get_field("resident"), admin_site)
        self.url_name_for_view = url_name

    def get_url(self):
        return reverse(self.url_name_for_view)


class AccountLinkForm(forms.ModelForm):
    resident = forms.ModelChoiceField(
        queryset=Resident.objects.none(),
        label=_("resident record"),
        help_text=_("Find the person by name, phone, household number or building."),
    )

    class Meta:
        model = PendingAccount
        fields = ()

    # Set by PendingAccountAdmin.get_form for the request at hand.
    by: User
    picker_url_name: str

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["resident"]
        field.widget = ResidentPicker(self.picker_url_name, admin.site)
        field.widget.is_required = field.required
        field.queryset = linkable_residents(self.by)  # also gives the widget its choices

    def clean(self):
        cleaned = super().clean()
        resident = cleaned.get("resident")
        if resident is not None:
            try:
                account_link_check(user=self.instance, resident=resident, by=self.by)
            except ValidationError as exc:
                self.add_error("resident", exc)
        return cleaned


@admin.register(PendingAccount)
class PendingAccountAdmin(MaskedPhoneMixin, CommunityScopedAdmin):
    """Self-registered accounts waiting for staff to find the person in the register and link them."""

    form = AccountLinkForm
    list_display = ("name", "masked_phone", "registered_address", "community", "date_joined")
    list_select_related = ("community",)
    search_fields = ("name", "phone", "registered_address")
    ordering = ("date_joined", "id")
    fields = ("name", "masked_phone", "registered_address", "community", "date_joined", "resident")
    readonly_fields = ("name", "masked_phone", "registered_address", "community", "date_joined")

    def get_queryset(self, request):
        pending = PendingAccount.objects.filter(
            groups__name=roles.RESIDENT, resident__isnull=True, is_staff=False, is_active=True
        )
        return scope_to_staff(pending, request.user, self.community_path)

    def get_urls(self):
        return [
            path(
                "residents/",
                self.admin_site.admin_view(LinkableResidentsView.as_view(admin_site=self.admin_site)),
                name="portal_pendingaccount_residents",
            ),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        picker = f"{self.admin_site.name}:portal_pendingaccount_residents"
        return type(form.__name__, (form,), {"by": request.user, "picker_url_name": picker})

    def has_module_permission(self, request):
        return request.user.has_perm("portal.link_account")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("portal.link_account")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("portal.link_account")

    def has_add_permission(self, request):
        return False  # residents register themselves

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            account_link(user=obj, resident=form.cleaned_data["resident"], by=request.user)
        except ValidationError as exc:
            # Someone else linked this person between the check and the save.
            request._account_link_error = exc

    def response_change(self, request, obj):
        error = getattr(request, "_account_link_error", None)
        if error is not None:
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.path)
        messages.success(request, _("The account of %(name)s is linked to the register.") % {"name": obj.name})
        return HttpResponseRedirect(reverse(f"{self.admin_site.name}:portal_pendingaccount_changelist"))

    def log_change(self, request, obj, message):
        if getattr(request, "_account_link_error", None) is None:
            super().log_change(request, obj, message)


# --- audit logs (read only) -------------------------------------------------------------------------------------
@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "community", "action", "object_type", "object_id", "summary")
    list_select_related = ("actor", "community")
    list_filter = ("action", "object_type")
    search_fields = ("action", "object_type", "object_id", "summary", "actor__name")
    date_hierarchy = "at"


@admin.register(SensitiveAccessLog)
class SensitiveAccessLogAdmin(ReadOnlyAdmin):
    community_path = "subject__community"
    list_display = ("at", "actor", "subject", "field", "purpose", "denied")
    list_select_related = ("actor", "subject")
    list_filter = ("field", "denied")
    search_fields = ("actor__name", "subject__name", "purpose")
    date_hierarchy = "at"


import portal.site.admin_content  # noqa: E402,F401 - notices and contact boards
