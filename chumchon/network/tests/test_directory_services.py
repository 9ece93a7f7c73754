"""Directory writes: each bad input is refused with a message at its field and writes nothing;
scope is the organisation's home area; every write is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from chumchon.accounts.roles import Role
from chumchon.conftest import make_user
from chumchon.core.errors import StaleEdit
from chumchon.core.models import AuditEntry
from chumchon.network.errors import DuplicateOrganisation
from chumchon.network.models import Organisation, OrganisationStaff, Relation, Service, Term
from chumchon.network.services.directory import (
    organisation_create,
    organisation_update,
    relation_create,
    relation_delete,
    service_create,
    service_update,
    staff_add,
)
from chumchon.network.services.terms import term_create


@pytest.fixture
def admin(tambon: Any) -> Any:
    return make_user("admin", Role.ADMINISTRATOR, "93")


@pytest.fixture
def sao(officer: Any, village_a: Any) -> Organisation:
    return organisation_create(actor=officer, name="อบต.ลำสินธุ์", kind_code="sao", area_code="931104",
                               covered_area_codes=["931104"], phone="074-000000")


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_officer_registers_organisation_audited(officer: Any, sao: Organisation) -> None:
    assert sao.kind.code == "sao" and sao.area_id == "931104"
    assert list(sao.areas.values_list("code", flat=True)) == ["931104"]
    assert AuditEntry.objects.filter(verb="organisation.create", object_id=str(sao.pk)).exists()


def test_volunteer_cannot_register_organisation(volunteer: Any) -> None:
    with pytest.raises(Http404):
        organisation_create(actor=volunteer, name="กลุ่ม", kind_code="community_group", area_code="93110401")


def test_officer_cannot_register_at_province(officer: Any) -> None:
    with pytest.raises(Http404):
        organisation_create(actor=officer, name="พมจ.", kind_code="provincial_office", area_code="93")


def test_unknown_kind_is_refused_naming_the_code(officer: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        organisation_create(actor=officer, name="กลุ่ม", kind_code="spaceship", area_code="931104")
    assert "spaceship" in errors_of(exc)["kind_code"][0]
    assert not Organisation.objects.exists()


def test_same_name_in_same_area_warns_and_offers_existing(officer: Any, sao: Organisation) -> None:
    with pytest.raises(DuplicateOrganisation) as exc:
        organisation_create(actor=officer, name="  อบต.ลำสินธุ์ ", kind_code="sao", area_code="931104")
    assert exc.value.existing == [sao]
    assert f"#{sao.pk}" in exc.value.message_dict["name"][0]
    assert "confirm_new" in exc.value.message_dict
    again = organisation_create(actor=officer, name="อบต.ลำสินธุ์", kind_code="sao", area_code="931104",
                                confirm_new=True)
    assert again.pk != sao.pk


def test_same_name_in_another_area_is_fine(officer: Any, sao: Organisation, village_a: Any) -> None:
    organisation_create(actor=officer, name="อบต.ลำสินธุ์", kind_code="sao", area_code=village_a.code)


def test_covered_area_outside_home_is_refused(officer: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        organisation_create(actor=officer, name="กลุ่ม", kind_code="community_group", area_code="931104",
                            covered_area_codes=["931101"])
    assert "covered_area_codes" in errors_of(exc)


def test_parent_cycle_is_refused(officer: Any, sao: Organisation) -> None:
    centre = organisation_create(actor=officer, name="ศพด.", kind_code="child_centre", area_code="931104",
                                 parent_id=sao.pk)
    unit = organisation_create(actor=officer, name="ห้องเรียน", kind_code="child_centre", area_code="931104",
                               parent_id=centre.pk)
    with pytest.raises(ValidationError) as exc:
        organisation_update(actor=officer, organisation=sao, parent_id=unit.pk)
    assert "parent_id" in errors_of(exc)
    with pytest.raises(ValidationError):
        organisation_update(actor=officer, organisation=sao, parent_id=sao.pk)
    sao.refresh_from_db()
    assert sao.parent_id is None


def test_stale_update_is_refused(officer: Any, sao: Organisation) -> None:
    organisation_update(actor=officer, organisation=sao, version=1, phone="1")
    with pytest.raises(StaleEdit):
        organisation_update(actor=officer, organisation=sao, version=1, phone="2")
    sao.refresh_from_db()
    assert sao.phone == "1" and sao.version == 2


def test_bad_email_and_unknown_field_refused(officer: Any, sao: Organisation) -> None:
    with pytest.raises(ValidationError) as exc:
        organisation_update(actor=officer, organisation=sao, email="not-an-email")
    assert "email" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        organisation_update(actor=officer, organisation=sao, colour="red")
    assert "colour" in errors_of(exc)


def test_service_needs_area_and_known_terms(officer: Any, sao: Organisation) -> None:
    base = {"actor": officer, "organisation": sao, "name": "เบี้ยยังชีพ", "target_group_codes": ["elders"],
            "support_kind_codes": ["money"], "area_codes": ["931104"]}
    with pytest.raises(ValidationError) as exc:
        service_create(**{**base, "area_codes": []})
    assert "area_codes" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        service_create(**{**base, "target_group_codes": ["elders", "aliens"]})
    assert "aliens" in errors_of(exc)["target_group_codes"][0]
    with pytest.raises(ValidationError) as exc:
        service_create(**{**base, "support_kind_codes": ["magic"]})
    assert "magic" in errors_of(exc)["support_kind_codes"][0]
    with pytest.raises(ValidationError) as exc:
        service_create(**{**base, "area_codes": ["931101"]})
    assert "area_codes" in errors_of(exc)
    assert not Service.objects.exists()
    service = service_create(**base, capacity="120")
    assert service.capacity == 120
    service_update(actor=officer, service=service, support_kind_codes=["money", "goods"])
    assert sorted(service.support_kinds.values_list("code", flat=True)) == ["goods", "money"]
    assert AuditEntry.objects.filter(verb="service.update").exists()


def test_relation_rules(officer: Any, sao: Organisation, outsider: Any) -> None:
    centre = organisation_create(actor=officer, name="ศพด.", kind_code="child_centre", area_code="931104")
    with pytest.raises(ValidationError) as exc:
        relation_create(actor=officer, source=sao, target=sao, kind="funds")
    assert "target_id" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        relation_create(actor=officer, source=sao, target=centre, kind="funds", started_on="1/10/2568",
                        ended_on="30/09/2567")
    assert "ended_on" in errors_of(exc)
    with pytest.raises(ValidationError):
        relation_create(actor=officer, source=sao, target=centre, kind="befriends")
    relation = relation_create(actor=officer, source=sao, target=centre, kind="funds", started_on="1/10/2568")
    assert relation.started_on is not None and relation.started_on.year == 2025
    with pytest.raises(ValidationError):
        relation_create(actor=officer, source=sao, target=centre, kind="funds")
    with pytest.raises(Http404):
        relation_delete(actor=outsider, relation=relation)
    relation_delete(actor=officer, relation=relation)
    assert not Relation.objects.exists()


def test_relation_target_must_be_visible(officer: Any, sao: Organisation, admin: Any) -> None:
    elsewhere = organisation_create(actor=admin, name="อบต.ชุมพล", kind_code="sao", area_code="931101")
    with pytest.raises(ValidationError):
        relation_create(actor=officer, source=sao, target=elsewhere, kind="coordinates")


def test_staff_must_be_member_of_an_area_the_organisation_works_in(officer: Any, sao: Organisation,
                                                                   volunteer: Any, outsider: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        staff_add(actor=officer, organisation=sao, user=outsider)
    assert "user" in errors_of(exc)
    staff_add(actor=officer, organisation=sao, user=volunteer, position="นักพัฒนาชุมชน")
    assert OrganisationStaff.objects.filter(organisation=sao, user=volunteer).exists()
    with pytest.raises(ValidationError):
        staff_add(actor=officer, organisation=sao, user=volunteer)


def test_only_administrator_adds_terms(officer: Any, admin: Any) -> None:
    with pytest.raises(Http404):
        term_create(actor=officer, vocabulary="support_kind", code="sign_language", label_th="ล่ามภาษามือ")
    term = term_create(actor=admin, vocabulary="support_kind", code="sign_language", label_th="ล่ามภาษามือ")
    assert Term.objects.get(vocabulary="support_kind", code="sign_language") == term
    with pytest.raises(ValidationError) as exc:
        term_create(actor=admin, vocabulary="support_kind", code="sign_language", label_th="ซ้ำ")
    assert "code" in exc.value.message_dict
    with pytest.raises(ValidationError):
        term_create(actor=admin, vocabulary="support_kind", code="Bad Code!", label_th="x")
    with pytest.raises(ValidationError):
        term_create(actor=admin, vocabulary="colours", code="red", label_th="แดง")
