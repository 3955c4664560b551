"""Least privilege by field, proven over the model registry and the admin registry (portal/core/disclosure.py).

- Every model field whose name looks personal is declared in the disclosure table (with its kind, or None and a
  reason): a new undeclared personal field fails.
- Every admin list (plain and searched), change page and export, as every staff role of community A (and the
  district), shows no personal value in full beyond what the table grants the role. The values looked for are the
  seeded ones (every phone and ID number of the register, users and party members) and a marked resident's.
- An export with personal columns in full leaves SensitiveAccessLog rows, one per person; without, none.
"""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from portal.core import disclosure
from portal.core.disclosure import FIELDS, PERSONAL_NAME, Kind
from tests.security.conftest import module_changes

PROJECT_APPS = {"portal", "residents", "services", "volunteers", "councils", "site"}
ROLES = ["hall_a", "health_a", "culture_a", "council_sec_a", "branch_sec_a", "director_a", "volunteer_a", "district"]
MARK_NAME = "甄测试"
BIRTH = "1931-02-27"
BIRTH_FORMS = ("1931-02-27", "1931年2月27日", "1931/02/27", "Feb. 27, 1931", "27/02/1931")
ROOM = "M9876"
REGISTERED_ADDRESS = "甄测试路九十九号院七号楼五零一室"
PHONE_RE = re.compile(r"(?<!\d)1\d{10}(?!\d)")
ID_RE = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")


# --- (a) the table covers every personal-looking field ---------------------------------------------------------
def _project_fields():
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy:
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.concrete_fields:
                yield model, field


def test_every_personal_looking_field_is_declared_in_the_disclosure_table():
    pattern = re.compile(PERSONAL_NAME)
    missing = [
        f"{model._meta.label}.{field.name}"
        for model, field in _project_fields()
        if pattern.search(field.name) and f"{model._meta.label}.{field.name}" not in FIELDS
    ]
    assert not missing, f"declare these in portal/core/disclosure.py FIELDS (a kind, or None and why): {missing}"


def test_every_entry_of_the_table_names_a_real_field_and_kind():
    real = {f"{model._meta.label}.{field.name}" for model, field in _project_fields()}
    assert set(FIELDS) <= real, set(FIELDS) - real
    assert all(kind is None or isinstance(kind, Kind) for kind in FIELDS.values())


# --- the seeded world, with one marked person -------------------------------------------------------------------
@pytest.fixture(scope="module")
def marked(world, django_db_blocker):
    """Resident A with values found nowhere else, until the module ends."""
    from portal.core.models import User
    from residents.idcard import make_id_number
    from residents.models import Household, PartyMember, Resident

    with module_changes(django_db_blocker):
        resident = world.objects.resident_a
        assert not Resident.objects.filter(birth_date=BIRTH).exclude(pk=resident.pk).exists()
        import datetime as dt

        born = dt.date.fromisoformat(BIRTH)
        number = make_id_number("130902", born, 987, resident.sex or "M")
        Resident.objects.filter(pk=resident.pk).update(
            name=MARK_NAME, birth_date=born, id_number=number, phone="13987650001", is_low_income=True
        )
        Household.objects.filter(pk=resident.household_id).update(phone="13987650002", room=ROOM)
        User.objects.filter(pk=resident.user_id).update(
            name=MARK_NAME, phone="13987650003", registered_address=REGISTERED_ADDRESS
        )
        member = PartyMember.objects.filter(community=world.a).order_by("pk").first()
        PartyMember.objects.filter(pk=member.pk).update(name=MARK_NAME, phone="13987650004", resident=resident)
        yield Resident.objects.get(pk=resident.pk)


def _public_phones() -> set[str]:
    """Numbers the table declares not personal (offices, contact boards): shown to everyone on purpose."""
    found: set[str] = set()
    for key, kind in FIELDS.items():
        app_model, name = key.rsplit(".", 1)
        if kind is None and "phone" in name:
            found |= set(apps.get_model(app_model)._default_manager.values_list(name, flat=True))
    return found


@pytest.fixture(scope="module")
def secrets(world, marked):
    """What must not appear in full: every personal phone and ID number of the seed, and the marked values."""
    from portal.core.models import User
    from residents.models import Household, PartyMember, Resident

    phones = set()
    for model in (Resident, Household, PartyMember, User):
        phones |= set(model.objects.exclude(phone="").values_list("phone", flat=True))
    ids = set(Resident.objects.exclude(id_number="").values_list("id_number", flat=True))
    return {"phones": phones - _public_phones(), "ids": ids}


def leaks(user, text: str, secrets) -> list[str]:
    found = []
    if not disclosure.sees(user, Kind.PHONE):
        found += [f"phone {p}" for p in set(PHONE_RE.findall(text)) & secrets["phones"]]
    if not disclosure.sees(user, Kind.ID_NUMBER):
        found += [f"ID number {n}" for n in {n.upper() for n in ID_RE.findall(text)} & secrets["ids"]]
    if not disclosure.sees(user, Kind.BIRTH_DATE):
        found += [f"birth date {b}" for b in BIRTH_FORMS if b in text]
    if not disclosure.sees(user, Kind.ADDRESS):
        found += [f"address {a}" for a in (ROOM, REGISTERED_ADDRESS) if a in text]
    return found


def _client(world, who: str) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is the URL matrix's to report
    client.cookies["sessionid"] = world.cookies[who]
    return client


class _Request:
    def __init__(self, user):
        self.user = user
        self.GET = {}
        self.method = "GET"


def _admins():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _url(model, view: str, *args) -> str | None:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
    except NoReverseMatch:
        return None


def _marked_objects(world, marked) -> dict:
    from portal.core.models import PendingAccount, User
    from residents.models import Household, PartyMember, Resident

    return {
        Resident: [marked.pk],
        Household: [marked.household_id],
        User: [marked.user_id],
        PendingAccount: [marked.user_id],
        PartyMember: list(PartyMember.objects.filter(resident=marked).values_list("pk", flat=True)),
    }


# --- (b) every list, change page and export, as every staff role -----------------------------------------------
@pytest.mark.parametrize("who", ROLES)
@pytest.mark.sweep
def test_admin_pages_show_no_personal_value_beyond_the_table(world, db, marked, secrets, who):
    user = world.users[who]
    client = _client(world, who)
    objects = _marked_objects(world, marked)
    if not any(model_admin.has_view_permission(_Request(user)) for _model, model_admin in _admins()):
        # A role with no model in the admin (a volunteer team leader) has nothing there to show: it must not get in.
        index = client.get(reverse("admin:index"))
        assert index.status_code != 200 or not index.context["app_list"], f"{who} sees models in the admin"
        return
    problems = []
    pages = 0
    for model, model_admin in _admins():
        request = _Request(user)
        if not model_admin.has_view_permission(request):
            continue
        changelist = _url(model, "changelist")
        urls = (
            [changelist, f"{changelist}?{urlencode({'q': MARK_NAME})}"] if model_admin.search_fields else [changelist]
        )
        pks = list(objects.get(model, []))
        first = model_admin.get_queryset(request).order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            pks.append(first)
        urls += [_url(model, "change", pk) for pk in dict.fromkeys(pks)]
        for url in urls:
            response = client.get(url)
            pages += 1
            if response.status_code != 200:
                continue  # a record outside the role's scope (404), a page that sends elsewhere
            text = response.content.decode()
            problems += [f"{url}: {leak}" for leak in leaks(user, text, secrets)]
            if model is type(marked) and "/change/" in url and not disclosure.sees(user, Kind.ALLOWANCE):
                problems += [f"{url}: allowance status"] if "is_low_income" in text else []
    assert pages
    assert not problems, f"as {who}:\n" + "\n".join(problems[:40])


def _export_admins():
    return [(m, a) for m, a in _admins() if hasattr(a, "has_export_permission") and _url(m, "export")]


def _export_text(response) -> str:
    assert response.status_code == 200, response.status_code
    try:
        book = openpyxl.load_workbook(io.BytesIO(response.content))
    except (zipfile.BadZipFile, OSError):
        return response.content.decode()
    return " ".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.sweep
def test_exports_show_no_personal_value_beyond_the_table_and_are_logged(world, db, marked, secrets, who):
    from portal.core.models import SensitiveAccessLog

    user = world.users[who]
    client = _client(world, who)
    exported = 0
    for model, model_admin in _export_admins():
        if not model_admin.has_export_permission(_Request(user)):
            continue
        SensitiveAccessLog.objects.filter(actor=user).delete()
        response = client.post(_url(model, "export"), {"format": "0", "resource": "0"})
        text = _export_text(response)
        exported += 1
        if model is type(marked):
            assert MARK_NAME in text  # the marked person is in the file
        found = leaks(user, text, secrets)
        assert not found, f"export of {model._meta.label} as {who}: {len(found)} values in full, e.g. {found[:10]}"
        if model._meta.model_name == "resident" and not disclosure.sees(user, Kind.ALLOWANCE):
            assert "低保" not in text
        # (c) personal columns in full: one log row for the marked person; none in full: no row.
        resource = model_admin.get_export_resource_classes(_Request(user))[0](user=user)
        logged = SensitiveAccessLog.objects.filter(actor=user, subject=marked)
        if resource.full_kinds:
            entry = logged.get()
            assert entry.field == ", ".join(sorted(k.value for k in resource.full_kinds))
        else:
            assert not logged.exists()
    if who in ("hall_a", "culture_a", "director_a"):
        assert exported, f"{who} exports the register"
