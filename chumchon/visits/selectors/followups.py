"""The follow-up schedule: who is due a visit by a date, most urgent first, and who an instrument
is for but was never assessed under it. Scoped by RECORD_VISITS; queries, not loops over people.

Order: an open urgent alert on the person first, then how serious the last result was (the
band's ``severity`` in the instrument), then the longest overdue. People never assessed are due
now and follow the scheduled ones, instrument by instrument, village and name order.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import scope_q, within_q
from chumchon.areas.models import Area
from chumchon.care.models import Alert, AlertStatus, Severity
from chumchon.people.models import Household, Person, PersonStatus
from chumchon.people.selectors import thai_order
from chumchon.people.validation import today
from chumchon.visits.instruments.schema import Band, Instrument
from chumchon.visits.models import CurrentStatus

RECORD = Capability.RECORD_VISITS
SEVERITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "": 3}


def instruments() -> list[Instrument]:
    """The latest active instruments; empty when the registry cannot be read."""
    try:
        from chumchon.visits.instruments.registry import list_instruments

        return list(list_instruments())
    except Exception:  # custom definitions unreadable: the shipped ones still work
        try:
            from chumchon.visits.instruments.registry import shipped

            latest: dict[str, Instrument] = {}
            for inst in shipped().values():
                if inst.code not in latest or inst.version > latest[inst.code].version:
                    latest[inst.code] = inst
            return sorted(latest.values(), key=lambda inst: inst.code)
        except Exception:
            return []


def instrument_or_none(code: str, version: int | None = None) -> Instrument | None:
    try:
        from chumchon.visits.instruments.registry import get_instrument

        return get_instrument(code, version)
    except Exception:
        return None


def band_of(instrument: Instrument | None, code: str) -> Band | None:
    return instrument.band(code) if instrument is not None and code else None


def months_before(on: date, months: int) -> date:
    """The same day ``months`` earlier (the end of a shorter month when it has no such day)."""
    total = on.year * 12 + on.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(on.day, calendar.monthrange(year, month)[1]))


def end_of_week(on: date) -> date:
    """The Sunday that ends ``on``'s week (Monday to Sunday)."""
    return on + timedelta(days=6 - on.weekday())


def target_q(instrument: Instrument, on: date) -> Q | None:
    """The people an instrument is for: in its age window, or with any of its person flags.
    None when it names no one (an instrument without a target lists no one as never assessed)."""
    target = instrument.target
    age: Q | None = None
    if target.min_age_months is not None or target.max_age_months is not None:
        age = Q(birth_date__isnull=False)
        if target.min_age_months is not None:
            age &= Q(birth_date__lte=months_before(on, target.min_age_months))
        if target.max_age_months is not None:
            age &= Q(birth_date__gt=months_before(on, target.max_age_months))
    flags: Q | None = None
    for name in target.person_flags:
        flags = Q(**{name: True}) if flags is None else flags | Q(**{name: True})
    if age is not None and flags is not None:
        return age | flags
    return age if age is not None else flags


@dataclass
class DueRow:
    instrument_code: str
    instrument_title: str
    area: Area
    due_on: date
    reason: str
    person: Person | None = None
    household: Household | None = None
    classification: str = ""
    classification_label: str = ""
    severity: str = ""
    score: Any = None
    last_assessed_on: date | None = None
    urgent_alert: bool = False
    never_assessed: bool = False
    days_overdue: int = 0

    @property
    def household_id(self) -> int | None:
        if self.household is not None:
            return self.household.pk
        return self.person.household_id if self.person is not None else None


@dataclass
class DuePage:
    rows: list[DueRow] = field(default_factory=list)
    total: int = 0
    scheduled: int = 0  # rows with a due date from an earlier assessment
    never_assessed: int = 0
    until: date | None = None

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _interval_phrase(days: int) -> str:
    if days >= 350:
        return _("yearly check")
    if days >= 170:
        return _("6-monthly check")
    if days >= 85:
        return _("3-monthly check")
    if 28 <= days <= 31:
        return _("re-check after 30 days")
    return _("re-check after %(days)s days") % {"days": days}


def due_reason(instrument: Instrument | None, status: CurrentStatus) -> str:
    """Why the visit is due, e.g. "re-check after 30 days · Suspected delay", "6-monthly check · Home-bound"."""
    band = band_of(instrument, status.classification)
    phrase = _interval_phrase((status.due_on - status.assessed_on).days) if status.due_on else ""
    if band is not None and band.severity in ("urgent", "high"):
        return f"{phrase} · {band.label.get()}"
    return phrase


def _scheduled(user: Any, area_code: str, until: date, on: date, catalogue: list[Instrument]) -> QuerySet[Any]:
    band_rank = [When(instrument_code=inst.code, classification=band.code, then=Value(SEVERITY_RANK[band.severity]))
                 for inst in catalogue for band in inst.classifications if band.severity in SEVERITY_RANK]
    urgent = Alert.objects.filter(status=AlertStatus.OPEN, severity=Severity.URGENT).filter(
        Q(person_id=OuterRef("person_id")) | Q(person__isnull=True, household_id=OuterRef("household_id")))
    rows = (CurrentStatus.objects.filter(scope_q(user, RECORD, "area__code"), due_on__isnull=False,
                                         due_on__lte=until)
            .filter(Q(person__isnull=True) | Q(person__status=PersonStatus.ACTIVE))
            .filter(Q(household__isnull=True) | Q(household__is_active=True)))
    if area_code:
        rows = rows.filter(within_q(area_code, "area__code"))
    for inst in catalogue:  # a child who grew out of an instrument's ages is no longer due under it
        if inst.target.max_age_months is not None:
            rows = rows.exclude(instrument_code=inst.code,
                                person__birth_date__lte=months_before(on, inst.target.max_age_months))
    return (rows.annotate(urgent_alert=Exists(urgent),
                          band_rank=Case(*band_rank, default=Value(3), output_field=IntegerField()))
            .select_related("person", "person__household", "household", "area")
            .order_by("-urgent_alert", "band_rank", "due_on", "area_id", "pk"))


def _never_assessed(user: Any, area_code: str, inst: Instrument, on: date) -> QuerySet[Person] | None:
    if inst.subject != "person":
        return None
    wanted = target_q(inst, on)
    if wanted is None:
        return None
    rows = (Person.objects.filter(scope_q(user, RECORD, "area__code"), wanted, status=PersonStatus.ACTIVE)
            .exclude(Exists(CurrentStatus.objects.filter(person_id=OuterRef("pk"), instrument_code=inst.code))))
    if area_code:
        rows = rows.filter(within_q(area_code, "area__code"))
    return rows.select_related("household", "area").order_by("area_id", thai_order("sort_key"), "pk")


def due_list(*, user: Any, area_code: str | None = None, until: date | None = None, offset: int = 0,
             limit: int = 50) -> DuePage:
    """Visits due by ``until`` (default: the end of this week, Sunday) in the user's RECORD_VISITS
    reach, one page of at most ``limit`` rows; ``DuePage.total`` counts them all."""
    on = today()
    until = until or end_of_week(on)
    area = area_code or ""
    catalogue = instruments()
    by_code = {inst.code: inst for inst in catalogue}
    page = DuePage(until=until)

    scheduled = _scheduled(user, area, until, on, catalogue)
    page.scheduled = scheduled.count()
    for status in scheduled[offset:offset + limit] if offset < page.scheduled else []:
        inst = by_code.get(status.instrument_code) or instrument_or_none(status.instrument_code)
        band = band_of(inst, status.classification)
        due_on = status.due_on or on
        page.rows.append(DueRow(
            instrument_code=status.instrument_code,
            instrument_title=inst.title.get() if inst else status.instrument_code,
            area=status.area, due_on=due_on, reason=due_reason(inst, status), person=status.person,
            household=status.household or (status.person.household if status.person else None),
            classification=status.classification,
            classification_label=band.label.get() if band else status.classification,
            severity=band.severity if band else "", score=status.score, last_assessed_on=status.assessed_on,
            urgent_alert=bool(getattr(status, "urgent_alert", False)), days_overdue=max(0, (on - due_on).days)))

    skip = max(0, offset - page.scheduled)
    room = limit - len(page.rows)
    for inst in catalogue:
        people = _never_assessed(user, area, inst, on)
        if people is None:
            continue
        count = people.count()
        page.never_assessed += count
        if room <= 0 or skip >= count:
            skip = max(0, skip - count)
            continue
        for person in people[skip:skip + room]:
            page.rows.append(DueRow(
                instrument_code=inst.code, instrument_title=inst.title.get(), area=person.area, due_on=on,
                reason=_("never assessed"), person=person, household=person.household, never_assessed=True))
        room = limit - len(page.rows)
        skip = 0
    page.total = page.scheduled + page.never_assessed
    return page
