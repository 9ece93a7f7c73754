"""The members page: a tambon officer creates accounts, grants and revokes roles in their areas."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chumchon.accounts.models import Membership, User
from chumchon.accounts.roles import Role
from chumchon.conftest import OTHER_TAMBON, TAMBON
from chumchon.core.models import AuditEntry

GOOD_PASSWORD = "ฝนตกที่ลำสินธุ์-2568"


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def new_member(**overrides: Any) -> dict[str, str]:
    data = {"action": "new", "new-display_name": "สมหญิง ใจงาม", "new-username": "somying",
            "new-password": GOOD_PASSWORD, "new-phone": "๐๘๑-๒๓๔-๕๖๗๘", "new-area": f"{TAMBON}02",
            "new-role": Role.VOLUNTEER, "new-organisation": ""}
    data.update(overrides)
    return data


def test_officer_lists_the_memberships_of_their_tambon(client, officer, volunteer, outsider, coordinator):
    response = login(client, officer).get(reverse("members"))
    assert response.status_code == 200
    listed = {(m.user.username, m.area_id) for m in response.context["memberships"]}
    assert listed == {("officer", TAMBON), ("vol_a", f"{TAMBON}01")}
    html = response.content.decode()
    assert "อสม. หมู่ 1" in html
    assert "outsider" not in html and "coordinator" not in html
    # Only areas within reach are offered.
    areas = dict(response.context["new_form"].fields["area"].choices)
    assert {TAMBON, f"{TAMBON}01", f"{TAMBON}02"} <= set(areas)
    assert not any(code.startswith(OTHER_TAMBON) for code in areas)
    roles = dict(response.context["new_form"].fields["role"].choices)
    assert Role.ADMINISTRATOR not in roles and Role.PROVINCIAL_COORDINATOR not in roles
    assert Role.VOLUNTEER in roles


@pytest.mark.parametrize("who", ["volunteer", "outsider", "coordinator"])
def test_only_those_who_manage_members_may_open_the_page(client, request, who, officer):
    login(client, request.getfixturevalue(who))
    assert client.get(reverse("members")).status_code == 404
    assert client.post(reverse("members"), new_member()).status_code == 404
    assert not User.objects.filter(username="somying").exists()


def test_officer_creates_an_account_with_a_role(client, officer, village_b):
    response = login(client, officer).post(reverse("members"), new_member())
    assert response.status_code == 302
    created = User.objects.get(username="somying")
    assert created.check_password(GOOD_PASSWORD)
    assert (created.display_name, created.phone) == ("สมหญิง ใจงาม", "081-234-5678")
    assert list(created.memberships.values_list("area_id", "role")) == [(f"{TAMBON}02", Role.VOLUNTEER)]
    grant = AuditEntry.objects.get(verb="membership.grant", data__user="somying")
    assert (grant.actor, grant.area_code) == (officer, f"{TAMBON}02")
    made = AuditEntry.objects.get(verb="user.create", object_id=str(created.pk))
    assert (made.actor, made.area_code) == (officer, f"{TAMBON}02")
    assert GOOD_PASSWORD not in str(made.data)
    # The new volunteer sees their village on the overview.
    home = login(Client(), created).get(reverse("home"))
    assert [row.code for row in home.context["table"].rows] == [f"{TAMBON}02"]


def test_taken_username_is_refused_at_the_field_and_nothing_is_created(client, officer, volunteer):
    response = login(client, officer).post(reverse("members"), new_member(**{"new-username": "VOL_A"}))
    assert response.status_code == 200
    assert "มีผู้ใช้แล้ว" in response.context["new_form"].errors["username"][0]
    assert User.objects.filter(username__iexact="vol_a").count() == 1
    assert not Membership.objects.filter(area_id=f"{TAMBON}02").exists()


def test_weak_password_is_refused_at_the_field(client, officer, village_b):
    response = login(client, officer).post(reverse("members"), new_member(**{"new-password": "1234"}))
    assert response.status_code == 200
    assert response.context["new_form"].errors["password"]
    assert not User.objects.filter(username="somying").exists()


def test_granting_outside_reach_is_404_and_creates_nothing(client, officer, other_village):
    response = login(client, officer).post(reverse("members"),
                                           new_member(**{"new-area": other_village.code}))
    assert response.status_code == 404
    assert not User.objects.filter(username="somying").exists()
    assert not Membership.objects.filter(area=other_village, role=Role.VOLUNTEER).exclude(
        user__username="outsider").exists()


def test_administrator_role_cannot_be_chosen_by_an_officer(client, officer, village_b):
    response = login(client, officer).post(reverse("members"), new_member(**{"new-role": Role.ADMINISTRATOR}))
    assert response.status_code == 200
    assert "role" in response.context["new_form"].errors
    assert not User.objects.filter(username="somying").exists()


def test_officer_gives_a_member_another_role(client, officer, volunteer, village_b):
    data = {"action": "add", "add-user": str(volunteer.pk), "add-area": village_b.code,
            "add-role": Role.VOLUNTEER, "add-organisation": ""}
    response = login(client, officer).post(reverse("members"), data)
    assert response.status_code == 302
    assert set(volunteer.memberships.values_list("area_id", flat=True)) == {f"{TAMBON}01", f"{TAMBON}02"}


def test_only_members_in_reach_can_be_given_a_role(client, officer, volunteer, outsider, village_b):
    client = login(client, officer)
    users = dict(client.get(reverse("members")).context["add_form"].fields["user"].choices)
    assert str(volunteer.pk) in users and str(outsider.pk) not in users
    data = {"action": "add", "add-user": str(outsider.pk), "add-area": village_b.code,
            "add-role": Role.VOLUNTEER}
    response = client.post(reverse("members"), data)
    assert response.status_code == 200
    assert "user" in response.context["add_form"].errors
    assert not outsider.memberships.filter(area=village_b).exists()


def test_officer_revokes_a_role_after_confirming(client, officer, volunteer):
    membership = volunteer.memberships.get()
    url = reverse("member_revoke", args=[membership.pk])
    client = login(client, officer)
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert Membership.objects.filter(pk=membership.pk).exists()  # GET changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    entry = AuditEntry.objects.get(verb="membership.revoke")
    assert (entry.actor, entry.area_code, entry.data["user"]) == (officer, f"{TAMBON}01", "vol_a")


def test_revoking_outside_reach_is_404(client, officer, outsider, coordinator):
    client = login(client, officer)
    for membership in (outsider.memberships.get(), coordinator.memberships.get()):
        url = reverse("member_revoke", args=[membership.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("who", ["volunteer", "outsider"])
def test_volunteers_cannot_revoke(client, request, who, officer):
    membership = officer.memberships.get()
    login(client, request.getfixturevalue(who))
    assert client.post(reverse("member_revoke", args=[membership.pk])).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_menu_shows_management_links_only_to_those_allowed(client, officer, volunteer):
    officer_html = login(client, officer).get(reverse("home")).content.decode()
    assert reverse("members") in officer_html and reverse("audit") in officer_html
    volunteer_html = login(Client(), volunteer).get(reverse("home")).content.decode()
    assert reverse("members") not in volunteer_html and reverse("audit") not in volunteer_html
    assert reverse("areas:list") in volunteer_html
