"""Health records follow a person who moves; one evidence photo proves one verification; reads
of assessments through the API are logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from chumchon.accounts.roles import Role
from chumchon.api.testing import api_client
from chumchon.care.models import Alert, AlertRecipient
from chumchon.conftest import make_user
from chumchon.core.models import AuditEntry
from chumchon.people.services import household_create, person_create, person_move
from chumchon.visits.models import CurrentStatus, Photo, PhotoPurpose
from chumchon.visits.services import review
from chumchon.visits.services.assessments import assessment_record
from chumchon.visits.tests.test_api_assessments import barthel


@pytest.fixture
def volunteer_b(village_b: Any) -> Any:
    return make_user("vol_b", Role.VOLUNTEER, village_b.code)


@pytest.mark.django_db
def test_a_move_takes_results_and_open_alerts_to_the_new_village(volunteer, volunteer_b, officer, person_a,
                                                                    village_b):
    made = assessment_record(actor=volunteer, instrument_code="barthel_adl", answers=barthel(2, "none"),
                             person_id=person_a.pk)
    alert = Alert.objects.get(person=person_a)
    new_home = household_create(actor=officer, area_code=village_b.code, house_no="7")
    person_move(actor=officer, person=person_a, to_household=new_home)

    old, new = api_client(volunteer), api_client(volunteer_b)
    assert old.api_get(f"/assessments/{made.pk}").status_code == 404
    assert new.api_get(f"/assessments/{made.pk}").json()["classification"] == "bed_bound"
    assert CurrentStatus.objects.get(person=person_a).area_id == village_b.code
    alert.refresh_from_db()
    assert alert.area_id == village_b.code
    assert AlertRecipient.objects.filter(alert=alert, user=volunteer_b).exists()
    assert old.api_get(f"/alerts/{alert.pk}").status_code == 404
    assert AuditEntry.objects.filter(verb="person.health_records_move", object_id=str(person_a.pk)).exists()


@pytest.mark.django_db
def test_one_evidence_photo_cannot_verify_a_second_record(officer, household_a, person_a, village_a):
    verifier = make_user("vol_a2", Role.VOLUNTEER, village_a.code)
    other = person_create(actor=officer, household=household_a, first_name="สมชาย", last_name="ใจดี",
                          no_id_reason="unknown", confirm_new=True)
    photo = Photo.objects.create(area_id=village_a.code, purpose=PhotoPurpose.EVIDENCE, path="photos/x.jpg",
                                 content_type="image/jpeg", width=10, height=10, size_bytes=100, uploaded_by=verifier)
    review.record_verify(actor=verifier, kind="person", record_id=person_a.pk, photo_id=photo.pk,
                         visited_on="1/11/2569")
    with pytest.raises(ValidationError) as refused:
        review.record_verify(actor=verifier, kind="person", record_id=other.pk, photo_id=photo.pk,
                             visited_on="1/11/2569")
    assert "photo_id" in refused.value.message_dict
    other.refresh_from_db()
    assert other.review_status == "submitted"


@pytest.mark.django_db
def test_reading_assessments_through_the_api_is_logged(volunteer, person_a):
    made = assessment_record(actor=volunteer, instrument_code="barthel_adl", answers=barthel(15),
                             person_id=person_a.pk)
    client = api_client(volunteer)
    client.api_get(f"/assessments/{made.pk}")
    client.api_get(f"/persons/{person_a.pk}/assessments")
    reads = AuditEntry.objects.filter(verb="assessment.view", actor=volunteer)
    assert reads.count() == 2
    assert all(entry.data["assessments"] == [made.pk] for entry in reads)


@pytest.mark.django_db
def test_a_photo_answer_must_be_the_collectors_own_photo(volunteer, officer, person_a, village_a):
    from chumchon.visits.instruments.schema import AnswerErrors, Group, Instrument, Item, Text
    from chumchon.visits.services.assessments import _check_photos

    theirs = Photo.objects.create(area_id=village_a.code, purpose=PhotoPurpose.ANSWER, path="photos/y.jpg",
                                  content_type="image/jpeg", width=10, height=10, size_bytes=100,
                                  uploaded_by=officer)
    with_photo = Instrument(code="t", version=1, title=Text("t"), subject="person", groups=(
        Group(code="g", title=Text("g"), items=(Item(code="pic", type="photo", label=Text("รูป")),)),))
    with pytest.raises(AnswerErrors) as refused:
        _check_photos(with_photo, {"pic": theirs.pk}, village_a.code, actor=volunteer, person=person_a, visit=None)
    assert "pic" in refused.value.errors
    assert _check_photos(with_photo, {"pic": theirs.pk}, village_a.code, actor=officer, person=person_a,
                         visit=None) == [theirs.pk]
