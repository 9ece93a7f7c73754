"""Reads of care plans and referrals, and the problems proposed for a new plan.

Plans: VIEW_HEALTH in the person's current village. Referrals: the same, or staff of the
receiving organisation (agency queue). Anything else answers 404."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from chumchon.accounts.models import Membership
from chumchon.accounts.roles import Capability, Role
from chumchon.accounts.scoping import can, scope_q
from chumchon.care.models import CarePlan, Comparison, GoalMeasure, PlanStatus, Referral, ReferralStatus
from chumchon.care.services.outcomes import RIGHTS
from chumchon.network.models import NeedRule, OrganisationStaff, Term, Vocabulary
from chumchon.people.models import HealthCoverage, Person
from chumchon.people.selectors import Group, person_get, person_groups
from chumchon.people.validation import today

HEALTH = Capability.VIEW_HEALTH


def plan_list(*, user: Any, status: str = "", person_id: int | None = None,
              open_only: bool = False) -> QuerySet[CarePlan]:
    rows = (CarePlan.objects.filter(scope_q(user, HEALTH, "person__area__code"))
            .select_related("person", "person__area", "author", "approved_by"))
    if status:
        rows = rows.filter(status=status)
    if open_only:
        rows = rows.exclude(status=PlanStatus.CLOSED)
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    return rows.order_by("-updated_at", "-pk")


def plan_get(*, user: Any, plan_id: int) -> CarePlan:
    plan = plan_list(user=user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404("not found")
    return plan


def plan_goals(plan: CarePlan) -> list[Any]:
    return list(plan.goals.select_related("support_kind").prefetch_related(
        "actions", "actions__organisation", "actions__service", "actions__referral", "actions__responsible_user"))


# ---------------------------------------------------------------------------
# Proposed problems
# ---------------------------------------------------------------------------


@dataclass
class Proposal:
    source_code: str
    problem: str
    description: str
    measure: str
    support_kinds: list[Term] = field(default_factory=list)
    instrument_code: str = ""
    comparison: str = ""
    target_classification: str = ""
    flag_code: str = ""
    right_code: str = ""
    target_score: Decimal | None = None
    baseline_score: Decimal | None = None
    baseline_classification: str = ""

    @property
    def support_kind(self) -> str:
        return self.support_kinds[0].code if self.support_kinds else ""


def _instrument(code: str) -> Any:
    from chumchon.visits.instruments.registry import get_instrument

    try:
        return get_instrument(code)
    except LookupError:
        return None


def _labels(code: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """(instrument title, classification labels, flag labels) in the active language."""
    instrument = _instrument(code)
    if instrument is None:
        return code, {}, {}
    return (instrument.title.get(), {band.code: band.label.get() for band in instrument.classifications},
            {flag.code: flag.label.get() for flag in instrument.flags})


SYMBOLS: dict[str, str] = {Comparison.AT_LEAST: "≥", Comparison.AT_MOST: "≤"}


def plain_number(value: Decimal) -> str:
    """2.00 → "2", 12.50 → "12.5"."""
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value.normalize())


def score_target(instrument_code: str, classification: str) -> tuple[str, Decimal] | None:
    """For a score band with a severity (bed-bound, ADL 0–4), the score that reaches the nearest
    band without one (social-bound, ADL ≥ 12): (">=", 12) above, ("<=", max) below; None when the
    instrument's bands are not score ranges."""
    instrument = _instrument(instrument_code)
    band = instrument.band(classification) if instrument is not None else None
    if band is None or band.minimum is None or band.maximum is None or not band.severity:
        return None
    good = [b for b in instrument.classifications if not b.severity and b.minimum is not None
            and b.maximum is not None]
    above = [b for b in good if b.minimum > band.maximum]
    below = [b for b in good if b.maximum < band.minimum]
    if above:
        return Comparison.AT_LEAST, Decimal(str(min(b.minimum for b in above)))
    if below:
        return Comparison.AT_MOST, Decimal(str(max(b.maximum for b in below)))
    return None


def _assessment_proposals(person: Person) -> list[Proposal]:
    from chumchon.visits.models import CurrentStatus

    rules: dict[tuple[str, str], list[str]] = {}
    for instrument, result, kind in NeedRule.objects.values_list("instrument_code", "result_code",
                                                                 "support_kind__code"):
        rules.setdefault((instrument, result), []).append(kind)
    terms = {term.code: term for term in Term.objects.filter(vocabulary=Vocabulary.SUPPORT_KIND, is_active=True)}
    statuses = CurrentStatus.objects.filter(Q(person=person) | Q(household_id=person.household_id,
                                                                 household__isnull=False)).order_by("instrument_code")
    out: list[Proposal] = []
    for status in statuses:
        title, bands, flags = _labels(status.instrument_code)
        for flag in status.flags or []:
            kinds = rules.get((status.instrument_code, flag))
            if kinds is None:
                continue
            label = flags.get(flag, flag)
            out.append(Proposal(
                source_code=f"{status.instrument_code}:{flag}", problem=f"{title}: {label}",
                description=str(_("no longer: %(what)s") % {"what": label}), measure=GoalMeasure.FLAG_CLEARED,
                support_kinds=[terms[k] for k in kinds if k in terms], instrument_code=status.instrument_code,
                flag_code=flag, baseline_score=status.score, baseline_classification=status.classification))
        kinds = rules.get((status.instrument_code, status.classification))
        if kinds is not None:
            label = bands.get(status.classification, status.classification)
            score = status.score
            target = score_target(status.instrument_code, status.classification) if score is not None else None
            if target is not None and score is not None:
                comparison, goal_score = target
                out.append(Proposal(
                    source_code=f"{status.instrument_code}:{status.classification}", problem=f"{title}: {label}",
                    description=str(_("%(what)s from %(now)s to %(comparison)s %(target)s") % {
                        "what": title, "now": plain_number(score), "comparison": SYMBOLS[comparison],
                        "target": plain_number(goal_score)}),
                    measure=GoalMeasure.SCORE, support_kinds=[terms[k] for k in kinds if k in terms],
                    instrument_code=status.instrument_code, comparison=comparison, target_score=goal_score,
                    baseline_score=status.score, baseline_classification=status.classification))
                continue
            out.append(Proposal(
                source_code=f"{status.instrument_code}:{status.classification}", problem=f"{title}: {label}",
                description=str(_("no longer: %(what)s") % {"what": label}), measure=GoalMeasure.CLASSIFICATION,
                support_kinds=[terms[k] for k in kinds if k in terms], instrument_code=status.instrument_code,
                comparison=Comparison.NOT_EQUALS, target_classification=status.classification,
                baseline_score=status.score, baseline_classification=status.classification))
    return out


def missing_rights(person: Person) -> list[str]:
    """Rights and benefits the registry shows the person lacks, where they are likely entitled."""
    groups = person_groups(person, on=today())
    wanted = ["id_card"] if not person.has_id_card and Group.CHILD not in groups else []
    if person.health_coverage in (HealthCoverage.NONE, HealthCoverage.UNKNOWN):
        wanted.append("health_coverage")
    if person.is_poor:
        wanted.append("welfare_card")
    if person.is_disabled:
        wanted += ["disability_card", "allowance_disability"]
    if Group.ELDER in groups:
        wanted.append("allowance_elderly")
    if Group.CHILD in groups and person.is_poor:
        wanted.append("allowance_child_support")
    return [code for code in wanted if not RIGHTS[code][2](person)]


def plan_proposals(*, user: Any, person_id: int) -> list[Proposal]:
    """Problems for a new plan: needs found by the person's current assessments (through the need
    rules) and rights the registry shows them lacking. Health data: VIEW_HEALTH needed (404)."""
    person = person_get(user=user, person_id=person_id)
    if not can(user, HEALTH, person.area_code):
        raise Http404("not found")
    out = _assessment_proposals(person)
    kinds = {term.code: term for term in Term.objects.filter(vocabulary=Vocabulary.SUPPORT_KIND, is_active=True)}
    for code in missing_rights(person):
        label, kind, _check = RIGHTS[code]
        out.append(Proposal(source_code=f"right:{code}", problem=str(_("lacks: %(what)s") % {"what": label}),
                            description=str(label), measure=GoalMeasure.RIGHT, right_code=code,
                            support_kinds=[kinds[kind]] if kind in kinds else []))
    taken = set(CarePlan.objects.filter(person=person).exclude(status=PlanStatus.CLOSED)
                .values_list("goals__source_code", flat=True))
    return [proposal for proposal in out if proposal.source_code not in taken]


# ---------------------------------------------------------------------------
# Referrals
# ---------------------------------------------------------------------------


def staff_organisation_ids(user: Any) -> list[int]:
    """Organisations whose referral queue the user answers (agency staff linked to them)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if not Membership.objects.filter(user=user, role=Role.AGENCY_STAFF).exists():
        return []
    return list(OrganisationStaff.objects.filter(user=user).values_list("organisation_id", flat=True))


def referral_visible_q(user: Any) -> Q:
    return scope_q(user, HEALTH, "person__area__code") | Q(organisation_id__in=staff_organisation_ids(user))


def referral_list(*, user: Any, status: str = "", person_id: int | None = None, organisation_id: int | None = None,
                  referred_by: Any = None, overdue: bool = False, queue: bool = False) -> QuerySet[Referral]:
    rows = Referral.objects.filter(referral_visible_q(user)).select_related(
        "person", "person__area", "organisation", "service", "referred_by", "answered_by")
    if queue:
        rows = rows.filter(organisation_id__in=staff_organisation_ids(user))
    if status == "open":
        rows = rows.filter(status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED])
    elif status:
        rows = rows.filter(status=status)
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    if organisation_id is not None:
        rows = rows.filter(organisation_id=organisation_id)
    if referred_by is not None:
        rows = rows.filter(referred_by=referred_by)
    if overdue:
        rows = rows.filter(status=ReferralStatus.SENT, answer_due_on__lt=today())
    return rows.order_by("answer_due_on", "created_at", "pk") if (queue or overdue) else rows.order_by(
        "-created_at", "-pk")


def referral_get(*, user: Any, referral_id: int) -> Referral:
    referral = referral_list(user=user).filter(pk=referral_id).first()
    if referral is None:
        raise Http404("not found")
    return referral


def is_overdue(referral: Referral) -> bool:
    return referral.status == ReferralStatus.SENT and referral.answer_due_on < today()
