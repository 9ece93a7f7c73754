"""Fixtures for care plans and referrals: a care manager, an agency (a health-promoting hospital
with a home-care service for the tambon) and its staff member, a second agency that serves another
tambon, and helpers to record real assessments. Import with ``from ...plan_fixtures import *``."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from chumchon.accounts.models import User
from chumchon.accounts.roles import Role
from chumchon.areas.models import Area
from chumchon.conftest import OTHER_TAMBON, PASSWORD, TAMBON, make_user
from chumchon.network.models import Organisation, OrganisationStaff, Service, Term, Vocabulary

__all__ = ["agency", "agency_staff", "barthel_answers", "care_manager", "far_service", "home_care", "login",
           "other_staff", "record_barthel"]


def login(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code)


def make_service(name: str, area_code: str, *, kind: str = "health_promoting_hospital",
                 supports: tuple[str, ...] = ("care_at_home",), groups: tuple[str, ...] = ("elders",)) -> Service:
    org = Organisation.objects.create(name=name, kind=_term(Vocabulary.ORG_KIND, kind), area_id=area_code)
    service = Service.objects.create(organisation=org, name=f"บริการของ{name}")
    service.areas.add(Area.objects.get(code=area_code))
    service.support_kinds.add(*[_term(Vocabulary.SUPPORT_KIND, code) for code in supports])
    service.target_groups.add(*[_term(Vocabulary.TARGET_GROUP, code) for code in groups])
    return service


@pytest.fixture
def care_manager(tambon: Any, village_a: Any, village_b: Any) -> User:
    return make_user("cm", Role.CARE_MANAGER, tambon.code, display_name="ผู้จัดการการดูแล")


@pytest.fixture
def home_care(tambon: Any) -> Service:
    return make_service("รพ.สต.ลำสินธุ์", TAMBON)


@pytest.fixture
def agency(home_care: Service) -> Organisation:
    return home_care.organisation


@pytest.fixture
def agency_staff(agency: Organisation) -> User:
    user = make_user("nurse", Role.AGENCY_STAFF, TAMBON, display_name="พยาบาล รพ.สต.")
    OrganisationStaff.objects.create(organisation=agency, user=user, position="พยาบาลวิชาชีพ")
    return user


@pytest.fixture
def far_service(db: Any) -> Service:
    return make_service("รพ.สต.ชุมพล", OTHER_TAMBON)


@pytest.fixture
def other_staff(far_service: Service) -> User:
    user = make_user("other_nurse", Role.AGENCY_STAFF, OTHER_TAMBON)
    OrganisationStaff.objects.create(organisation=far_service.organisation, user=user)
    return user


def barthel_answers(level: str) -> dict[str, str]:
    """Answers giving ADL 2 ("low", bed-bound, no caregiver) or 15 ("better", social-bound)."""
    low = {"feeding": "1", "grooming": "0", "transfer": "1", "toilet_use": "0", "mobility": "0", "dressing": "0",
           "stairs": "0", "bathing": "0", "bowels": "0", "bladder": "0", "caregiver": "none",
           "cognitive_impairment": "no", "end_of_life": "no"}
    better = {"feeding": "2", "grooming": "1", "transfer": "3", "toilet_use": "2", "mobility": "3", "dressing": "2",
              "stairs": "1", "bathing": "0", "bowels": "1", "bladder": "0", "caregiver": "family",
              "cognitive_impairment": "no", "end_of_life": "no"}
    return low if level == "low" else better


def record_barthel(actor: User, person: Any, level: str, on: date) -> Any:
    from chumchon.visits.services.assessments import assessment_record

    return assessment_record(actor=actor, instrument_code="barthel_adl", answers=barthel_answers(level),
                             assessed_on=on, person_id=person.pk)
