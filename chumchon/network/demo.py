"""The demo network of ต.ลำสินธุ์ อ.ศรีนครินทร์ จ.พัทลุง: who does what for whom, where.

A bulk path (no acting user): rows are written directly, with the same vocabulary lookups as the
services. Idempotent: nothing is written when the tambon already has organisations; organisations
registered above the tambon (the district hospital, the provincial office) are reused by name.

Gaps are left on purpose so the gap analysis has something to show: nobody repairs the houses of
poor households and nobody lends assistive devices to elders or disabled people."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from chumchon.accounts.scoping import within_q
from chumchon.areas.models import Area, AreaLevel
from chumchon.network.models import ChildCentre, Organisation, Relation, Service, Vocabulary
from chumchon.network.services.terms import term_lookup, terms_lookup

# key: (name, kind, home ("tambon" | "district" | "province" | "village:N"), covers, parent key, details)
ORGANISATIONS: list[tuple[str, str, str, str, list[str], str, dict[str, Any]]] = [
    ("sao", "อบต.ลำสินธุ์", "sao", "tambon", ["tambon"], "", {
        "address": "ต.ลำสินธุ์ อ.ศรีนครินทร์ จ.พัทลุง 93000", "phone": "074-000-101",
        "contacts": [{"name": "นายก อบต.", "role": "นายกองค์การบริหารส่วนตำบล"},
                     {"name": "นักพัฒนาชุมชน", "role": "กองสวัสดิการสังคม", "phone": "074-000-102"}]}),
    ("phc", "รพ.สต.ลำสินธุ์", "health_promoting_hospital", "tambon", ["tambon"], "", {
        "phone": "074-000-201", "contacts": [{"name": "ผอ.รพ.สต.", "role": "ผู้อำนวยการ"}]}),
    ("hospital", "โรงพยาบาลศรีนครินทร์", "hospital", "district", ["district"], "", {
        "phone": "074-000-301", "description": "โรงพยาบาลชุมชนประจำอำเภอศรีนครินทร์"}),
    ("pso", "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดพัทลุง", "provincial_office", "province",
     ["province"], "", {"phone": "074-000-401", "description": "พมจ.พัทลุง สังกัดกระทรวงการพัฒนาสังคมฯ"}),
    ("centre", "ศูนย์พัฒนาเด็กเล็ก อบต.ลำสินธุ์", "child_centre", "tambon", ["tambon"], "sao", {
        "phone": "074-000-103", "contacts": [{"name": "หัวหน้าศูนย์", "role": "ครูผู้ดูแลเด็ก"}]}),
    ("fund", "กองทุนสวัสดิการชุมชนตำบลลำสินธุ์", "fund", "tambon", ["tambon"], "", {
        "contacts": [{"name": "ประธานกองทุน", "role": "ประธาน"}]}),
    ("savings1", "กลุ่มออมทรัพย์เพื่อการผลิตบ้านลำสินธุ์", "savings_group", "village:0", ["village:0"], "", {}),
    ("savings2", "กลุ่มออมทรัพย์เพื่อการผลิตบ้านโหล๊ะหาร", "savings_group", "village:1", ["village:1"], "", {}),
    ("temple", "วัดลำสินธุ์", "temple", "tambon", ["tambon"], "", {"description": "วัดประจำตำบล"}),
    ("ngo", "มูลนิธิเด็กและครอบครัวพัทลุง", "ngo", "province", ["tambon"], "", {
        "description": "องค์กรพัฒนาเอกชนที่ทำงานกับเด็กและครอบครัวในชนบท"}),
    ("vhv", "เครือข่าย อสม.ตำบลลำสินธุ์", "volunteer_network", "tambon", ["tambon"], "phc", {}),
    ("elders_club", "ชมรมผู้สูงอายุตำบลลำสินธุ์", "community_group", "tambon", ["tambon"], "", {}),
]

# (organisation key, name, target groups, kinds of support, areas, eligibility, capacity)
SERVICES: list[tuple[str, str, list[str], list[str], list[str], str, int | None]] = [
    ("sao", "เบี้ยยังชีพผู้สูงอายุและคนพิการ", ["elders", "disabled"], ["money"], ["tambon"],
     "อายุ 60 ปีขึ้นไป หรือมีบัตรประจำตัวคนพิการ ลงทะเบียนกับ อบต.", 700),
    ("sao", "การดูแลระยะยาวสำหรับผู้สูงอายุที่มีภาวะพึ่งพิง (LTC)", ["elders", "disabled"], ["care_at_home"],
     ["tambon"], "คะแนน ADL ต่ำกว่า 12 ตามแผนการดูแลรายบุคคล", 40),
    ("sao", "รถรับส่งผู้ป่วยและบริการการแพทย์ฉุกเฉิน", ["patients", "elders", "disabled"], ["transport"],
     ["tambon"], "โทร 1669 หรือโทรหา อบต.", None),
    ("phc", "ตรวจคัดกรองพัฒนาการเด็ก (DSPM) และฉีดวัคซีน", ["young_children"], ["health_service"], ["tambon"],
     "เด็กอายุ 9, 18, 30, 42 และ 60 เดือน", 150),
    ("phc", "เยี่ยมบ้านผู้ป่วยติดบ้านติดเตียง", ["patients", "elders"], ["care_at_home", "health_service"],
     ["tambon"], "ผู้ป่วยที่ออกจากโรงพยาบาลหรือ ADL ต่ำ", 60),
    ("hospital", "กายภาพบำบัดและฟื้นฟูสมรรถภาพ", ["disabled", "patients"], ["rehabilitation", "health_service"],
     ["district"], "ตามใบส่งตัวจาก รพ.สต.", 200),
    ("hospital", "คลินิกกระตุ้นพัฒนาการเด็ก", ["young_children"], ["health_service", "rehabilitation"],
     ["district"], "เด็กที่สงสัยพัฒนาการล่าช้าจากการคัดกรอง DSPM", 50),
    ("pso", "เงินสงเคราะห์ครอบครัวผู้มีรายได้น้อยและผู้ประสบปัญหาทางสังคม", ["poor_households"], ["money", "goods"],
     ["province"], "ครอบครัวที่ประสบปัญหาเดือดร้อน ยื่นคำร้องผ่าน อบต. หรือ พมจ.", 300),
    ("pso", "เงินอุดหนุนเพื่อการเลี้ยงดูเด็กแรกเกิด", ["young_children"], ["money"], ["province"],
     "เด็กแรกเกิดถึง 6 ปี ในครัวเรือนรายได้น้อย", None),
    ("pso", "ศูนย์ช่วยเหลือสังคม สายด่วน 1300", ["everyone"], ["legal_rights", "information"], ["province"], "", None),
    ("centre", "เลี้ยงดูและพัฒนาเด็กปฐมวัย", ["young_children"], ["education", "food"], ["tambon"],
     "เด็กอายุ 2–3 ปี ในตำบล", 60),
    ("fund", "สวัสดิการเกิด แก่ เจ็บ ตาย สำหรับสมาชิก", ["everyone", "elders"], ["money"], ["tambon"],
     "สมาชิกกองทุนที่ออมวันละบาท", 900),
    ("savings1", "เงินกู้เพื่อการผลิตและอาชีพ", ["poor_households"], ["money", "occupation"], ["village:0"],
     "สมาชิกที่ออมต่อเนื่อง 6 เดือนขึ้นไป", 80),
    ("savings2", "เงินกู้เพื่อการผลิตและอาชีพ", ["poor_households"], ["money", "occupation"], ["village:1"],
     "สมาชิกที่ออมต่อเนื่อง 6 เดือนขึ้นไป", 50),
    ("temple", "โรงทานและอาหารสำหรับผู้สูงอายุวันพระ", ["elders", "poor_households"], ["food"], ["tambon"], "", None),
    ("ngo", "ทุนการศึกษาและอุปกรณ์การเรียน", ["young_children", "youth"], ["education", "goods"], ["tambon"],
     "เด็กจากครอบครัวยากจนหรือเด็กกำพร้า", 30),
    ("ngo", "อบรมพ่อแม่และผู้ดูแลเด็ก", ["caregivers"], ["training"], ["tambon"], "", 40),
    ("vhv", "เยี่ยมบ้านและให้ความรู้สุขภาพ", ["elders", "patients", "disabled"], ["care_at_home", "information"],
     ["tambon"], "ทุกครัวเรือนในความรับผิดชอบของ อสม.", None),
    ("elders_club", "กิจกรรมส่งเสริมสุขภาพและอาชีพผู้สูงอายุ", ["elders"], ["training", "occupation"], ["tambon"],
     "สมาชิกชมรม", 120),
]

# (source, kind, target, note, started on)
RELATIONS: list[tuple[str, str, str, str, date | None]] = [
    ("sao", "funds", "centre", "งบอุดหนุนอาหารกลางวันและค่าจัดการเรียนการสอน", date(2024, 10, 1)),
    ("sao", "funds", "fund", "สมทบกองทุนสวัสดิการชุมชนปีละครั้ง", date(2023, 10, 1)),
    ("phc", "reports_to", "hospital", "เครือข่ายบริการสุขภาพอำเภอ", None),
    ("hospital", "supports", "phc", "แพทย์และนักกายภาพหมุนเวียนออกหน่วย", None),
    ("fund", "coordinates", "sao", "", None),
    ("savings1", "member_of", "fund", "เครือข่ายองค์กรการเงินชุมชน", None),
    ("savings2", "member_of", "fund", "เครือข่ายองค์กรการเงินชุมชน", None),
    ("pso", "supports", "sao", "งบสงเคราะห์และการพัฒนาศักยภาพทีมสวัสดิการตำบล", None),
    ("vhv", "reports_to", "phc", "", None),
    ("sao", "coordinates", "phc", "คณะกรรมการกองทุนหลักประกันสุขภาพตำบล", None),
    ("ngo", "supports", "centre", "สื่อการเรียนและอบรมครู", date(2025, 6, 1)),
    ("temple", "coordinates", "elders_club", "ใช้ศาลาวัดจัดกิจกรรม", None),
    ("elders_club", "member_of", "fund", "", None),
]


def _areas(tambon_code: str) -> dict[str, Area]:
    tambon = Area.objects.get(code=tambon_code)
    out = {"tambon": tambon, "district": Area.objects.get(code=tambon_code[:4]),
           "province": Area.objects.get(code=tambon_code[:2])}
    villages = list(Area.objects.filter(parent=tambon, level=AreaLevel.VILLAGE, is_active=True).order_by("code"))
    for index in (0, 1):
        out[f"village:{index}"] = villages[index] if len(villages) > index else tambon
    return out


@transaction.atomic
def load_demo_network(*, tambon_code: str = "931104") -> dict[str, int]:
    """Write the demo network for ``tambon_code``; returns how many rows of each were written."""
    counts = {"organisations": 0, "services": 0, "relations": 0}
    if Organisation.objects.filter(within_q(tambon_code, "area__code")).exists():
        return counts
    areas = _areas(tambon_code)
    # The names read for ลำสินธุ์; another tambon's demo gets its own place names.
    places = {"ลำสินธุ์": areas["tambon"].name_th, "ศรีนครินทร์": areas["district"].name_th,
              "พัทลุง": areas["province"].name_th}
    orgs: dict[str, Organisation] = {}
    for key, template, kind, home, covers, parent, details in ORGANISATIONS:
        name = template
        for old, new in places.items():
            name = name.replace(old, new)
        home_area = areas[home]
        org = Organisation.objects.filter(area=home_area, name=name).first()
        if org is None:
            org = Organisation.objects.create(name=name, kind=term_lookup(Vocabulary.ORG_KIND, kind, "kind"),
                                              area=home_area, parent=orgs.get(parent), **details)
            org.areas.set({areas[code] for code in covers})
            counts["organisations"] += 1
        else:
            org.areas.add(*{areas[code] for code in covers})
        orgs[key] = org
    ChildCentre.objects.get_or_create(organisation=orgs["centre"], defaults={"owner": orgs["sao"], "capacity": 60})
    for key, name, groups, kinds, where, eligibility, capacity in SERVICES:
        if Service.objects.filter(organisation=orgs[key], name=name).exists():
            continue
        service = Service.objects.create(organisation=orgs[key], name=name, eligibility=eligibility,
                                         capacity=capacity)
        service.target_groups.set(terms_lookup(Vocabulary.TARGET_GROUP, groups, "target_groups"))
        service.support_kinds.set(terms_lookup(Vocabulary.SUPPORT_KIND, kinds, "support_kinds"))
        service.areas.set({areas[code] for code in where})
        counts["services"] += 1
    for source, kind, target, note, started in RELATIONS:
        _, created = Relation.objects.get_or_create(source=orgs[source], target=orgs[target], kind=kind,
                                                    defaults={"note": note, "started_on": started})
        counts["relations"] += created
    return counts
