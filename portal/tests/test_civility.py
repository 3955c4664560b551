"""Civility appraisals: nominations, one vote per household (also under concurrency), published results."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from portal.core import roles
from portal.site.actions import appraisal_publish, nomination_create, vote_cast
from portal.site.models import Appraisal, Nomination, Vote
from residents.tests.factories import BuildingFactory, HouseholdFactory, ResidentFactory


def open_appraisal(community, **kwargs):
    now = timezone.now()
    defaults = {
        "kind": Appraisal.Kind.FAMILY,
        "title": "2026年文明家庭评选",
        "criteria": "爱国守法、邻里和睦",
        "nominate_until": now + dt.timedelta(days=3),
        "vote_until": now + dt.timedelta(days=10),
        "status": Appraisal.Status.OPEN,
        "winners": 1,
    }
    return Appraisal.objects.create(community=community, **{**defaults, **kwargs})


def on_ballot(appraisal, title="3号楼 张家"):
    building = BuildingFactory(community=appraisal.community)
    return Nomination.objects.create(
        appraisal=appraisal, building=building, title=title, reasons="热心公益", status=Nomination.Status.ACCEPTED
    )


def household_member(make_user, community, household):
    user = make_user(roles.RESIDENT, None)
    ResidentFactory(community=community, household=household, user=user)
    return user


def test_a_residents_nomination_waits_for_review(resident_user, community):
    appraisal = open_appraisal(community)
    building = BuildingFactory(community=community)
    nomination = nomination_create(
        appraisal=appraisal, by=resident_user, title="5号楼 李家", reasons="孝老爱亲", building=building
    )
    assert nomination.status == Nomination.Status.PENDING


def test_nominations_close_on_time(resident_user, community):
    appraisal = open_appraisal(community, nominate_until=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="已截止|closed"):
        nomination_create(
            appraisal=appraisal, by=resident_user, title="x", reasons="y", building=BuildingFactory(community=community)
        )


def test_one_vote_per_household_whoever_casts_it(make_user, community):
    appraisal = open_appraisal(community)
    first, second = on_ballot(appraisal, "甲"), on_ballot(appraisal, "乙")
    household = HouseholdFactory(community=community)
    husband = household_member(make_user, community, household)
    wife = household_member(make_user, community, household)
    vote_cast(nomination=first, voter=husband)
    with pytest.raises(ValidationError):
        vote_cast(nomination=second, voter=wife)
    assert Vote.objects.count() == 1
    first.refresh_from_db()
    assert first.votes == 1


@pytest.mark.django_db(transaction=True)
def test_one_vote_per_household_under_concurrency(make_user, community):
    appraisal = open_appraisal(community)
    nomination = on_ballot(appraisal)
    household = HouseholdFactory(community=community)
    members = [household_member(make_user, community, household) for _ in range(6)]
    barrier = threading.Barrier(len(members))
    outcomes = []

    def cast(user):
        try:
            barrier.wait()
            vote_cast(nomination=Nomination.objects.get(pk=nomination.pk), voter=user)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok"] + ["refused"] * 5
    nomination.refresh_from_db()
    assert nomination.votes == 1 == Vote.objects.count()


def test_residents_of_another_community_cannot_vote(make_user, community, other_community):
    appraisal = open_appraisal(community)
    nomination = on_ballot(appraisal)
    outsider = make_user(roles.RESIDENT, other_community)
    with pytest.raises(ValidationError):
        vote_cast(nomination=nomination, voter=outsider)


def test_accounts_without_a_household_cannot_vote(make_user, community):
    appraisal = open_appraisal(community)
    pending = make_user(roles.RESIDENT, None)
    with pytest.raises(ValidationError):
        vote_cast(nomination=on_ballot(appraisal), voter=pending)


def test_results_name_the_most_voted_and_show_counts(client, make_user, community, hall_staff):
    appraisal = open_appraisal(community, winners=1)
    top, other = on_ballot(appraisal, "张家"), on_ballot(appraisal, "王家")
    for _ in range(2):
        vote_cast(nomination=top, voter=household_member(make_user, community, HouseholdFactory(community=community)))
    vote_cast(nomination=other, voter=household_member(make_user, community, HouseholdFactory(community=community)))
    html = client.get(reverse("portal:appraisal", args=[appraisal.pk])).content.decode()
    assert "2 票" not in html  # counts stay hidden until the results are out
    winners = appraisal_publish(appraisal=appraisal, by=hall_staff)
    assert [w.pk for w in winners] == [top.pk]
    html = client.get(reverse("portal:appraisal", args=[appraisal.pk])).content.decode()
    assert "张家" in html and "2" in html


def test_vote_over_http_and_second_attempt_message(client, make_user, community):
    appraisal = open_appraisal(community)
    nomination = on_ballot(appraisal)
    voter = household_member(make_user, community, HouseholdFactory(community=community))
    client.force_login(voter)
    url = reverse("portal:vote", args=[appraisal.pk, nomination.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "已经投过票" in response.content.decode() or "already voted" in response.content.decode()
    assert Vote.objects.count() == 1


def test_draft_appraisals_are_not_public(client, community):
    draft = open_appraisal(community, status=Appraisal.Status.DRAFT)
    assert client.get(reverse("portal:appraisal", args=[draft.pk])).status_code == 404


def test_results_are_published_once_and_are_final(make_user, community, hall_staff):
    """A second publish is refused with a clear message: before, it picked the winners again (under a number of
    winners changed meanwhile, the first winners stayed and more were added)."""
    appraisal = open_appraisal(community, winners=1)
    top, other = on_ballot(appraisal, "张家"), on_ballot(appraisal, "王家")
    vote_cast(nomination=top, voter=household_member(make_user, community, HouseholdFactory(community=community)))
    assert [w.pk for w in appraisal_publish(appraisal=appraisal, by=hall_staff)] == [top.pk]
    Appraisal.objects.filter(pk=appraisal.pk).update(winners=2)
    with pytest.raises(ValidationError) as refused:
        appraisal_publish(appraisal=appraisal, by=hall_staff)
    assert refused.value.code == "published" and "不能再次公布" in refused.value.messages[0]
    assert list(Nomination.objects.filter(is_winner=True).values_list("pk", flat=True)) == [top.pk]
    other.refresh_from_db()
    assert not other.is_winner


def test_a_draft_appraisal_has_no_result_to_publish(community, hall_staff):
    draft = open_appraisal(community, status=Appraisal.Status.DRAFT)
    with pytest.raises(ValidationError) as refused:
        appraisal_publish(appraisal=draft, by=hall_staff)
    assert refused.value.code == "draft"
    draft.refresh_from_db()
    assert draft.status == Appraisal.Status.DRAFT


def test_the_admin_publishes_after_asking_and_once_and_then_keeps_the_result(client, make_user, community, hall_staff):
    appraisal = open_appraisal(community, winners=1)
    top = on_ballot(appraisal, "张家")
    vote_cast(nomination=top, voter=household_member(make_user, community, HouseholdFactory(community=community)))
    client.force_login(hall_staff)
    changelist = reverse("admin:site_appraisal_changelist")
    chosen = {"action": "publish_results", "_selected_action": [appraisal.pk], "index": 0}
    asked = client.post(changelist, chosen)
    assert asked.status_code == 200 and 'id="confirm-yes"' in asked.content.decode()
    assert Appraisal.objects.get(pk=appraisal.pk).status == Appraisal.Status.OPEN
    assert client.post(changelist, {**chosen, "confirmed": "yes"}).status_code == 302
    assert Appraisal.objects.get(pk=appraisal.pk).status == Appraisal.Status.PUBLISHED
    again = client.post(changelist, {**chosen, "confirmed": "yes"}, follow=True)
    assert again.status_code == 200 and "不能再次公布" in again.content.decode()
    # The published result is final: no field of the appraisal is offered, nothing is added to its ballot, only
    # the winners' stories stay editable.
    page = client.get(reverse("admin:site_appraisal_change", args=[appraisal.pk]))
    assert page.context["adminform"].form.fields == {}
    [nominations] = page.context["inline_admin_formsets"]
    assert nominations.formset.max_num == 0 or not nominations.has_add_permission
    assert set(nominations.formset.forms[0].fields) - {"id", "appraisal", "DELETE"} == {"story"}
    assert client.get(reverse("admin:site_appraisal_delete", args=[appraisal.pk])).status_code == 403
