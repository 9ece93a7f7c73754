from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from chumchon.visits.models import Assessment


def make_assessment(person: Any, *, flags: list[str], code: str = "test_instrument", version: int = 1,
                    classification: str = "", assessed_on: date | None = None) -> Assessment:
    """An assessment row as the lead's service leaves it (written directly: alerts are what's tested)."""
    return Assessment.objects.create(person=person, household=person.household, area=person.area,
                                     instrument_code=code, instrument_version=version,
                                     assessed_on=assessed_on or date(2025, 1, 6), flags=flags,
                                     classification=classification)


@pytest.fixture
def flagged(person_a: Any) -> Assessment:
    return make_assessment(person_a, flags=["no_caregiver"])
