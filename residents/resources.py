"""Excel import and export of households and residents (django-import-export + openpyxl).

Rules:
- The community comes from whoever imports (a district administrator picks one); the file never says where.
- A file goes in whole or not at all: every bad row is reported with its spreadsheet row number and the
  reason, and nothing is saved while any row is bad.
- Buildings, households and already-registered ID numbers are looked up once per file, not once per row;
  rows are saved in bulk. The number of queries does not grow with the number of rows.
- ID numbers, disability and allowance status are columns only for users who may read them.

The column headers are the file format the community offices already use, so they are fixed Chinese strings
rather than translated text: a file must import the same whatever language the admin is shown in.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.results import RowResult

from portal.core import disclosure, pagecache
from portal.core.audit import audit
from portal.core.models import Community
from residents.idcard import birth_date_of, normalize_id_number, sex_of, validate_id_number
from residents.models import Building, Household, Resident
from residents.spreadsheet import (
    AREA,
    BATCH_SIZE,
    BIRTH_DATE,
    BUILDING,
    DISABLED,
    FLOATING,
    ID_NUMBER,
    LIVES_ALONE,
    LOW_INCOME,
    MOVED_IN,
    NAME,
    NUMBER,
    PHONE,
    RELATION,
    RELATION_ALIASES,
    RELATION_LABELS,
    RETIREE,
    ROOM,
    SEX,
    SEX_LABELS,
    UNIT,
    VETERAN,
    BuildingIndex,
    DateCellWidget,
    IdNumberWidget,
    ImportProblem,
    LabelWidget,
    TextWidget,
    YesNoWidget,
    address_of,
    cell_text,
    is_blank,
    spreadsheet_row,
)


class RegisterResource(resources.ModelResource):
    """What household and resident files share: the importing community, sensitive columns, row errors."""

    SENSITIVE: tuple[str, ...] = ()
    REQUIRED_COLUMNS: tuple[str, ...] = ()
    EXPORT_SELECT_RELATED: tuple[str, ...] = ()
    # Model fields that are filled from the plan rather than from a column of their own.
    PLANNED_COLUMNS = {"household": NUMBER, "building": BUILDING}
    # Columns filled by a dehydrate method: the field they show, for the disclosure table.
    COLUMN_PATHS: dict[str, str] = {}

    @classmethod
    def get_error_result_class(cls):
        return ImportProblem

    def __init__(self, community: Community | None = None, user=None, sensitive: bool = False, **kwargs):
        """Columns follow the disclosure table for `user` (portal/core/disclosure.py): sensitive ones are left out,
        other personal ones masked. Without a user, `sensitive` says whether every column is shown in full."""
        super().__init__(**kwargs)
        self.community = community

        def sees(kind) -> bool:
            return disclosure.sees(user, kind) if user is not None else sensitive

        model = self._meta.model
        for name in self.SENSITIVE:
            if not sees(disclosure.kind_of(model, name)):
                self.fields.pop(name, None)
        self.sensitive = all(name in self.fields for name in self.SENSITIVE)
        self.masked: dict[str, disclosure.Kind] = {}
        self.full_kinds: set[disclosure.Kind] = set()
        for name, field in self.fields.items():
            kind = disclosure.kind_of_path(model, self.COLUMN_PATHS.get(name, field.attribute or name))
            if kind is not None and sees(kind):
                self.full_kinds.add(kind)
            elif kind is not None:
                self.masked[name] = kind
        self.row_errors: dict[int, dict[str, list[str]]] = defaultdict(dict)
        self.aborted = False

    # --- export ---------------------------------------------------------------------------------
    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        kind = self.masked.get(self.get_field_name(field))
        return disclosure.mask(kind, value) if kind else value

    def export(self, queryset=None, **kwargs):
        if queryset is not None:
            queryset = queryset.select_related(*self.EXPORT_SELECT_RELATED)
        return super().export(queryset=queryset, **kwargs)

    # --- import ---------------------------------------------------------------------------------
    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        # All or nothing for every caller, not only the admin: one bad row rolls back the whole file.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run, raise_errors, use_transactions, **kwargs)

    def column_of(self, attribute: str) -> str:
        for field in self.fields.values():
            if field.attribute == attribute:
                return field.column_name
        return self.PLANNED_COLUMNS.get(attribute, attribute)

    def add_row_error(self, number: int, column: str, message: str) -> None:
        self.row_errors[number].setdefault(column, []).append(message)

    def before_import(self, dataset, **kwargs):
        dataset.headers = [cell_text(h) for h in dataset.headers or []]
        if self.community is None:
            self.aborted = True
            raise ValidationError(_("Choose the community to import into."))
        headers = set(dataset.headers)
        problems = []
        missing = [col for col in self.REQUIRED_COLUMNS if col not in headers]
        if missing:
            problems.append(_("The file has no column %(columns)s.") % {"columns": "、".join(missing)})
        if not self.sensitive:
            hidden = [f.column_name for f in type(self).fields.values() if f.column_name in headers]
            hidden = [col for col in hidden if col not in {f.column_name for f in self.fields.values()}]
            if hidden:
                problems.append(
                    _("You may not import the columns %(columns)s; remove them from the file.")
                    % {"columns": "、".join(hidden)}
                )
        if problems:
            self.aborted = True
            raise ValidationError(problems)
        rows = [dict(zip(dataset.headers, values, strict=False)) for values in dataset]
        self.plan(rows)

    def plan(self, rows: list[dict]) -> None:
        """Look up (and create) what the rows refer to, once for the whole file; note each row's problems."""

    def import_row(self, row, instance_loader, **kwargs):
        if self.aborted or is_blank(row):
            # After a file-level error the rows are not looked at; blank lines (Excel leaves them) are skipped.
            result = self.get_row_result_class()()
            result.import_type = RowResult.IMPORT_TYPE_SKIP
            return result
        return super().import_row(row, instance_loader, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        instance.community = self.community
        self.complete_instance(instance, row, kwargs["row_number"])
        for column, messages in self.row_errors.get(kwargs["row_number"], {}).items():
            errors.setdefault(column, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def complete_instance(self, instance, row: dict, number: int) -> None:
        """Fill in what the plan found for this row (its building or household)."""

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run") and self.community is not None:
            # Rolled back with the rows if the file turns out bad; counts and file type only, never contents.
            audit(
                actor=kwargs.get("user"),
                action=f"import_{self._meta.name}",
                obj=self.community,
                community_id=self.community.pk,
                summary=f"{result.totals[RowResult.IMPORT_TYPE_NEW]} {self._meta.name} imported",
            )
            # Rows were written in bulk, without signals: retire what is cached from the register now.
            for model in (self._meta.model, Household):
                pagecache.bump(model)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        # Relations were set from the plan (no per-row existence queries); uniqueness was checked for the
        # whole file at once, so the per-row unique and constraint queries are skipped too.
        exclude = {*errors, "community", "household", "building", "user"}
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            # Report by the column the user sees, not by the model's field name.
            by_column: dict[str, list] = defaultdict(list)
            for key, messages in errors.items():
                column = NON_FIELD_ERRORS if key == NON_FIELD_ERRORS else self.column_of(key)
                by_column[column].extend(messages)
            raise ValidationError(dict(by_column))


class HouseholdResource(RegisterResource):
    """Households: 户号, 小区, 楼院, 单元, 门牌, 电话."""

    number = fields.Field(attribute="number", column_name=NUMBER, widget=TextWidget())
    area = fields.Field(column_name=AREA, widget=TextWidget())
    building = fields.Field(column_name=BUILDING, widget=TextWidget())
    unit = fields.Field(attribute="unit", column_name=UNIT, widget=TextWidget())
    room = fields.Field(attribute="room", column_name=ROOM, widget=TextWidget())
    phone = fields.Field(attribute="phone", column_name=PHONE, widget=TextWidget())

    REQUIRED_COLUMNS = (NUMBER, BUILDING)
    EXPORT_SELECT_RELATED = ("building__area",)

    class Meta:
        model = Household
        name = "households"
        fields = ("number", "area", "building", "unit", "room", "phone")
        use_bulk = True
        batch_size = BATCH_SIZE
        force_init_instance = True  # import adds households; changes go through the change form
        skip_diff = True
        use_transactions = True

    def dehydrate_area(self, household):
        return household.building.area.name

    def dehydrate_building(self, household):
        return household.building.name

    def plan(self, rows):
        index = BuildingIndex(self.community)
        numbers = [cell_text(row.get(NUMBER)) for row in rows]
        existing = set(
            Household.objects.filter(community=self.community, number__in={n for n in numbers if n}).values_list(
                "number", flat=True
            )
        )
        first_row: dict[str, int] = {}
        self.buildings: dict[int, Building] = {}
        for number, (hh_number, row) in enumerate(zip(numbers, rows, strict=True), 1):
            if is_blank(row):
                continue
            if not hh_number:
                self.add_row_error(number, NUMBER, _("Fill in the household number."))
            elif hh_number in existing:
                self.add_row_error(
                    number,
                    NUMBER,
                    _("Household number %(number)s already exists in this community.") % {"number": hh_number},
                )
            elif hh_number in first_row:
                self.add_row_error(
                    number,
                    NUMBER,
                    _("Household number %(number)s is also in row %(row)s of this file.")
                    % {"number": hh_number, "row": spreadsheet_row(first_row[hh_number])},
                )
            else:
                first_row[hh_number] = number
            area, building, _unit, _room = address_of(row)
            try:
                self.buildings[number] = index.find(area, building)
            except ValidationError as exc:
                for column, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_row_error(number, column, message)

    def complete_instance(self, instance, row, number):
        building = self.buildings.get(number)
        if building is not None:
            instance.building = building


class ResidentResource(RegisterResource):
    """Residents, one per row, with their household: new household numbers create the household."""

    household_number = fields.Field(column_name=NUMBER, widget=TextWidget())
    area = fields.Field(column_name=AREA, widget=TextWidget())
    building = fields.Field(column_name=BUILDING, widget=TextWidget())
    unit = fields.Field(column_name=UNIT, widget=TextWidget())
    room = fields.Field(column_name=ROOM, widget=TextWidget())
    name = fields.Field(attribute="name", column_name=NAME, widget=TextWidget())
    sex = fields.Field(attribute="sex", column_name=SEX, widget=LabelWidget(SEX_LABELS))
    birth_date = fields.Field(attribute="birth_date", column_name=BIRTH_DATE, widget=DateCellWidget())
    id_number = fields.Field(attribute="id_number", column_name=ID_NUMBER, widget=IdNumberWidget())
    phone = fields.Field(attribute="phone", column_name=PHONE, widget=TextWidget())
    relation = fields.Field(
        attribute="relation", column_name=RELATION, widget=LabelWidget(RELATION_LABELS, RELATION_ALIASES)
    )
    lives_alone = fields.Field(attribute="lives_alone", column_name=LIVES_ALONE, widget=YesNoWidget())
    is_veteran = fields.Field(attribute="is_veteran", column_name=VETERAN, widget=YesNoWidget())
    is_floating = fields.Field(attribute="is_floating", column_name=FLOATING, widget=YesNoWidget())
    is_retiree = fields.Field(attribute="is_retiree", column_name=RETIREE, widget=YesNoWidget())
    is_disabled = fields.Field(attribute="is_disabled", column_name=DISABLED, widget=YesNoWidget())
    is_low_income = fields.Field(attribute="is_low_income", column_name=LOW_INCOME, widget=YesNoWidget())
    moved_in_on = fields.Field(attribute="moved_in_on", column_name=MOVED_IN, widget=DateCellWidget())

    SENSITIVE = Resident.SENSITIVE_FIELDS
    COLUMN_PATHS = {"room": "household__room", "unit": "household__unit"}
    REQUIRED_COLUMNS = (NUMBER, NAME)
    EXPORT_SELECT_RELATED = ("household__building__area",)

    class Meta:
        model = Resident
        name = "residents"
        fields = (
            "household_number",
            "area",
            "building",
            "unit",
            "room",
            "name",
            "sex",
            "birth_date",
            "id_number",
            "phone",
            "relation",
            "lives_alone",
            "is_veteran",
            "is_floating",
            "is_retiree",
            "is_disabled",
            "is_low_income",
            "moved_in_on",
        )
        use_bulk = True
        batch_size = BATCH_SIZE
        force_init_instance = True  # import adds people; changes go through the change form
        skip_diff = True
        use_transactions = True

    def dehydrate_household_number(self, resident):
        return resident.household.number

    def dehydrate_area(self, resident):
        return resident.household.building.area.name

    def dehydrate_building(self, resident):
        return resident.household.building.name

    def dehydrate_unit(self, resident):
        return resident.household.unit

    def dehydrate_room(self, resident):
        return resident.household.room

    def plan(self, rows):
        self.households = self._plan_households(rows)
        if self.sensitive:
            self._check_id_numbers(rows)

    def _plan_households(self, rows: list[dict]) -> dict[int, Household]:
        """Each row's household: an existing one by number, or one new household per new number (created now)."""
        index = BuildingIndex(self.community)
        numbers = {cell_text(row.get(NUMBER)) for row in rows} - {""}
        known = {
            h.number: h
            for h in Household.objects.filter(community=self.community, number__in=numbers).select_related(
                "building__area"
            )
        }
        planned: dict[str, tuple[int, tuple, Household | None]] = {}  # number → (first row, address, household)
        new: list[Household] = []
        by_row: dict[int, Household] = {}
        for number, row in enumerate(rows, 1):
            if is_blank(row):
                continue
            hh_number = cell_text(row.get(NUMBER))
            address = address_of(row)
            if not hh_number:
                self.add_row_error(number, NUMBER, _("Fill in the household number."))
                continue
            if hh_number in known:
                household = known[hh_number]
                registered = (household.building.area.name, household.building.name, household.unit, household.room)
                if any(given and given != have for given, have in zip(address, registered, strict=True)):
                    self.add_row_error(
                        number,
                        NUMBER,
                        _("Household number %(number)s is already registered at another address (%(address)s).")
                        % {"number": hh_number, "address": household.address},
                    )
                else:
                    by_row[number] = household
                continue
            if hh_number in planned:
                first, first_address, household = planned[hh_number]
                if address != first_address and any(address):
                    self.add_row_error(
                        number,
                        NUMBER,
                        _("Household number %(number)s has another address in row %(row)s.")
                        % {"number": hh_number, "row": spreadsheet_row(first)},
                    )
                elif household is None:
                    self.add_row_error(
                        number, NUMBER, _("See row %(row)s for this household.") % {"row": spreadsheet_row(first)}
                    )
                else:
                    by_row[number] = household
                continue
            household = self._new_household(number, hh_number, address, index)
            planned[hh_number] = (number, address, household)
            if household is not None:
                new.append(household)
                by_row[number] = household
        # Inside the import's transaction: a dry run or any bad row rolls these back with everything else.
        Household.objects.bulk_create(new, batch_size=BATCH_SIZE)
        return by_row

    def _new_household(self, number: int, hh_number: str, address: tuple, index: BuildingIndex) -> Household | None:
        area, building_name, unit, room = address
        try:
            building = index.find(area, building_name)
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                for message in messages:
                    self.add_row_error(number, column, message)
            return None
        household = Household(community=self.community, building=building, number=hh_number, unit=unit, room=room)
        try:
            household.full_clean(exclude={"community", "building"}, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            columns = {"number": NUMBER, "unit": UNIT, "room": ROOM}
            for key, messages in exc.message_dict.items():
                for message in messages:
                    self.add_row_error(number, columns.get(key, BUILDING), message)
            return None
        return household

    def _check_id_numbers(self, rows: list[dict]) -> None:
        """ID numbers are unique in the whole register: one query for the file, and repeats within it."""
        ids = {number: normalize_id_number(cell_text(row.get(ID_NUMBER))) for number, row in enumerate(rows, 1)}
        ids = {number: value for number, value in ids.items() if value}
        registered = set()
        values = sorted(set(ids.values()))
        for start in range(0, len(values), 5000):
            # The empty number excluded in so many words, as the unique index's condition reads: PostgreSQL does
            # not prove it from more than 100 values, and the query would read the whole register instead.
            found = Resident.objects.filter(id_number__in=values[start : start + 5000]).exclude(id_number="")
            registered |= set(found.values_list("id_number", flat=True))
        counts = Counter(ids.values())
        rows_of: dict[str, list[int]] = defaultdict(list)
        for number, value in ids.items():
            rows_of[value].append(number)
        for number, value in ids.items():
            if value in registered:
                self.add_row_error(number, ID_NUMBER, _("This ID number is already in the register."))
            elif counts[value] > 1:
                others = ", ".join(str(spreadsheet_row(n)) for n in rows_of[value] if n != number)
                self.add_row_error(
                    number, ID_NUMBER, _("This ID number is also in row %(rows)s of this file.") % {"rows": others}
                )

    def complete_instance(self, instance, row, number):
        household = self.households.get(number)
        if household is not None:
            instance.household = household
        # An empty sex or date of birth is read from a valid ID number.
        if instance.id_number:
            try:
                validate_id_number(instance.id_number)
            except ValidationError:
                return  # reported by the field's validator
            if not instance.sex:
                instance.sex = sex_of(instance.id_number)
            if not instance.birth_date:
                instance.birth_date = birth_date_of(instance.id_number)
