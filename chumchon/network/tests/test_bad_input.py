"""Odd input to network writes is refused with a field error (or 404), never a server error:
coordinates that are not finite numbers, ids with non-ASCII digits ("²".isdigit() is true),
ids that are not numbers at all."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from chumchon.api.testing import api_client
from chumchon.conftest import PASSWORD
from chumchon.network import hsds
from chumchon.network.hsds_import import HsdsImportError, hsds_import
from chumchon.network.models import Organisation
from chumchon.network.services.centres import centre_create, enrolment_add
from chumchon.network.services.committees import attendance_record, committee_create, meeting_create, member_add
from chumchon.network.services.directory import organisation_create, organisation_update, relation_create

NOT_FINITE = ("NaN", "nan", "sNaN", "-NaN", "inf", "-Infinity")


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def sao(officer: Any) -> Any:
    return organisation_create(actor=officer, name="อบต.ลำสินธุ์", kind_code="sao", area_code="931104")


@pytest.fixture
def committee(officer: Any) -> Any:
    committee = committee_create(actor=officer, name="คณะทำงาน", area_code="931104")
    member_add(actor=officer, committee=committee, name="นายหนึ่ง", joined_on="2025-01-01")
    return committee


@pytest.fixture
def centre(officer: Any) -> Any:
    org = organisation_create(actor=officer, name="ศพด.", kind_code="child_centre", area_code="931104")
    return centre_create(actor=officer, organisation_id=org.pk)


@pytest.mark.parametrize("value", NOT_FINITE)
def test_coordinates_must_be_finite_numbers(officer: Any, sao: Any, value: str) -> None:
    for field in ("latitude", "longitude"):
        fields: dict[str, Any] = {field: value}
        with pytest.raises(ValidationError) as caught:
            organisation_update(actor=officer, organisation=sao, **fields)
        assert list(caught.value.message_dict) == [field]
        with pytest.raises(ValidationError) as caught:
            organisation_create(actor=officer, name=f"กลุ่ม {field}", kind_code="fund", area_code="931104",
                                **fields)
        assert list(caught.value.message_dict) == [field]


def test_not_a_number_coordinate_from_the_api_and_the_form_is_a_field_error(officer: Any, sao: Any) -> None:
    response = api_client(officer).patch(f"/api/v1/organisations/{sao.pk}", '{"latitude": NaN}',
                                         content_type="application/json")
    assert response.status_code == 422, response.content
    assert "latitude" in response.content.decode()
    form = {"name": "อบต.ลำสินธุ์", "kind_code": "sao", "area_code": "931104", "latitude": "NaN",
            "version": str(sao.version)}
    response = _client(officer).post(reverse("network-organisation-edit", args=[sao.pk]), form)
    assert response.status_code == 200
    assert response.context["form"].errors["latitude"]
    assert Organisation.objects.get(pk=sao.pk).latitude is None


def test_hsds_rows_with_odd_numbers_go_to_the_error_report(officer: Any) -> None:
    org = {"id": "o-1", "name": "กลุ่มออมทรัพย์", "x_kind": "savings_group", "x_area_code": "931104"}
    tables: dict[str, list[dict[str, str]] | None] = {
        hsds.ORGANIZATION: [org],
        hsds.LOCATION: [{"id": "l-1", "organization_id": "o-1", "latitude": "NaN", "longitude": "inf"}],
        hsds.SERVICE: [{"id": "s-1", "organization_id": "o-1", "name": "เงินกู้", "x_target_groups": "everyone",
                        "x_support_kinds": "money", "x_capacity": "²"}],
        hsds.SERVICE_AREA: [{"id": "a-1", "service_id": "s-1", "x_area_code": "931104"}]}
    with pytest.raises(HsdsImportError) as caught:
        hsds_import(actor=officer, tables=tables)
    refused = {(error.file, error.line, error.column) for error in caught.value.errors}
    assert refused == {(hsds.LOCATION, 2, "latitude"), (hsds.LOCATION, 2, "longitude"), (hsds.SERVICE, 2, "x_capacity")}
    assert not Organisation.objects.filter(name="กลุ่มออมทรัพย์").exists()


def test_ids_with_non_ascii_digits_are_refused_as_unknown(officer: Any, sao: Any, committee: Any, centre: Any
                                                          ) -> None:
    for call, field in (
        (lambda: committee_create(actor=officer, name="คณะ", area_code="931104", organisation_id="²"),
         "organisation_id"),
        (lambda: member_add(actor=officer, committee=committee, name="ก", user_id="²"), "user_id"),
        (lambda: enrolment_add(actor=officer, centre=centre, person_id="²", enrolled_on="2025-01-01"), "person_id"),
        (lambda: centre_create(actor=officer, organisation_id="²"), "organisation_id"),
        (lambda: relation_create(actor=officer, source=sao, target="²", kind="funds"), "target_id"),  # type: ignore[arg-type]
    ):
        with pytest.raises(ValidationError) as caught:
            call()
        assert list(caught.value.message_dict) == [field]
    meeting = meeting_create(actor=officer, committee=committee, held_on="2025-02-01")
    with pytest.raises(ValidationError) as caught:
        attendance_record(actor=officer, meeting=meeting, present={"²": True})
    assert list(caught.value.message_dict) == ["present"]


def test_odd_ids_posted_to_pages_answer_404_or_a_message(officer: Any, sao: Any, committee: Any, centre: Any
                                                         ) -> None:
    organisation_create(actor=officer, name="ศพด.ใหม่", kind_code="child_centre", area_code="931104")
    client = _client(officer)
    for value in ("abc", "²", "1.5"):
        response = client.post(reverse("centre-detail", args=[centre.pk]), {
            "action": "training", "caregiver_id": value, "course": "ก", "completed_on": "1/1/2568"})
        assert response.status_code == 404
        response = client.post(reverse("committee-detail", args=[committee.pk]), {"member_id": value, "left_on": ""})
        assert response.status_code == 404
        response = client.post(reverse("centre-list"), {"organisation_id": value})
        assert response.status_code == 200 and response.context["messages"]
        response = client.post(reverse("network-organisation-edit", args=[sao.pk]), {
            "name": "อบต.ลำสินธุ์", "kind_code": "sao", "area_code": "931104", "version": value})
        assert response.status_code in (200, 302)
