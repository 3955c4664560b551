"""Hand-entered indicators of the 1000-point assessment (填报): points per rule, missing entries, the lock after the
year is frozen, the staff page and its form, the sections of the 1000 points."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.core import roles
from portal.core.metrics import Metric, Section, all_metrics
from portal.core.models import AuditLog
from portal.site.assessment import ENTERED, assessment_scores, assessment_snapshot_take, sections_of
from portal.site.indicators import indicator_enter
from portal.site.models import Criterion, FacilityItem, Indicator, IndicatorEntry, Rubric

YEAR = 2026
P, T = Criterion.Rule.PROPORTIONAL, Criterion.Rule.THRESHOLD


def rubric_with_entered(year=YEAR):
    """A 1000-point rubric: the five entered indicators (200 points) and a manual rest (800)."""
    rubric = Rubric.objects.create(year=year, title=f"{year}年千分考核")
    for i, (indicator, points, target, rule) in enumerate(
        [
            (Indicator.RESERVE_CADRES, 30, 1, T),
            (Indicator.GRADUATES, 30, 2, P),
            (Indicator.WORKERS_4050, 20, 3, P),
            (Indicator.OFFICE_AREA, 50, 300, T),
            (Indicator.FACILITIES, 70, 15, P),
        ]
    ):
        Criterion.objects.create(
            rubric=rubric,
            name=str(indicator.label),
            points=points,
            kind=Criterion.Kind.COMPUTED,
            metric=indicator.value,
            target=target,
            rule=rule,
            order=i,
        )
    Criterion.objects.create(rubric=rubric, name="平安建设", points=800, section=Section.GOVERNANCE, order=9)
    return rubric


def enter(rubric, community, indicator, value=None, by=None, items=None, note="花名册"):
    return indicator_enter(
        rubric=rubric,
        community_id=community.pk,
        indicator=indicator,
        value=None if value is None else Decimal(value),
        items=items,
        note=note,
        by=by,
    )


def rows_by_metric(rubric, community):
    score = assessment_scores(rubric=rubric, community_ids=[community.pk])[community.pk]
    names = {c.name: c.metric for c in rubric.criteria.all()}
    return score, {names[r["criterion"]] or r["criterion"]: r for r in score.rows}


@pytest.fixture
def director(make_user, community):
    return make_user(roles.COMMITTEE_DIRECTOR, community)


# --- points arithmetic ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "value", "earned"),
    [
        (Indicator.RESERVE_CADRES, 0, 0.0),  # threshold 1: none below
        (Indicator.RESERVE_CADRES, 1, 30.0),
        (Indicator.RESERVE_CADRES, 3, 30.0),  # never more than the criterion
        (Indicator.GRADUATES, 1, 15.0),  # proportional: 30 × 1/2
        (Indicator.GRADUATES, 5, 30.0),
        (Indicator.WORKERS_4050, 2, 13.3),  # 20 × 2/3, rounded to 0.1
        (Indicator.OFFICE_AREA, "299.5", 0.0),  # 办公用房 ≥ 300 m²: below it, nothing
        (Indicator.OFFICE_AREA, 300, 50.0),
        (Indicator.OFFICE_AREA, 840, 50.0),
    ],
)
def test_points_follow_each_criterions_rule(community, indicator, value, earned):
    rubric = rubric_with_entered()
    enter(rubric, community, indicator, value)
    _score, rows = rows_by_metric(rubric, community)
    assert rows[indicator.value]["earned"] == earned
    assert rows[indicator.value]["source"] == ENTERED and not rows[indicator.value]["missing"]


def test_the_facilities_checklist_earns_points_per_item_in_place(community):
    rubric = rubric_with_entered()
    twelve = FacilityItem.values[:12]
    entry = enter(rubric, community, Indicator.FACILITIES, items=[*twelve, twelve[0]])  # a repeat counts once
    assert entry.value == 12 and entry.items == sorted(twelve)
    assert [present for _label, present in entry.items_display()] == [True] * 12 + [False] * 3
    _score, rows = rows_by_metric(rubric, community)
    assert rows[Indicator.FACILITIES.value]["earned"] == 56.0  # 70 × 12/15


def test_a_full_entry_adds_up_to_the_sections_points(community):
    rubric = rubric_with_entered()
    for indicator, value in [
        (Indicator.RESERVE_CADRES, 1),
        (Indicator.GRADUATES, 2),
        (Indicator.WORKERS_4050, 3),
        (Indicator.OFFICE_AREA, 360),
    ]:
        enter(rubric, community, indicator, value)
    enter(rubric, community, Indicator.FACILITIES, items=FacilityItem.values)
    score, _rows = rows_by_metric(rubric, community)
    assert score.total == 200.0 and score.missing == 1  # the 800 manual points are not scored yet
    sections = {s["key"]: s for s in sections_of(score.rows)}
    assert (sections["staffing"]["points"], sections["staffing"]["earned"]) == (80, 80.0)
    assert (sections["premises"]["points"], sections["premises"]["earned"]) == (120, 120.0)
    assert list(sections) == ["staffing", "premises", "governance"]  # in the order of Section


# --- missing entries -------------------------------------------------------------------------------------------


def test_an_indicator_not_entered_is_missing_not_zero(community, other_community):
    rubric = rubric_with_entered()
    enter(rubric, other_community, Indicator.OFFICE_AREA, 0)  # a real zero elsewhere
    scores = assessment_scores(rubric=rubric, community_ids=[community.pk, other_community.pk])
    mine = {r["criterion"]: r for r in scores[community.pk].rows}
    theirs = {r["criterion"]: r for r in scores[other_community.pk].rows}
    office = str(Indicator.OFFICE_AREA.label)
    assert mine[office]["missing"] and mine[office]["value"] is None and mine[office]["earned"] == 0
    assert not theirs[office]["missing"] and theirs[office]["value"] == 0.0
    assert scores[community.pk].missing == 6 and scores[other_community.pk].missing == 5


def test_the_page_says_not_entered_and_links_the_form(client, community, director):
    rubric = rubric_with_entered()
    enter(rubric, community, Indicator.GRADUATES, 2, by=director)
    client.force_login(director)
    response = client.get(reverse("portal:assessment", args=[community.slug]), {"year": YEAR})
    assert response.status_code == 200
    entries = dict(response.context["entries"])
    assert entries[Indicator.GRADUATES].value == 2 and entries[Indicator.OFFICE_AREA] is None
    assert response.context["missing"] == 5  # four entered indicators and the manual criterion
    html = response.content.decode()
    assert html.count('class="badge bg-warning text-dark"') == 4 + 5  # by each criterion and in the entries list
    for indicator in Indicator:
        assert reverse("portal:indicator_enter", args=[community.slug, YEAR, indicator.value]) in html
    labels = [s["key"] for s in response.context["sections"]]
    assert labels[:2] == ["staffing", "premises"]


# --- the staff form -------------------------------------------------------------------------------------------


def test_staff_enter_a_value_with_evidence_audited(client, community, director):
    rubric = rubric_with_entered()
    client.force_login(director)
    url = reverse("portal:indicator_enter", args=[community.slug, YEAR, Indicator.OFFICE_AREA.value])
    pdf = SimpleUploadedFile("lease.pdf", b"%PDF-1.4 lease", content_type="application/pdf")
    response = client.post(url, {"value": "360", "note": "房屋租赁合同", "attachment": pdf})
    assert response.status_code == 302
    entry = IndicatorEntry.objects.get(rubric=rubric, community=community)
    assert (entry.value, entry.note, entry.entered_by) == (360, "房屋租赁合同", director)
    assert not entry.attachment.name.endswith("lease.pdf")  # a generated name
    assert AuditLog.objects.filter(action="indicator_enter", object_id=str(entry.pk), actor=director).exists()
    served = client.get(reverse("portal:indicator_file", args=[entry.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"%PDF")
    client.post(url, {"value": "420", "note": "复核"})  # a correction keeps the file and says what it was
    entry.refresh_from_db()
    assert entry.value == 420 and entry.attachment
    assert AuditLog.objects.filter(action="indicator_enter", summary__contains="was 360").exists()


@pytest.mark.parametrize(
    ("indicator", "data", "field"),
    [
        (Indicator.GRADUATES, {"value": "2.5", "note": "x"}, "value"),  # people are whole
        (Indicator.GRADUATES, {"value": "-1", "note": "x"}, "value"),
        (Indicator.RESERVE_CADRES, {"value": "3000", "note": "x"}, "value"),  # a typo, not a score
        (Indicator.OFFICE_AREA, {"value": "abc", "note": "x"}, "value"),
        (Indicator.OFFICE_AREA, {"value": "300", "note": ""}, "note"),  # evidence is required
        (Indicator.FACILITIES, {"items": ["garage"], "note": "x"}, "items"),
    ],
)
def test_bad_entries_are_refused_next_to_the_field(client, community, director, indicator, data, field):
    rubric_with_entered()
    client.force_login(director)
    url = reverse("portal:indicator_enter", args=[community.slug, YEAR, indicator.value])
    response = client.post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not IndicatorEntry.objects.exists()


def test_an_evidence_file_must_be_a_pdf_or_an_image(client, community, director):
    rubric_with_entered()
    client.force_login(director)
    url = reverse("portal:indicator_enter", args=[community.slug, YEAR, Indicator.OFFICE_AREA.value])
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"value": "300", "note": "x", "attachment": bad})
    assert "attachment" in response.context["form"].errors and not IndicatorEntry.objects.exists()


def test_an_unknown_indicator_or_year_is_a_404(client, community, director):
    rubric_with_entered()
    client.force_login(director)
    assert client.get(reverse("portal:indicator_enter", args=[community.slug, YEAR, "nonsense"])).status_code == 404
    assert client.get(reverse("portal:indicator_enter", args=[community.slug, 1999, "office_area"])).status_code == 404


def test_other_communities_and_other_roles_are_refused(client, community, other_community, make_user, hall_staff):
    rubric = rubric_with_entered()
    entry = enter(rubric, community, Indicator.OFFICE_AREA, 300)
    page = reverse("portal:assessment", args=[community.slug])
    form = reverse("portal:indicator_enter", args=[community.slug, YEAR, "office_area"])
    client.force_login(make_user(roles.COMMITTEE_DIRECTOR, other_community))
    assert client.get(page).status_code == 404
    assert client.post(form, {"value": "1", "note": "x"}).status_code == 404
    assert client.get(reverse("portal:indicator_file", args=[entry.pk])).status_code == 404
    client.force_login(hall_staff)
    assert client.get(page).status_code == 403
    entry.refresh_from_db()
    assert entry.value == 300


# --- the lock after the year is frozen ------------------------------------------------------------------------


def test_entries_are_final_once_the_years_result_is_frozen(client, community, director, district_admin):
    rubric = rubric_with_entered()
    entry = enter(rubric, community, Indicator.OFFICE_AREA, 300, by=director)
    assert not entry.is_locked
    assessment_snapshot_take(rubric=rubric, community_ids=[community.pk], by=district_admin)
    assert entry.is_locked
    with pytest.raises(ValidationError) as refused:
        enter(rubric, community, Indicator.OFFICE_AREA, 10)
    assert refused.value.code == "locked"
    with pytest.raises(ValidationError):
        enter(rubric, community, Indicator.GRADUATES, 2)  # a new entry for a frozen year, too
    client.force_login(director)
    url = reverse("portal:indicator_enter", args=[community.slug, YEAR, "office_area"])
    response = client.post(url, {"value": "10", "note": "改"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    page = client.get(reverse("portal:assessment", args=[community.slug]), {"year": YEAR})
    assert page.context["snapshot"] and not page.context["can_enter"]
    assert url not in page.content.decode()
    client.force_login(district_admin)
    change = reverse("admin:site_indicatorentry_change", args=[entry.pk])
    client.post(change, {"rubric": rubric.pk, "community": community.pk, "indicator": "office_area", "value": "9"})
    entry.refresh_from_db()
    assert entry.value == 300 and IndicatorEntry.objects.count() == 1


def test_the_admin_checks_entries_like_the_page(client, community, district_admin):
    rubric = rubric_with_entered()
    client.force_login(district_admin)
    add = reverse("admin:site_indicatorentry_add")
    data = {"rubric": rubric.pk, "community": community.pk, "indicator": "staff_graduates", "note": "x"}
    response = client.post(add, {**data, "value": "1.5"})
    assert response.status_code == 200 and not IndicatorEntry.objects.exists()
    client.post(add, {**data, "indicator": "office_facilities", "items": ["office", "meeting"]})
    entry = IndicatorEntry.objects.get()
    assert entry.value == 2 and entry.entered_by == district_admin


# --- the sections: one mechanism for computed and entered metrics ---------------------------------------------


def test_every_metric_names_a_section_and_the_entered_ones_say_so():
    metrics = all_metrics()
    assert all(m.section in Section.values for m in metrics.values())
    assert {k for k, m in metrics.items() if m.entered} == set(Indicator.values)
    assert metrics["meetings_on_time"].section == Section.PARTY
    assert Metric("x", lambda ids, year: {}).section == Section.OTHER  # an app's metric that names none


def test_a_metric_not_in_the_rubric_is_shown_in_its_section(client, community, district_admin, monkeypatch):
    from portal.site import assessment as scoring

    extra = Metric("物业报修响应", lambda ids, year: dict.fromkeys(ids, 0.9), section=Section.PROPERTY)
    monkeypatch.setattr(scoring, "all_metrics", lambda: {**all_metrics(), "repair_response": extra})
    rubric_with_entered()
    client.force_login(district_admin)
    response = client.get(reverse("portal:assessment", args=[community.slug]), {"year": YEAR})
    sections = {s["key"]: s for s in response.context["sections"]}
    outside = {m["label"]: m for m in sections["property"]["outside"]}  # with the property app's own two
    assert "物业报修响应" in outside and outside["物业报修响应"]["value"] == 0.9
    assert "物业报修响应" in response.content.decode()


def test_the_workbench_lists_what_is_still_to_enter(client, community, director, hall_staff):
    import datetime as dt

    from portal.site.workbench import blocks

    rubric = rubric_with_entered(year=dt.date.today().year)
    enter(rubric, community, Indicator.GRADUATES, 2)
    [block] = blocks(director, dt.date.today())
    assert block.key == "site.assessment" and block.waiting == 4
    client.force_login(director)
    html = client.get(reverse("portal:workbench")).content.decode()
    assert 'id="block-site.assessment"' in html and reverse("portal:assessment", args=[community.slug]) in html
    assert blocks(hall_staff, dt.date.today()) == []  # only who enters them


def test_the_seed_enters_the_demo_communitys_values_and_a_rubric_of_1000(community, other_community):
    import random

    from portal.site import seed
    from portal.site.assessment import rubric_check

    assert sum(points for _n, points, *_rest in seed.RUBRIC) == 1000
    rubric = Rubric.objects.create(year=YEAR, title="x")
    seed._entries(rubric, [community, other_community], random.Random(1), complete=False)
    demo = {e.indicator: e for e in IndicatorEntry.objects.filter(community=community)}
    assert set(demo) == set(Indicator.values)
    assert demo[Indicator.OFFICE_AREA].value == 360 and "示例" in demo[Indicator.OFFICE_AREA].note
    assert demo[Indicator.FACILITIES].value == 15 and len(demo[Indicator.FACILITIES].items) == 15
    seed._entries(rubric, [community, other_community], random.Random(1), complete=False)  # idempotent
    assert IndicatorEntry.objects.filter(community=community).count() == 5
    for i, (name, points, metric, target, rule, section) in enumerate(seed.RUBRIC):
        Criterion.objects.create(
            rubric=rubric,
            name=name,
            points=points,
            kind="computed" if metric else "manual",
            metric=metric or "",
            target=target,
            rule=rule,
            section=section,
            order=i,
        )
    rubric_check(rubric)
    assert all_metrics().keys() >= {c.metric for c in rubric.criteria.exclude(metric="")}
