"""End to end through the lead's assessment service: a bed-bound elder with no caregiver raises
one urgent alert, labelled from the instrument, for the village volunteer and the tambon officer."""

from __future__ import annotations

from chumchon.care.models import Alert, AlertRecipient
from chumchon.visits.services.assessments import assessment_record
from chumchon.visits.tests.test_api_assessments import barthel


def test_bedbound_with_no_caregiver_raises_one_urgent_alert(volunteer, officer, outsider, coordinator, person_a):
    first = assessment_record(actor=volunteer, instrument_code="barthel_adl", answers=barthel(2, "none"),
                              person_id=person_a.pk)
    assert "bedbound_no_caregiver" in first.flags
    alert = Alert.objects.get(person=person_a)
    assert alert.severity == "urgent" and alert.flag_code == "bedbound_no_caregiver"
    assert alert.title and alert.title != "bedbound_no_caregiver" and person_a.first_name not in alert.title
    assert set(AlertRecipient.objects.filter(alert=alert).values_list("user__username", flat=True)) == {
        "vol_a", "officer"}
    assessment_record(actor=volunteer, instrument_code="barthel_adl", answers=barthel(3, "none"),
                      person_id=person_a.pk)
    assert Alert.objects.filter(person=person_a).count() == 1
