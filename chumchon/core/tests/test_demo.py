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


def linkage_created() -> int:
    """People the demo's linkage created from imported records the registry did not know."""
    return AuditEntry.objects.filter(verb="person.create", data__by="linkage").count()


def counts() -> dict[str, int]:
    from chumchon.care.models import CarePlan, Goal, Programme, Referral
    from chumchon.linkage.models import MatchCandidate, SourceRecord
    from chumchon.network.models import OrganisationStaff

    return {
        "plans": CarePlan.objects.count(),
        "goals": Goal.objects.count(),
        "referrals": Referral.objects.count(),
        "programmes": Programme.objects.count(),
        "staff": OrganisationStaff.objects.count(),
        "source_records": SourceRecord.objects.count(),
        "candidates": MatchCandidate.objects.count(),
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
    assert first["people"] == 300 + 60 + linkage_created()
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
    assert lam_sin_people == 400 + linkage_created()

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
    assert Person.objects.filter(area__code__startswith=LAM_SIN).count() == 5000 + linkage_created()
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


def test_demo_shows_care_plans_referrals_and_linked_lists_and_a_second_run_changes_nothing() -> None:
    from chumchon.care.models import CarePlan, PlanStatus, Programme, ProgrammeStatus, ReferralStatus
    from chumchon.care.plan_selectors import is_overdue, referral_list
    from chumchon.linkage.demo import ALLOWANCE_LIST, ELDER_REGISTER
    from chumchon.linkage.models import CandidateStatus, ImportStatus, MatchCandidate, Source, SourceRecord
    from chumchon.linkage.selectors.review import candidate_list
    from chumchon.network.models import OrganisationStaff

    output = run_demo("--people", "800", "--seed", "7")
    first = counts()
    staff = User.objects.get(username="agency_staff")
    caregiver = User.objects.get(username="caregiver")
    manager = User.objects.get(username="care_manager")
    officer = User.objects.get(username="tambon_officer")
    assert OrganisationStaff.objects.filter(user=staff, organisation__name="รพ.สต.ลำสินธุ์").exists()

    # Care plans opened by the caregiver from the assessments' proposals, approved by someone else.
    plans = CarePlan.objects.filter(person__area__code__startswith=LAM_SIN)
    assert plans.count() >= 3
    assert set(plans.values_list("author", flat=True)) == {caregiver.pk}
    assert all(plan.goals.exists() for plan in plans)
    assert plans.filter(goals__source_code__startswith="barthel_adl:").exists()
    approved = plans.filter(status=PlanStatus.APPROVED)
    assert approved.exists()
    assert set(approved.values_list("approved_by", flat=True)) == {manager.pk}
    assert plans.filter(status__in=[PlanStatus.DRAFT, PlanStatus.SUBMITTED]).exists()

    # The health centre's queue, as its staff see it: accepted, declined with a reason, one overdue.
    queue = list(referral_list(user=staff, queue=True))
    statuses = [referral.status for referral in queue]
    assert len(queue) == first["referrals"] >= 3
    assert ReferralStatus.ACCEPTED in statuses
    declined = [referral for referral in queue if referral.status == ReferralStatus.DECLINED]
    assert len(declined) == 1 and declined[0].decline_reason
    assert sum(is_overdue(referral) for referral in queue) == 1
    assert all(referral.organisation.name == "รพ.สต.ลำสินธุ์" for referral in queue)

    # The draft tambon plan.
    assert Programme.objects.filter(tambon_id=LAM_SIN, status=ProgrammeStatus.DRAFT).exists()

    # Two lists imported by the tambon officer, linked to registry persons, some pairs to review.
    sources = Source.objects.filter(area_id=LAM_SIN, name__in=[ELDER_REGISTER, ALLOWANCE_LIST])
    assert sources.count() == 2
    assert all(source.imports.get().status == ImportStatus.DONE for source in sources)
    records = SourceRecord.objects.filter(source__in=sources)
    assert records.count() > 100
    assert not records.filter(person__isnull=True).exists()
    assert records.filter(link_method="national_id").count() > records.count() // 2
    assert 0 < linkage_created() < 20
    pending = candidate_list(user=officer)
    assert pending.exists()
    assert MatchCandidate.objects.filter(status=CandidateStatus.PENDING).count() == pending.count()

    for path in ("/care/plans/", "/care/referrals/queue/", "/care/tambon-plan/", "/imports/", "/linkage/review/",
                 "/alerts/stats/"):
        assert path in output

    run_demo("--people", "800", "--seed", "7")
    assert counts() == first


def test_outsider_sees_nothing_of_the_demo_care_or_linkage() -> None:
    from chumchon.care.plan_selectors import referral_list
    from chumchon.linkage.selectors.review import candidate_list

    run_demo("--people", "800", "--seed", "7")
    outsider = User.objects.get(username="volunteer_chumphon")
    assert not referral_list(user=outsider).exists()
    assert not referral_list(user=outsider, queue=True).exists()
    assert not candidate_list(user=outsider).exists()
