"""factory_boy factories for the register. Every factory builds a consistent tree inside one community."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from portal.core.models import Community, District
from residents import models
from residents.idcard import make_id_number


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = "新华区"


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Community

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"测试社区{n}")
    slug = factory.Sequence(lambda n: f"community-{n}")


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = models.Area

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"小区{n}")


class BuildingFactory(DjangoModelFactory):
    class Meta:
        model = models.Building

    community = factory.SubFactory(CommunityFactory)
    area = factory.SubFactory(AreaFactory, community=factory.SelfAttribute("..community"))
    name = factory.Sequence(lambda n: f"{n}号楼")


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = models.Household

    community = factory.SubFactory(CommunityFactory)
    building = factory.SubFactory(BuildingFactory, community=factory.SelfAttribute("..community"))
    number = factory.Sequence(lambda n: f"H{n:06d}")
    unit = "1"
    room = factory.Sequence(lambda n: f"{100 + n % 600}")


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = models.Resident

    community = factory.SubFactory(CommunityFactory)
    household = factory.SubFactory(HouseholdFactory, community=factory.SelfAttribute("..community"))
    name = factory.Sequence(lambda n: f"居民{n}")
    sex = "M"
    birth_date = factory.Sequence(lambda n: dt.date(1950, 1, 1) + dt.timedelta(days=(n * 7) % 18000))
    # Unique: a date repeats only every 18,000 residents, and then the sequence digits differ.
    id_number = factory.LazyAttributeSequence(
        lambda o, n: make_id_number("130902", o.birth_date, (n // 2571) * 2, o.sex)
    )
    phone = factory.Sequence(lambda n: f"139{n:08d}")


class StationedUnitFactory(DjangoModelFactory):
    class Meta:
        model = models.StationedUnit

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"驻区单位{n}")


class GeneralBranchFactory(DjangoModelFactory):
    class Meta:
        model = models.GeneralBranch
        django_get_or_create = ("community",)  # one general branch per community

    community = factory.SubFactory(CommunityFactory)
    name = factory.LazyAttribute(lambda o: f"{o.community.name}党总支")


class BranchFactory(DjangoModelFactory):
    class Meta:
        model = models.Branch

    community = factory.SubFactory(CommunityFactory)
    general_branch = factory.SubFactory(GeneralBranchFactory, community=factory.SelfAttribute("..community"))
    area = factory.SubFactory(AreaFactory, community=factory.SelfAttribute("..community"))
    name = factory.Sequence(lambda n: f"第{n}居民区党支部")


class PartyGroupFactory(DjangoModelFactory):
    class Meta:
        model = models.PartyGroup

    community = factory.SubFactory(CommunityFactory)
    branch = factory.SubFactory(BranchFactory, community=factory.SelfAttribute("..community"))
    name = factory.Sequence(lambda n: f"楼院党小组{n}")


class PartyMemberFactory(DjangoModelFactory):
    class Meta:
        model = models.PartyMember

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"党员{n}")
    category = models.PartyMember.Category.RETIRED
    management = models.PartyMember.Management.SELF
    branch = factory.SubFactory(BranchFactory, community=factory.SelfAttribute("..community"))
    group = factory.SubFactory(
        PartyGroupFactory,
        community=factory.SelfAttribute("..community"),
        branch=factory.SelfAttribute("..branch"),
    )
