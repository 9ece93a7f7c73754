"""The people pages in headless Chromium on a phone-sized screen: what only a browser can show —
results as you type, the duplicate warning while typing, the household picker, 'use my location'."""

from __future__ import annotations

import pytest

from chumchon.conftest import PASSWORD
from chumchon.people.models import Household, Person
from chumchon.people.services import household_create
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_results_come_as_you_type(phone, volunteer, person_a):
    log_in(phone, "vol_a", PASSWORD)
    phone.goto("/people/")
    phone.fill("#id_q", "ไม่มีใคร")
    phone.wait_for_url("**q=*")
    assert phone.locator("#results a.row").count() == 0
    phone.fill("#id_q", "ศรี")
    phone.locator("#results a.row", has_text="นางสมศรี ใจดี").wait_for()
    assert "3-5011-xxxxx-xx-9" in phone.locator("#results").inner_text()
    phone.locator("#results a.row").first.click()
    phone.wait_for_url(f"**/people/{person_a.pk}/")
    assert "ต.ลำสินธุ์" in phone.locator("main").inner_text()


def test_duplicate_warning_appears_while_typing_and_confirming_saves(phone, volunteer, person_a, household_a):
    log_in(phone, "vol_a", PASSWORD)
    phone.goto(f"/households/{household_a.pk}/members/new/")
    phone.fill("#id_first_name", "สมศรี")
    phone.fill("#id_last_name", "ใจดี")
    phone.fill("#id_birth_date", "๒๔๙๐")
    box = phone.locator("#duplicates .dup-box")
    box.wait_for()
    assert "นางสมศรี ใจดี" in box.inner_text()
    phone.select_option("#id_no_id_reason", "unknown")
    phone.locator("button[type=submit].primary").click()
    phone.locator(".form-errors").wait_for()
    assert Person.objects.filter(first_name="สมศรี").count() == 1
    phone.locator("input[name=confirm_new]").check()
    phone.locator("button[type=submit].primary").click()
    phone.wait_for_url(f"**/households/{household_a.pk}/")
    assert Person.objects.filter(first_name="สมศรี").count() == 2


def test_use_my_location_fills_the_coordinates(phone, volunteer, village_a):
    log_in(phone, "vol_a", PASSWORD)
    phone.goto("/households/new/")
    phone.fill("#id_house_no", "88")
    phone.locator("#use-location").click()
    phone.wait_for_function("document.getElementById('id_latitude').value !== ''")
    assert phone.input_value("#id_latitude") == "7.512345"
    phone.locator("button[type=submit].primary").click()
    phone.wait_for_url("**/households/*/")
    household = Household.objects.get(area=village_a, house_no="88")
    assert str(household.longitude) == "100.123456"


def test_household_picker_of_the_move_form(phone, officer, person_a, village_b):
    target = household_create(actor=officer, area_code=village_b.code, house_no="45")
    log_in(phone, "officer", PASSWORD)
    phone.goto(f"/people/{person_a.pk}/move/")
    phone.select_option("#id_village", village_b.code)
    phone.fill("#id_house_no", "45")
    radio = phone.locator(f"#household-picker input[value='{target.pk}']")
    radio.wait_for()
    radio.check()
    phone.locator("button[type=submit].primary").click()
    phone.wait_for_url(f"**/people/{person_a.pk}/")
    person_a.refresh_from_db()
    assert person_a.household_id == target.pk
