"""Custom instruments: an administrator adds one from a file (service, page, command); anyone
else gets 404; shipped codes and taken versions are refused; versions stay loadable."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from chumchon.accounts.roles import Role
from chumchon.conftest import PASSWORD, make_user
from chumchon.core.models import AuditEntry
from chumchon.visits.instruments import registry
from chumchon.visits.instruments.registry import get_instrument, list_instruments, list_versions
from chumchon.visits.instruments.schema import DefinitionError
from chumchon.visits.models import InstrumentFile
from chumchon.visits.services.instruments import instrument_add

pytestmark = pytest.mark.django_db


def definition(code: str = "walk_check", version: int = 1, extra_item: str = "") -> str:
    return textwrap.dedent(f"""\
        code: {code}
        version: {version}
        title: {{th: ตรวจการเดิน, en: Walking check}}
        subject: person
        groups:
          - code: walking
            title: การเดิน
            items:
              - code: walks
                type: yes_no
                label: {{th: เดินได้เอง, en: Walks alone}}
        """) + extra_item + textwrap.dedent("""\
        classifications:
          - {code: walks_alone, label: เดินได้, when: {item: walks, equals: "yes"}}
          - {code: needs_help, label: ต้องช่วย}
        flags:
          - {code: cannot_walk, severity: high, label: เดินไม่ได้, when: {item: walks, equals: "no"}}
        """)


@pytest.fixture(autouse=True)
def fresh_registry() -> Iterator[None]:
    registry.clear_cache()
    yield
    registry.clear_cache()


@pytest.fixture
def admin(tambon: Any) -> Any:
    return make_user("admin", Role.ADMINISTRATOR, "93")


def test_administrator_adds_a_custom_instrument_and_it_is_listed_and_audited(admin: Any) -> None:
    row = instrument_add(actor=admin, filename="walk.yaml", content=definition().encode())
    assert (row.code, row.version, row.source_format, row.uploaded_by) == ("walk_check", 1, "yaml", admin)
    instrument = get_instrument("walk_check")
    assert instrument.source == "custom"
    assert "walk_check" in [i.code for i in list_instruments()]
    entry = AuditEntry.objects.get(verb="instrument.add")
    assert entry.actor == admin and entry.data["code"] == "walk_check"


def test_a_new_version_becomes_the_latest_and_the_old_one_stays_loadable(admin: Any) -> None:
    instrument_add(actor=admin, filename="walk.yaml", content=definition())
    extra = "      - {code: cane, type: yes_no, label: ใช้ไม้เท้า, required: false}\n"
    instrument_add(actor=admin, filename="walk.yaml", content=definition(version=2, extra_item=extra))
    assert get_instrument("walk_check").version == 2
    assert get_instrument("walk_check", 1).item("cane") is None
    assert get_instrument("walk_check", 2).item("cane") is not None
    assert [i.version for i in list_versions("walk_check")] == [1, 2]


def test_an_inactive_custom_version_is_not_offered_but_still_reads_old_answers(admin: Any) -> None:
    instrument_add(actor=admin, filename="walk.yaml", content=definition())
    instrument_add(actor=admin, filename="walk.yaml", content=definition(version=2))
    InstrumentFile.objects.filter(code="walk_check", version=2).update(is_active=False)
    registry.clear_cache()
    assert get_instrument("walk_check").version == 1
    assert get_instrument("walk_check", 2).active is False


def test_shipped_instruments_keep_their_versions() -> None:
    assert get_instrument("barthel_adl").version == 1
    assert get_instrument("barthel_adl", 1).source == "shipped"
    with pytest.raises(LookupError):
        get_instrument("barthel_adl", 9)
    with pytest.raises(LookupError):
        get_instrument("no_such_thing")


def test_a_shipped_code_is_refused_at_the_line_of_the_code(admin: Any) -> None:
    with pytest.raises(DefinitionError) as caught:
        instrument_add(actor=admin, filename="x.yaml", content=definition(code="barthel_adl", version=5))
    assert caught.value.problems[0][0] == 1
    assert not InstrumentFile.objects.exists()


def test_a_taken_version_is_refused_at_the_line_of_the_version(admin: Any) -> None:
    instrument_add(actor=admin, filename="walk.yaml", content=definition())
    with pytest.raises(DefinitionError) as caught:
        instrument_add(actor=admin, filename="walk.yaml", content=definition())
    assert caught.value.problems[0][0] == 2
    assert InstrumentFile.objects.count() == 1


def test_a_broken_file_saves_nothing(admin: Any) -> None:
    with pytest.raises(DefinitionError):
        instrument_add(actor=admin, filename="walk.json", content='{"code": "walk_check",}')
    with pytest.raises(DefinitionError):
        instrument_add(actor=admin, filename="walk.yaml", content=b"\xff\xfe")
    assert not InstrumentFile.objects.exists()
    assert not AuditEntry.objects.filter(verb="instrument.add").exists()


@pytest.mark.parametrize("who", ["officer", "volunteer", "outsider", "coordinator"])
def test_only_administrators_may_add_instruments(who: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        instrument_add(actor=user, filename="walk.yaml", content=definition())
    assert not InstrumentFile.objects.exists()


# -- pages ------------------------------------------------------------------------------------


def test_instrument_list_page_shows_shipped_instruments(client: Any, volunteer: Any) -> None:
    client.login(username=volunteer.username, password=PASSWORD)
    page = client.get("/instruments/")
    assert page.status_code == 200
    assert "ดัชนีบาร์เธลเอดีแอล" in page.content.decode()
    assert "/instruments/add/" not in page.content.decode()
    detail = client.get("/instruments/barthel_adl/")
    assert detail.status_code == 200 and "ติดเตียง" in detail.content.decode()
    assert client.get("/instruments/nothing_here/").status_code == 404


@pytest.mark.parametrize("who", ["officer", "volunteer", "outsider"])
def test_the_upload_page_is_404_for_everyone_but_administrators(client: Any, who: str,
                                                                request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(who)
    client.login(username=user.username, password=PASSWORD)
    assert client.get("/instruments/add/").status_code == 404
    upload = SimpleUploadedFile("walk.yaml", definition().encode(), content_type="application/x-yaml")
    assert client.post("/instruments/add/", {"file": upload, "action": "add"}).status_code == 404
    assert not InstrumentFile.objects.exists()


def test_upload_page_requires_login(client: Any) -> None:
    assert client.get("/instruments/add/").status_code == 302


def test_administrator_uploads_a_file_on_the_page(client: Any, admin: Any) -> None:
    client.login(username="admin", password=PASSWORD)
    assert client.get("/instruments/add/").status_code == 200
    upload = SimpleUploadedFile("walk.yaml", definition().encode(), content_type="application/x-yaml")
    response = client.post("/instruments/add/", {"file": upload, "action": "add"})
    assert response.status_code == 302 and response["Location"] == "/instruments/walk_check/"
    assert InstrumentFile.objects.filter(code="walk_check").exists()


def test_the_upload_page_shows_problems_with_their_lines(client: Any, admin: Any) -> None:
    client.login(username="admin", password=PASSWORD)
    text = definition().replace("type: yes_no", "type: yesno")
    response = client.post("/instruments/add/", {"text": text, "action": "add"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#line-10"' in body and "yesno" in body
    assert 'id="line-10" class="bad"' in body
    assert not InstrumentFile.objects.exists()


def test_check_only_saves_nothing(client: Any, admin: Any) -> None:
    client.login(username="admin", password=PASSWORD)
    response = client.post("/instruments/add/", {"text": definition(), "action": "check"}, follow=True)
    assert response.status_code == 200
    assert not InstrumentFile.objects.exists()


# -- command ----------------------------------------------------------------------------------


def test_command_check_prints_problems_with_line_numbers_and_fails(tmp_path: Any, capsys: Any) -> None:
    path = tmp_path / "walk.yaml"
    text = definition().replace("severity: high", "severity: extreme")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "extreme" in row)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("instrument", "check", str(path))
    assert caught.value.returncode == 1
    assert f"{path}:{line}: " in capsys.readouterr().err
    assert not InstrumentFile.objects.exists()


def test_command_add_stores_the_instrument(tmp_path: Any, capsys: Any) -> None:
    path = tmp_path / "walk.json"
    import json

    import yaml

    path.write_text(json.dumps(yaml.safe_load(definition()), ensure_ascii=False, indent=1), encoding="utf-8")
    call_command("instrument", "check", str(path))
    call_command("instrument", "add", str(path))
    assert "added walk_check v1" in capsys.readouterr().out
    row = InstrumentFile.objects.get()
    assert row.source_format == "json"
    assert AuditEntry.objects.get(verb="instrument.add").data["via"] == "command"
