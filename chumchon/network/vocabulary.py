"""The shipped vocabularies and need rules (loaded by a data migration; administrators may add more).

Target groups and kinds of support are shared by services (what an organisation offers) and by
needs (what an assessment found), so a need can be matched to a service and gaps can be counted."""

from __future__ import annotations

# (code, Thai, English)
ORG_KINDS = [
    ("provincial_office", "สำนักงานระดับจังหวัดของกระทรวง", "Provincial office of a ministry"),
    ("district_office", "หน่วยงานระดับอำเภอ", "District office"),
    ("hospital", "โรงพยาบาล", "Hospital"),
    ("health_promoting_hospital", "โรงพยาบาลส่งเสริมสุขภาพตำบล (รพ.สต.)", "Health-promoting hospital"),
    ("pao", "องค์การบริหารส่วนจังหวัด (อบจ.)", "Provincial administrative organisation (PAO)"),
    ("municipality", "เทศบาล", "Municipality"),
    ("sao", "องค์การบริหารส่วนตำบล (อบต.)", "Subdistrict administrative organisation (SAO)"),
    ("school", "โรงเรียน", "School"),
    ("child_centre", "ศูนย์พัฒนาเด็กเล็ก", "Child development centre"),
    ("ngo", "องค์กรพัฒนาเอกชน มูลนิธิ", "NGO or foundation"),
    ("community_group", "กลุ่มองค์กรชุมชน", "Community group"),
    ("savings_group", "กลุ่มออมทรัพย์", "Savings group"),
    ("fund", "กองทุน", "Fund"),
    ("company", "บริษัทเอกชน", "Private company"),
    ("temple", "วัด", "Temple"),
    ("mosque", "มัสยิด", "Mosque"),
    ("volunteer_network", "เครือข่ายอาสาสมัคร", "Volunteer network"),
]

TARGET_GROUPS = [
    ("young_children", "เด็กปฐมวัย", "Young children"),
    ("youth", "เด็กและเยาวชน", "Youth"),
    ("elders", "ผู้สูงอายุ", "Elders"),
    ("disabled", "คนพิการ", "Disabled people"),
    ("patients", "ผู้ป่วย", "Patients"),
    ("caregivers", "ผู้ดูแล", "Caregivers"),
    ("poor_households", "ครัวเรือนยากจน", "Poor households"),
    ("everyone", "ทุกคน", "Everyone"),
]

SUPPORT_KINDS = [
    ("money", "เงิน", "Money"),
    ("goods", "สิ่งของ", "Goods"),
    ("food", "อาหาร", "Food"),
    ("care_at_home", "การดูแลที่บ้าน", "Care at home"),
    ("health_service", "บริการสุขภาพ", "Health service"),
    ("rehabilitation", "ฟื้นฟูสมรรถภาพ", "Rehabilitation"),
    ("assistive_devices", "กายอุปกรณ์", "Assistive devices"),
    ("education", "การศึกษา", "Education"),
    ("training", "การฝึกอบรม", "Training"),
    ("occupation", "อาชีพ", "Occupation"),
    ("housing_repair", "ซ่อมแซมบ้าน", "Housing repair"),
    ("legal_rights", "กฎหมายและสิทธิ", "Legal and rights help"),
    ("transport", "การเดินทาง", "Transport"),
    ("information", "ข้อมูลข่าวสาร", "Information"),
]

# (instrument, classification or flag, kind of support, target group or "" for the person's own)
NEED_RULES = [
    ("barthel_adl", "bed_bound", "care_at_home", ""),
    ("barthel_adl", "bed_bound", "assistive_devices", ""),
    ("barthel_adl", "bed_bound", "rehabilitation", ""),
    ("barthel_adl", "home_bound", "care_at_home", ""),
    ("barthel_adl", "home_bound", "rehabilitation", ""),
    ("barthel_adl", "bedbound_no_caregiver", "care_at_home", ""),
    ("barthel_adl", "homebound_no_caregiver", "care_at_home", ""),
    ("caregiver", "no_caregiver", "care_at_home", ""),
    ("caregiver", "caregiver_strain", "training", "caregivers"),
    ("dspm", "suspected_delay", "health_service", "young_children"),
    ("dspm", "suspected_delay_unreferred", "health_service", "young_children"),
    ("growth", "not_well", "food", "young_children"),
    ("growth", "wasted", "food", "young_children"),
    ("growth", "stunted", "health_service", "young_children"),
    ("child_rearing", "child_left_alone", "care_at_home", "young_children"),
    ("child_rearing", "neglect_signs", "care_at_home", "young_children"),
    ("child_rearing", "violence_signs", "legal_rights", "young_children"),
    ("basic_needs", "food_insecurity", "food", "poor_households"),
    ("basic_needs", "multidimensional", "money", "poor_households"),
    ("basic_needs", "multidimensional", "occupation", "poor_households"),
    ("house_safety", "unsafe", "housing_repair", "poor_households"),
    ("basic_rights", "missing_rights", "legal_rights", ""),
]
