"""Merging two registry records of one person, and undoing it exactly.

``person_merge`` folds the *merged* person into the *kept* one: every row of every app that points
at the merged person (found generically through ``Person._meta.related_objects``, so relations
added later are covered too) is moved to the kept person; empty fields of the kept person are
filled from the merged one (the household only when it is in the kept person's village);
the merged person is marked ``merged`` with ``merged_into``, which
hides it from lists, search, counts and the duplicate check. A row that cannot move because the
kept person already has its twin (a unique constraint: one current status per instrument, one
enrolment per centre and day...) stays with the merged record and is listed in the event.
An open care plan of the merged person that clashes with the kept person's open plan of the same
kind is closed first ("merged into #N") so it moves to the kept person's history; the undo reopens it.

``person_unmerge`` moves exactly the moved rows back and restores the fields, so a merge and its
undo leave the database as it was. A moved row that was re-pointed or changed since the merge (a
source record re-linked to someone else, a current status updated by the kept person's later
assessment) is not moved back: it stays where it is now and is listed in the undo's audit entry.
Both are audited and need LINK_RECORDS in both persons' areas.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import require_area
from chumchon.care.services.plan_merge import plans_close_for_merge, plans_reopen_after_unmerge
from chumchon.core.audit import _plain, log_action
from chumchon.linkage.models import CandidateStatus, MatchCandidate, MergeEvent
from chumchon.people.models import Person, PersonStatus

LINK = Capability.LINK_RECORDS

# Filled on the kept person when empty there (a merge never overwrites what the kept record says).
FILL_FIELDS = ("title", "last_name", "nickname", "sex", "phone", "national_id")
# Yes/no facts: a "yes" on either record is kept.
FLAG_FIELDS = ("has_id_card", "has_welfare_card", "has_disability_card", "is_disabled",
               "is_awaiting_rehab", "is_bedbound", "is_poor")
# Lists: the union of both.
LIST_FIELDS = ("disability_types", "allowances")
# The merged person's fields a merge changes.
MERGED_FIELDS = ("status", "merged_into", "national_id")


def _relations() -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every foreign key to Person, many-to-many through tables included.
    The linkage bookkeeping (candidates and merge events) is not moved: it is history."""
    out: list[tuple[type[models.Model], str]] = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not rel.auto_created or rel.concrete:
            continue
        model: Any = rel.related_model
        if model in (MatchCandidate, MergeEvent):
            continue
        if rel.many_to_many:
            through = rel.through  # type: ignore[union-attr]
            for field in through._meta.get_fields():
                if getattr(field, "related_model", None) is Person and field.concrete:
                    out.append((through, field.name))
        elif rel.one_to_many or rel.one_to_one:
            out.append((model, rel.field.name))  # type: ignore[union-attr]
    return sorted(set(out), key=lambda item: (item[0]._meta.label_lower, item[1]))


def _key(model: type[models.Model], field: str) -> str:
    return f"{model._meta.label_lower}.{field}"


def _resolve(key: str) -> tuple[type[models.Model], str]:
    app_label, model_name, field = key.split(".")
    return apps.get_model(app_label, model_name), field


def _move_rows(model: type[models.Model], field: str, pks: list[Any], to_id: int) -> tuple[list[Any], list[Any]]:
    """Point ``field`` of rows ``pks`` at ``to_id``: all at once when nothing clashes, else row by
    row, leaving the clashing ones. Returns (moved, kept back)."""
    manager = model._default_manager
    try:
        with transaction.atomic():
            manager.filter(pk__in=pks).update(**{field: to_id})
        return pks, []
    except IntegrityError:
        pass
    moved, kept_back = [], []
    for pk in pks:
        try:
            with transaction.atomic():
                manager.filter(pk=pk).update(**{field: to_id})
            moved.append(pk)
        except IntegrityError:
            kept_back.append(pk)
    return moved, kept_back


def _fingerprints(model: type[models.Model], pks: list[Any]) -> dict[str, str]:
    """A digest of every column of rows ``pks`` as the merge leaves them: the undo moves back only
    rows whose digest is unchanged."""
    out = {}
    for row in model._default_manager.filter(pk__in=pks).values():
        text = json.dumps(_plain(row), sort_keys=True, default=str)
        out[str(row[model._meta.pk.attname])] = hashlib.sha256(text.encode()).hexdigest()[:16]
    return out


def _move_back(model: type[models.Model], field: str, pks: list[Any], kept_id: int, merged_id: int,
               fingerprints: dict[str, str] | None) -> tuple[list[Any], list[Any]]:
    """Move back the rows still as the merge left them. Returns (moved back, left where they are)."""
    now = _fingerprints(model, list(model._default_manager.filter(pk__in=pks, **{field: kept_id})
                                    .values_list("pk", flat=True)))
    unchanged = [pk for pk in pks if str(pk) in now
                 and (fingerprints is None or fingerprints.get(str(pk)) == now[str(pk)])]
    done = _move_rows(model, field, unchanged, merged_id)[0] if unchanged else []
    left = [pk for pk in pks if pk not in done]
    return done, left


def _fill_kept(kept: Person, merged: Person,
               not_copied: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Fill the kept person's gaps from the merged one. Returns (before, after, fields changed); a
    gap left unfilled on purpose goes into ``not_copied``."""
    before: dict[str, Any] = {}

    def put(name: str, value: Any) -> None:
        field: Any = Person._meta.get_field(name)
        attname = field.attname
        before.setdefault(name, _plain(getattr(kept, attname)))
        setattr(kept, attname, value)

    for name in FILL_FIELDS:
        if not getattr(kept, name) and getattr(merged, name):
            put(name, getattr(merged, name))
    if kept.national_id and kept.no_id_reason:
        put("no_id_reason", "")
    if merged.birth_date and (kept.birth_date is None or (
            kept.birth_year_only and not merged.birth_year_only
            and kept.birth_date.year == merged.birth_date.year)):
        put("birth_date", merged.birth_date)
        put("birth_year_only", merged.birth_year_only)
    if not kept.household_id and merged.household_id:
        # A household is in one village: never give the kept person a house in another one.
        if merged.household is not None and merged.household.area_id == kept.area_id:
            put("household", merged.household_id)
            put("relation_to_head", merged.relation_to_head)
        else:
            not_copied["household"] = merged.household_id
    if kept.health_coverage == "unknown" and merged.health_coverage != "unknown":
        put("health_coverage", merged.health_coverage)
    for name in FLAG_FIELDS:
        if getattr(merged, name) and not getattr(kept, name):
            put(name, True)
    for name in LIST_FIELDS:
        union = list(getattr(kept, name) or [])
        union += [item for item in (getattr(merged, name) or []) if item not in union]
        if union != list(getattr(kept, name) or []):
            put(name, union)
    after = {name: _plain(getattr(kept, Person._meta.get_field(name).attname)) for name in before}  # type: ignore[union-attr]
    return before, after, list(before)


def _restore_current_statuses(merged: Person, skipped: list[Any]) -> None:
    """A current status that stayed with the kept person (their later assessment updated it) leaves
    the merged person without one for that instrument: rebuild it from their own latest assessment."""
    from chumchon.visits.models import Assessment, CurrentStatus
    from chumchon.visits.services.assessments import current_status_refresh

    codes = set(CurrentStatus.objects.filter(pk__in=skipped).values_list("instrument_code", flat=True))
    for code in sorted(codes):
        if CurrentStatus.objects.filter(person=merged, instrument_code=code).exists():
            continue
        latest = (Assessment.objects.filter(person=merged, instrument_code=code)
                  .order_by("-assessed_on", "-pk").first())
        if latest is not None:
            current_status_refresh(latest)


def _check_scope(actor: Any, automatic: bool, *persons: Person) -> None:
    if actor is None and automatic:
        return  # the command line's automatic linkage: no user, whole registry
    for person in persons:
        require_area(actor, LINK, person.area_code)


def _locked(person_id: int) -> Person:
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None:
        raise ValidationError({"person": _("This person is not in the registry.")})
    return person


@transaction.atomic
def person_merge(*, actor: Any, keep_id: int, merge_id: int, reason: str = "",
                 candidate: MatchCandidate | None = None, automatic: bool = False) -> MergeEvent:
    """Fold person ``merge_id`` into person ``keep_id`` (see the module docstring)."""
    from chumchon.people.services import DERIVED_FIELDS, person_derive

    first, second = sorted([int(keep_id), int(merge_id)])
    locked = {first: _locked(first), second: _locked(second)}  # lock in id order: no deadlock
    kept, merged = locked[int(keep_id)], locked[int(merge_id)]
    _check_scope(actor, automatic, kept, merged)
    if kept.pk == merged.pk:
        raise ValidationError({"merge_id": _("A person cannot be merged with themself.")})
    if PersonStatus.MERGED in (kept.status, merged.status):
        raise ValidationError({"merge_id": _("One of these records was already merged into another.")})
    if kept.national_id and merged.national_id and kept.national_id != merged.national_id:
        raise ValidationError({"merge_id": _("These two records have different national IDs: they are "
                                             "different people, or one ID is wrong. Correct the ID first.")})

    moved: dict[str, list[Any]] = {}
    kept_back: dict[str, list[Any]] = {}
    fingerprints: dict[str, dict[str, str]] = {}
    plans_closed = plans_close_for_merge(actor=actor, kept=kept, merged=merged)
    for model, field in _relations():
        pks = list(model._default_manager.filter(**{field: merged.pk}).values_list("pk", flat=True))
        if model is Person:
            pks = [pk for pk in pks if pk != kept.pk]
        if not pks:
            continue
        done, left = _move_rows(model, field, pks, kept.pk)
        if done:
            moved[_key(model, field)] = sorted(done)
            fingerprints[_key(model, field)] = _fingerprints(model, done)
        if left:
            kept_back[_key(model, field)] = sorted(left)

    merged_before = {name: _plain(getattr(merged, Person._meta.get_field(name).attname))  # type: ignore[union-attr]
                     for name in MERGED_FIELDS}
    not_copied: dict[str, Any] = {}
    before, after, changed = _fill_kept(kept, merged, not_copied)  # in memory; saved after the merged record
    merged.status = PersonStatus.MERGED
    merged.merged_into = kept
    if "national_id" in changed:
        merged.national_id = None  # one ID, one person (unique): it moves to the kept record
    merged.version = F("version") + 1
    merged.save(update_fields=["status", "merged_into", "national_id", "version", "updated_at"])
    person_derive(kept)
    kept.version = F("version") + 1
    kept.save(update_fields=[*changed, *DERIVED_FIELDS, "version", "updated_at"])
    kept.refresh_from_db(fields=["version"])
    merged.refresh_from_db(fields=["version"])

    if candidate is not None:
        candidate.status = CandidateStatus.SAME
        candidate.decided_by = actor if getattr(actor, "pk", None) else None
        candidate.decided_at = timezone.now()
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
    event = MergeEvent.objects.create(
        kept=kept, merged=merged, actor=actor if getattr(actor, "pk", None) else None, reason=reason[:300],
        candidate=candidate, automatic=automatic,
        moved={**moved, **({"_kept_back": kept_back} if kept_back else {}),
               **({"_not_copied": not_copied} if not_copied else {}),
               **({"_plans_closed": plans_closed} if plans_closed else {}), "_fingerprints": fingerprints},
        kept_before=before, kept_after=after, merged_before=merged_before)
    data = {"event": event.pk, "kept": kept.pk, "merged": merged.pk, "moved": {k: len(v) for k, v in moved.items()},
            "filled": changed, "kept_back": kept_back, "reason": reason, "automatic": automatic,
            "candidate": candidate.pk if candidate else None,
            "plans_closed": [plan["id"] for plan in plans_closed],
            **({"household_left": not_copied["household"]} if "household" in not_copied else {})}
    log_action(actor=actor, verb="person.merge", obj=kept, data=data)
    if merged.area_code[:6] != kept.area_code[:6]:
        log_action(actor=actor, verb="person.merge", obj=merged, area_code=merged.area_code, data=data)
    return event


@transaction.atomic
def person_unmerge(*, actor: Any, merge_id: int) -> MergeEvent:
    """Undo a merge: move back exactly the rows it moved and restore both persons' fields. A field
    of the kept person edited since the merge keeps its new value."""
    from chumchon.people.services import DERIVED_FIELDS, person_derive

    event = MergeEvent.objects.select_for_update().filter(pk=merge_id).first()
    if event is None:
        raise ValidationError({"merge": _("This merge does not exist.")})
    first, second = sorted([event.kept_id, event.merged_id])
    locked = {first: _locked(first), second: _locked(second)}
    kept, merged = locked[event.kept_id], locked[event.merged_id]
    _check_scope(actor, False, kept, merged)
    if event.undone_at:
        raise ValidationError({"merge": _("This merge was already undone.")})
    if kept.status == PersonStatus.MERGED:
        raise ValidationError({"merge": _("The kept record was merged again later. Undo that merge first.")})
    if merged.status != PersonStatus.MERGED or merged.merged_into_id != kept.pk:
        raise ValidationError({"merge": _("The merged record has changed since; this merge cannot be undone.")})

    # The kept person's fields first: the national ID must leave it before the merged one gets it back.
    restored = []
    for name, before in event.kept_before.items():
        field: Any = Person._meta.get_field(name)
        if _plain(getattr(kept, field.attname)) == event.kept_after.get(name):
            setattr(kept, field.attname, field.to_python(before) if before is not None else None)
            restored.append(name)
    if restored:
        person_derive(kept)
        kept.version = F("version") + 1
        kept.save(update_fields=[*restored, *DERIVED_FIELDS, "version", "updated_at"])
        kept.refresh_from_db(fields=["version"])

    # Only rows still as the merge left them: one re-pointed or changed since stays where it is now.
    fingerprints = event.moved.get("_fingerprints")  # absent on merges recorded before digests
    moved_back: dict[str, int] = {}
    skipped: dict[str, list[Any]] = {}
    for key, pks in event.moved.items():
        if key.startswith("_"):
            continue
        model, field_name = _resolve(key)
        done, left = _move_back(model, field_name, pks, kept.pk, merged.pk,
                                fingerprints.get(key, {}) if fingerprints is not None else None)
        moved_back[key] = len(done)
        if left:
            skipped[key] = sorted(left)

    plans_left_closed = plans_reopen_after_unmerge(actor=actor, merged=merged,
                                                   closed=event.moved.get("_plans_closed", []))
    _restore_current_statuses(merged, skipped.get("visits.currentstatus.person", []))

    merged.status = event.merged_before["status"]
    merged.merged_into_id = event.merged_before["merged_into"]
    merged.national_id = event.merged_before["national_id"]
    person_derive(merged)
    merged.version = F("version") + 1
    merged.save(update_fields=["status", "merged_into", "national_id", *DERIVED_FIELDS, "version", "updated_at"])
    merged.refresh_from_db(fields=["version"])

    event.undone_at = timezone.now()
    event.undone_by = actor if getattr(actor, "pk", None) else None
    event.save(update_fields=["undone_at", "undone_by"])
    if event.candidate_id:
        # Back in the queue for a fresh decision (unless the pair was proposed again meanwhile).
        candidate = MatchCandidate.objects.get(pk=event.candidate_id)
        clash = MatchCandidate.objects.filter(person_a=candidate.person_a_id, person_b=candidate.person_b_id,
                                              status=CandidateStatus.PENDING).exists()
        if not clash:
            candidate.status = CandidateStatus.PENDING
            candidate.decided_by = None
            candidate.decided_at = None
            candidate.save(update_fields=["status", "decided_by", "decided_at"])
    data = {"event": event.pk, "kept": kept.pk, "merged": merged.pk, "restored": restored,
            "moved_back": moved_back, "skipped": skipped, "plans_left_closed": plans_left_closed}
    log_action(actor=actor, verb="person.unmerge", obj=kept, data=data)
    if merged.area_code[:6] != kept.area_code[:6]:
        log_action(actor=actor, verb="person.unmerge", obj=merged, area_code=merged.area_code, data=data)
    return event
