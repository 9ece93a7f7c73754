"""The demo's care work in ต.ลำสินธุ์: plans, referrals and a draft tambon plan.

Everything goes through the care services as the demo logins, so it is audited and valid exactly as
if the caregiver, the care manager, the agency staff and the tambon officer had done it on the pages:

- plans opened from the problems the demo assessments found (``plan_proposals``) for dependent elders
  (Barthel ADL bed- or home-bound) and young children with a suspected developmental delay (DSPM);
  written by the caregiver, most approved by the care manager (never the author), some still waiting;
- referrals from those plans to the matching services of the demo organisations (the health centre
  first, so its staff have a queue): some accepted (one already done), one declined with a reason,
  one overdue (its answer date passed: the referral is back-dated, as if sent two weeks ago);
- the draft tambon plan for the next fiscal year, with a responsible organisation and budget lines.

Idempotent: nothing is written when the tambon already has care plans.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from chumchon.accounts.models import User
from chumchon.accounts.scoping import within_q
from chumchon.care.models import CarePlan, PlanKind, Referral
from chumchon.care.plan_selectors import Proposal, plan_proposals
from chumchon.care.services import plans as plan_svc
from chumchon.care.services import referrals as referral_svc
from chumchon.care.services import tambon_plan as tambon_svc
from chumchon.core.audit import log_action
from chumchon.network.models import Organisation, OrganisationStaff, Service
from chumchon.people.models import Person, PersonStatus
from chumchon.people.validation import today

ELDERS = 6
CHILDREN = 3
HEALTH_CENTRE = "รพ.สต.ลำสินธุ์"
# (plan index, what happens to its referral): the first plans are approved and refer.
REFERRAL_FATES = ("accepted", "completed", "declined", "overdue", "accepted", "sent")
DECLINE_REASON = ("ขณะนี้ไม่มีนักกายภาพบำบัดประจำ รพ.สต. ขอให้ส่งต่อคลินิกกายภาพบำบัด โรงพยาบาลศรีนครินทร์")


def _user(username: str) -> User:
    return User.objects.get(username=username)


def staff_link(*, tambon_code: str, username: str = "agency_staff", organisation_name: str = HEALTH_CENTRE,
               actor_username: str = "tambon_officer") -> bool:
    """Make the agency staff login staff of the health centre (through the directory service)."""
    from chumchon.network.services.directory import staff_add

    organisation = Organisation.objects.filter(within_q(tambon_code, "area__code"), name=organisation_name).first()
    user = User.objects.filter(username=username).first()
    actor = User.objects.filter(username=actor_username).first()
    if organisation is None or user is None or actor is None:
        return False
    if OrganisationStaff.objects.filter(organisation=organisation, user=user).exists():
        return False
    staff_add(actor=actor, organisation=organisation, user=user, position="พยาบาลวิชาชีพ")
    return True


def _subjects(tambon_code: str) -> list[tuple[Person, PlanKind]]:
    """Dependent elders, then children with a suspected delay, in a stable order."""
    from chumchon.visits.models import CurrentStatus

    active = CurrentStatus.objects.filter(within_q(tambon_code, "person__area__code"),
                                          person__status=PersonStatus.ACTIVE)
    elders = list(active.filter(instrument_code="barthel_adl", classification__in=["bed_bound", "home_bound"])
                  .order_by("classification", "person_id").values_list("person_id", flat=True)[:ELDERS])
    children = list(active.filter(instrument_code="dspm", classification="suspected_delay")
                    .order_by("person_id").values_list("person_id", flat=True)[:CHILDREN])
    people = Person.objects.in_bulk([*elders, *children])
    return ([(people[pk], PlanKind.LTC) for pk in elders if pk in people]
            + [(people[pk], PlanKind.QUALITY_OF_LIFE) for pk in children if pk in people])


def _chosen(proposals: list[Proposal]) -> list[Proposal]:
    """Up to two problems from the assessments and one missing right."""
    found = [p for p in proposals if not p.right_code][:2]
    return found + [p for p in proposals if p.right_code][:1]


def _service_for(author: User, person: Person, kinds: list[str]) -> Service | None:
    """The best matching service for the goal's kinds of support, the health centre's first."""
    from chumchon.network.selectors.analysis import service_match

    for kind in kinds:
        matches = [match.service for match in service_match(user=author, person_id=person.pk, need=kind)]
        if matches:
            matches.sort(key=lambda service: service.organisation.name != HEALTH_CENTRE)
            return matches[0]
    return None


def _open_plan(author: User, person: Person, kind: str) -> tuple[CarePlan, Any, Service | None]:
    proposals = _chosen(plan_proposals(user=author, person_id=person.pk))
    plan = plan_svc.plan_open(actor=author, person_id=person.pk, kind=kind,
                              summary="แผนจากผลการประเมินของ อสม. และผู้ดูแล (ข้อมูลสาธิต)")
    first_goal = None
    service = None
    for proposal in proposals:
        goal = plan_svc.goal_add(
            actor=author, plan_id=plan.pk, problem=proposal.problem, description=proposal.description,
            measure=proposal.measure, support_kind=proposal.support_kind, source_code=proposal.source_code,
            instrument_code=proposal.instrument_code, comparison=proposal.comparison,
            target_score=proposal.target_score, target_classification=proposal.target_classification,
            flag_code=proposal.flag_code, right_code=proposal.right_code)
        if first_goal is None and proposal.support_kinds:
            first_goal = goal
            service = _service_for(author, person, [term.code for term in proposal.support_kinds])
    return plan, first_goal, service


def _refer(author: User, staff: User, plan: CarePlan, goal: Any, service: Service, fate: str) -> Referral:
    action = plan_svc.action_add(actor=author, goal_id=goal.pk, description=f"ส่งต่อ: {service.name}",
                                 service_id=service.pk, due_on=today() + timedelta(days=30))
    referral = referral_svc.referral_create(
        actor=author, person_id=plan.person_id, service_id=service.pk, action_id=action.pk,
        reason=f"{goal.problem} ขอรับบริการ{service.name}")
    is_staff = referral_svc.is_agency_staff(staff, service.organisation_id)
    if fate in ("accepted", "completed") and is_staff:
        referral_svc.referral_accept(actor=staff, referral_id=referral.pk, note="นัดเยี่ยมบ้านภายในสัปดาห์นี้")
        if fate == "completed":
            referral_svc.referral_complete(actor=staff, referral_id=referral.pk,
                                           outcome_note="เยี่ยมบ้านแล้ว สอนญาติดูแลและนัดติดตามทุกเดือน")
    elif fate == "declined" and is_staff:
        referral_svc.referral_decline(actor=staff, referral_id=referral.pk, reason=DECLINE_REASON)
    elif fate == "overdue":
        # As if sent two weeks ago and never answered: the queue shows it overdue.
        sent, due = timezone.now() - timedelta(days=14), today() - timedelta(days=7)
        Referral.objects.filter(pk=referral.pk).update(created_at=sent, answer_due_on=due)
        log_action(actor=None, verb="demo.backdate", obj=referral, area_code=referral.area_code,
                   data={"created_at": sent.isoformat(), "answer_due_on": due.isoformat()})
    return referral


def _tambon_plan(officer: User, tambon_code: str) -> int:
    from chumchon.care.views_tambon_plan import next_fiscal_year

    programmes = tambon_svc.tambon_plan_draft(actor=officer, fiscal_year=next_fiscal_year(), area_code=tambon_code)
    health_centre = Organisation.objects.filter(within_q(tambon_code, "area__code"), name=HEALTH_CENTRE).first()
    budgets = {"care_at_home": ("ค่าตอบแทนผู้ดูแลและวัสดุการแพทย์สำหรับผู้ป่วยติดบ้านติดเตียง", "120000",
                                "กองทุนหลักประกันสุขภาพตำบล"),
               "health_service": ("ค่าอุปกรณ์คัดกรองพัฒนาการเด็ก DSPM", "15000", "งบประมาณ อบต."),
               "food": ("อาหารเสริมสำหรับเด็กน้ำหนักน้อยและผู้สูงอายุ", "36000", "งบประมาณ อบต.")}
    for programme in programmes:
        kind = programme.support_kind.code if programme.support_kind else ""
        budget = budgets.get(kind)
        if budget is None:
            continue
        tambon_svc.budget_line_add(actor=officer, programme_id=programme.pk, description=budget[0],
                                   amount=budget[1], funding_source=budget[2])
        if kind == "care_at_home" and health_centre is not None:
            tambon_svc.programme_update(actor=officer, programme_id=programme.pk, name=programme.name,
                                        status=programme.status, progress=0,
                                        responsible_organisation_id=health_centre.pk)
    return len(programmes)


@transaction.atomic
def load_demo_care(*, tambon_code: str = "931104") -> dict[str, int]:
    """Write the demo's care work; returns counts (empty when the tambon already has plans)."""
    counts: dict[str, int] = {}
    counts["staff"] = int(staff_link(tambon_code=tambon_code))
    if CarePlan.objects.filter(within_q(tambon_code, "person__area__code")).exists():
        return counts
    users = {name: User.objects.filter(username=name).first()
             for name in ("caregiver", "care_manager", "agency_staff", "tambon_officer")}
    if any(user is None for user in users.values()):
        return counts
    author, manager, staff, officer = (users["caregiver"], users["care_manager"], users["agency_staff"],
                                       users["tambon_officer"])
    assert author and manager and staff and officer
    counts.update(plans=0, approved=0, referrals=0, programmes=0)
    fates = iter(REFERRAL_FATES)
    for index, (person, kind) in enumerate(_subjects(tambon_code)):
        plan, goal, service = _open_plan(author, person, kind)
        counts["plans"] += 1
        if index % 4 == 3:
            continue  # a draft the caregiver is still writing
        if not plan.goals.exists():
            continue
        plan_svc.plan_submit(actor=author, plan_id=plan.pk)
        if index % 4 == 2:
            continue  # waiting for the care manager
        plan_svc.plan_approve(actor=manager, plan_id=plan.pk)
        counts["approved"] += 1
        fate = next(fates, None)
        if fate is not None and goal is not None and service is not None:
            _refer(author, staff, plan, goal, service, fate)
            counts["referrals"] += 1
    counts["programmes"] = _tambon_plan(officer, tambon_code)
    return counts
