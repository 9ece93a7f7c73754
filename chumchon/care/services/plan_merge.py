"""Care plans when two person records are merged (and the merge undone): called by
``linkage.services.merge`` inside its transaction; each change is audited like any plan change."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chumchon.care.models import CarePlan, PlanStatus
from chumchon.core.audit import _plain, log_action
from chumchon.people.models import Person


def plans_close_for_merge(*, actor: Any, kept: Person, merged: Person) -> list[dict[str, Any]]:
    """Close each open care plan of the merged person whose kind the kept person already has open
    (one open plan per person and kind), saying why, so it moves to the kept person's history
    instead of staying on a hidden record nobody can act on. Returns what the undo restores."""
    open_kinds = set(CarePlan.objects.filter(person=kept).exclude(status=PlanStatus.CLOSED)
                     .values_list("kind", flat=True))
    closed: list[dict[str, Any]] = []
    plans = (CarePlan.objects.select_for_update().select_related("person")
             .filter(person=merged, kind__in=open_kinds).exclude(status=PlanStatus.CLOSED).order_by("pk"))
    for plan in plans:
        before = {"id": plan.pk, "status": plan.status, "closed_at": _plain(plan.closed_at),
                  "closed_reason": plan.closed_reason}
        plan.status = PlanStatus.CLOSED
        plan.closed_at = timezone.now()
        plan.closed_reason = _("Merged into #%(id)s, which already has an open plan of this kind: "
                               "continue that one.") % {"id": kept.pk}
        plan.version += 1
        plan.save(update_fields=["status", "closed_at", "closed_reason", "version", "updated_at"])
        log_action(actor=actor, verb="plan.close", obj=plan, data={
            "from": before["status"], "to": PlanStatus.CLOSED, "reason": plan.closed_reason, "merged_into": kept.pk})
        closed.append(before)
    return closed


def plans_reopen_after_unmerge(*, actor: Any, merged: Person, closed: list[dict[str, Any]]) -> list[int]:
    """Undo ``plans_close_for_merge`` for the plans that are back on the merged person and still
    closed as the merge left them. Returns the ids left closed."""
    left = []
    for before in closed:
        plan = (CarePlan.objects.select_for_update().select_related("person")
                .filter(pk=before["id"], person=merged, status=PlanStatus.CLOSED).first())
        if plan is None:
            left.append(before["id"])
            continue
        field: Any = CarePlan._meta.get_field("closed_at")
        plan.status = before["status"]
        plan.closed_at = field.to_python(before["closed_at"]) if before["closed_at"] else None
        plan.closed_reason = before["closed_reason"]
        plan.version += 1
        try:
            with transaction.atomic():
                plan.save(update_fields=["status", "closed_at", "closed_reason", "version", "updated_at"])
        except IntegrityError:
            left.append(before["id"])  # another open plan of this kind meanwhile: this one stays closed
            continue
        log_action(actor=actor, verb="plan.reopen", obj=plan,
                   data={"from": PlanStatus.CLOSED, "to": before["status"], "merge_undone": True})
    return left
