"""The spreadsheet side of the register's Excel import and export: the fixed Chinese column headers the community
offices already use, the cell widgets (text, ID number, yes/no, dates, labels) and the building lookup.

The headers are fixed strings rather than translated text: a file must import the same whatever language the
admin is shown in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.results import Error

from portal.core.models import Community
from residents.idcard import normalize_id_number
from residents.models import Building, Resident

# Column headers.
NUMBER = "户号"
AREA = "小区"
BUILDING = "楼院"
UNIT = "单元"
ROOM = "门牌"
PHONE = "电话"
NAME = "姓名"
SEX = "性别"
BIRTH_DATE = "出生日期"
ID_NUMBER = "身份证号"
RELATION = "与户主关系"
LIVES_ALONE = "独居"
VETERAN = "老荣军"
FLOATING = "流动人口"
RETIREE = "退休"
DISABLED = "残疾"
LOW_INCOME = "低保"
MOVED_IN = "迁入日期"

SEX_LABELS = {"M": "男", "F": "女"}
RELATION_LABELS = {
    Resident.Relation.HEAD: "户主",
    Resident.Relation.SPOUSE: "配偶",
    Resident.Relation.CHILD: "子女",
    Resident.Relation.PARENT: "父母",
    Resident.Relation.OTHER: "其他",
}
RELATION_ALIASES = {
    "本人": "head",
    "妻": "spouse",
    "夫": "spouse",
    "子": "child",
    "女": "child",
    "父": "parent",
    "母": "parent",
}
YES = {"是", "1", "y", "yes", "true", "√", "✓", "有"}
NO = {"否", "0", "n", "no", "false", "×", "无", ""}

BATCH_SIZE = 1000


def cell_text(value: Any) -> str:
    """A cell as text: Excel stores 101 and 13812345678 as numbers, and blank cells as None."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).strip()


def is_blank(row: dict) -> bool:
    return all(cell_text(v) == "" for v in row.values())


def spreadsheet_row(number: int) -> int:
    """The row the user sees in Excel: data row 1 sits under the header row."""
    return number + 1


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class IdNumberWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float):
            # 18 digits do not fit in a spreadsheet number: the last digits are already gone.
            raise ValueError(_("The ID number was stored as a number and lost digits; format the column as text."))
        return normalize_id_number(cell_text(value))


class LabelWidget(widgets.Widget):
    """A choice written as its Chinese label (男/女, 户主/配偶 …)."""

    def __init__(self, labels: dict[str, str], aliases: dict[str, str] | None = None):
        super().__init__()
        self.labels = labels
        self.values = {label: value for value, label in labels.items()} | dict(aliases or {})
        self.values |= {value: value for value in labels}  # the stored codes are accepted too

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return ""
        try:
            return self.values[text]
        except KeyError:
            raise ValueError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": text, "choices": "、".join(self.labels.values())}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = cell_text(value).lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(_("Write 是 or 否 (or leave the cell empty), not “%(value)s”.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class DateCellWidget(widgets.Widget):
    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = cell_text(value)
        if not text:
            return None
        for fmt in self.FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date; write dates like 1960-05-17.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class ImportProblem(Error):
    """An import error as the messages a user can act on (no tracebacks on the page)."""

    @property
    def messages(self) -> list[str]:
        if isinstance(self.error, ValidationError):
            return self.error.messages
        return [str(self.error)]


class BuildingIndex:
    """The community's buildings, loaded once, found by (area, building) name or by a unique building name."""

    def __init__(self, community: Community):
        self.by_pair: dict[tuple[str, str], Building] = {}
        self.by_name: dict[str, list[Building]] = defaultdict(list)
        for building in Building.objects.filter(community=community).select_related("area"):
            self.by_pair[(building.area.name, building.name)] = building
            self.by_name[building.name].append(building)

    def find(self, area: str, name: str) -> Building:
        if not name:
            raise ValidationError({BUILDING: _("Fill in the building or courtyard.")})
        if area:
            building = self.by_pair.get((area, name))
            if building is None:
                raise ValidationError(
                    {
                        BUILDING: _("There is no building “%(building)s” in area “%(area)s” of this community.")
                        % {"building": name, "area": area}
                    }
                )
            return building
        candidates = self.by_name.get(name, [])
        if not candidates:
            raise ValidationError(
                {BUILDING: _("There is no building “%(building)s” in this community.") % {"building": name}}
            )
        if len(candidates) > 1:
            raise ValidationError(
                {AREA: _("Several areas have a building “%(building)s”; fill in the area.") % {"building": name}}
            )
        return candidates[0]


def address_of(row: dict) -> tuple[str, str, str, str]:
    return tuple(cell_text(row.get(col)) for col in (AREA, BUILDING, UNIT, ROOM))
