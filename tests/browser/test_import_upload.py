"""An officer imports an Excel list from the browser: upload, map the key column, run it in the
background (the worker runs here), watch the progress turn into the summary, download the errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command

from chumchon.conftest import PASSWORD
from chumchon.linkage.models import ImportJob, SourceRecord
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def imports_root(settings: Any, tmp_path: Path) -> None:
    settings.IMPORTS_ROOT = tmp_path / "imports"


def elders_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ผู้สูงอายุ"
    sheet.append(["ลำดับ", "คำนำหน้า", "ชื่อ", "นามสกุล", "วันเกิด", "หมู่", "หมายเหตุ"])
    sheet.append([1, "นาง", "สมศรี", "ใจดี", "12/04/2490", 1, ""])
    sheet.append([2, "นาย", "สมชาย", "ใจดี", "1 มกราคม 2485", 1, ""])
    sheet.append([3, "นาง", "มาลี", "ศรีสุข", "หลังสงกรานต์", 2, "@SUM(1+1)*cmd|' /C calc'!A0"])
    book.save(path)
    return path


def test_officer_uploads_an_excel_list_maps_the_key_runs_it_and_downloads_the_error_report(
        phone: Any, officer: Any, tmp_path: Path) -> None:
    page = phone
    log_in(page, officer.username, PASSWORD)
    page.goto("/imports/")
    page.fill("#id_new_source", "ทะเบียนผู้สูงอายุ รพ.สต.")
    page.select_option("#id_area", "931104")
    page.set_input_files("#id_file", str(elders_xlsx(tmp_path / "elders.xlsx")))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url("**/map/")
    assert "ผู้สูงอายุ" in page.locator("#id_sheet").inner_text()
    assert page.get_by_text("สมชาย").first.is_visible()  # the preview of the first rows
    page.select_option("#col0", "source_key")
    page.click("button[name=run]")
    page.wait_for_url("**/imports/*/")
    page.get_by_text("รอเครื่องประมวลผล").wait_for()

    call_command("worker", "--once")  # what `chumchon serve` runs beside the web server

    summary = page.locator("[data-testid=summary]")
    summary.wait_for(timeout=15_000)  # the page polls every second
    assert "ใหม่ 2" in summary.inner_text() and "ไม่รับ 1" in summary.inner_text()
    assert SourceRecord.objects.filter(source__name="ทะเบียนผู้สูงอายุ รพ.สต.").count() == 2
    with page.expect_download() as download_info:
        page.get_by_text("ดาวน์โหลดรายงานแถวที่ไม่รับ").click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1][0] == "4" and "หลังสงกรานต์" in rows[1][1]
    assert rows[1][-1].startswith("'@")  # a formula in the list never runs in Excel
    assert ImportJob.objects.get().status == "done"
