"""Child development centres: enrolment refusals, support totals, quality assessment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from chumchon.network.selectors.centres import centre_list, enrolment_list, support_summary
from chumchon.network.services.centres import (
    caregiver_add,
    centre_assess,
    centre_create,
    enrolment_add,
    support_add,
    training_add,
)
from chumchon.network.services.directory import organisation_create
from chumchon.people.services import person_create

GOOD = {"building_safety": "met", "hygiene_food": "met", "caregiver_ratio": "partly", "learning_activities": "met",
        "development_screening": "met", "parent_involvement": "met"}


@pytest.fixture
def sao(officer: Any) -> Any:
    return organisation_create(actor=officer, name="อบต.ลำสินธุ์", kind_code="sao", area_code="931104")


@pytest.fixture
def centre(officer: Any, sao: Any) -> Any:
    org = organisation_create(actor=officer, name="ศูนย์พัฒนาเด็กเล็ก อบต.ลำสินธุ์", kind_code="child_centre",
                              area_code="93110401")
    return centre_create(actor=officer, organisation_id=org.pk, owner_id=sao.pk, capacity=40)


def _child(officer: Any, household: Any, name: str, born: str) -> Any:
    return person_create(actor=officer, household=household, first_name=name, last_name="ทดสอบ", sex="male",
                         birth_date=born, relation_to_head="grandchild", no_id_reason="unknown")


def test_centre_needs_a_child_centre_organisation_and_a_local_government_owner(officer: Any, sao: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        centre_create(actor=officer, organisation_id=sao.pk)
    assert "organisation_id" in caught.value.message_dict
    org = organisation_create(actor=officer, name="ศูนย์ ก", kind_code="child_centre", area_code="931104")
    temple = organisation_create(actor=officer, name="วัด", kind_code="temple", area_code="931104")
    with pytest.raises(ValidationError) as caught:
        centre_create(actor=officer, organisation_id=org.pk, owner_id=temple.pk)
    assert "owner_id" in caught.value.message_dict


def test_enrolment_refuses_old_children_unknown_births_and_outsiders(officer: Any, centre: Any, household_a: Any,
                                                                     person_a: Any, outsider: Any) -> None:
    child = _child(officer, household_a, "น้องเก่ง", "2022-06-01")
    enrolment = enrolment_add(actor=officer, centre=centre, person_id=child.pk, enrolled_on="1/5/2568")
    assert enrolment.enrolled_on == date(2025, 5, 1)
    with pytest.raises(ValidationError) as caught:
        enrolment_add(actor=officer, centre=centre, person_id=child.pk, enrolled_on="2025-06-01")
    assert "person_id" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        enrolment_add(actor=officer, centre=centre, person_id=person_a.pk, enrolled_on="2025-05-01")
    assert "7" in caught.value.message_dict["person_id"][0]
    seven = _child(officer, household_a, "น้องเจ็ด", "2018-05-01")
    with pytest.raises(ValidationError):
        enrolment_add(actor=officer, centre=centre, person_id=seven.pk, enrolled_on="2025-05-01")
    with pytest.raises(Http404):
        enrolment_add(actor=outsider, centre=centre, person_id=child.pk, enrolled_on="2025-05-01")
    assert [e.person_id for e in enrolment_list(user=officer, centre=centre)] == [child.pk]


def test_enrolment_refuses_a_person_outside_the_actors_names_reach(officer: Any, centre: Any, other_village: Any
                                                                   ) -> None:
    from chumchon.accounts.roles import Role
    from chumchon.conftest import make_user
    from chumchon.people.services import household_create

    other_officer = make_user("other_officer", Role.TAMBON_OFFICER, "931101")
    house = household_create(actor=other_officer, area_code=other_village.code, house_no="1")
    far = _child(other_officer, house, "น้องไกล", "2022-01-01")
    with pytest.raises(ValidationError) as caught:
        enrolment_add(actor=officer, centre=centre, person_id=far.pk, enrolled_on="2025-05-01")
    assert "person_id" in caught.value.message_dict


def test_support_totals_per_giver_and_kind(officer: Any, centre: Any, sao: Any) -> None:
    support_add(actor=officer, centre=centre, giver_id=sao.pk, kind_code="money", description="งบอาหารกลางวัน",
                received_on="2025-10-01", value_baht="120,000")
    support_add(actor=officer, centre=centre, giver_id=sao.pk, kind_code="goods", description="มุ้งลวด",
                received_on="2025-11-01", value_baht=8500)
    support_add(actor=officer, centre=centre, giver_name="วัดลำสินธุ์", kind_code="food", description="ข้าวสาร",
                received_on="2025-12-01")
    support_add(actor=officer, centre=centre, giver_name="วัดลำสินธุ์", kind_code="goods", description="ของเล่น",
                received_on="2025-12-05", value_baht="1500.50")
    with pytest.raises(ValidationError):
        support_add(actor=officer, centre=centre, giver_name="x", kind_code="goods", description="y",
                    received_on="2025-12-05", value_baht=-1)
    with pytest.raises(ValidationError):
        support_add(actor=officer, centre=centre, kind_code="goods", description="y", received_on="2025-12-05")
    with pytest.raises(ValidationError):
        support_add(actor=officer, centre=centre, giver_name="x", kind_code="magic", description="y",
                    received_on="2025-12-05")
    with translation.override("th"):  # kinds are labelled in the active language
        summary = support_summary(user=officer, centre=centre)
    assert summary.total == Decimal("130000.50")
    assert summary.by_giver == [("อบต.ลำสินธุ์", Decimal("128500"), 2), ("วัดลำสินธุ์", Decimal("1500.50"), 2)]
    kinds = {label: (total, count) for label, total, count in summary.by_kind}
    assert kinds["สิ่งของ"] == (Decimal("10000.50"), 2)
    assert kinds["อาหาร"] == (Decimal("0"), 1)


def test_quality_assessment_scores_and_bands(officer: Any, centre: Any) -> None:
    row = centre_assess(actor=officer, centre=centre, answers=GOOD, assessed_on="15/01/2569")
    assert (row.score, row.classification) == (Decimal("11"), "good")
    assert row.result["to_improve"] == ["caregiver_ratio"]
    assert row.result["due_on"] == "2027-01-15"
    poor = dict.fromkeys(GOOD, "not_met") | {"hygiene_food": "partly"}
    assert centre_assess(actor=officer, centre=centre, answers=poor, assessed_on="2026-02-01").classification \
        == "needs_improvement"
    with pytest.raises(ValidationError) as caught:
        centre_assess(actor=officer, centre=centre, answers={"building_safety": "met"}, assessed_on="2026-02-01")
    assert "hygiene_food" in caught.value.message_dict


def test_caregivers_trainings_and_outsider(officer: Any, centre: Any, outsider: Any) -> None:
    caregiver = caregiver_add(actor=officer, centre=centre, name="ครูสมศรี", position="ครูผู้ดูแลเด็ก")
    training = training_add(actor=officer, caregiver=caregiver, course="DSPM", completed_on="2025-08-01", hours=12)
    assert training.hours == 12
    with pytest.raises(Http404):
        caregiver_add(actor=outsider, centre=centre, name="x")
    assert list(centre_list(user=outsider)) == []
