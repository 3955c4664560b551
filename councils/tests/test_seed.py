"""The councils' demo data: the source's membership, two years of meetings, the three issues, every state."""

import random

import pytest
from django.db.models import F, Sum
from django.urls import reverse

from councils import seed
from councils.models import (
    Comment,
    CommentFollow,
    Council,
    CouncilMember,
    Meeting,
    Minutes,
    Resolution,
    ResourcePledge,
    Suggestion,
    Survey,
)
from councils.survey_results import results
from portal.core import roles
from residents.models import GeneralBranch, PartyMember
from residents.tests.factories import ResidentFactory, StationedUnitFactory


@pytest.fixture
def register(community, make_user):
    units = StationedUnitFactory.create_batch(16, community=community)
    residents = ResidentFactory.create_batch(60, community=community, is_retiree=True)
    GeneralBranch.objects.create(community=community, name="党总支", secretary="李书记")
    PartyMember.objects.bulk_create(
        [PartyMember(community=community, name=r.name, resident=r, category="retired", management="self") for r in residents[:12]]
        + [PartyMember(community=community, name=f"驻区党员{i}", category="stationed", management="stationed", unit=u) for i, u in enumerate(units)]
    )  # fmt: skip
    for role in (roles.BRANCH_SECRETARY, roles.COMMITTEE_DIRECTOR, roles.COUNCIL_SECRETARY):
        make_user(role, community)
    return community


def test_seed_builds_the_councils_with_the_sources_membership(register, django_assert_max_num_queries):
    with django_assert_max_num_queries(120):
        seed.seed_community(register, rng=random.Random(1), scale_index=0)
    councils = {c.kind: c for c in Council.objects.filter(community=register)}
    assert set(councils) == {"joint", "deliberation", "coordination"}
    assert councils["joint"].members.filter(role="unit").count() == 16
    assert councils["coordination"].members.filter(role="volunteer").exclude(skill="").count() == 24
    deliberation = councils["deliberation"]
    chosen = set(
        deliberation.members.filter(role__in=["party_rep", "resident_rep"]).values_list("chosen_by", flat=True)
    )
    assert chosen <= {"election", "joint", "party"} and len(chosen) >= 2
    assert deliberation.nominations.filter(method="joint").exclude(co_signers="").exists()
    assert all(c.convenor_id and c.secretary_id for c in councils.values())


def test_seed_holds_two_years_of_meetings_with_minutes_and_the_three_issues(register):
    seed.seed_community(register, rng=random.Random(2), scale_index=0)
    held = Meeting.objects.filter(council__community=register, status="held")
    assert held.filter(council__kind="deliberation", kind="regular").count() == 8
    assert held.filter(council__kind="joint").count() == 8
    assert Minutes.objects.filter(status="published").count() >= 20
    assert set(Minutes.objects.values_list("status", flat=True)) >= {"draft", "submitted", "published"}
    titles = " ".join(Resolution.objects.values_list("title", flat=True))
    assert "供暖费" in titles and "卫生费" in titles and "停车位" in titles
    numbers = list(Resolution.objects.values_list("year", "seq"))
    assert len(numbers) == len(set(numbers))
    assert set(Resolution.objects.values_list("status", flat=True)) == {"open", "in_progress", "done"}
    assert Resolution.objects.overdue().exists()  # for the beat reminder
    assert Minutes.history.exists()  # history from the start


@pytest.mark.parametrize("seed_value", [3, 11, 2026])
def test_seed_makes_suggestions_in_every_state_and_closes_some_loops(register, seed_value):
    seed.seed_community(register, rng=random.Random(seed_value), scale_index=0)
    states = set(Suggestion.objects.values_list("status", flat=True))
    assert states == set(Suggestion.Status.values)
    assert Suggestion.objects.filter(resolution__isnull=False, agenda_items__isnull=False).exists()
    assert Suggestion.objects.filter(status="closed", rating__isnull=False).exists()
    # Residents discuss some public suggestions; the proposer answers; staff hid one comment with its reason.
    comments = Comment.objects.filter(community=register)
    assert comments.filter(parent__isnull=True).exists() and comments.filter(parent__isnull=False).exists()
    assert not comments.exclude(suggestion__status__in=Suggestion.PUBLIC).exists()
    assert comments.filter(hidden_at__isnull=False).exclude(hidden_reason="").count() == 1
    assert not comments.filter(parent__isnull=False).exclude(author=F("suggestion__proposer")).exists()
    assert CommentFollow.objects.filter(suggestion__community=register).exists()


def test_seed_gives_the_demo_community_its_resources(register):
    seed.seed_community(register, rng=random.Random(4), scale_index=0)
    totals = {r["kind"]: r["total"] for r in ResourcePledge.objects.values("kind").annotate(total=Sum("pledged"))}
    assert totals == {"room": 840, "supplies": 20000, "funds": 2970000}


def test_seed_is_idempotent_and_the_ledger_reads_it(client, register):
    seed.seed_community(register, rng=random.Random(5), scale_index=0)
    before = CouncilMember.objects.count(), Meeting.objects.count(), Suggestion.objects.count()
    seed.seed_community(register, rng=random.Random(5), scale_index=0)
    assert (CouncilMember.objects.count(), Meeting.objects.count(), Suggestion.objects.count()) == before
    html = client.get(reverse("councils:ledger_community", args=[register.slug])).content.decode()
    assert "供暖费" in html or "卫生费" in html or "停车位" in html


def test_seed_puts_the_demo_surveys_in_every_state(register):
    seed.seed_community(register, rng=random.Random(1), scale_index=0)
    surveys = {s.status: s for s in Survey.objects.filter(community=register)}
    assert set(surveys) == {"open", "closed", "published"}
    parking = surveys["open"]
    assert parking.per_household and parking.agenda_item_id and parking.is_accepting
    assert parking.responses_count == parking.responses.count() > 0
    assert len(set(parking.responses.values_list("household_id", flat=True))) == parking.responses_count
    first = results(surveys["published"])
    assert first[0].answered == surveys["published"].responses_count
