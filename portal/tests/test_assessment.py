"""The 1000-point assessment: rubric arithmetic, computed and manual criteria, stars, the frozen snapshot."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.core import roles
from portal.site.assessment import assessment_scores, assessment_snapshot_take
from portal.site.models import AssessmentSnapshot, ContactPerson, Criterion, ManualScore, Rubric
from residents.tests.factories import BuildingFactory, CommunityFactory


def rubric_of(year=2026, manual_points=600, computed_points=400):
    rubric = Rubric.objects.create(
        year=year, title=f"{year}年千分考核", star1=500, star2=600, star3=700, star4=800, star5=900
    )
    Criterion.objects.create(
        rubric=rubric,
        name="联系标牌覆盖",
        points=computed_points,
        kind="computed",
        metric="contact_board_coverage",
        target=1.0,
    )
    Criterion.objects.create(rubric=rubric, name="工作台账", points=manual_points, kind="manual")
    return rubric


def cover(community, buildings, covered):
    worker = ContactPerson.objects.create(community=community, kind="worker", name="王敏", phone="1")
    items = BuildingFactory.create_batch(buildings, community=community)
    worker.buildings.add(*items[:covered])


def test_computed_points_follow_the_data_and_manual_points_the_score(community, district_admin):
    rubric = rubric_of()
    cover(community, buildings=4, covered=3)  # 75 % of 400 = 300
    ManualScore.objects.create(
        criterion=rubric.criteria.get(kind="manual"),
        community=community,
        points=550,
        reason="台账齐全",
        scored_by=district_admin,
    )
    score = assessment_scores(rubric=rubric, community_ids=[community.pk])[community.pk]
    assert [row["earned"] for row in score.rows] == [300.0, 550.0]
    assert score.total == 850.0 and score.stars == 4


def test_points_never_exceed_the_criterion(community):
    rubric = rubric_of()
    ManualScore.objects.create(
        criterion=rubric.criteria.get(kind="manual"), community=community, points=999, reason="x"
    )
    assert assessment_scores(rubric=rubric, community_ids=[community.pk])[community.pk].rows[1]["earned"] == 600


def test_a_rubric_must_add_up_to_1000_before_it_is_frozen(community, district_admin):
    rubric = rubric_of(manual_points=500)
    with pytest.raises(ValidationError, match="1000|1,000"):
        assessment_snapshot_take(rubric=rubric, community_ids=[community.pk], by=district_admin)


def test_the_snapshot_does_not_change_when_the_data_does(community, district_admin):
    rubric = rubric_of()
    cover(community, buildings=2, covered=1)
    [snapshot] = assessment_snapshot_take(rubric=rubric, community_ids=[community.pk], by=district_admin)
    assert snapshot.total == 200
    cover(community, buildings=2, covered=2)  # more coverage afterwards
    snapshot.refresh_from_db()
    assert snapshot.total == 200
    assert assessment_scores(rubric=rubric, community_ids=[community.pk])[community.pk].total > 200
    with pytest.raises(ValidationError):
        assessment_snapshot_take(rubric=rubric, community_ids=[community.pk], by=district_admin)
    assert AssessmentSnapshot.objects.count() == 1


def test_star_thresholds_must_rise(db):
    rubric = Rubric(year=2030, title="x", star1=700, star2=600)
    with pytest.raises(ValidationError):
        rubric.full_clean()


def test_district_page_is_for_the_district_administrator_only(client, community, hall_staff, district_admin):
    rubric_of()
    client.force_login(hall_staff)
    assert client.get(reverse("portal:district")).status_code == 403
    client.force_login(district_admin)
    response = client.get(reverse("portal:district"), {"year": "2026"})
    assert response.status_code == 200 and community.name in response.content.decode()


def test_district_page_queries_do_not_grow_with_communities(client, district_admin, django_assert_max_num_queries):
    rubric_of()
    CommunityFactory.create_batch(2)
    client.force_login(district_admin)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("portal:district"), {"year": "2026"})
    CommunityFactory.create_batch(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("portal:district"), {"year": "2026"})


def test_only_district_administrators_manage_the_rubric(client, make_user, community):
    director = make_user(roles.COMMITTEE_DIRECTOR, community)
    client.force_login(director)
    assert client.get(reverse("admin:site_rubric_changelist")).status_code == 403


def test_every_app_metric_computes_for_many_communities_in_constant_queries(
    community, other_community, django_assert_max_num_queries
):
    from portal.core.metrics import all_metrics

    metrics = all_metrics()
    assert {"meetings_on_time", "case_on_time_rate", "volunteer_hours_per_100_residents"} <= set(metrics)
    ids = [community.pk, other_community.pk]
    for key, metric in metrics.items():
        with django_assert_max_num_queries(3) as few:
            metric.compute(ids[:1], 2026)
        with django_assert_max_num_queries(len(few.captured_queries)):
            values = metric.compute(ids, 2026)
        assert all(v >= 0 for v in values.values()), key


def test_district_page_shows_each_sections_points_and_links_each_dashboard(client, community, district_admin):
    rubric = rubric_of()
    cover(community, buildings=4, covered=3)
    ManualScore.objects.create(criterion=rubric.criteria.get(kind="manual"), community=community, points=420)
    client.force_login(district_admin)
    response = client.get(reverse("portal:district"), {"year": "2026"})
    html = response.content.decode()
    dashboard = f"{reverse('portal:dashboard')}?community={community.slug}"
    assert html.count(f'href="{dashboard}"') == 1  # in the overview
    points = html[html.index('class="table table-sm table-striped align-middle points-table"') :]
    points = points[: points.index("</table>")]
    # one column per section of the 1000 (each criterion is on the community's own assessment page, linked here)
    assert f'href="{reverse("portal:assessment", args=[community.slug])}?year=2026"' in points
    assert '<td class="text-end">300</td>' in points and '<td class="text-end">420</td>' in points
    assert client.get(dashboard).context["community"] == community
