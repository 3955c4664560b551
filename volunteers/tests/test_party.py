"""Party-member service station: four-level network (public, contact persons only), duty posts, service tasks."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from residents.models import Branch, GeneralBranch, PartyGroup, PartyMember
from residents.tests.factories import BuildingFactory, ResidentFactory
from volunteers import actions
from volunteers.models import DutyPost, PartyTask, Volunteer
from volunteers.tests.factories import VolunteerFactory


def make_network(community, members_per_group=2):
    general = GeneralBranch.objects.create(
        community=community, name="南环东路社区党总支", secretary="李书记", contact_phone="0317-1234567"
    )
    for b in range(2):
        branch = Branch.objects.create(
            community=community,
            general_branch=general,
            name=f"第{b + 1}居民区党支部",
            secretary=f"支书{b}",
            contact_phone=f"1390000000{b}",
        )
        for g in range(2):
            group = PartyGroup.objects.create(
                community=community,
                branch=branch,
                name=f"{b}-{g}楼院党小组",
                leader=f"组长{b}{g}",
                contact_phone=f"1380000{b}{g}00",
            )
            for m in range(members_per_group):
                PartyMember.objects.create(
                    community=community,
                    name=f"党员{b}{g}{m}",
                    phone=f"1770000{b}{g}{m:02d}",
                    category=PartyMember.Category.RETIRED,
                    management=PartyMember.Management.SELF,
                    branch=branch,
                    group=group,
                )
    return general


def test_network_shows_each_level_with_its_contact_person_but_no_member_phones(client, community):
    make_network(community)
    page = client.get(reverse("volunteers:party_network"), {"c": community.slug}).content.decode()
    for text in (
        "南环东路社区党总支",
        "李书记",
        "0317-1234567",
        "第1居民区党支部",
        "支书0",
        "0-0楼院党小组",
        "组长00",
        "13800000000",
        "党员000",
    ):
        assert text in page
    for member in PartyMember.objects.all():
        assert member.phone not in page


def test_network_of_an_unknown_community_is_404(client, db):
    assert client.get(reverse("volunteers:party_network"), {"c": "nowhere"}).status_code == 404


def test_duty_posts_list_holders(client, community):
    make_network(community, members_per_group=1)
    post = DutyPost.objects.create(
        community=community, kind=DutyPost.Kind.AREA, title="3号楼责任区", building=BuildingFactory(community=community)
    )
    post.holders.set(PartyMember.objects.all()[:2])
    page = client.get(reverse("volunteers:duty_posts"), {"c": community.slug}).content.decode()
    assert "3号楼责任区" in page and PartyMember.objects.first().name in page


def test_completed_party_task_hours_count_like_volunteer_hours(director, community):
    resident = ResidentFactory(community=community)
    volunteer = VolunteerFactory(community=community, resident=resident)
    member = PartyMember.objects.create(
        community=community, name=resident.name, resident=resident, category="retired", management="self"
    )
    task = PartyTask.objects.create(community=community, title="楼道清理", category="retired", assignee=member)
    actions.party_task_complete(task=task, by=director, hours=Decimal("2.5"))
    assert Volunteer.objects.with_hours().get(pk=volunteer.pk).total_hours == Decimal("2.50")
    with pytest.raises(ValidationError):
        actions.party_task_complete(task=task, by=director, hours=Decimal(1))
