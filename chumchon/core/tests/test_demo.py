"""``chumchon demo``: idempotent, one working login per role, and scoping visible on its data."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from chumchon.accounts.models import Membership, User
from chumchon.accounts.roles import Role
from chumchon.areas.models import Area
from chumchon.core.models import AuditEntry
from chumchon.people.models import Household, Person
from chumchon.people.selectors import person_list

LAM_SIN = "931104"
CHUMPHON = "931101"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    # The demo hashes nine passwords; PBKDF2 at full strength would only slow the tests down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "people": Person.objects.count(),
        "households": Household.objects.count(),
        "villages": Area.objects.filter(level="village").count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_demo_twice_leaves_the_same_counts() -> None:
    first_output = run_demo("--people", "300", "--seed", "5")
    first = counts()
    assert first["people"] == 300 + 60
    assert Area.objects.filter(parent_id=LAM_SIN, level="village").count() == 10
    assert Area.objects.filter(parent_id=CHUMPHON, level="village").count() == 2
    assert first["users"] == 9
    assert first["memberships"] == 9
    assert AuditEntry.objects.filter(verb="demo.load").count() == 2
    assert "Demo ready in" in first_output

    second_output = run_demo("--people", "300", "--seed", "5")
    assert counts() == first
    assert second_output.count("already loaded") == 2


def test_demo_leaves_a_tambon_with_people_of_its_own_alone(village_a: Area) -> None:
    household = Household.objects.create(area=village_a, house_no="1")
    Person.objects.create(area=village_a, household=household, first_name="สมศรี", no_id_reason="unknown")
    output = run_demo("--people", "100")
    assert "has people of its own" in output
    assert Person.objects.filter(area__code__startswith=LAM_SIN).count() == 1
    assert Person.objects.filter(area__code__startswith=CHUMPHON).count() == 60


def test_logins_json_has_every_role_and_each_login_works(tmp_path: Path) -> None:
    path = tmp_path / "out" / "logins.json"
    output = run_demo("--people", "120", "--logins-json", str(path))
    logins = json.loads(path.read_text(encoding="utf-8"))
    assert {login["role"] for login in logins} == set(Role.values)
    assert all(set(login) == {"username", "password", "role", "area_code"} for login in logins)
    assert len({login["username"] for login in logins}) == len(logins) == 9
    for login in logins:
        user = authenticate(username=login["username"], password=login["password"])
        assert user is not None, login["username"]
        assert Membership.objects.filter(user=user, role=login["role"], area_id=login["area_code"]).exists()
        # The printed table shows the same username and password.
        assert login["username"] in output
        assert login["password"] in output
        assert authenticate(username=login["username"], password="wrong-password") is None
    by_name = {login["username"]: login for login in logins}
    assert by_name["volunteer"]["area_code"] == f"{LAM_SIN}01"
    assert by_name["tambon_officer"]["area_code"] == LAM_SIN
    assert by_name["provincial_coordinator"]["area_code"] == "93"
    assert by_name["administrator"]["area_code"] == "93"
    assert by_name["volunteer_chumphon"]["area_code"] == f"{CHUMPHON}01"
    assert "http://127.0.0.1:" in output


def test_scoping_on_demo_data() -> None:
    run_demo("--people", "400")
    lam_sin_people = Person.objects.filter(area__code__startswith=LAM_SIN).count()
    assert lam_sin_people == 400

    outsider = User.objects.get(username="volunteer_chumphon")
    seen = list(person_list(user=outsider).values_list("area_id", flat=True))
    assert seen
    assert all(code.startswith(f"{CHUMPHON}01") for code in seen)
    assert not person_list(user=outsider).filter(area__code__startswith=LAM_SIN).exists()
    assert not person_list(user=outsider, area_code=LAM_SIN).exists()

    volunteer = User.objects.get(username="volunteer")
    village_one = set(person_list(user=volunteer).values_list("area_id", flat=True))
    assert village_one == {f"{LAM_SIN}01"}

    officer = User.objects.get(username="tambon_officer")
    assert person_list(user=officer).count() == lam_sin_people
    # The provincial coordinator sees counts, not names.
    assert not person_list(user=User.objects.get(username="provincial_coordinator")).exists()


def test_demo_loads_five_thousand_people_in_ten_villages() -> None:
    output = run_demo()
    assert Person.objects.filter(area__code__startswith=LAM_SIN).count() == 5000
    assert Person.objects.filter(area__code__startswith=CHUMPHON).count() == 60
    per_village = {
        village.code: Person.objects.filter(area=village).count()
        for village in Area.objects.filter(parent_id=LAM_SIN, level="village")
    }
    assert len(per_village) == 10
    assert all(count > 100 for count in per_village.values())
    assert Household.objects.filter(area__code__startswith=LAM_SIN, latitude__isnull=False).exists()
    assert "5,000 / 5,000 people" in output


def test_demo_refuses_a_database_with_real_people_elsewhere(officer, db):
    from django.core.management import CommandError, call_command

    from chumchon.conftest import make_user, make_village
    from chumchon.people.services import person_create

    village = make_village("930101", 1, "บ้านจริง")
    real_officer = make_user("real_officer", "tambon_officer", "930101")
    person_create(actor=real_officer, area_code=village.code, first_name="จริง", no_id_reason="unknown")
    with pytest.raises(CommandError, match="refusing"):
        call_command("demo", people=10, villages=1)
    assert not User.objects.filter(username="administrator").exists()
