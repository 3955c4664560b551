"""factory_boy factories for the councils. Everything hangs off one council of one community."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from councils import models
from residents.tests.factories import CommunityFactory


class CouncilFactory(DjangoModelFactory):
    class Meta:
        model = models.Council
        django_get_or_create = ("community", "kind")

    community = factory.SubFactory(CommunityFactory)
    kind = models.Council.Kind.DELIBERATION
    name = "党居议事会"


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = models.CouncilMember

    council = factory.SubFactory(CouncilFactory)
    role = models.CouncilMember.Role.RESIDENT_REP
    name = factory.Sequence(lambda n: f"代表{n}")
    chosen_by = models.CouncilMember.Chosen.ELECTION
    term_start = dt.date(2024, 1, 1)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = models.Meeting

    council = factory.SubFactory(CouncilFactory)
    title = factory.Sequence(lambda n: f"第{n}次例会")
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    place = "社区议事厅"
    status = models.Meeting.Status.SCHEDULED


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = models.AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"议题{n}")


class SuggestionFactory(DjangoModelFactory):
    class Meta:
        model = models.Suggestion

    community = factory.SubFactory(CommunityFactory)
    proposer = factory.SubFactory("portal.tests.factories.UserFactory", community=factory.SelfAttribute("..community"))
    category = models.Suggestion.Category.PARKING
    title = factory.Sequence(lambda n: f"建议{n}")
    text = "小区停车位不够，建议划线增加车位。"
    status = models.Suggestion.Status.ACCEPTED
