"""Demo register for seed_demo (see portal/seeding.py): the district, its communities, areas, buildings,
households, residents with their tags, stationed units and the party organisation.

Community 0 is 南环东路社区 with DOMAIN.md's numbers (3,748 households, 8,430 residents, 5 branches, 16 party
groups, 100 self-managed and 826 stationed party members in 16 units) and the source's estates as its five areas
(县公安局小区, 文教小区, 单位型小区, 不成型小区, 平房居住区 of single-storey courtyards); the others are generated with similar
sizes. One community at a time is planned in memory (pure Python, no queries), then bulk-inserted.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from portal.core.bulk import bulk_insert
from portal.core.models import Community, District
from portal.core.seeding import (
    BATCH_SIZE,
    Seeder,
    birth_date_for_age,
    mobile_number,
    person_name,
    split_evenly,
    surname,
    years_before,
)
from residents.idcard import make_id_number
from residents.models import (
    ELDERLY_AGE,
    Area,
    Branch,
    Building,
    GeneralBranch,
    Household,
    PartyGroup,
    PartyMember,
    Resident,
    StationedUnit,
)
from residents.seed_accounts import seed_district_admin, seed_staff, user_counts
from residents.seed_grids import grid_counts, seed_grids

REGION = "130902"  # 沧州市新华区: the region code of every demo ID number
DISTRICT_NAME = "新华区"
SELF_MANAGED_SHARES = {  # categories of the 100 self-managed members (自管党员) of the demo community
    PartyMember.Category.RETIRED: 52,
    PartyMember.Category.LAID_OFF: 14,
    PartyMember.Category.VETERAN: 12,
    PartyMember.Category.FLOATING: 14,
    PartyMember.Category.STUDENT: 8,
}
SPECIALITIES = (
    "水电维修", "家电维修", "理发", "书法", "绘画", "声乐", "器乐", "医疗护理", "法律咨询", "心理疏导",
    "电脑维修", "摄影", "太极拳", "烹饪", "英语辅导", "财会", "中医推拿", "戏曲",
)  # fmt: skip
CHINESE_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class CommunitySpec:
    """The shape of one community: DOMAIN.md's numbers for the demo one, similar generated ones for the rest."""

    name: str
    slug: str
    area_km2: Decimal
    boundaries: tuple[str, str, str, str]  # east, west, south, north
    households: int
    residents: int
    area_names: tuple[str, ...]
    groups_per_area: tuple[int, ...]
    self_managed: int
    stationed: int
    units: tuple[tuple[str, str, int], ...]  # name, party organisation, relative size
    veterans: int
    courtyard_areas: tuple[int, ...] = ()  # areas of single-storey courtyards only (平房居住区)
    min_retirees: int = 0
    address: str = ""
    introduction: str = ""
    index: int = 0  # 0 the demo community, 1, 2 … the generated ones


DEMO = CommunitySpec(
    name="南环东路社区",
    slug="nanhuandonglu",
    area_km2=Decimal("1.20"),
    boundaries=("长芦大道", "千童大道", "海河路", "黄河路"),
    households=3748,
    residents=8430,
    # The source's estates: 县公安局小区 and 文教小区 (where the volunteers swept and cut hair), the other
    # unit-type estates (单位型小区) whose residents the community looks after, the unshaped estates (不成型小区)
    # and the bungalow area (平房居住区) that got the contact boards.
    area_names=("县公安局小区", "文教小区", "单位型小区", "不成型小区", "平房居住区"),
    groups_per_area=(4, 3, 3, 3, 3),
    self_managed=100,
    stationed=826,
    units=(
        ("沧县实验学校", "沧县实验学校党支部", 60),
        ("中国农业银行沧州新华支行", "中国农业银行沧州新华支行党委", 45),
        ("新华区人民医院", "新华区人民医院党委", 130),
        ("沧州市第十四中学", "沧州市第十四中学党总支", 70),
        ("国网沧州供电公司新华供电中心", "新华供电中心党支部", 75),
        ("沧州市邮政局南环东路支局", "南环东路邮政支局党支部", 20),
        ("新华区南环东路小学", "南环东路小学党支部", 35),
        ("中国工商银行沧州新华支行", "中国工商银行沧州新华支行党支部", 40),
        ("沧州市公安局新华分局南环派出所", "南环派出所党支部", 30),
        ("沧州市自来水公司新华营业所", "新华营业所党支部", 25),
        ("沧州市燃气公司南环服务站", "南环服务站党支部", 20),
        ("中国移动沧州分公司新华营业部", "新华营业部党支部", 30),
        ("新华区市场监督管理局南环所", "南环市场监管所党支部", 18),
        ("新华区疾病预防控制中心", "新华区疾病预防控制中心党支部", 45),
        ("中国联通沧州分公司新华营业部", "联通新华营业部党支部", 22),
        ("国家税务总局沧州市新华区税务局", "新华区税务局党组", 90),
    ),
    veterans=6,
    courtyard_areas=(4,),  # 平房居住区: single-storey courtyards (平房院) only
    min_retirees=913,  # the health station gives free physicals to 913 retirees (DOMAIN.md)
    address="沧州市新华区南环东路",
    introduction=(
        "南环东路社区位于沧州市新华区，面积1.2平方公里，东至长芦大道，西至千童大道，南至海河路，北至黄河路，"
        "有居民3748户、8430人。社区党总支下设5个居民区党支部、16个楼院党小组，有自管党员100名、驻区党员826名。"
        "社区以“三会四站”为抓手：党建联席会、党居议事会、志愿者协调会，党员服务站、便民服务站、健康服务站、文化服务站。"
    ),
)

GENERATED_NAMES = (
    ("建设社区", "jianshe"), ("朝阳社区", "chaoyang"), ("新华社区", "xinhua"), ("车站社区", "chezhan"),
    ("道东社区", "daodong"), ("东环社区", "donghuan"), ("华北社区", "huabei"), ("渤海社区", "bohai"),
    ("光荣社区", "guangrong"), ("永安社区", "yongan"), ("运河社区", "yunhe"), ("解放社区", "jiefang"),
    ("胜利社区", "shengli"), ("文庙社区", "wenmiao"), ("育红社区", "yuhong"), ("清池社区", "qingchi"),
    ("新兴社区", "xinxing"), ("康宁社区", "kangning"), ("和平社区", "heping"), ("公园社区", "gongyuan"),
    ("民族社区", "minzu"), ("长芦社区", "changlu"), ("友谊社区", "youyi"), ("团结社区", "tuanjie"),
    ("幸福社区", "xingfu"), ("前进社区", "qianjin"), ("东风社区", "dongfeng"), ("红旗社区", "hongqi"),
    ("汇源社区", "huiyuan"), ("裕华社区", "yuhua"), ("维明社区", "weiming"), ("顺城社区", "shuncheng"),
    ("御河社区", "yuhe"), ("水月寺社区", "shuiyuesi"), ("北京路社区", "beijinglu"), ("上海路社区", "shanghailu"),
    ("天津路社区", "tianjinlu"), ("浮阳社区", "fuyang"), ("迎宾社区", "yingbin"), ("阳光社区", "yangguang"),
)  # fmt: skip
NORTH_SOUTH_ROADS = ("解放路", "浮阳大道", "清池大道", "永济路", "迎宾大道", "朝阳大街", "水月寺大街", "新华路",
                     "交通北大街", "建设大街", "御河路", "光荣路", "维明路")  # fmt: skip
EAST_WEST_ROADS = ("运河路", "永安大道", "北京路", "上海路", "天津路", "吉林大道", "渤海路", "九河路", "文庙街",
                   "新华中路", "裕华路", "长城路", "石家庄路")  # fmt: skip
AREA_STEMS = ("馨园", "锦绣", "福康", "金地", "阳光", "丽景", "华苑", "怡和", "天成", "盛世", "御景", "紫云", "康乐",
              "翠苑", "书香", "颐和", "鑫城", "明珠", "春晖", "和谐", "华油", "电业", "纺织", "新苑")  # fmt: skip
AREA_SUFFIXES = ("小区", "花园", "家园", "新村", "苑", "里")
UNIT_TEMPLATES = (
    ("{stem}小学", "党支部", 35), ("沧州市第{n}中学", "党总支", 65), ("中国建设银行沧州{stem}支行", "党支部", 35),
    ("中国银行沧州{stem}支行", "党支部", 30), ("沧州市公安局新华分局{stem}派出所", "党支部", 30),
    ("{stem}社区卫生服务中心", "党支部", 25), ("中国邮政沧州{stem}支局", "党支部", 18),
    ("国网沧州供电公司{stem}供电所", "党支部", 45), ("中国移动沧州{stem}营业厅", "党支部", 20),
    ("新华区{stem}幼儿园", "党支部", 15), ("沧州市中心医院{stem}分院", "党委", 120), ("中国农业银行沧州{stem}支行", "党支部", 35),
    ("新华区{stem}街道综合文化站", "党支部", 12), ("沧州市{stem}中学", "党总支", 60), ("沧州日报社{stem}发行站", "党支部", 10),
    ("新华区{stem}市场监管所", "党支部", 15), ("中国工商银行沧州{stem}支行", "党支部", 35), ("沧州市{stem}物业公司", "党支部", 20),
    ("新华区{stem}税务所", "党支部", 25), ("中国联通沧州{stem}营业厅", "党支部", 15), ("沧州市{stem}热力站", "党支部", 22),
)  # fmt: skip

# Household sizes (people → share of households), close to an urban Hebei community; the plan then nudges
# sizes so that the households hold exactly the community's residents.
HOUSEHOLD_SIZES = {1: 0.27, 2: 0.37, 3: 0.25, 4: 0.08, 5: 0.025, 6: 0.005}


def _chinese_number(n: int) -> str:
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CHINESE_NUMERALS[tens - 1]) + "十" + (CHINESE_NUMERALS[ones - 1] if ones else "")


def community_spec(index: int) -> CommunitySpec:
    """The demo community for index 0; a generated community of similar size (fixed by its index) otherwise."""
    if index == 0:
        return DEMO
    rng = random.Random(f"community-spec:{index}")
    if index <= len(GENERATED_NAMES):
        name, slug = GENERATED_NAMES[index - 1]
    else:
        name, slug = f"新华第{_chinese_number(index % 100) if index < 100 else index}社区", f"xinhua-{index}"
    stem = name.removesuffix("社区")
    residents = rng.randint(7600, 9800)
    households = round(residents / rng.uniform(2.15, 2.35))
    areas = rng.randint(4, 6)
    area_names: list[str] = []
    for stem_choice in rng.sample(AREA_STEMS, areas):
        area_names.append(stem_choice + rng.choice(AREA_SUFFIXES))
    groups = rng.randint(12, 20)
    groups_per_area = tuple(max(2, g) for g in split_evenly(groups, [rng.uniform(0.7, 1.3) for _ in range(areas)]))
    unit_count = rng.randint(12, 18)
    units = tuple(
        (template.format(stem=stem, n=10 + index), template.format(stem=stem, n=10 + index) + org, size)
        for template, org, size in rng.sample(UNIT_TEMPLATES, unit_count)
    )
    east, west = rng.sample(NORTH_SOUTH_ROADS, 2)
    south, north = rng.sample(EAST_WEST_ROADS, 2)
    return CommunitySpec(
        index=index,
        name=name,
        slug=slug,
        area_km2=Decimal(rng.randint(70, 220)) / 100,
        boundaries=(east, west, south, north),
        households=households,
        residents=residents,
        area_names=tuple(area_names),
        groups_per_area=groups_per_area,
        self_managed=rng.randint(80, 130),
        stationed=rng.randint(650, 950),
        units=units,
        veterans=rng.randint(3, 8),
        address=f"沧州市新华区{rng.choice((east, west, south, north))}{rng.randint(1, 199)}号",
    )


def ensure_communities(count: int) -> list[tuple[Community, bool]]:
    """Get or create the district 新华区 and its first `count` communities: (community, newly created)."""
    district, _ = District.objects.get_or_create(name=DISTRICT_NAME)
    result = []
    for index in range(count):
        spec = community_spec(index)
        east, west, south, north = spec.boundaries
        community, created = Community.objects.get_or_create(
            district=district,
            name=spec.name,
            defaults={
                "slug": spec.slug,
                "area_km2": spec.area_km2,
                "boundary_east": east,
                "boundary_west": west,
                "boundary_south": south,
                "boundary_north": north,
                "address": spec.address,
                "phone": f"0317-{3000000 + index * 1013 % 999999:07d}",
                "introduction": spec.introduction,
            },
        )
        result.append((community, created))
    return result


# --------------------------------------------------------------------------------------------------
# The plan: pure Python, reproducible from the rng


@dataclass(slots=True)
class PlannedBuilding:
    area: int  # index into spec.area_names
    number: int
    kind: str
    slots: list[tuple[str, str]]  # (unit, room) of every dwelling
    group: int = 0  # index of its party group within the community


@dataclass(slots=True)
class PlannedPerson:
    name: str
    sex: str
    birth_date: dt.date
    relation: str
    phone: str = ""
    id_number: str = ""
    lives_alone: bool = False
    is_disabled: bool = False
    is_veteran: bool = False
    is_low_income: bool = False
    is_floating: bool = False
    is_retiree: bool = False
    moved_in_on: dt.date | None = None

    def age(self, today: dt.date) -> int:
        b = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


@dataclass(slots=True)
class PlannedHousehold:
    building: int  # index into Plan.buildings
    number: str
    unit: str
    room: str
    members: list[PlannedPerson] = field(default_factory=list)


@dataclass(slots=True)
class PlannedMember:
    category: str
    name: str
    phone: str
    joined_on: dt.date
    speciality: str = ""
    person: tuple[int, int] | None = None  # (household index, member index) for self-managed members
    unit: int | None = None  # index into spec.units for stationed members


@dataclass(slots=True)
class Plan:
    spec: CommunitySpec
    buildings: list[PlannedBuilding]
    households: list[PlannedHousehold]
    secretaries: dict[str, tuple[str, str]]  # "general", "branch-<i>", "group-<i>" → (name, phone)
    members: list[PlannedMember]


def _buildings_for(rng: random.Random, area: int, households: int, *, bungalows: bool = False) -> list[PlannedBuilding]:
    """Walk-up blocks (2–4 units × 5–7 floors × 2 flats) and a few single-storey courtyards (平房院), ~93% occupied;
    only courtyards in a bungalow area (平房居住区)."""
    buildings: list[PlannedBuilding] = []
    capacity = 0
    while capacity < households / 0.93:
        number = len(buildings) + 1
        if bungalows or rng.random() < 0.12:
            slots = [("", str(n)) for n in range(1, rng.randint(6, 16) + 1)]
            kind = Building.Kind.COURTYARD
        else:
            units, floors = rng.randint(2, 4), rng.choice((5, 6, 6, 6, 7))
            slots = [(str(u), f"{f}{d:02d}") for u in range(1, units + 1) for f in range(1, floors + 1) for d in (1, 2)]
            kind = Building.Kind.BUILDING
        buildings.append(PlannedBuilding(area=area, number=number, kind=kind, slots=slots))
        capacity += len(slots)
    return buildings


def _household_sizes(rng: random.Random, households: int, residents: int) -> list[int]:
    sizes = rng.choices(list(HOUSEHOLD_SIZES), weights=list(HOUSEHOLD_SIZES.values()), k=households)
    total = sum(sizes)
    while total != residents:
        i = rng.randrange(households)
        if total < residents and 1 <= sizes[i] < 6:
            sizes[i] += 1
            total += 1
        elif total > residents and sizes[i] > 1:
            sizes[i] -= 1
            total -= 1
    return sizes


def _members(rng: random.Random, size: int, today: dt.date) -> list[PlannedPerson]:
    """A household of `size` people: who they are to the head, their sex and age, one family name."""
    people: list[tuple[str, str, int]] = []  # (relation, sex, age)

    def couple(head_age: int) -> None:
        people.append(("head", "M", head_age))
        people.append(("spouse", "F", max(20, head_age - rng.randint(-2, 5))))

    def children(head_age: int, count: int) -> None:
        for _ in range(count):
            people.append(("child", rng.choice("MF"), max(0, head_age - rng.randint(24, 34))))

    def parents(head_age: int, count: int) -> None:
        age = min(96, head_age + rng.randint(24, 32))
        for sex in ("M", "F")[:count] if count == 2 else (rng.choice("MF"),):
            people.append(("parent", sex, age - (3 if sex == "F" and count == 2 else 0)))

    if size == 1:
        if rng.random() < 0.4:
            people.append(("head", "F" if rng.random() < 0.65 else "M", rng.randint(60, 92)))
        else:
            people.append(("head", rng.choice("MF"), rng.randint(19, 59)))
    elif size == 2:
        kind = rng.random()
        if kind < 0.28:
            couple(rng.randint(60, 88))
        elif kind < 0.76:
            couple(rng.choice((rng.randint(23, 34), rng.randint(45, 59))))
        else:
            head_age = rng.randint(38, 70)
            people.append(("head", rng.choice("MF"), head_age))
            children(head_age, 1)
    elif size == 3:
        head_age = rng.randint(27, 62)
        couple(head_age)
        if rng.random() < 0.1:
            parents(head_age, 1)
        else:
            children(head_age, 1)
    elif size == 4:
        head_age = rng.randint(30, 58)
        couple(head_age)
        if rng.random() < 0.6:
            children(head_age, 2)
        else:
            children(head_age, 1)
            parents(head_age, 1)
    else:
        head_age = rng.randint(30, 50)
        couple(head_age)
        children(head_age, size - 4)
        parents(head_age, 2)

    family = surname(rng)
    result = []
    for relation, sex, age in people:
        born = birth_date_for_age(rng, age, today)
        same_name = relation in ("head", "child") or (relation == "parent" and sex == "M")
        name = person_name(rng, sex, born.year, family if same_name else None)
        result.append(
            PlannedPerson(
                name=name,
                sex=sex,
                birth_date=born,
                relation=relation,
                phone=mobile_number(rng) if age >= 16 else "",
                lives_alone=size == 1,
            )
        )
    return result


def _weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k items without replacement, each drawn with probability proportional to its weight."""
    keyed = sorted(range(len(items)), key=lambda i: rng.random() ** (1.0 / weights[i]), reverse=True)
    return [items[i] for i in keyed[:k]]


def plan_community(spec: CommunitySpec, rng: random.Random, today: dt.date) -> Plan:
    """Everything one community's register holds, in memory. Same spec, rng state and day → same plan."""
    area_shares = split_evenly(spec.households, [rng.uniform(0.8, 1.2) for _ in spec.area_names])
    buildings: list[PlannedBuilding] = []
    households: list[PlannedHousehold] = []
    group_offset = 0
    for area, (area_households, groups) in enumerate(zip(area_shares, spec.groups_per_area, strict=True)):
        area_buildings = _buildings_for(rng, area, area_households, bungalows=area in spec.courtyard_areas)
        # Consecutive buildings form one courtyard party group (楼院党小组).
        for i, building in enumerate(area_buildings):
            building.group = group_offset + i * groups // len(area_buildings)
        group_offset += groups
        first = len(buildings)
        buildings.extend(area_buildings)
        slots = [(first + b, unit, room) for b, building in enumerate(area_buildings) for unit, room in building.slots]
        for b, unit, room in sorted(rng.sample(slots, area_households), key=lambda s: (s[0], s[1], len(s[2]), s[2])):
            building = buildings[b]
            number = f"{area + 1}-{building.number:02d}-" + (f"{unit}-{room}" if unit else room)
            households.append(PlannedHousehold(building=b, number=number, unit=unit, room=room))

    for household, size in zip(households, _household_sizes(rng, spec.households, spec.residents), strict=True):
        household.members = _members(rng, size, today)
    people = [(h, m) for h, household in enumerate(households) for m, _ in enumerate(household.members)]

    def person(key: tuple[int, int]) -> PlannedPerson:
        return households[key[0]].members[key[1]]

    # Floating population (~8%): whole households of younger families who rent.
    floating_target = round(spec.residents * 0.08)
    floating = 0
    for h in rng.sample(range(len(households)), len(households)):
        if floating >= floating_target:
            break
        members = households[h].members
        if 20 <= members[0].age(today) <= 50 and floating + len(members) <= floating_target + 2:
            for m in members:
                m.is_floating = True
                m.moved_in_on = today - dt.timedelta(days=rng.randint(30, 5 * 365))
            floating += len(members)
    # Minimum-living allowance (低保, ~2%): whole local households, more often older or single ones.
    low_income_target = round(spec.residents * 0.02)
    local = [h for h, household in enumerate(households) if not household.members[0].is_floating]
    weights = [
        2.0 if len(households[h].members) == 1 or households[h].members[0].age(today) >= 60 else 1.0 for h in local
    ]
    low_income = 0
    for h in _weighted_sample(rng, local, weights, len(local)):
        if low_income >= low_income_target:
            break
        for m in households[h].members:
            m.is_low_income = True
        low_income += len(households[h].members)
    # Disability (~2%), three times as likely in old age.
    disabled = _weighted_sample(
        rng, people, [3.0 if person(p).age(today) >= ELDERLY_AGE else 1.0 for p in people], round(spec.residents * 0.02)
    )
    for p in disabled:
        person(p).is_disabled = True
    # Old veterans (老荣军): a handful of local men over 70.
    veterans = [p for p in people if person(p).sex == "M" and person(p).age(today) >= 70 and not person(p).is_floating]
    for p in rng.sample(veterans, min(spec.veterans, len(veterans))):
        person(p).is_veteran = True
    # Retirees: local men from 60 and women from 50 (most of them drew a pension from a work unit).
    retirees = 0
    for p in people:
        someone = person(p)
        age = someone.age(today)
        if someone.is_floating:
            continue
        if (age >= 60 and rng.random() < 0.9) or (someone.sex == "F" and 50 <= age < 60 and rng.random() < 0.6):
            someone.is_retiree = True
            retirees += 1
    if retirees < spec.min_retirees:
        candidates = [
            p for p in people if not person(p).is_retiree and not person(p).is_floating and person(p).age(today) >= 50
        ]
        for p in rng.sample(candidates, min(len(candidates), spec.min_retirees - retirees)):
            person(p).is_retiree = True
    for p in people:
        someone = person(p)
        if someone.moved_in_on is None:
            moved_in = today - dt.timedelta(days=rng.randint(365, 40 * 365))
            someone.moved_in_on = max(moved_in, someone.birth_date)
    _give_id_numbers(rng, [person(p) for p in people], lane=spec.index)

    secretaries = {"general": _someone(rng, today)}
    for i in range(len(spec.area_names)):
        secretaries[f"branch-{i}"] = _someone(rng, today)
    for i in range(sum(spec.groups_per_area)):
        secretaries[f"group-{i}"] = _someone(rng, today)
    members = _self_managed_members(rng, spec, households, people, today) + _stationed_members(rng, spec, today)
    return Plan(spec=spec, buildings=buildings, households=households, secretaries=secretaries, members=members)


def _someone(rng: random.Random, today: dt.date) -> tuple[str, str]:
    return person_name(rng, rng.choice("MF"), today.year - rng.randint(35, 65)), mobile_number(rng)


ID_LANES = 4


def _give_id_numbers(
    rng: random.Random, people: list[PlannedPerson], taken: set[str] | None = None, *, lane: int = 0
) -> None:
    """A valid 18-character number for each person (region 130902, their birth date and sex), unique in `taken`.

    The demo community (lane 0) draws its sequence digits from all 500 of a sex; a generated community from the
    quarter of them its index falls in, so that communities seeded side by side (`seed_demo --jobs`), which
    cannot see each other's uncommitted numbers, rarely draw the same one.
    """
    taken = taken if taken is not None else set()
    for someone in people:
        while True:
            if lane:
                sequence = (rng.randrange(500 // ID_LANES) * ID_LANES + lane % ID_LANES) * 2
            else:
                sequence = rng.randrange(500) * 2
            sequence += 1 if someone.sex == "M" else 0
            number = make_id_number(REGION, someone.birth_date, sequence, someone.sex)
            if number not in taken:
                break
        taken.add(number)
        someone.id_number = number


def _joined_on(rng: random.Random, born: dt.date, today: dt.date) -> dt.date:
    """A day between the 18th birthday and half a year ago."""
    earliest = years_before(born, -18).toordinal()
    latest = (today - dt.timedelta(days=180)).toordinal()
    return dt.date.fromordinal(rng.randint(earliest, max(earliest, latest)))


def _self_managed_members(rng, spec, households, people, today) -> list[PlannedMember]:
    """Self-managed members (自管党员) are residents; each category comes from the residents it fits."""

    def person(key):
        return households[key[0]].members[key[1]]

    fits = {
        PartyMember.Category.RETIRED: lambda p, age: p.is_retiree and 60 <= age <= 85,
        PartyMember.Category.LAID_OFF: lambda p, age: 35 <= age <= 58 and not p.is_retiree and not p.is_floating,
        PartyMember.Category.VETERAN: lambda p, age: p.sex == "M" and 24 <= age <= 65 and not p.is_floating,
        PartyMember.Category.FLOATING: lambda p, age: p.is_floating and 20 <= age <= 55,
        PartyMember.Category.STUDENT: lambda p, age: 18 <= age <= 23 and not p.is_floating,
    }
    counts = split_evenly(spec.self_managed, list(SELF_MANAGED_SHARES.values()))
    chosen: set[tuple[int, int]] = set()
    members = []
    for (category, _), count in zip(SELF_MANAGED_SHARES.items(), counts, strict=True):
        fit = fits[category]
        pool = [p for p in people if p not in chosen and fit(person(p), person(p).age(today))]
        for p in rng.sample(pool, min(count, len(pool))):
            chosen.add(p)
            someone = person(p)
            members.append(
                PlannedMember(
                    category=category,
                    name=someone.name,
                    phone=someone.phone,
                    joined_on=_joined_on(rng, someone.birth_date, today),
                    speciality=rng.choice(SPECIALITIES) if rng.random() < 0.4 else "",
                    person=p,
                )
            )
    return members


def _stationed_members(rng, spec, today) -> list[PlannedMember]:
    """Members stationed in the units of the area (驻区党员): they work here and are filed by their unit."""
    per_unit = split_evenly(spec.stationed, [size * rng.uniform(0.85, 1.15) for _, _, size in spec.units])
    members = []
    for unit, count in enumerate(per_unit):
        for _ in range(count):
            born_year = today.year - rng.randint(24, 60)
            members.append(
                PlannedMember(
                    category=PartyMember.Category.STATIONED,
                    name=person_name(rng, rng.choice("MF"), born_year),
                    phone=mobile_number(rng),
                    joined_on=_joined_on(rng, dt.date(born_year, 7, 1), today),
                    speciality=rng.choice(SPECIALITIES) if rng.random() < 0.2 else "",
                    unit=unit,
                )
            )
    return members


# --------------------------------------------------------------------------------------------------
# Writing the plan


def _free_id_numbers(rng: random.Random, plan: Plan) -> None:
    """Draw new numbers for the few planned ID numbers that other communities (or real records) already hold."""
    everyone = [m for h in plan.households for m in h.members]
    numbers = [m.id_number for m in everyone]
    taken = set(numbers)  # every number the community holds or held, and every one found taken: none drawn again
    while True:
        clashes: set[str] = set()
        for start in range(0, len(numbers), 900):  # SQLite allows at most 999 parameters a query
            chunk = numbers[start : start + 900]
            # Excluding the empty number states the unique index's condition: PostgreSQL proves it by itself for
            # at most 100 values, and without the index each query reads the whole register (140 ms on a city).
            found = Resident.objects.filter(id_number__in=chunk).exclude(id_number="")
            clashes.update(found.values_list("id_number", flat=True))
        if not clashes:
            return
        taken |= clashes
        redo = [m for m in everyone if m.id_number in clashes]
        _give_id_numbers(rng, redo, taken, lane=plan.spec.index)
        numbers = [m.id_number for m in redo]


def seed_community(community: Community, *, rng: random.Random, scale_index: int) -> None:
    """Build the community's register and party organisation, unless it already has households."""
    if Household.objects.filter(community=community).exists():
        return
    today = timezone.localdate()
    plan = plan_community(community_spec(scale_index), rng, today)
    _free_id_numbers(rng, plan)
    spec = plan.spec

    areas = Area.objects.bulk_create([Area(community=community, name=name) for name in spec.area_names])
    buildings = bulk_insert(
        [
            Building(
                community=community,
                area=areas[b.area],
                name=f"{b.number}号楼" if b.kind == Building.Kind.BUILDING else f"{b.number}号院",
                kind=b.kind,
            )
            for b in plan.buildings
        ],
        batch_size=BATCH_SIZE,
    )
    households = bulk_insert(
        [
            Household(
                community=community,
                building=buildings[h.building],
                number=h.number,
                unit=h.unit,
                room=h.room,
                phone=h.members[0].phone or next((m.phone for m in h.members if m.phone), ""),
            )
            for h in plan.households
        ],
        batch_size=BATCH_SIZE,
    )
    residents = bulk_insert(
        [
            Resident(
                community=community,
                household=household,
                name=m.name,
                sex=m.sex,
                birth_date=m.birth_date,
                id_number=m.id_number,
                phone=m.phone,
                relation=m.relation,
                lives_alone=m.lives_alone,
                is_disabled=m.is_disabled,
                is_veteran=m.is_veteran,
                is_low_income=m.is_low_income,
                is_floating=m.is_floating,
                is_retiree=m.is_retiree,
                moved_in_on=m.moved_in_on,
            )
            for household, planned in zip(households, plan.households, strict=True)
            for m in planned.members
        ],
        batch_size=BATCH_SIZE,
    )
    first_resident = {}
    index = 0
    for h, planned in enumerate(plan.households):
        first_resident[h] = index
        index += len(planned.members)

    secretary, phone = plan.secretaries["general"]
    general = GeneralBranch.objects.create(
        community=community, name=f"{community.name}党总支", secretary=secretary, contact_phone=phone
    )
    branches = Branch.objects.bulk_create(
        [
            Branch(
                community=community,
                general_branch=general,
                area=area,
                name=f"{area.name}居民区党支部",
                secretary=plan.secretaries[f"branch-{i}"][0],
                contact_phone=plan.secretaries[f"branch-{i}"][1],
            )
            for i, area in enumerate(areas)
        ]
    )
    group_branch = [branches[a] for a, groups in enumerate(spec.groups_per_area) for _ in range(groups)]
    groups = PartyGroup.objects.bulk_create(
        [
            PartyGroup(
                community=community,
                branch=branch,
                name=f"第{_chinese_number(g + 1)}楼院党小组",
                leader=plan.secretaries[f"group-{g}"][0],
                contact_phone=plan.secretaries[f"group-{g}"][1],
            )
            for g, branch in enumerate(group_branch)
        ]
    )
    through = PartyGroup.buildings.through
    bulk_insert(
        [through(partygroup_id=groups[b.group].pk, building_id=buildings[i].pk) for i, b in enumerate(plan.buildings)],
        batch_size=BATCH_SIZE,
    )
    units = StationedUnit.objects.bulk_create(
        [
            StationedUnit(
                community=community,
                name=name,
                party_organisation=organisation,
                address=f"沧州市新华区{rng.choice(spec.boundaries)}{rng.randint(1, 300)}号",
                contact_name=person_name(rng, rng.choice("MF"), today.year - rng.randint(30, 55)),
                contact_phone=f"0317-{rng.randint(2000000, 5999999)}",
            )
            for name, organisation, _ in spec.units
        ]
    )
    party_members = []
    for member in plan.members:
        resident = group = branch = None
        if member.person is not None:
            h, m = member.person
            resident = residents[first_resident[h] + m]
            group = groups[plan.buildings[plan.households[h].building].group]
            branch = group.branch
        party_members.append(
            PartyMember(
                community=community,
                name=member.name,
                phone=member.phone,
                resident=resident,
                category=member.category,
                management=PartyMember.Management.SELF if member.person else PartyMember.Management.STATIONED,
                branch=branch,
                group=group,
                unit=units[member.unit] if member.unit is not None else None,
                speciality=member.speciality,
                joined_on=member.joined_on,
            )
        )
    bulk_insert(party_members, batch_size=BATCH_SIZE)


def counts() -> dict[str, int]:
    """Whole-database figures of the register, one per kind of record (and per resident tag)."""
    today = timezone.localdate()
    elderly_born_by = years_before(today, ELDERLY_AGE)
    tags = Resident.objects.aggregate(
        residents=Count("pk"),
        residents_elderly=Count("pk", filter=Q(birth_date__lte=elderly_born_by)),
        residents_living_alone=Count("pk", filter=Q(lives_alone=True)),
        residents_disabled=Count("pk", filter=Q(is_disabled=True)),
        residents_veterans=Count("pk", filter=Q(is_veteran=True)),
        residents_low_income=Count("pk", filter=Q(is_low_income=True)),
        residents_floating=Count("pk", filter=Q(is_floating=True)),
        residents_retirees=Count("pk", filter=Q(is_retiree=True)),
    )
    members = PartyMember.objects.aggregate(
        party_members=Count("pk"),
        party_members_self_managed=Count("pk", filter=Q(management=PartyMember.Management.SELF)),
        party_members_stationed=Count("pk", filter=Q(management=PartyMember.Management.STATIONED)),
    )
    return {
        "districts": District.objects.count(),
        "communities": Community.objects.count(),
        "areas": Area.objects.count(),
        "buildings": Building.objects.count(),
        "households": Household.objects.count(),
        **tags,
        "stationed_units": StationedUnit.objects.count(),
        "general_branches": GeneralBranch.objects.count(),
        "branches": Branch.objects.count(),
        "party_groups": PartyGroup.objects.count(),
        **members,
    }


# The staff and demo accounts come right after the register: every later app's seed may assign work to them.
# The grids (网格) and their workers come after the staff.
MORE_SEEDERS = [
    Seeder("portal", seed_community=seed_staff, seed_district=seed_district_admin, counts=user_counts),
    Seeder("grids", seed_community=seed_grids, counts=grid_counts),
]
