"""HSDS exchange: export, wipe, import, export again gives the same files; a bad row changes
nothing; our own file imported again updates nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chumchon.accounts.roles import Role
from chumchon.conftest import make_user
from chumchon.network import hsds
from chumchon.network.hsds_import import HsdsImportError, hsds_import
from chumchon.network.models import Organisation, Service
from chumchon.network.services.directory import organisation_create, service_create


@pytest.fixture
def admin(tambon: Any, village_a: Any, village_b: Any) -> Any:
    return make_user("admin", Role.ADMINISTRATOR, "93")


@pytest.fixture
def directory(admin: Any) -> dict[str, Any]:
    office = organisation_create(actor=admin, name="สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดพัทลุง",
                                 kind_code="provincial_office", area_code="93", email="pso@example.org",
                                 website="https://example.org/pso", covered_area_codes=["9311"])
    sao = organisation_create(actor=admin, name="อบต.ลำสินธุ์", kind_code="sao", area_code="931104",
                              parent_id=None, covered_area_codes=["93110401", "93110402"], phone="074-000000",
                              address="หมู่ 1 ถนนเพชรเกษม", latitude="7.561234", longitude="99.901",
                              description="=HYPERLINK(\"x\") องค์การบริหารส่วนตำบล")
    fund = organisation_create(actor=admin, name="กองทุนสวัสดิการชุมชนตำบลลำสินธุ์", kind_code="fund",
                               area_code="931104", parent_id=sao.pk, is_active=False)
    service_create(actor=admin, organisation=office, name="เงินอุดหนุนเพื่อการเลี้ยงดูเด็กแรกเกิด",
                   target_group_codes=["young_children", "poor_households"], support_kind_codes=["money"],
                   area_codes=["93"], eligibility="ครัวเรือนรายได้น้อย", capacity=500)
    service_create(actor=admin, organisation=sao, name="ซ่อมบ้านผู้ยากไร้",
                   target_group_codes=["poor_households", "elders"], support_kind_codes=["housing_repair"],
                   area_codes=["93110401", "93110402"])
    service_create(actor=admin, organisation=fund, name="สวัสดิการเกิด แก่ เจ็บ ตาย",
                   target_group_codes=["everyone"], support_kind_codes=["money"], area_codes=["931104"])
    return {"office": office, "sao": sao, "fund": fund}


def _snapshot() -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for org in Organisation.objects.order_by("name"):
        rows.append((org.name, org.kind.code, org.area_code, org.parent.name if org.parent else "",
                     sorted(org.areas.values_list("code", flat=True)), org.address, org.phone, org.is_active,
                     org.latitude, org.longitude, org.description))
    for service in Service.objects.order_by("name"):
        rows.append((service.name, service.organisation.name, service.capacity, service.eligibility,
                     sorted(service.target_groups.values_list("code", flat=True)),
                     sorted(service.support_kinds.values_list("code", flat=True)),
                     sorted(service.areas.values_list("code", flat=True))))
    return rows


def _files(path: Path) -> dict[str, bytes]:
    return {name: (path / name).read_bytes() for name in hsds.FILES}


def test_export_wipe_import_export_gives_identical_files(directory: Any, admin: Any, tmp_path: Path) -> None:
    before = _snapshot()
    call_command("network", "export-hsds", str(tmp_path / "one"))
    first = _files(tmp_path / "one")
    assert first[hsds.ORGANIZATION].startswith(b"\xef\xbb\xbf")
    text = first[hsds.ORGANIZATION].decode("utf-8-sig")
    assert "'=HYPERLINK" in text  # formula-safe
    assert "parent_organization_id" in text.splitlines()[0]
    assert "eligibility_description" in first[hsds.SERVICE].decode("utf-8-sig")
    Organisation.objects.all().delete()
    call_command("network", "import-hsds", str(tmp_path / "one"), "--user", "admin")
    assert _snapshot() == before
    call_command("network", "export-hsds", str(tmp_path / "two"))
    assert _files(tmp_path / "two") == first


def test_importing_our_own_export_changes_nothing(directory: Any, admin: Any) -> None:
    tables = hsds.export_tables(Organisation.objects.all())
    report = hsds_import(actor=admin, tables=dict(tables))
    assert report.counts == {"organisations unchanged": 3, "services unchanged": 3}
    assert Organisation.objects.count() == 3


def test_import_with_a_bad_row_changes_nothing(directory: Any, admin: Any) -> None:
    tables = hsds.export_tables(Organisation.objects.all())
    tables[hsds.ORGANIZATION][0]["name"] = "ชื่อใหม่"
    tables[hsds.ORGANIZATION].append({**tables[hsds.ORGANIZATION][1], "id": "new-1", "name": "ใหม่",
                                      "x_area_code": "99999999", "parent_organization_id": ""})
    tables[hsds.SERVICE][0]["x_support_kinds"] = "money;flying_carpets"
    before = _snapshot()
    with pytest.raises(HsdsImportError) as caught:
        hsds_import(actor=admin, tables=dict(tables))
    columns = {(error.file, error.column) for error in caught.value.errors}
    assert (hsds.ORGANIZATION, "x_area_code") in columns
    assert (hsds.SERVICE, "x_support_kinds") in columns
    assert _snapshot() == before


def test_import_refused_by_a_service_rolls_back_the_organisations_written_before(directory: Any, officer: Any
                                                                                 ) -> None:
    # The officer manages the tambon, not the province: the provincial office's changed row is refused
    # after the tambon's new organisation was written; nothing stays.
    tables = hsds.export_tables(Organisation.objects.all())
    for row in tables[hsds.ORGANIZATION]:
        row["description"] = "แก้ไข"
    tables[hsds.ORGANIZATION].append({"id": "new-2", "name": "กลุ่มออมทรัพย์บ้านลำสินธุ์", "x_kind": "savings_group",
                                      "x_area_code": "93110401"})
    with pytest.raises(HsdsImportError) as caught:
        hsds_import(actor=officer, tables=dict(tables))
    assert any(error.file == hsds.ORGANIZATION for error in caught.value.errors)
    assert not Organisation.objects.filter(name="กลุ่มออมทรัพย์บ้านลำสินธุ์").exists()
    assert not Organisation.objects.filter(description="แก้ไข").exists()


def test_service_without_area_and_parent_cycle_are_refused(directory: Any, admin: Any) -> None:
    tables = hsds.export_tables(Organisation.objects.all())
    tables[hsds.SERVICE_AREA] = [row for row in tables[hsds.SERVICE_AREA]
                                 if row["service_id"] != tables[hsds.SERVICE][0]["id"]]
    a, b = tables[hsds.ORGANIZATION][0], tables[hsds.ORGANIZATION][1]
    a["parent_organization_id"], b["parent_organization_id"] = b["id"], a["id"]
    with pytest.raises(HsdsImportError) as caught:
        hsds_import(actor=admin, tables=dict(tables))
    messages = [(error.file, error.column) for error in caught.value.errors]
    assert (hsds.SERVICE, "id") in messages
    assert (hsds.ORGANIZATION, "parent_organization_id") in messages


def test_import_command_reports_rows_and_exits_1(directory: Any, admin: Any, tmp_path: Path) -> None:
    tables = hsds.export_tables(Organisation.objects.all())
    tables[hsds.ORGANIZATION][0]["x_kind"] = "spaceship"
    hsds.write_directory(tables, tmp_path)
    with pytest.raises(CommandError):
        call_command("network", "import-hsds", str(tmp_path), "--user", "admin")


def test_zip_round_trip_reads_the_same_rows(directory: Any) -> None:
    tables = hsds.export_tables(Organisation.objects.all())
    back = hsds.read_zip(hsds.zip_bytes(tables))
    assert back == {name: tables[name] for name in hsds.FILES}
