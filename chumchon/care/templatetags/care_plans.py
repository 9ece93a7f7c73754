"""``{% person_care person as care %}``: what the person page shows of care plans, goals (with
before/after), referrals and the rights and necessities met over time. Empty for users without
VIEW_HEALTH in the person's village (health data)."""

from __future__ import annotations

from typing import Any

from django import template

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.care.models import GoalMeasure, Outcome
from chumchon.care.services._common import may_plan

register = template.Library()


@register.simple_tag(takes_context=True)
def person_care(context: Any, person: Any) -> dict[str, Any] | None:
    from chumchon.care import plan_selectors as sel

    user = context.get("user")
    if person is None or not can(user, Capability.VIEW_HEALTH, person.area_code):
        return None
    plans = list(sel.plan_list(user=user, person_id=person.pk))
    goals = {plan.pk: sel.plan_goals(plan) for plan in plans}
    met = sorted((goal for plan_goals in goals.values() for goal in plan_goals if goal.outcome == Outcome.MET),
                 key=lambda goal: (goal.met_on is None, goal.met_on))
    for plan in plans:
        plan.goal_list = goals[plan.pk]  # type: ignore[attr-defined]
    return {
        "plans": plans,
        "referrals": list(sel.referral_list(user=user, person_id=person.pk)[:20]),
        "rights_met": [goal for goal in met if goal.measure == GoalMeasure.RIGHT],
        "needs_met": [goal for goal in met if goal.measure != GoalMeasure.RIGHT],
        "may_plan": may_plan(user, person.area_code),
    }


@register.filter
def answers_referrals(user: Any) -> bool:
    """``{% if user|answers_referrals %}``: agency staff linked to an organisation (the queue link)."""
    from chumchon.care.plan_selectors import staff_organisation_ids

    return bool(staff_organisation_ids(user))


@register.filter
def result_label(code: str, instrument_code: str) -> str:
    """``{{ goal.baseline_classification|result_label:goal.instrument_code }}`` → "ติดเตียง"."""
    if not code or not instrument_code:
        return code or ""
    from chumchon.visits.instruments.registry import get_instrument

    try:
        instrument = get_instrument(instrument_code)
    except LookupError:
        return code
    band = instrument.band(code)
    return band.label.get() if band is not None else code
