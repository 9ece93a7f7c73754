"""The tambon plan: needs rolled up by kind of support, dimension and village; programmes drafted
from them, edited, with budget lines; exported as Excel and a Thai PDF; officers only (404 else)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from chumchon.care.models import Dimension, Programme, ProgrammeStatus
from chumchon.care.services import plans as plan_svc
from chumchon.care.services import tambon_plan as svc
from chumchon.care.tambon_plan_selectors import needs_rollup
from chumchon.care.tests.plan_fixtures import *  # noqa: F403
from chumchon.care.tests.plan_fixtures import login, record_barthel
from chumchon.core.models import AuditEntry
from chumchon.people.validation import today
from chumchon.visits.tests.test_forums_views import pdf_text

YEAR = 2570


@pytest.fixture
def needs(volunteer, officer, person_a, village_a):
    record_barthel(volunteer, person_a, "low", today() - timedelta(days=5))
    plan = plan_svc.plan_open(actor=volunteer, person_id=person_a.pk)
    plan_svc.goal_add(actor=volunteer, plan_id=plan.pk, problem="หลังคารั่ว", description="ซ่อมหลังคา",
                      measure="evidence", support_kind="housing_repair")
    return person_a


def test_needs_roll_up_by_kind_dimension_and_village(officer, needs, village_a):
    tambon, cells = needs_rollup(user=officer)
    by_kind = {cell.support_kind.code: cell for cell in cells}
    assert tambon.code == "931104"
    assert by_kind["care_at_home"].people == 1 and by_kind["care_at_home"].dimension == Dimension.HEALTH
    assert by_kind["housing_repair"].by_village == {village_a.code: 1}
    assert by_kind["housing_repair"].dimension == Dimension.LIVING


def test_draft_makes_one_programme_per_kind_and_refreshes_drafts_only(officer, needs, village_a):
    made = svc.tambon_plan_draft(actor=officer, fiscal_year=YEAR)
    kinds = {p.support_kind.code for p in made if p.support_kind}
    assert {"care_at_home", "housing_repair", "rehabilitation", "assistive_devices"} <= kinds
    care = Programme.objects.get(support_kind__code="care_at_home", fiscal_year=YEAR)
    assert care.people_count == 1 and list(care.villages.values_list("code", flat=True)) == [village_a.code]
    svc.programme_update(actor=officer, programme_id=care.pk, name="เยี่ยมบ้านผู้ติดเตียง", status="approved",
                         progress=10)
    again = svc.tambon_plan_draft(actor=officer, fiscal_year=YEAR)
    assert len(again) == len(made) and Programme.objects.filter(fiscal_year=YEAR).count() == len(made)
    assert Programme.objects.get(pk=care.pk).name == "เยี่ยมบ้านผู้ติดเตียง"


def test_bad_programme_input_is_refused_with_the_field(officer, needs):
    programme = svc.tambon_plan_draft(actor=officer, fiscal_year=YEAR)[0]
    for kwargs, field in (({"fiscal_year": "70"}, "fiscal_year"),):
        with pytest.raises(ValidationError) as error:
            svc.tambon_plan_draft(actor=officer, **kwargs)
        assert field in error.value.message_dict
    for progress in ("101", "-1", "ห้าสิบ", "12.5"):
        with pytest.raises(ValidationError) as error:
            svc.programme_update(actor=officer, programme_id=programme.pk, name="x", status="draft",
                                 progress=progress)
        assert "progress" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        svc.programme_update(actor=officer, programme_id=programme.pk, name="x", status="nope", progress=0)
    assert "status" in error.value.message_dict
    for amount in ("-5", "abc", ""):
        with pytest.raises(ValidationError) as error:
            svc.budget_line_add(actor=officer, programme_id=programme.pk, description="d", amount=amount,
                                funding_source="อบต.")
        assert "amount" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        svc.budget_line_add(actor=officer, programme_id=programme.pk, description="d", amount="5", funding_source="")
    assert "funding_source" in error.value.message_dict


def test_volunteer_and_outsider_get_404(volunteer, outsider, officer, needs):
    programme = svc.tambon_plan_draft(actor=officer, fiscal_year=YEAR)[0]
    for user in (volunteer, outsider):
        with pytest.raises(Http404):
            svc.tambon_plan_draft(actor=user, fiscal_year=YEAR, area_code="931104")
        with pytest.raises(Http404):
            svc.budget_line_add(actor=user, programme_id=programme.pk, description="d", amount=1, funding_source="s")
        client = login(user)
        for url in ("/care/tambon-plan/?area=931104", f"/care/tambon-plan/programmes/{programme.pk}/",
                    f"/care/tambon-plan/{YEAR}.xlsx?area=931104", f"/care/tambon-plan/{YEAR}.pdf?area=931104"):
            assert client.get(url).status_code == 404, (user, url)


@pytest.fixture
def budgeted(officer, needs, agency):
    programme = Programme.objects.get(pk=next(p for p in svc.tambon_plan_draft(actor=officer, fiscal_year=YEAR)
                                          if p.support_kind and p.support_kind.code == "housing_repair").pk)
    svc.programme_update(actor=officer, programme_id=programme.pk, name="ซ่อมแซมบ้านผู้ยากไร้",
                         status=ProgrammeStatus.IN_PROGRESS, progress=40, responsible_organisation_id=agency.pk)
    svc.budget_line_add(actor=officer, programme_id=programme.pk, description="สังกะสีและค่าแรง",
                        amount="25,000", funding_source="กองทุนหลักประกันสุขภาพตำบล")
    svc.budget_line_add(actor=officer, programme_id=programme.pk, description="ห้องน้ำ", amount="12000.50",
                        funding_source="อบต.")
    return programme


def test_pages_show_needs_and_programmes(officer, budgeted):
    client = login(officer)
    html = client.get(f"/care/tambon-plan/?year={YEAR}").content.decode()
    assert 'data-kind="housing_repair"' in html and "ซ่อมแซมบ้านผู้ยากไร้" in html and "37,000.50" in html
    response = client.post(f"/care/tambon-plan/programmes/{budgeted.pk}/", {
        "form": "budget", "description": "ค่าขนส่ง", "amount": "500", "funding_source": "อบต."})
    assert response.status_code == 302 and budgeted.budget_lines.count() == 3
    assert client.post("/care/tambon-plan/draft/", {"fiscal_year": YEAR}).status_code == 302


def test_excel_export_opens_with_programmes_and_budget(officer, budgeted, tmp_path):
    from openpyxl import load_workbook

    response = login(officer).get(f"/care/tambon-plan/{YEAR}.xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    flat = [str(v) for row in values for v in row if v is not None]
    assert "ซ่อมแซมบ้านผู้ยากไร้" in flat and "กองทุนหลักประกันสุขภาพตำบล" in flat and "รพ.สต.ลำสินธุ์" in flat
    assert "2570" in flat[0]
    assert values[-1][5] == pytest.approx(37000.50)
    assert AuditEntry.objects.filter(verb="tambon_plan.export", data__format="xlsx").exists()


def test_pdf_export_is_thai_text(officer, budgeted, tmp_path):
    response = login(officer).get(f"/care/tambon-plan/{YEAR}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    assert "ซ่อมแซมบ้านผู้ยากไร้" in text and "กองทุนหลักประกันสุขภาพตำบล" in text and "2570" in text
    assert "37,000.50" in text and "สมศรี" not in text


def test_tambon_plan_api_drafts_edits_and_lists(officer, volunteer, outsider, needs, agency):
    from chumchon.api.testing import api_client

    client = api_client(officer)
    drafted = client.api_post("/tambon-plan/draft", {"fiscal_year": YEAR})
    assert drafted.status_code == 200, drafted.content
    repair = next(p for p in drafted.json() if p["support_kind"] == "housing_repair")
    assert repair["dimension"] == "living" and repair["people_count"] == 1
    bad = client.api_post(f"/tambon-plan/programmes/{repair['id']}/budget-lines",
                          {"description": "สังกะสี", "amount": "-1", "funding_source": "อบต."})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "amount"]
    added = client.api_post(f"/tambon-plan/programmes/{repair['id']}/budget-lines",
                            {"description": "สังกะสี", "amount": "2500", "funding_source": "อบต."})
    assert added.status_code == 201 and float(added.json()["budget_total"]) == 2500
    updated = client.api_post(f"/tambon-plan/programmes/{repair['id']}", {
        "name": "ซ่อมบ้าน", "status": "in_progress", "progress": 30, "responsible_organisation_id": agency.pk})
    assert updated.status_code == 200 and updated.json()["progress"] == 30
    assert client.api_post(f"/tambon-plan/programmes/{repair['id']}", {
        "name": "x", "status": "draft", "progress": 130}).json()["detail"][0]["loc"] == ["body", "progress"]
    listed = client.api_get("/tambon-plan/programmes", fiscal_year=YEAR).json()
    assert repair["id"] in [p["id"] for p in listed]
    for user in (volunteer, outsider):
        other = api_client(user)
        assert other.api_get(f"/tambon-plan/programmes/{repair['id']}").status_code == 404
        assert other.api_get("/tambon-plan/programmes", fiscal_year=YEAR, area="931104").status_code == 404
        assert other.api_post("/tambon-plan/draft", {"fiscal_year": YEAR, "area_code": "931104"}).status_code == 404
