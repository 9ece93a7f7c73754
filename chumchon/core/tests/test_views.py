"""The overview dashboard and the audit log: who sees which counts and which entries."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from chumchon.accounts.models import User
from chumchon.accounts.roles import Role
from chumchon.areas.models import Area
from chumchon.areas.services import local_area_update, village_create
from chumchon.conftest import OTHER_TAMBON, TAMBON, make_user
from chumchon.core.audit import log_action
from chumchon.core.models import AuditEntry
from chumchon.people.models import Person
from chumchon.people.services import person_create

BANGKOK = ZoneInfo("Asia/Bangkok")


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def other_officer(other_village: Area) -> User:
    return make_user("other_officer", Role.TAMBON_OFFICER, OTHER_TAMBON, display_name="เจ้าหน้าที่ชุมพล")


@pytest.fixture
def child_b(officer: User, village_b: Area) -> Person:
    return person_create(actor=officer, area_code=village_b.code, first_name="น้องฟ้า", last_name="ใสสะอาด",
                         birth_date="01/01/2566", no_id_reason="not_registered", is_poor=True)


@pytest.fixture
def other_person(other_officer: User, other_village: Area) -> Person:
    return person_create(actor=other_officer, area_code=other_village.code, first_name="มานะ",
                         last_name="ขยันยิ่ง", birth_date="05/05/2500", no_id_reason="unknown",
                         is_bedbound=True, is_disabled=True)


@pytest.fixture
def registry(person_a: Person, child_b: Person, other_person: Person) -> None:
    """Ours: an elder in village A (person_a) and a poor child in village B; theirs: a disabled,
    bed-bound elder in the other tambon."""


def rows_by_code(response: Any) -> dict[str, Any]:
    return {row.code: row for row in response.context["table"].rows}


# ---------------------------------------------------------------------------
# Overview
# ---------------------------------------------------------------------------


def test_officer_sees_every_village_with_counts_by_group_and_totals(client, officer, registry):
    response = login(client, officer).get(reverse("home"))
    assert response.status_code == 200
    rows = rows_by_code(response)
    assert set(rows) == {f"{TAMBON}01", f"{TAMBON}02"}
    a, b = rows[f"{TAMBON}01"], rows[f"{TAMBON}02"]
    assert (a.label, a.total, a.groups["elder"], a.groups["child"]) == ("หมู่ 1 บ้านลำสินธุ์", 1, 1, 0)
    assert (b.label, b.total, b.groups["child"], b.groups["poor"], b.groups["elder"]) == (
        "หมู่ 2 บ้านโหล๊ะหาร", 1, 1, 1, 0)
    totals = response.context["table"].totals
    assert (totals.total, totals.groups["elder"], totals.groups["child"], totals.groups["bedbound"]) == (2, 1, 1, 0)
    html = response.content.decode()
    assert "หมู่ 1 บ้านลำสินธุ์" in html and "หมู่ 2 บ้านโหล๊ะหาร" in html
    assert 'id="dashboard-data"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "https://" not in html.split("<footer")[0]  # nothing loaded from the internet
    # Chart series are the table's columns.
    chart = response.context["chart"]
    assert chart["labels"] == ["หมู่ 1 บ้านลำสินธุ์", "หมู่ 2 บ้านโหล๊ะหาร"]
    assert [series["data"] for series in chart["series"]][:2] == [[0, 1], [1, 0]]  # child, elder


def test_village_without_people_is_listed_with_zero(client, officer, village_a, village_b):
    response = login(client, officer).get(reverse("home"))
    rows = rows_by_code(response)
    assert rows[village_b.code].total == 0
    assert response.context["table"].totals.total == 0


def test_volunteer_sees_only_their_village(client, volunteer, registry):
    response = login(client, volunteer).get(reverse("home"))
    assert response.status_code == 200
    assert set(rows_by_code(response)) == {f"{TAMBON}01"}
    assert response.context["table"].totals.total == 1
    assert "บ้านโหล๊ะหาร" not in response.content.decode()


def test_outsider_sees_none_of_our_counts(client, outsider, registry):
    response = login(client, outsider).get(reverse("home"))
    assert response.status_code == 200
    rows = rows_by_code(response)
    assert set(rows) == {f"{OTHER_TAMBON}01"}
    assert (rows[f"{OTHER_TAMBON}01"].total, rows[f"{OTHER_TAMBON}01"].groups["bedbound"]) == (1, 1)
    assert response.context["table"].totals.total == 1
    html = response.content.decode()
    assert "บ้านลำสินธุ์" not in html and "บ้านโหล๊ะหาร" not in html


def test_outsider_and_volunteer_cannot_open_our_tambon(client, outsider, volunteer, registry):
    assert login(client, outsider).get(reverse("home"), {"tambon": TAMBON}).status_code == 404
    # A village volunteer does not see the tambon as a whole either.
    assert login(Client(), volunteer).get(reverse("home"), {"tambon": TAMBON}).status_code == 404


def test_coordinator_sees_counts_by_tambon_and_no_names(client, coordinator, registry):
    response = login(client, coordinator).get(reverse("home"))
    assert response.status_code == 200
    table = response.context["table"]
    assert table.level == "subdistrict"
    rows = rows_by_code(response)
    assert set(rows) == {TAMBON, OTHER_TAMBON}
    assert (rows[TAMBON].label, rows[TAMBON].total, rows[TAMBON].groups["child"]) == ("ต.ลำสินธุ์", 2, 1)
    assert (rows[OTHER_TAMBON].label, rows[OTHER_TAMBON].total, rows[OTHER_TAMBON].groups["disabled"]) == (
        "ต.ชุมพล", 1, 1)
    assert table.totals.total == 3
    # Counts of 1–4 could point at a person: shown as "<5" to a role that may not see names.
    assert rows[TAMBON].hide_small and rows[TAMBON].shown_total == "<5"
    html = response.content.decode()
    assert "&lt;5" in html
    assert 'data-bars' in html and '"data": [null' in html.replace("\n", "")
    for name in ("สมศรี", "ใจดี", "น้องฟ้า", "มานะ", "ขยันยิ่ง", "3501100001239"):
        assert name not in html


def test_officer_sees_small_counts_in_their_own_tambon(client, officer, registry):
    response = login(client, officer).get(reverse("home"))
    rows = rows_by_code(response)
    assert all(not row.hide_small for row in rows.values())
    assert "&lt;5" not in response.content.decode()


def test_coordinator_opens_one_tambon_by_village_still_without_names(client, coordinator, registry):
    response = login(client, coordinator).get(reverse("home"), {"tambon": TAMBON})
    assert response.status_code == 200
    rows = rows_by_code(response)
    assert set(rows) == {f"{TAMBON}01", f"{TAMBON}02"}
    assert response.context["table"].totals.total == 2
    html = response.content.decode()
    assert "สมศรี" not in html and "น้องฟ้า" not in html


def test_user_without_area_is_told_to_ask_their_tambon_officer(client, db):
    newcomer = User.objects.create_user(username="newcomer", password="pass-for-tests-1")
    response = login(client, newcomer).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["no_area"] is True
    assert 'id="no-area"' in response.content.decode()
    assert "table" not in response.context


def test_home_asks_anonymous_visitors_to_log_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------------------
# Audit log
# ---------------------------------------------------------------------------


def csv_body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def at(entry: AuditEntry, when: datetime) -> None:
    AuditEntry.objects.filter(pk=entry.pk).update(at=when)


@pytest.fixture
def audited(officer: User, other_officer: User, village_a: Area, other_village: Area) -> dict[str, Any]:
    """A village created in our tambon and renamed; a village created in the other tambon."""
    ours = village_create(actor=officer, tambon_code=TAMBON, moo=5, name_th="บ้านควนเก")
    local_area_update(actor=officer, area=ours, name_th="บ้านควนเกใหม่")
    theirs = village_create(actor=other_officer, tambon_code=OTHER_TAMBON, moo=7, name_th="บ้านนอกเขต")
    return {"ours": ours, "theirs": theirs}


def test_officer_reads_the_log_of_their_tambon_newest_first(client, officer, audited):
    response = login(client, officer).get(reverse("audit"))
    assert response.status_code == 200
    entries = list(response.context["page"].object_list)
    assert entries, "the officer's own writes are in the log"
    assert all(entry.area_code.startswith(TAMBON) for entry in entries)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    assert entries[0].verb == "area.update"
    html = response.content.decode()
    assert "บ้านควนเกใหม่" in html
    assert "name_th: บ้านควนเก → บ้านควนเกใหม่" in html  # the change, compactly
    assert "เจ้าหน้าที่ตำบล" in html  # who
    assert "บ้านนอกเขต" not in html


def test_log_shows_time_in_buddhist_era(client, officer, audited):
    entry = AuditEntry.objects.filter(verb="area.update").get()
    at(entry, datetime(2024, 3, 5, 14, 30, tzinfo=BANGKOK))
    html = login(client, officer).get(reverse("audit")).content.decode()
    assert "5 มี.ค. 2567 14:30" in html


def test_log_filters_by_verb(client, officer, audited):
    response = login(client, officer).get(reverse("audit"), {"verb": "area.village_create"})
    verbs = {entry.verb for entry in response.context["page"].object_list}
    assert verbs == {"area.village_create"}
    assert "area.village_create" in dict(response.context["form"].fields["verb"].choices)


def test_log_filters_by_buddhist_era_dates_with_thai_digits(client, officer, audited):
    create, update = (AuditEntry.objects.get(verb=v, area_code=audited["ours"].code)
                      for v in ("area.village_create", "area.update"))
    at(create, datetime(2024, 1, 10, 9, 0, tzinfo=BANGKOK))
    at(update, datetime(2024, 3, 31, 23, 30, tzinfo=BANGKOK))  # late on the last day still counts
    client = login(client, officer)
    march = client.get(reverse("audit"), {"since": "01/03/2567", "until": "31/03/2567"})
    assert [e.pk for e in march.context["page"].object_list] == [update.pk]
    thai = client.get(reverse("audit"), {"since": "๑๐/๐๑/๒๕๖๗", "until": "๑๐/๐๑/๒๕๖๗"})
    assert [e.pk for e in thai.context["page"].object_list] == [create.pk]


def test_unreadable_date_is_shown_at_the_field(client, officer, audited):
    response = login(client, officer).get(reverse("audit"), {"since": "32/13/2567"})
    assert response.status_code == 200
    assert "since" in response.context["form"].errors
    assert "ไม่มีวันที่" in response.content.decode() or "อ่านวันที่" in response.content.decode()
    # The bad date is not guessed: the list stays unfiltered.
    assert response.context["page"].paginator.count == AuditEntry.objects.filter(
        area_code__startswith=TAMBON).count()


def test_log_is_paged_by_one_hundred(client, officer, village_a):
    AuditEntry.objects.bulk_create(
        AuditEntry(verb="person.view", object_type="people.person", object_id=str(n), area_code=village_a.code)
        for n in range(130))
    client = login(client, officer)
    first = client.get(reverse("audit"))
    assert len(first.context["page"].object_list) == 100
    total = first.context["page"].paginator.count
    second = client.get(reverse("audit"), {"page": 2})
    assert len(second.context["page"].object_list) == total - 100


@pytest.mark.parametrize("who", ["volunteer", "outsider", "coordinator"])
def test_only_auditors_may_read_the_log(client, request, who, audited):
    user = request.getfixturevalue(who)
    login(client, user)
    assert client.get(reverse("audit")).status_code == 404
    assert client.get(reverse("audit_export")).status_code == 404
    assert not AuditEntry.objects.filter(verb="audit.export").exists()


def test_other_tambons_officer_reads_only_their_own_log(client, other_officer, audited):
    response = login(client, other_officer).get(reverse("audit"))
    codes = {entry.area_code for entry in response.context["page"].object_list}
    assert codes and all(code.startswith(OTHER_TAMBON) for code in codes)
    assert "บ้านควนเก" not in response.content.decode()


def test_csv_export_has_a_bom_holds_only_our_rows_and_is_logged(client, officer, audited):
    response = login(client, officer).get(reverse("audit_export"), {"verb": "area.village_create"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = csv_body(response)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    data = rows[1:]
    assert len(data) == 1
    assert data[0][3] == "area.village_create"
    assert data[0][7] == audited["ours"].code
    assert "บ้านนอกเขต" not in body.decode("utf-8-sig")
    export = AuditEntry.objects.get(verb="audit.export")
    assert export.actor == officer
    assert export.area_code == TAMBON
    assert export.data["verb"] == "area.village_create"
    assert export.data["rows"] == 1
    # The export itself shows in the officer's log.
    log = client.get(reverse("audit"), {"verb": "audit.export"})
    assert [e.pk for e in log.context["page"].object_list] == [export.pk]


def test_csv_export_with_a_bad_date_goes_back_to_the_page(client, officer, audited):
    response = login(client, officer).get(reverse("audit_export"), {"since": "ไม่ใช่วันที่"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("audit"))
    assert not AuditEntry.objects.filter(verb="audit.export").exists()


def test_entries_without_area_are_not_shown_to_tambon_officers(client, officer, audited):
    log_action(actor=None, verb="system.setup", object_type="core.system")
    response = login(client, officer).get(reverse("audit"))
    assert "system.setup" not in {e.verb for e in response.context["page"].object_list}


def test_log_masks_national_ids_on_the_page_and_in_the_csv(client, officer, person_a):
    client = login(client, officer)
    html = client.get(reverse("audit"), {"verb": "person.create"}).content.decode()
    assert "3-5011-xxxxx-xx-9" in html
    assert "3501100001239" not in html
    body = csv_body(client.get(reverse("audit_export"))).decode("utf-8-sig")
    assert "person.create" in body and "3-5011-xxxxx-xx-9" in body
    assert "3501100001239" not in body


def test_new_records_show_their_filled_values_only(client, officer, person_a):
    response = login(client, officer).get(reverse("audit"), {"verb": "person.create"})
    [(_entry, _action, changes)] = response.context["rows"]
    assert "first_name: → สมศรี" in changes
    assert not any(line.startswith(("phone:", "is_bedbound:")) for line in changes)  # blank or false


def test_pages_for_signed_in_users_are_never_stored_by_the_browser(client, volunteer, person_a):
    client.force_login(volunteer)
    for path in ["/", "/people/", f"/people/{person_a.pk}/", "/people/export.csv"]:
        cache_control = client.get(path)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, path


def test_htmx_keeps_no_history_copies_of_pages(client, volunteer):
    client.force_login(volunteer)
    assert b'"historyCacheSize": 0' in client.get("/people/").content
