"""Writes to the registry. One function per use case; each checks scope, validates, saves
atomically, bumps the version (stale saves are refused) and writes an audit entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import read_area_codes, require_area
from chumchon.areas.models import LOCAL_LEVELS, Area
from chumchon.core.audit import diff, log_action, snapshot
from chumchon.core.errors import PossibleDuplicate, StaleEdit
from chumchon.core.thai import ThaiDateError, mask_ids_in_text, normalize_text, parse_thai_date, thai_sort_key
from chumchon.people.matchkeys import person_dup_keys
from chumchon.people.models import (
    DataBasis,
    GivenBy,
    Household,
    LawfulBasis,
    Person,
    PersonMove,
    PersonStatus,
)
from chumchon.people.selectors import duplicates_for_input
from chumchon.people.validation import (
    HOUSEHOLD_FIELDS,
    PERSON_FIELDS,
    clean_household_fields,
    clean_person_fields,
    today,
)

EDIT = Capability.EDIT_REGISTRY


def _local_area(*, actor: Any, area_code: str) -> Area:
    area = Area.objects.filter(code=str(area_code), level__in=LOCAL_LEVELS, is_active=True).first()
    if area is None:
        raise ValidationError({"area": _("No village or community has the code “%(code)s”.") % {"code": area_code}})
    require_area(actor, EDIT, area.code)
    return area


def _bump_version(model: type[Model], obj: Any, version: int | None) -> None:
    """Compare-and-set on ``version``: a save from a stale form changes nothing and raises."""
    expected = obj.version if version is None else int(version)
    updated = model._default_manager.filter(pk=obj.pk, version=expected).update(version=F("version") + 1)
    if updated != 1:
        raise StaleEdit()
    obj.version = expected + 1


# ---------------------------------------------------------------------------
# Households
# ---------------------------------------------------------------------------


def _check_house_no(area: Area, house_no: str, exclude_id: int | None = None) -> None:
    if not house_no:
        return
    clash = Household.objects.filter(area=area, house_no=house_no, is_active=True)
    if exclude_id:
        clash = clash.exclude(pk=exclude_id)
    if clash.exists():
        raise ValidationError({"house_no": _("House number %(house_no)s already exists in %(village)s.")
                                         % {"house_no": house_no, "village": area.label}})


@transaction.atomic
def household_create(*, actor: Any, area_code: str, **fields: Any) -> Household:
    area = _local_area(actor=actor, area_code=area_code)
    clean = clean_household_fields(fields)
    _check_house_no(area, clean.get("house_no", ""))
    household = Household(area=area, **clean)
    try:
        with transaction.atomic():
            household.save()
    except IntegrityError:
        raise ValidationError({"house_no": _("This house number already exists in the village.")}) from None
    log_action(actor=actor, verb="household.create", obj=household,
               data={"after": snapshot(household, ["area", *HOUSEHOLD_FIELDS])})
    return household


@transaction.atomic
def household_update(*, actor: Any, household: Household, version: int | None = None,
                     **fields: Any) -> Household:
    require_area(actor, EDIT, household.area_code)
    clean = clean_household_fields(fields)
    before = snapshot(household, list(HOUSEHOLD_FIELDS))
    if "house_no" in clean:
        _check_house_no(household.area, clean["house_no"], exclude_id=household.pk)
    _bump_version(Household, household, version)
    for name, value in clean.items():
        setattr(household, name, value)
    household.save(update_fields=[*clean, "updated_at"])
    changes = diff(before, snapshot(household, list(HOUSEHOLD_FIELDS)))
    log_action(actor=actor, verb="household.update", obj=household, data={"changes": changes})
    return household


# ---------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------


def person_derive(person: Person) -> None:
    """Fields that follow from others: disability from card/types, sort and search text."""
    if person.has_disability_card or person.disability_types:
        person.is_disabled = True
    person.sort_key = thai_sort_key(f"{person.first_name} {person.last_name}")[:220]
    house_no = person.household.house_no if person.household_id and person.household else ""
    # The national ID is left out on purpose: partial digits must not narrow a masked ID down.
    # A whole, valid ID is matched exactly instead (selectors._search_q).
    person.search_text = normalize_text(" ".join(filter(None, [
        person.title, person.first_name, person.last_name, person.nickname, house_no, person.phone,
    ]))).lower()[:400]
    person.dup_key_first, person.dup_key_last = person_dup_keys(
        area_code=person.area_code, birth_date=person.birth_date, first_name=person.first_name,
        last_name=person.last_name)


# Everything person_derive sets, for save(update_fields=...).
DERIVED_FIELDS = ["is_disabled", "sort_key", "search_text", "dup_key_first", "dup_key_last"]


def _check_national_id(national_id: str | None, exclude_id: int | None = None) -> None:
    if not national_id:
        return
    clash = Person.objects.filter(national_id=national_id)
    if exclude_id:
        clash = clash.exclude(pk=exclude_id)
    if clash.exists():
        # Say that it exists, never where: the other record may be outside this user's area.
        raise ValidationError({"national_id": _("This national ID is already in the registry. Search for it "
                                                "first, or tell the tambon officer.")})


def _check_identity(person: Person) -> None:
    if not person.national_id and not person.no_id_reason:
        raise ValidationError({"national_id": _("Enter the national ID, or choose why there is none.")})


def _refuse_merged(person: Person) -> None:
    if person.status == PersonStatus.MERGED:
        raise ValidationError({"status": _("This record was merged into another person's record: edit that "
                                           "record instead.")})


@transaction.atomic
def person_create(*, actor: Any, household: Household | None = None, area_code: str | None = None,
                  confirm_new: bool = False, **fields: Any) -> Person:
    """Register a person in a household (or directly in a village, when no household is known).

    A possible duplicate in the tambon (same ID, or a similar name born the same year) stops the
    save with ``PossibleDuplicate`` until the caller confirms it is someone else (``confirm_new``)."""
    if household is not None:
        require_area(actor, EDIT, household.area_code)
        area = household.area
    else:
        area = _local_area(actor=actor, area_code=str(area_code or ""))
    clean = clean_person_fields(fields)
    if not confirm_new:
        candidates = duplicates_for_input(
            user=actor, area_code=area.code, first_name=clean.get("first_name", ""),
            last_name=clean.get("last_name", ""), birth_date=str(fields.get("birth_date") or ""),
            national_id=clean.get("national_id") or "")
        if candidates:
            raise PossibleDuplicate(candidates)
    person = Person(area=area, household=household, registered_by=actor if getattr(actor, "pk", None) else None,
                    **clean)
    _check_identity(person)
    _check_national_id(person.national_id)
    person_derive(person)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise ValidationError({"national_id": _("This national ID is already in the registry.")}) from None
    log_action(actor=actor, verb="person.create", obj=person,
               data={"after": snapshot(person, ["area", "household", *PERSON_FIELDS])})
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, version: int | None = None, **fields: Any) -> Person:
    require_area(actor, EDIT, person.area_code)
    _refuse_merged(person)
    clean = clean_person_fields(fields)
    before = snapshot(person, list(PERSON_FIELDS))
    for name, value in clean.items():
        setattr(person, name, value)
    _check_identity(person)
    if "national_id" in clean:
        _check_national_id(person.national_id, exclude_id=person.pk)
    _bump_version(Person, person, version)
    person_derive(person)
    person.save(update_fields=[*clean, *DERIVED_FIELDS, "updated_at"])
    changes = diff(before, snapshot(person, list(PERSON_FIELDS)))
    log_action(actor=actor, verb="person.update", obj=person, data={"changes": changes})
    return person


@transaction.atomic
def person_move(*, actor: Any, person: Person, to_household: Household | None = None,
                to_area_code: str | None = None, relation_to_head: str = "", moved_on: date | str | None = None,
                note: str = "", version: int | None = None) -> PersonMove:
    """Move a person to another household or village; the old place stays in the history.

    Moving out of every area the actor covers is allowed (the person leaves their reach);
    the destination must exist, and a household destination must be in the actor's reach.
    """
    require_area(actor, EDIT, person.area_code)
    _refuse_merged(person)
    to_area: Area | None
    if to_household is not None:
        require_area(actor, EDIT, to_household.area_code)
        to_area = to_household.area
    elif to_area_code:
        to_area = Area.objects.filter(code=to_area_code, level__in=LOCAL_LEVELS, is_active=True).first()
        if to_area is None:
            raise ValidationError({"to_area": _("No village or community has the code “%(code)s”.")
                                   % {"code": to_area_code}})
    else:
        raise ValidationError({"to_household": _("Choose the household or village the person moves to.")})
    if to_household is not None and to_household.pk == person.household_id:
        raise ValidationError({"to_household": _("This person already lives in this household.")})
    if isinstance(moved_on, str):
        try:
            moved_on = parse_thai_date(moved_on).value if moved_on.strip() else None
        except ThaiDateError as exc:
            raise ValidationError({"moved_on": str(exc)}) from None
    moved_on = moved_on or today()
    if moved_on > today():
        raise ValidationError({"moved_on": _("The moving date is in the future.")})
    clean_relation = clean_person_fields({"relation_to_head": relation_to_head})["relation_to_head"]
    _bump_version(Person, person, version)
    move = PersonMove.objects.create(
        person=person, moved_on=moved_on, from_household=person.household, to_household=to_household,
        from_area=person.area, to_area=to_area, from_relation=person.relation_to_head,
        to_relation=clean_relation, note=normalize_text(note)[:300], recorded_by=actor,
    )
    from_area_code = person.area_code
    person.household = to_household
    person.area = to_area
    person.relation_to_head = clean_relation
    if person.status == PersonStatus.MOVED_AWAY:
        person.status = PersonStatus.ACTIVE
    person_derive(person)
    person.save(update_fields=["household", "area", "relation_to_head", "status", *DERIVED_FIELDS,
                               "updated_at"])
    from chumchon.visits.services.moves import health_records_follow

    health_records_follow(actor=actor, person=person, from_area_code=from_area_code, to_area=to_area)
    log_action(actor=actor, verb="person.move", obj=person, area_code=from_area_code, data={
        "from_area": from_area_code, "to_area": to_area.code,
        "from_household": move.from_household_id, "to_household": move.to_household_id,
        "moved_on": moved_on,
    })
    if to_area.tambon_code != from_area_code[:6]:
        # The receiving tambon sees in its own log who sent this person's record to it.
        log_action(actor=actor, verb="person.move_in", obj=person, area_code=to_area.code, data={
            "from_area": from_area_code, "to_area": to_area.code, "moved_on": moved_on,
        })
    return move


@transaction.atomic
def data_basis_record(*, actor: Any, person: Person, basis: str, purposes: str, given_on: date | None = None,
                      given_by: str = GivenBy.NOT_APPLICABLE, notice_version: str = "") -> DataBasis:
    """Record the lawful basis (or consent) under which this person's data is held (PDPA)."""
    require_area(actor, EDIT, person.area_code)
    errors = {}
    if basis not in LawfulBasis.values:
        errors["basis"] = _("Choose the lawful basis.")
    if given_by not in GivenBy.values:
        errors["given_by"] = _("Choose who gave consent.")
    if basis == LawfulBasis.CONSENT and given_by == GivenBy.NOT_APPLICABLE:
        errors["given_by"] = _("Consent must say who gave it.")
    purposes = normalize_text(purposes)
    if not purposes:
        errors["purposes"] = _("Enter the purposes.")
    given_on = given_on or today()
    if given_on > today():
        errors["given_on"] = _("The date is in the future.")
    if errors:
        raise ValidationError(errors)
    record = DataBasis.objects.create(
        person=person, basis=basis, purposes=purposes[:300], given_by=given_by, given_on=given_on,
        notice_version=normalize_text(notice_version)[:20], recorded_by=actor,
    )
    log_action(actor=actor, verb="person.basis_record", obj=person,
               data={"basis": basis, "purposes": purposes, "given_by": given_by, "given_on": given_on})
    return record


@transaction.atomic
def data_basis_withdraw(*, actor: Any, record: DataBasis, withdrawn_on: date | None = None) -> DataBasis:
    require_area(actor, EDIT, record.person.area_code)
    if record.withdrawn_on:
        raise ValidationError({"withdrawn_on": _("This consent was already withdrawn.")})
    record.withdrawn_on = withdrawn_on or today()
    record.save(update_fields=["withdrawn_on"])
    log_action(actor=actor, verb="person.basis_withdraw", obj=record.person,
               data={"record": record.pk, "basis": record.basis, "withdrawn_on": record.withdrawn_on})
    return record


def person_log_view(*, actor: Any, person: Person) -> None:
    """Opening a person's page is a read of sensitive data: it is logged (PDPA)."""
    log_action(actor=actor, verb="person.view", obj=person)


def household_log_view(*, actor: Any, household: Household) -> None:
    """Opening a household shows its members by name: logged like a person's page."""
    log_action(actor=actor, verb="household.view", obj=household)


def person_log_list(*, actor: Any, filters: dict[str, Any]) -> None:
    """A list of people read through the API is a bulk read of names: one entry per page read, in
    the log of every area it was drawn from, with the filters and the page asked for."""
    area_code = str(filters.get("area") or "")
    data = {key: mask_ids_in_text(str(value)) for key, value in filters.items() if value not in ("", None)}
    for code in read_area_codes(actor, area_code):
        log_action(actor=actor, verb="person.list", object_type="people.person", area_code=code, data=data)
