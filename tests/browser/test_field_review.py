"""The field-work pages after a visit, on a phone-sized screen: the officer's alert inbox (a
bed-bound elder with no caregiver), the volunteer's visits due, verification by a second
volunteer with an evidence photo, and the village forum that confirms or disputes the list."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from chumchon.accounts.roles import Role
from chumchon.conftest import PASSWORD, make_user
from chumchon.core.review import ReviewStatus
from chumchon.core.thai import format_be
from chumchon.people.models import Person
from chumchon.people.services import person_create
from chumchon.people.validation import today
from chumchon.visits.models import Assessment, Review
from chumchon.visits.services.assessments import assessment_record, visit_start
from chumchon.visits.tests.test_api_assessments import barthel
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

S = ReviewStatus


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"


def small_jpeg(tmp_path: Path) -> Path:
    path = tmp_path / "evidence.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 150, 200)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def second_elder(officer: Any, household: Any) -> Person:
    return person_create(actor=officer, household=household, title="นาย", first_name="สมชาย", last_name="ใจดี",
                         sex="male", birth_date="3/3/2485", national_id="3501100001247", relation_to_head="spouse")


def bed_bound_without_caregiver(volunteer: Any, person: Person, visit: Any = None) -> Assessment:
    return assessment_record(actor=volunteer, instrument_code="barthel_adl", answers=barthel(2, "none"),
                             assessed_on=today(), person_id=person.pk, visit=visit)


def badge(page: Any) -> str:
    return page.locator("a.alerts-link .badge").inner_text().strip()


def test_officer_acknowledges_a_no_caregiver_alert_and_the_badge_drops(phone, volunteer, officer, household_a,
                                                                       person_a):
    bed_bound_without_caregiver(volunteer, person_a)
    bed_bound_without_caregiver(volunteer, second_elder(officer, household_a))

    log_in(phone, "officer", PASSWORD)
    assert badge(phone) == "2"
    phone.locator("a.alerts-link").click()
    phone.wait_for_url("**/alerts/")
    row = phone.locator(".alert-list li.alert", has_text="สมศรี")
    assert "ติดเตียงและไม่มีผู้ดูแล" in row.inner_text()  # the flag's Thai label from the instrument
    assert "sev-urgent" in (row.get_attribute("class") or "")
    assert row.locator(".alert-status").inner_text() == "รอดำเนินการ"

    row.locator("form[action$='/acknowledge/'] button").click()
    row = phone.locator(".alert-list li.alert", has_text="สมศรี")
    row.locator(".alert-status", has_text="รับทราบแล้ว").wait_for()  # the row swapped in place (htmx)
    assert row.locator("form[action$='/acknowledge/']").count() == 0
    assert badge(phone) == "1"  # updated with the row, no reload needed

    phone.reload()
    assert badge(phone) == "1"
    assert phone.locator(".alert-list li.alert", has_text="สมศรี").locator(".alert-status").inner_text() \
        == "รับทราบแล้ว"


def test_volunteer_sees_a_never_assessed_elder_due_and_starts_the_visit(phone, volunteer, household_a, person_a):
    log_in(phone, "vol_a", PASSWORD)
    phone.goto("/visits/due/")
    row = phone.locator('.due-row[data-instrument="barthel_adl"]', has_text="สมศรี")
    assert row.count() == 1
    row.locator(f'a[href="/visits/new/{household_a.pk}/"]').click()
    phone.wait_for_url(f"**/visits/new/{household_a.pk}/")
    assert phone.locator(f'input[name=present][value="{person_a.pk}"]').count() == 1


def test_second_volunteer_verifies_with_a_photo_and_the_collector_cannot(phone, volunteer, village_a, household_a,
                                                                         person_a, tmp_path):
    visit = visit_start(actor=volunteer, household_id=household_a.pk, present_ids=[person_a.pk])
    assessment = bed_bound_without_caregiver(volunteer, person_a, visit)
    assert assessment.review_status == S.SUBMITTED
    make_user("vol_a2", Role.VOLUNTEER, village_a.code, display_name="อสม. หมู่ 1 คนที่สอง")
    item = f"#assessment-{assessment.pk}"

    log_in(phone, "vol_a", PASSWORD)  # the collector: told someone else must verify
    phone.goto("/review/")
    mine = phone.locator(item)
    assert "สมศรี" in mine.inner_text()
    assert mine.locator("form[action$='/verify/']").count() == 0
    assert "คนอื่นต้องไปเยี่ยมและตรวจสอบ" in mine.locator(".help").inner_text()
    phone.context.clear_cookies()

    log_in(phone, "vol_a2", PASSWORD)
    phone.goto("/review/")
    record = phone.locator(item)
    assert "ติดเตียง" in record.inner_text()  # the result's Thai label, not its code
    record.locator("details.verify-form summary").first.click()
    record.locator("input[name=visited_on]").fill(format_be(today() - timedelta(days=1), style="numeric"))
    record.locator("input[type=file][name=photo]").set_input_files(str(small_jpeg(tmp_path)))
    record.locator("form[action$='/verify/'] button[type=submit]").click()
    phone.wait_for_url(re.compile(r"/review/"))
    assert "ตรวจสอบข้อมูลแล้ว" in phone.locator("ul.messages").inner_text()
    assert phone.locator(item).count() == 0  # no longer waiting

    assessment.refresh_from_db()
    assert assessment.review_status == S.VERIFIED
    review = Review.objects.get(assessment=assessment, to_status=S.VERIFIED)
    assert review.photo is not None and review.photo.width == 320
    phone.goto(f"/visits/{visit.pk}/assessments/{assessment.pk}/")
    assert "ตรวจสอบแล้ว" in phone.locator("main").inner_text()


def test_officer_runs_a_village_forum_prints_the_list_and_marks_people(phone, officer, village_a, household_a,
                                                                      person_a):
    other = second_elder(officer, household_a)
    Person.objects.filter(pk__in=[person_a.pk, other.pk]).update(review_status=S.VERIFIED)

    log_in(phone, "officer", PASSWORD)
    phone.goto("/forums/")
    phone.select_option("#id_area_code", village_a.code)
    phone.fill("#id_held_on", format_be(today(), style="numeric"))
    phone.fill("#id_place", "ศาลาหมู่บ้าน")
    phone.locator("form button[type=submit].primary").click()
    phone.wait_for_url(re.compile(r"/forums/\d+/$"))
    forum_id = int(re.search(r"/forums/(\d+)/", phone.url).group(1))  # type: ignore[union-attr]

    href = phone.locator("a[href$='/pdf']").get_attribute("href")
    pdf = phone.request.get(href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    phone.locator(f"#p{person_a.pk} form:has(input[value=confirmed]) button").click()
    phone.wait_for_url(re.compile(rf"/forums/{forum_id}/"))
    disputed = phone.locator(f"#p{other.pk}")
    disputed.locator("details:has(input[value=disputed]) summary").click()
    disputed.locator("textarea[name=reason]").fill("ย้ายไปอยู่กับลูกที่หาดใหญ่แล้ว")
    disputed.locator("form:has(input[value=disputed]) button[type=submit]").click()
    phone.wait_for_url(re.compile(rf"/forums/{forum_id}/"))
    assert "ย้ายไปอยู่กับลูกที่หาดใหญ่แล้ว" in phone.locator(f"#p{other.pk}").inner_text()
    assert phone.locator(".forum-counts .outcome-confirmed").inner_text().endswith(": 1")
    assert phone.locator(".forum-counts .outcome-disputed").inner_text().endswith(": 1")

    phone.goto("/forums/")
    assert "<" not in phone.title() and phone.locator("table.forum-progress").count() == 1
    headers = [text.strip() for text in phone.locator("table.forum-progress thead tr").nth(1)
               .locator("th").all_inner_texts()]
    row = phone.locator("table.forum-progress tbody tr", has_text="บ้านลำสินธุ์")
    cells = [text.strip() for text in row.locator("td").all_inner_texts()]
    people = dict(zip(headers[:len(headers) // 2], cells[:len(headers) // 2], strict=True))
    assert people["ประชาคมรับรองแล้ว"] == "1" and people["มีข้อโต้แย้งในเวทีประชาคม"] == "1"
    assert people["ตรวจสอบแล้ว"] == "0"
