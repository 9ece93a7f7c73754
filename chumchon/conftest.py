"""Shared fixtures: a tambon with two villages, and the people who work there — a volunteer of
village A, an officer of the tambon, a provincial coordinator — and an outsider, a volunteer of
another tambon, who must see nothing of ours."""

from __future__ import annotations

from typing import Any

import pytest

from chumchon.accounts.models import User
from chumchon.accounts.roles import Role
from chumchon.accounts.services import membership_grant
from chumchon.areas.models import Area, AreaLevel

TAMBON = "931104"  # ลำสินธุ์, ศรีนครินทร์, พัทลุง
OTHER_TAMBON = "931101"  # ชุมพล, same district
PASSWORD = "pass-for-tests-1"


def make_village(tambon_code: str, moo: int, name: str) -> Area:
    tambon = Area.objects.get(code=tambon_code)
    return Area.objects.create(code=f"{tambon_code}{moo:02d}", level=AreaLevel.VILLAGE, parent=tambon,
                               number=moo, official_code=f"{tambon_code}{moo:02d}", name_th=name)


def make_user(username: str, role: str, area_code: str, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    membership_grant(actor=None, user=user, area_code=area_code, role=role)
    return user


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Close connections after each request in tests, so that the live server's threads leave
    no session open on PostgreSQL when the test database is dropped."""
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def thai_language() -> Any:
    """Every test starts in Thai, the interface's language: a request that ran in English earlier
    in the same worker thread would otherwise leave English active for the next test."""
    from django.utils import translation

    with translation.override("th"):
        yield


@pytest.fixture
def tambon(db: Any) -> Area:
    return Area.objects.get(code=TAMBON)


@pytest.fixture
def village_a(tambon: Area) -> Area:
    return make_village(TAMBON, 1, "บ้านลำสินธุ์")


@pytest.fixture
def village_b(tambon: Area) -> Area:
    return make_village(TAMBON, 2, "บ้านโหล๊ะหาร")


@pytest.fixture
def other_village(db: Any) -> Area:
    return make_village(OTHER_TAMBON, 1, "บ้านชุมพล")


@pytest.fixture
def volunteer(village_a: Area) -> User:
    return make_user("vol_a", Role.VOLUNTEER, village_a.code, display_name="อสม. หมู่ 1")


@pytest.fixture
def officer(tambon: Area, village_a: Area, village_b: Area) -> User:
    return make_user("officer", Role.TAMBON_OFFICER, tambon.code, display_name="เจ้าหน้าที่ตำบล")


@pytest.fixture
def coordinator(tambon: Area) -> User:
    return make_user("coordinator", Role.PROVINCIAL_COORDINATOR, "93")


@pytest.fixture
def outsider(other_village: Area) -> User:
    return make_user("outsider", Role.VOLUNTEER, other_village.code, display_name="อสม. ตำบลอื่น")


@pytest.fixture
def household_a(officer: User, village_a: Area) -> Any:
    from chumchon.people.services import household_create

    return household_create(actor=officer, area_code=village_a.code, house_no="12/3", road="เพชรเกษม")


@pytest.fixture
def person_a(officer: User, household_a: Any) -> Any:
    from chumchon.people.services import person_create

    return person_create(actor=officer, household=household_a, title="นาง", first_name="สมศรี",
                         last_name="ใจดี", nickname="ศรี", sex="female", birth_date="12/04/2490",
                         national_id="3501100001239", relation_to_head="head")
