"""Ids sent to network writes are looked up within the actor's reach: another tambon's
organisation or user answers exactly like an id that does not exist, and an HSDS upload matches
existing records only among those the uploader sees."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from chumchon.accounts.roles import Role
from chumchon.api.testing import api_client
from chumchon.conftest import OTHER_TAMBON, make_user
from chumchon.network import hsds
from chumchon.network.hsds_import import HsdsImportError, hsds_import
from chumchon.network.models import Organisation
from chumchon.network.services.centres import caregiver_add, centre_create, support_add
from chumchon.network.services.committees import committee_create, member_add, member_update
from chumchon.network.services.directory import organisation_create

MISSING = 987654


@pytest.fixture
def other_officer(other_village: Any) -> Any:
    return make_user("other_officer", Role.TAMBON_OFFICER, OTHER_TAMBON)


@pytest.fixture
def theirs(other_officer: Any) -> dict[str, Any]:
    """Another tambon's directory: a local government, a centre, a fund."""
    return {
        "sao": organisation_create(actor=other_officer, name="อบต.ชุมพล", kind_code="sao", area_code=OTHER_TAMBON),
        "centre_org": organisation_create(actor=other_officer, name="ศพด.ชุมพล", kind_code="child_centre",
                                          area_code=OTHER_TAMBON),
        "fund": organisation_create(actor=other_officer, name="กองทุนลับชุมพล", kind_code="fund",
                                    area_code=OTHER_TAMBON, external_id="fund-1"),
    }


@pytest.fixture
def centre(officer: Any) -> Any:
    org = organisation_create(actor=officer, name="ศพด.ลำสินธุ์", kind_code="child_centre", area_code="931104")
    return centre_create(actor=officer, organisation_id=org.pk)


def _refusal(call: Any, **kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


def test_support_giver_of_another_tambon_is_refused_like_an_unknown_id(officer: Any, centre: Any,
                                                                        theirs: dict[str, Any]) -> None:
    common = {"actor": officer, "centre": centre, "kind_code": "money", "description": "ทุน",
              "received_on": "2025-01-01"}
    unknown = _refusal(support_add, giver_id=MISSING, **common)
    assert _refusal(support_add, giver_id=theirs["sao"].pk, **common) == unknown
    response = api_client(officer).post(f"/api/v1/centres/{centre.pk}/support", {
        "kind_code": "money", "description": "ทุน", "received_on": "2025-01-01", "giver_id": theirs["sao"].pk},
        content_type="application/json")
    assert response.status_code == 422
    assert "อบต.ชุมพล" not in response.content.decode()


def test_committee_and_member_organisation_of_another_tambon_is_refused(officer: Any,
                                                                        theirs: dict[str, Any]) -> None:
    unknown = _refusal(committee_create, actor=officer, name="คณะ", area_code="931104", organisation_id=MISSING)
    assert _refusal(committee_create, actor=officer, name="คณะ", area_code="931104",
                    organisation_id=theirs["sao"].pk) == unknown
    committee = committee_create(actor=officer, name="คณะ", area_code="931104")
    assert _refusal(member_add, actor=officer, committee=committee, name="ก",
                    organisation_id=theirs["fund"].pk) == unknown
    member = member_add(actor=officer, committee=committee, name="ก")
    assert _refusal(member_update, actor=officer, member=member, organisation_id=theirs["fund"].pk) == unknown


def test_centre_of_another_tambon_answers_like_an_unknown_id(officer: Any, theirs: dict[str, Any]) -> None:
    unknown = _refusal(centre_create, actor=officer, organisation_id=MISSING)
    assert _refusal(centre_create, actor=officer, organisation_id=theirs["centre_org"].pk) == unknown
    ours = organisation_create(actor=officer, name="ศพด.ใหม่", kind_code="child_centre", area_code="931104")
    unknown_owner = _refusal(centre_create, actor=officer, organisation_id=ours.pk, owner_id=MISSING)
    assert _refusal(centre_create, actor=officer, organisation_id=ours.pk,
                    owner_id=theirs["sao"].pk) == unknown_owner


def test_linked_user_must_work_in_or_above_the_area(officer: Any, volunteer: Any, coordinator: Any,
                                                   outsider: Any, centre: Any) -> None:
    committee = committee_create(actor=officer, name="คณะ", area_code="931104")
    unknown = _refusal(member_add, actor=officer, committee=committee, name="ก", user_id=MISSING)
    assert _refusal(member_add, actor=officer, committee=committee, name="ก", user_id=outsider.pk) == unknown
    assert member_add(actor=officer, committee=committee, name="อสม.", user_id=volunteer.pk).user == volunteer
    assert member_add(actor=officer, committee=committee, name="ผู้ประสาน", user_id=coordinator.pk).user == coordinator
    assert "user_id" in _refusal(caregiver_add, actor=officer, centre=centre, name="ครู", user_id=outsider.pk)
    volunteer.is_active = False
    volunteer.save()
    assert _refusal(member_add, actor=officer, committee=committee, name="ก", user_id=volunteer.pk) == unknown


def test_hsds_upload_does_not_match_records_of_other_areas(officer: Any, theirs: dict[str, Any]) -> None:
    # The same id as another tambon's fund, registered in our tambon: a new organisation of ours.
    row = {"id": "fund-1", "name": "กองทุนตำบลลำสินธุ์", "x_kind": "fund", "x_area_code": "931104"}
    report = hsds_import(actor=officer, tables={hsds.ORGANIZATION: [row]})
    assert report.counts == {"organisations created": 1}
    assert Organisation.objects.get(pk=theirs["fund"].pk).name == "กองทุนลับชุมพล"
    # Their fund, word for word: refused exactly as a record that does not exist there.
    exact = {"id": "fund-1", "name": "กองทุนลับชุมพล", "x_kind": "fund", "x_area_code": OTHER_TAMBON}
    missing = {**exact, "id": "fund-2", "name": "กองทุนที่ไม่มี"}
    answers = []
    for candidate in (exact, missing):
        with pytest.raises(HsdsImportError) as caught:
            hsds_import(actor=officer, tables={hsds.ORGANIZATION: [candidate]})
        answers.append([(e.file, e.line, e.column, e.message) for e in caught.value.errors])
    assert answers[0] == answers[1]
