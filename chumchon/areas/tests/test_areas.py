from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from chumchon.areas.loader import load_areas
from chumchon.areas.models import Area, AreaLevel
from chumchon.areas.services import community_create, village_create
from chumchon.core.models import AuditEntry


def test_migrated_database_holds_the_real_area_tree(db):
    active = Area.objects.filter(is_active=True)
    assert active.filter(level=AreaLevel.PROVINCE).count() == 77
    assert active.filter(level=AreaLevel.DISTRICT).count() == 928
    assert active.filter(level=AreaLevel.SUBDISTRICT).count() == 7436
    lam_sin = Area.objects.select_related("parent__parent").get(code="931104")
    assert lam_sin.parent is not None and lam_sin.parent.parent is not None
    assert (lam_sin.name_th, lam_sin.name_en, lam_sin.postcodes) == ("ลำสินธุ์", "Lam Sin", "93000")
    # The issue says Si Banphot; DOPA (geothai) puts Lam Sin in Si Nakharin district.
    assert (lam_sin.parent.name_th, lam_sin.parent.parent.name_th) == ("ศรีนครินทร์", "พัทลุง")


def test_abolished_codes_point_to_their_successors(db):
    bang_sue = Area.objects.get(code="100205")
    assert bang_sue.is_active is False
    assert bang_sue.successors == ["102901"]
    assert Area.objects.filter(code="102901", is_active=True).exists()


def test_loading_the_tree_again_changes_nothing(db):
    before = Area.objects.count()
    assert load_areas(Area) == {"created": 0, "updated": 0, "total": before}
    assert Area.objects.count() == before


def test_officer_creates_a_village_with_the_8_digit_code(officer):
    village = village_create(actor=officer, tambon_code="931104", moo="๗", name_th="บ้านทุ่งยาว")
    assert (village.code, village.number, village.parent_id) == ("93110407", 7, "931104")
    assert str(village) == "หมู่ 7 บ้านทุ่งยาว"
    assert AuditEntry.objects.filter(verb="area.village_create", object_id="93110407").exists()


def test_duplicate_moo_is_refused_in_thai(officer, village_a):
    with pytest.raises(ValidationError) as err:
        village_create(actor=officer, tambon_code="931104", moo=1, name_th="ซ้ำ")
    assert "มีอยู่แล้ว" in err.value.message_dict["moo"][0]


def test_unknown_tambon_is_refused(officer):
    with pytest.raises(ValidationError) as err:
        village_create(actor=officer, tambon_code="999999", moo=1)
    assert "ไม่พบตำบล" in err.value.message_dict["tambon_code"][0]


def test_volunteer_and_outsider_cannot_create_villages(volunteer, outsider):
    for user in (volunteer, outsider):
        with pytest.raises(Http404):
            village_create(actor=user, tambon_code="931104", moo=9)


def test_community_keeps_its_municipal_code(officer):
    community = community_create(actor=officer, tambon_code="931104", number=3, name_th="ตลาดเก่า",
                                 official_code="93990003")
    assert (community.code, community.official_code) == ("931104C003", "93990003")
    assert community.code.startswith("931104")
