"""Demo committees and child development centre for ลำสินธุ์ (after the demo network of
organisations): the tambon working group with members from the demo organisations, six monthly
meetings (one member never comes), and the centre's caregivers, trainings, a dozen enrolled
children of the demo registry, support received and one quality assessment.

Idempotent: what is already there is left alone. Skips (and says so) when the demo network or a
tambon officer is missing. Everything goes through the services, as the officer."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from chumchon.accounts.models import Membership
from chumchon.accounts.roles import Role
from chumchon.accounts.scoping import within_q
from chumchon.core.thai import years_before
from chumchon.network.models import ChildCentre, Committee, Organisation
from chumchon.network.scoping import organisation_visible_q
from chumchon.network.services import centres, committees
from chumchon.people.models import Person, PersonStatus

COMMITTEE_NAME = "คณะทำงานพัฒนาคุณภาพชีวิตระดับตำบลลำสินธุ์"
# (organisation kind, name, role); the member at NEVER_COMES never attends.
MEMBERS = [
    ("sao", "นายประเสริฐ ทองคำ", "ประธาน (นายก อบต.)"),
    ("health_promoting_hospital", "นางสาวกัลยา ศรีสุข", "รองประธาน (ผอ.รพ.สต.)"),
    ("sao", "นางวันเพ็ญ แก้วมณี", "เลขานุการ (นักพัฒนาชุมชน)"),
    ("child_centre", "นางสุดา ชูช่วย", "กรรมการ (ครูผู้ดูแลเด็ก)"),
    ("fund", "นายสมพงษ์ เพชรรัตน์", "กรรมการ (กองทุนสวัสดิการชุมชน)"),
    ("savings_group", "นางบุญเรือน หนูแก้ว", "กรรมการ (กลุ่มออมทรัพย์)"),
    ("hospital", "นายแพทย์ธนพล รัตนพันธ์", "ที่ปรึกษา (โรงพยาบาลศรีนครินทร์)"),
    ("temple", "พระครูสุนทรธรรมโกศล", "ที่ปรึกษา (เจ้าอาวาส)"),
    ("ngo", "นายอนุชา ขาวสะอาด", "กรรมการ (มูลนิธิ)"),
]
NEVER_COMES = 6
ABSENT = {(1, 2), (3, 4), (4, 1), (5, 5), (8, 3)}  # (member index, meeting index) also absent
QUALITY = {"building_safety": "met", "hygiene_food": "met", "caregiver_ratio": "partly",
           "learning_activities": "met", "development_screening": "partly", "parent_involvement": "met"}
CAREGIVERS = [
    ("นางสุดา ชูช่วย", "ครูผู้ดูแลเด็ก", [("หลักสูตรครูผู้ดูแลเด็กปฐมวัย", "กรมส่งเสริมการปกครองท้องถิ่น", 60),
                                          ("การคัดกรองพัฒนาการเด็กด้วย DSPM", "รพ.สต.", 12)]),
    ("นางสาวอรวรรณ เกื้อกูล", "ครูผู้ดูแลเด็ก", [("การคัดกรองพัฒนาการเด็กด้วย DSPM", "รพ.สต.", 12)]),
    ("นางจำเนียร สงวนศักดิ์", "ผู้ดูแลเด็ก", [("โภชนาการและอาหารกลางวันเด็ก", "โรงพยาบาลศรีนครินทร์", 6)]),
]


def _officer(tambon_code: str) -> Any:
    row = (Membership.objects.filter(role=Role.TAMBON_OFFICER, area_id=tambon_code, user__is_active=True)
           .select_related("user").order_by("pk").first())
    return row.user if row else None


def _orgs_by_kind(actor: Any, tambon_code: str) -> dict[str, Organisation]:
    """The first demo organisation of each kind the tambon's officer sees (its own first)."""
    out: dict[str, Organisation] = {}
    for org in (Organisation.objects.filter(organisation_visible_q(actor), is_active=True)
                .select_related("kind").order_by("-area_id", "pk")):
        if org.area_code.startswith(tambon_code) or org.area_code == tambon_code[:len(org.area_code)] \
                or org.areas.filter(Q(code__startswith=tambon_code)).exists():
            out.setdefault(org.kind.code, org)
    return out


def _committee(actor: Any, tambon_code: str, orgs: dict[str, Organisation], today: date) -> int:
    if Committee.objects.filter(area_id=tambon_code, name=COMMITTEE_NAME).exists():
        return 0
    committee = committees.committee_create(
        actor=actor, name=COMMITTEE_NAME, area_code=tambon_code, organisation_id=getattr(orgs.get("sao"), "pk", None),
        purpose="ประสานงานหน่วยงานในตำบลเพื่อดูแลเด็ก ผู้สูงอายุ คนพิการ และครัวเรือนยากจน ติดตามเคสและจัดสรรความช่วยเหลือ")
    joined = years_before(today, 1) - timedelta(days=60)
    members = [committees.member_add(actor=actor, committee=committee, name=name, role=role, joined_on=joined,
                                     organisation_id=getattr(orgs.get(kind), "pk", None))
               for kind, name, role in MEMBERS]
    agenda = ["ทบทวนรายชื่อผู้สูงอายุติดเตียงและผู้ดูแล", "แผนงบประมาณกองทุนสวัสดิการชุมชน",
              "ผลคัดกรองพัฒนาการเด็กในศูนย์พัฒนาเด็กเล็ก", "ซ่อมบ้านครัวเรือนยากจน 3 หลัง",
              "เตรียมเวทีประชาคมหมู่บ้าน", "สรุปผลงานครึ่งปีและปัญหาที่ยังค้าง"]
    first = date(today.year, today.month, 1)
    for index in range(6):
        month_start = first
        for _step in range(6 - index):
            month_start = (month_start - timedelta(days=1)).replace(day=1)
        meeting = committees.meeting_create(
            actor=actor, committee=committee, held_on=month_start.replace(day=10), place="ห้องประชุม อบต.ลำสินธุ์",
            agenda=agenda[index], decisions="ที่ประชุมรับทราบและมอบหมายผู้รับผิดชอบติดตามในการประชุมครั้งถัดไป")
        committees.attendance_record(actor=actor, meeting=meeting, present={
            member.pk: number != NEVER_COMES and (number, index) not in ABSENT
            for number, member in enumerate(members)})
    return len(members)


def _children(tambon_code: str, today: date) -> list[Person]:
    return list(Person.objects.filter(within_q(tambon_code), status=PersonStatus.ACTIVE, birth_year_only=False,
                                      birth_date__gt=years_before(today, 6), birth_date__lte=years_before(today, 2))
                .order_by("birth_date", "pk")[:12])


def _centre(actor: Any, tambon_code: str, orgs: dict[str, Organisation], today: date) -> dict[str, int]:
    org = orgs.get("child_centre")
    if org is None:
        return {}
    centre = ChildCentre.objects.filter(organisation=org).first() or centres.centre_create(
        actor=actor, organisation_id=org.pk, owner_id=getattr(orgs.get("sao"), "pk", None), capacity=40)
    if centre.caregivers.exists():
        return {}
    for number, (name, position, trainings) in enumerate(CAREGIVERS):
        caregiver = centres.caregiver_add(actor=actor, centre=centre, name=name, position=position,
                                          started_on=date(today.year - 8 + 3 * number, 5, 16))
        for step, (course, provider, hours) in enumerate(trainings):
            centres.training_add(actor=actor, caregiver=caregiver, course=course, provider=provider, hours=hours,
                                 completed_on=today - timedelta(days=90 + 200 * step + 30 * number))
    children = _children(tambon_code, today)
    for child in children:
        assert child.birth_date is not None
        enrolled = max(years_before(today, 1), child.birth_date + timedelta(days=2 * 365 + 1))
        centres.enrolment_add(actor=actor, centre=centre, person_id=child.pk, enrolled_on=min(enrolled, today))
    givers = [("sao", "อบต.ลำสินธุ์", "money", "งบอุดหนุนอาหารกลางวัน", 245000),
              ("sao", "อบต.ลำสินธุ์", "goods", "ติดตั้งมุ้งลวดห้องนอนเด็ก", 18500),
              ("sao", "อบต.ลำสินธุ์", "housing_repair", "ซ่อมหลังคาอาคารเรียน", 42000),
              ("temple", "วัดลำสินธุ์", "food", "ข้าวสารและอาหารแห้ง", None),
              ("health_promoting_hospital", "รพ.สต.ลำสินธุ์", "training", "อบรมครูเรื่อง DSPM", 3600),
              ("ngo", "มูลนิธิเพื่อเด็ก", "goods", "ของเล่นเสริมพัฒนาการและหนังสือนิทาน", 9800)]
    for step, (kind, name, support_kind, what, worth) in enumerate(givers):
        giver = orgs.get(kind)
        centres.support_add(actor=actor, centre=centre, giver_id=giver.pk if giver else None,
                            giver_name="" if giver else name, kind_code=support_kind, description=what,
                            received_on=today - timedelta(days=30 + 45 * step), value_baht=worth)
    centres.centre_assess(actor=actor, centre=centre, answers=QUALITY, assessed_on=today - timedelta(days=20))
    return {"caregivers": len(CAREGIVERS), "children": len(children), "support": len(givers)}


def load_demo_committees(*, tambon_code: str = "931104", today: date | None = None) -> dict[str, Any]:
    """Load the demo; returns what was added (empty when already loaded) or {"skipped": reason}."""
    today = today or timezone.localdate()
    actor = _officer(tambon_code)
    if actor is None:
        return {"skipped": "no tambon officer"}
    orgs = _orgs_by_kind(actor, tambon_code)
    if "sao" not in orgs:
        return {"skipped": "the demo network of organisations is not loaded"}
    return {"members": _committee(actor, tambon_code, orgs, today), **_centre(actor, tambon_code, orgs, today)}
