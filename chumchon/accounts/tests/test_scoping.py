"""Deny by default: a user reaches only what their memberships cover."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from chumchon.accounts.models import User
from chumchon.accounts.roles import Capability, Role
from chumchon.accounts.scoping import area_prefixes, can, require_area, scope_q
from chumchon.accounts.services import membership_grant
from chumchon.people.models import Person
from chumchon.people.selectors import person_counts, person_list
from chumchon.people.services import household_create, person_create


def test_user_without_membership_reaches_nothing(db, person_a):
    nobody = User.objects.create_user("nobody", password="x-long-password")
    assert area_prefixes(nobody, Capability.VIEW_NAMES) == []
    assert Person.objects.filter(scope_q(nobody, Capability.VIEW_NAMES)).count() == 0
    assert list(person_list(user=nobody)) == []


def test_anonymous_user_reaches_nothing(person_a):
    assert not can(AnonymousUser(), Capability.VIEW_NAMES, person_a.area_code)


def test_volunteer_reaches_own_village_only(volunteer, officer, person_a, village_b):
    other = household_create(actor=officer, area_code=village_b.code, house_no="7")
    person_create(actor=officer, household=other, first_name="บุญมี", no_id_reason="unknown")
    names = [p.first_name for p in person_list(user=volunteer)]
    assert names == ["สมศรี"]
    assert can(volunteer, Capability.EDIT_REGISTRY, "93110401")
    assert not can(volunteer, Capability.EDIT_REGISTRY, village_b.code)


def test_officer_reaches_the_whole_tambon(officer, person_a, village_b):
    assert area_prefixes(officer, Capability.VIEW_NAMES) == ["931104"]
    assert can(officer, Capability.MANAGE_AREAS, village_b.code)


def test_outsider_gets_404_for_person_of_other_tambon(outsider, person_a):
    assert list(person_list(user=outsider)) == []
    assert person_counts(user=outsider) == []
    with pytest.raises(Http404):
        require_area(outsider, Capability.VIEW_NAMES, person_a.area_code)


def test_provincial_coordinator_sees_counts_but_no_names(coordinator, person_a):
    assert list(person_list(user=coordinator)) == []
    counts = person_counts(user=coordinator)
    assert [(c.area_code, c.total, c.groups["elder"]) for c in counts] == [("93110401", 1, 1)]


def test_nested_memberships_collapse_to_the_widest_prefix(db, village_a):
    user = User.objects.create_user("both", password="x-long-password")
    membership_grant(actor=None, user=user, area_code=village_a.code, role=Role.VOLUNTEER)
    membership_grant(actor=None, user=user, area_code="931104", role=Role.CARE_MANAGER)
    assert area_prefixes(user, Capability.VIEW_NAMES) == ["931104"]


def test_only_an_administrator_may_appoint_an_administrator(officer, db):
    from django.core.exceptions import ValidationError

    newcomer = User.objects.create_user("newcomer", password="x-long-password")
    with pytest.raises(ValidationError):
        membership_grant(actor=officer, user=newcomer, area_code="931104", role=Role.ADMINISTRATOR)
    granted = membership_grant(actor=officer, user=newcomer, area_code="93110401", role=Role.VOLUNTEER)
    assert granted.role == Role.VOLUNTEER


def test_officer_cannot_grant_roles_outside_their_tambon(officer, other_village):
    newcomer = User.objects.create_user("newcomer2", password="x-long-password")
    with pytest.raises(Http404):
        membership_grant(actor=officer, user=newcomer, area_code=other_village.code, role=Role.VOLUNTEER)


def test_within_covers_exactly_the_codes_under_a_prefix(officer, village_a, village_b, other_village):
    from chumchon.accounts.scoping import within_q
    from chumchon.areas.models import Area

    codes = set(Area.objects.filter(within_q("931104", "code")).values_list("code", flat=True))
    assert {"931104", village_a.code, village_b.code} <= codes
    assert other_village.code not in codes
    assert all(code.startswith("931104") for code in codes)
    assert set(Area.objects.filter(within_q("9311", "code")).values_list("code", flat=True)) == set(
        Area.objects.filter(code__startswith="9311").values_list("code", flat=True))
