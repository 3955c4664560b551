"""Consent first (PIPL): no file without a separate consent; a guardian for a child under 14; withdrawal stops
processing; retention anonymises."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from residents.tests.factories import ResidentFactory
from services.health.actions import (
    follow_up_record,
    health_anonymise_past_retention,
    health_consent_record,
    health_consent_withdraw,
    health_file_create,
    maternal_visit_record,
    reading_record,
)
from services.health.tasks import health_retention_run
from services.models import FollowUpVisit, HealthFile, Reading
from services.tests.factories_stations import HealthConsentFactory, HealthFileFactory, ReadingFactory


def test_a_file_cannot_be_opened_without_consent(community, health_staff):
    resident = ResidentFactory(community=community)
    with pytest.raises(ValidationError, match="单独同意"):
        health_file_create(resident=resident, consent=None, created_by=health_staff)
    assert not HealthFile.objects.exists()


def test_a_file_cannot_be_opened_with_someone_elses_consent(community, health_staff):
    resident, neighbour = ResidentFactory.create_batch(2, community=community)
    consent = health_consent_record(resident=neighbour, recorded_by=health_staff)
    with pytest.raises(ValidationError):
        health_file_create(resident=resident, consent=consent, created_by=health_staff)


def test_consent_then_file_records_notice_version_time_and_who(community, health_staff):
    resident = ResidentFactory(community=community)
    consent = health_consent_record(resident=resident, recorded_by=health_staff)
    file = health_file_create(resident=resident, consent=consent, created_by=health_staff, allergies="花粉")
    assert consent.notice_version and consent.consented_at and consent.given_by == "self"
    assert consent.recorded_by == health_staff
    assert file.household_id == resident.household_id
    assert file.retention_until > timezone.localdate()


def test_a_child_under_14_needs_a_guardian(community, health_staff):
    child = ResidentFactory(community=community, birth_date=timezone.localdate() - dt.timedelta(days=365 * 8))
    with pytest.raises(ValidationError) as err:
        health_consent_record(resident=child, recorded_by=health_staff)
    assert "guardian_name" in err.value.message_dict
    consent = health_consent_record(resident=child, recorded_by=health_staff, guardian_name="王芳")
    assert consent.given_by == "guardian"
    assert health_file_create(resident=child, consent=consent, created_by=health_staff)


def test_an_outdated_notice_is_refused(community, health_staff):
    consent = HealthConsentFactory(resident__community=community, notice_version="2019-01")
    with pytest.raises(ValidationError, match="现行版本的隐私告知书"):
        health_file_create(resident=consent.resident, consent=consent, created_by=health_staff)


def test_withdrawn_consent_opens_no_file(community, health_staff):
    consent = HealthConsentFactory(resident__community=community)
    health_consent_withdraw(consent=consent, by=health_staff)
    with pytest.raises(ValidationError, match="已撤回"):
        health_file_create(resident=consent.resident, consent=consent, created_by=health_staff)


def test_withdrawn_consent_stops_every_further_entry(community, health_staff):
    file = HealthFileFactory(consent__resident__community=community, maternal_care=True)
    health_consent_withdraw(consent=file.consent, by=health_staff)
    file.refresh_from_db()
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="已撤回"):
        reading_record(file=file, by=health_staff, kind="weight", taken_on=today, value=60)
    with pytest.raises(ValidationError, match="已撤回"):
        follow_up_record(file=file, by=health_staff, visited_on=today, notes="x")
    with pytest.raises(ValidationError, match="已撤回"):
        maternal_visit_record(file=file, by=health_staff, kind="prenatal", visited_on=today)
    assert not Reading.objects.exists() and not FollowUpVisit.objects.exists()
    assert file.retention_until == today  # due for anonymisation at the next run


def test_retention_anonymises_files_past_their_date_and_keeps_the_rest(community, health_staff):
    due = HealthFileFactory(
        consent__resident__community=community, retention_until=timezone.localdate() - dt.timedelta(days=1)
    )
    ReadingFactory(file=due)
    kept = HealthFileFactory(consent__resident__community=community)
    assert health_retention_run.delay().get() == 1
    due.refresh_from_db()
    kept.refresh_from_db()
    assert due.resident_id is None and due.household_id is None and due.anonymised_at
    assert due.allergies == "" and due.chronic_conditions == "" and due.medications == ""
    assert due.birth_year and due.readings.count() == 1  # numbers stay for statistics, unlinked
    assert kept.resident_id and kept.allergies == "青霉素过敏"
    assert health_anonymise_past_retention() == 0  # idempotent


def test_withdrawal_leads_to_anonymisation_on_the_next_run(community, health_staff):
    file = HealthFileFactory(consent__resident__community=community)
    health_consent_withdraw(consent=file.consent, by=health_staff)
    health_anonymise_past_retention(today=timezone.localdate() + dt.timedelta(days=1))
    file.refresh_from_db()
    assert file.anonymised_at and file.resident_id is None


def test_blood_pressure_needs_two_values(community, health_staff):
    file = HealthFileFactory(consent__resident__community=community)
    with pytest.raises(ValidationError):
        reading_record(file=file, by=health_staff, kind="bp", taken_on=timezone.localdate(), value=140)
    reading_record(file=file, by=health_staff, kind="bp", taken_on=timezone.localdate(), value=140, value2=90)
    assert file.readings.count() == 1
