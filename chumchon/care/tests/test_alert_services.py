"""Alerts from an assessment's flags and by hand: once per person and flag, to the people
responsible for the village (its volunteers and the tambon's officers), audited, scoped."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from chumchon.care import selectors, services
from chumchon.care.context_processors import alert_badge
from chumchon.care.models import Alert, AlertRecipient, AlertStatus
from chumchon.care.tests.conftest import make_assessment
from chumchon.core.models import AuditEntry


def recipients(alert: Alert) -> set[str]:
    return set(AlertRecipient.objects.filter(alert=alert).values_list("user__username", flat=True))


def test_flag_raises_one_alert_for_village_volunteer_and_tambon_officer(volunteer, officer, coordinator,
                                                                        outsider, flagged):
    [alert] = services.alerts_raise_for_assessment(assessment=flagged, actor=volunteer)
    assert alert.person_id == flagged.person_id and alert.area_id == flagged.area_id
    assert alert.flag_code == "no_caregiver" and alert.status == AlertStatus.OPEN
    assert recipients(alert) == {"vol_a", "officer"}  # not the outsider, not the provincial coordinator
    assert AuditEntry.objects.filter(verb="alert.raise", object_id=str(alert.pk), area_code=alert.area_id).exists()


def test_repeated_flag_does_not_pile_up_while_the_alert_is_open(volunteer, officer, person_a, flagged):
    services.alerts_raise_for_assessment(assessment=flagged, actor=volunteer)
    again = make_assessment(person_a, flags=["no_caregiver", "unsafe_house"])
    raised = services.alerts_raise_for_assessment(assessment=again, actor=volunteer)
    assert [a.flag_code for a in raised] == ["unsafe_house"]
    assert Alert.objects.filter(person=person_a, flag_code="no_caregiver").count() == 1


def test_flag_raises_again_once_the_previous_alert_is_resolved(volunteer, officer, person_a, flagged):
    [first] = services.alerts_raise_for_assessment(assessment=flagged, actor=volunteer)
    services.alert_resolve(actor=officer, alert_id=first.pk)
    [second] = services.alerts_raise_for_assessment(assessment=make_assessment(person_a, flags=["no_caregiver"]),
                                                    actor=volunteer)
    assert second.pk != first.pk


def test_unknown_instrument_flag_is_high_with_the_flag_code_as_title(volunteer, flagged):
    [alert] = services.alerts_raise_for_assessment(assessment=flagged, actor=volunteer)
    assert alert.severity == "high" and alert.title == "no_caregiver"


def test_no_flags_no_alerts(volunteer, person_a):
    assert services.alerts_raise_for_assessment(assessment=make_assessment(person_a, flags=[]), actor=volunteer) == []


def test_acknowledge_marks_it_for_everybody_and_is_audited(volunteer, officer, flagged):
    [alert] = services.alerts_raise_for_assessment(assessment=flagged, actor=volunteer)
    services.alert_acknowledge(actor=officer, alert_id=alert.pk)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_by == officer
    assert alert.acknowledged_at is not None
    assert AuditEntry.objects.filter(verb="alert.acknowledge", object_id=str(alert.pk), actor=officer).exists()
    assert selectors.alert_list(user=volunteer).get().status == AlertStatus.ACKNOWLEDGED
    with pytest.raises(ValidationError):
        services.alert_acknowledge(actor=volunteer, alert_id=alert.pk)


def test_resolve_is_audited_and_refused_twice(volunteer, officer, flagged):
    [alert] = services.alerts_raise_for_assessment(assessment=flagged, actor=volunteer)
    services.alert_resolve(actor=volunteer, alert_id=alert.pk, note="caregiver found")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED and alert.resolved_by == volunteer
    entry = AuditEntry.objects.get(verb="alert.resolve", object_id=str(alert.pk))
    assert entry.data["note"] == "caregiver found"
    with pytest.raises(ValidationError):
        services.alert_resolve(actor=volunteer, alert_id=alert.pk)


def test_outsider_cannot_see_acknowledge_or_resolve(volunteer, outsider, coordinator, flagged):
    [alert] = services.alerts_raise_for_assessment(assessment=flagged, actor=volunteer)
    for user in (outsider, coordinator):
        assert not selectors.alert_list(user=user).exists()
        with pytest.raises(Http404):
            selectors.alert_get(user=user, alert_id=alert.pk)
        with pytest.raises(Http404):
            services.alert_acknowledge(actor=user, alert_id=alert.pk)
        with pytest.raises(Http404):
            services.alert_resolve(actor=user, alert_id=alert.pk)
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.OPEN


def test_alert_raised_by_hand_reaches_the_responsible(volunteer, officer, outsider, person_a):
    alert = services.alert_raise(actor=volunteer, person_id=person_a.pk, title="ไม่มีคนดูแล", severity="urgent")
    assert alert.household_id == person_a.household_id and alert.flag_code == ""
    assert recipients(alert) == {"vol_a", "officer"}
    assert AuditEntry.objects.filter(verb="alert.raise", object_id=str(alert.pk)).exists()
    with pytest.raises(Http404):
        services.alert_raise(actor=outsider, person_id=person_a.pk, title="x")
    with pytest.raises(ValidationError):
        services.alert_raise(actor=volunteer, person_id=person_a.pk, title=" ")
    with pytest.raises(ValidationError):
        services.alert_raise(actor=volunteer, person_id=person_a.pk, title="x", severity="whenever")


def test_unseen_count_and_badge(rf, volunteer, officer, outsider, flagged, django_assert_max_num_queries):
    [alert] = services.alerts_raise_for_assessment(assessment=flagged, actor=volunteer)
    assert selectors.unseen_count(user=volunteer) == 1
    assert selectors.unseen_count(user=outsider) == 0
    services.alert_mark_seen(user=volunteer, alert=alert)
    assert selectors.unseen_count(user=volunteer) == 0
    assert selectors.unseen_count(user=officer) == 1
    services.alert_acknowledge(actor=volunteer, alert_id=alert.pk)  # no longer open: off the badge
    assert selectors.unseen_count(user=officer) == 0

    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    assert alert_badge(request) == {"alert_unseen": 0}
    request.user = officer
    with django_assert_max_num_queries(2):  # the reach (cached per request) and the count
        assert alert_badge(request) == {"alert_unseen": 0}


def test_inbox_orders_open_urgent_first_then_newest(volunteer, person_a):
    normal = services.alert_raise(actor=volunteer, person_id=person_a.pk, title="a", severity="normal")
    urgent = services.alert_raise(actor=volunteer, person_id=person_a.pk, title="b", severity="urgent")
    newer = services.alert_raise(actor=volunteer, person_id=person_a.pk, title="c", severity="normal")
    done = services.alert_raise(actor=volunteer, person_id=person_a.pk, title="d", severity="urgent")
    services.alert_resolve(actor=volunteer, alert_id=done.pk)
    assert list(selectors.alert_list(user=volunteer)) == [urgent, newer, normal, done]
    assert list(selectors.alert_list(user=volunteer, status="active")) == [urgent, newer, normal]
