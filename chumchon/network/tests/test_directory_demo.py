"""The demo network of ลำสินธุ์: loads once, a second load writes nothing, scoping applies to it,
and it leaves the gaps the gap analysis is meant to show."""

from __future__ import annotations

from typing import Any

from chumchon.conftest import make_village
from chumchon.network.demo import load_demo_network
from chumchon.network.models import ChildCentre, Organisation, Relation, Service
from chumchon.network.selectors.directory import organisation_list


def test_demo_loads_a_realistic_network_once(tambon: Any) -> None:
    make_village("931104", 1, "บ้านลำสินธุ์")
    make_village("931104", 2, "บ้านโหล๊ะหาร")
    counts = load_demo_network()
    assert counts["organisations"] >= 10 and counts["services"] >= 15 and counts["relations"] >= 10
    assert load_demo_network() == {"organisations": 0, "services": 0, "relations": 0}
    assert Organisation.objects.count() == counts["organisations"]
    assert Service.objects.count() == counts["services"] and Relation.objects.count() == counts["relations"]
    sao = Organisation.objects.get(name="อบต.ลำสินธุ์")
    centre = Organisation.objects.get(kind__code="child_centre")
    assert centre.parent == sao and ChildCentre.objects.get(organisation=centre).owner == sao
    assert Organisation.objects.get(name="โรงพยาบาลศรีนครินทร์").area_id == "9311"
    assert Organisation.objects.filter(kind__code="savings_group", area_id__in=["93110401", "93110402"]).count() == 2
    assert Relation.objects.filter(source=sao, target=centre, kind="funds").exists()
    # Deliberate gaps: nobody repairs houses or lends assistive devices.
    assert not Service.objects.filter(support_kinds__code__in=["housing_repair", "assistive_devices"]).exists()


def test_demo_without_villages_and_for_a_second_tambon_reuses_offices(tambon: Any) -> None:
    load_demo_network()
    counts = load_demo_network(tambon_code="931101")
    assert counts["organisations"] > 0
    assert Organisation.objects.filter(kind__code="hospital").count() == 1
    assert Organisation.objects.filter(kind__code="provincial_office").count() == 1
    assert Organisation.objects.filter(kind__code="sao").count() == 2


def test_outsider_sees_offices_of_the_demo_but_not_our_tambon(tambon: Any, outsider: Any, officer: Any) -> None:
    load_demo_network()
    names = set(organisation_list(user=outsider).values_list("name", flat=True))
    assert "โรงพยาบาลศรีนครินทร์" in names
    assert "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดพัทลุง" in names
    assert "อบต.ลำสินธุ์" not in names and "รพ.สต.ลำสินธุ์" not in names
    assert "อบต.ลำสินธุ์" in set(organisation_list(user=officer).values_list("name", flat=True))
