"""Seeing the network on a small hand-built network whose answers are known.

The network in ลำสินธุ์ (931104), its district (9311) and province (93):

=====================  ===================  =========  ============================================
organisation           kind                 registered services (target groups × support, areas)
=====================  ===================  =========  ============================================
อบต.ลำสินธุ์            sao                  931104     เบี้ยยังชีพ: elders, disabled × money, 931104
                                                       ซ่อมบ้าน: poor households × housing repair, 931104
รพ.สต.ลำสินธุ์          health-promoting h.  93110401   เยี่ยมบ้าน: elders, patients × care at home,
                                                       health service, village A, capacity 50
โรงพยาบาลศรีนครินทร์    hospital             9311       กายภาพบำบัด: patients, disabled × rehabilitation, 9311
                                                       เยี่ยมบ้านผู้สูงอายุ: elders × care at home, 9311
พมจ.พัทลุง              provincial office    93         เงินสงเคราะห์: everyone × money, 93
                                                       ดูแลผู้สูงอายุ: elders × care at home, 93
วัดลำสินธุ์              temple               93110402   อาหารกลางวัน: elders × food, village B
มูลนิธิอาสาดูแล         ngo                  931104     อาสาดูแล: everyone × care at home, village A
อบต.ชุมพล              sao                  931101     เบี้ยยังชีพชุมพล: elders × money, 931101
=====================  ===================  =========  ============================================

Needs (current assessment results): two elders in village A (bed-bound; home-bound), a wasted
young child, a household with food insecurity (flag) and an unsafe house, an adult with missing
rights (flag), and a bed-bound elder in the other tambon.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from chumchon.areas.models import Area
from chumchon.core.thai import years_before
from chumchon.network.models import Organisation, Relation, Service, Term, Vocabulary
from chumchon.network.selectors import analysis
from chumchon.people.validation import today


def be(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def org(name: str, kind: str, area: str, *, covers: tuple[str, ...] = ()) -> Organisation:
    organisation = Organisation.objects.create(name=name, kind=Term.objects.get(vocabulary=Vocabulary.ORG_KIND,
                                                                                code=kind), area_id=area)
    organisation.areas.set(Area.objects.filter(code__in=covers))
    return organisation


def service(organisation: Organisation, name: str, groups: list[str], kinds: list[str], areas: list[str],
            capacity: int | None = None) -> Service:
    created = Service.objects.create(organisation=organisation, name=name, capacity=capacity)
    created.target_groups.set(Term.objects.filter(vocabulary=Vocabulary.TARGET_GROUP, code__in=groups))
    created.support_kinds.set(Term.objects.filter(vocabulary=Vocabulary.SUPPORT_KIND, code__in=kinds))
    created.areas.set(Area.objects.filter(code__in=areas))
    return created


def status(*, instrument: str, classification: str = "", flags: tuple[str, ...] = (), person: Any = None,
           household: Any = None) -> None:
    from chumchon.visits.models import Assessment, CurrentStatus

    area_id = (person or household).area_id
    assessment = Assessment.objects.create(person=person, household=household, area_id=area_id,
                                           instrument_code=instrument, instrument_version=1, assessed_on=today(),
                                           classification=classification, flags=list(flags))
    CurrentStatus.objects.create(person=person, household=household, area_id=area_id, instrument_code=instrument,
                                 assessment=assessment, classification=classification, flags=list(flags),
                                 assessed_on=today())


def build_network(officer: Any, outsider: Any, household_a: Any, village_b: Any, other_village: Any) -> Any:
    from chumchon.people.services import household_create, person_create

    n = SimpleNamespace()
    n.sao = org("อบต.ลำสินธุ์", "sao", "931104")
    n.hph = org("รพ.สต.ลำสินธุ์", "health_promoting_hospital", "93110401")
    n.hospital = org("โรงพยาบาลศรีนครินทร์", "hospital", "9311", covers=("931104",))
    n.office = org("พมจ.พัทลุง", "provincial_office", "93")
    n.temple = org("วัดลำสินธุ์", "temple", village_b.code)
    n.ngo = org("มูลนิธิอาสาดูแล", "ngo", "931104")
    n.other_sao = org("อบต.ชุมพล", "sao", "931101")
    service(n.sao, "เบี้ยยังชีพ", ["elders", "disabled"], ["money"], ["931104"])
    service(n.sao, "ซ่อมบ้าน", ["poor_households"], ["housing_repair"], ["931104"])
    n.home_visit = service(n.hph, "เยี่ยมบ้าน", ["elders", "patients"], ["care_at_home", "health_service"],
                           ["93110401"], capacity=50)
    service(n.hospital, "กายภาพบำบัด", ["patients", "disabled"], ["rehabilitation"], ["9311"], capacity=100)
    n.hospital_visit = service(n.hospital, "เยี่ยมบ้านผู้สูงอายุ", ["elders"], ["care_at_home"], ["9311"])
    service(n.office, "เงินสงเคราะห์", ["everyone"], ["money"], ["93"])
    n.office_care = service(n.office, "ดูแลผู้สูงอายุ", ["elders"], ["care_at_home"], ["93"])
    service(n.temple, "อาหารกลางวัน", ["elders"], ["food"], [village_b.code])
    n.ngo_care = service(n.ngo, "อาสาดูแล", ["everyone"], ["care_at_home"], ["93110401"])
    service(n.other_sao, "เบี้ยยังชีพชุมพล", ["elders"], ["money"], ["931101"])
    Relation.objects.create(source=n.office, target=n.sao, kind="funds")
    Relation.objects.create(source=n.hph, target=n.hospital, kind="reports_to")
    Relation.objects.create(source=n.sao, target=n.hph, kind="coordinates", ended_on=date(2020, 1, 1))

    def person(actor: Any, home: Any, title: str, first_name: str, sex: str, years: int) -> Any:
        return person_create(actor=actor, household=home, title=title, first_name=first_name, last_name="ทดสอบ",
                             sex=sex, birth_date=be(years_before(today(), years)), no_id_reason="unknown",
                             confirm_new=True)

    n.bedbound = person(officer, household_a, "นาย", "มานะ", "male", 80)
    n.homebound = person(officer, household_a, "นาง", "มาลี", "female", 80)
    n.child = person(officer, household_a, "ด.ญ.", "น้อย", "female", 2)
    n.adult = person(officer, household_a, "นาย", "สมชาย", "male", 30)
    status(person=n.bedbound, instrument="barthel_adl", classification="bed_bound")
    status(person=n.homebound, instrument="barthel_adl", classification="home_bound")
    status(person=n.child, instrument="growth", classification="wasted")
    status(person=n.adult, instrument="basic_rights", classification="ok", flags=("missing_rights",))
    status(household=household_a, instrument="basic_needs", classification="ok", flags=("food_insecurity",))
    status(household=household_a, instrument="house_safety", classification="unsafe")
    other_home = household_create(actor=outsider, area_code=other_village.code, house_no="1")
    n.far = person(outsider, other_home, "นาย", "ไกล", "male", 80)
    status(person=n.far, instrument="barthel_adl", classification="bed_bound")
    return n


@pytest.fixture
def net(officer: Any, outsider: Any, household_a: Any, village_b: Any, other_village: Any) -> Any:
    return build_network(officer, outsider, household_a, village_b, other_village)


EXPECTED_NEEDS = {
    ("elders", "care_at_home"): 2,
    ("elders", "assistive_devices"): 1,
    ("elders", "rehabilitation"): 2,
    ("young_children", "food"): 1,
    ("poor_households", "food"): 1,
    ("poor_households", "housing_repair"): 1,
    ("everyone", "legal_rights"): 1,
}


def test_needs_count_distinct_people_and_households_per_target_group_and_support(net: Any, officer: Any) -> None:
    assert analysis.needs_in_area(user=officer, area_code="931104") == EXPECTED_NEEDS


def test_needs_hide_small_counts_from_a_role_without_names(net: Any, coordinator: Any) -> None:
    needs = analysis.needs_in_area(user=coordinator, area_code="931104")
    assert set(needs) == set(EXPECTED_NEEDS)
    assert set(needs.values()) == {None}


def test_needs_of_the_other_tambon_are_its_own(net: Any, outsider: Any) -> None:
    assert analysis.needs_in_area(user=outsider, area_code="931101") == {
        ("elders", "care_at_home"): 1, ("elders", "assistive_devices"): 1, ("elders", "rehabilitation"): 1}


def test_a_person_who_died_is_no_longer_a_need(net: Any, officer: Any) -> None:
    net.homebound.status = "dead"
    net.homebound.save(update_fields=["status"])
    needs = analysis.needs_in_area(user=officer, area_code="931104")
    assert needs[("elders", "care_at_home")] == 1


def test_matrix_puts_organisation_names_in_the_cells_of_their_services(net: Any, officer: Any) -> None:
    matrix = analysis.who_does_what(user=officer, area_code="931104")
    assert [term.code for term in matrix.target_groups][:3] == ["young_children", "youth", "elders"]
    assert matrix.support_kinds[0].code == "money"
    assert matrix.cells[("elders", "money")] == ["อบต.ลำสินธุ์"]
    assert matrix.cells[("everyone", "money")] == ["พมจ.พัทลุง"]
    assert matrix.cells[("elders", "care_at_home")] == ["พมจ.พัทลุง", "รพ.สต.ลำสินธุ์", "โรงพยาบาลศรีนครินทร์"]
    assert matrix.cells[("elders", "food")] == ["วัดลำสินธุ์"]
    assert matrix.cells[("patients", "rehabilitation")] == ["โรงพยาบาลศรีนครินทร์"]
    assert ("elders", "rehabilitation") not in matrix.cells
    assert "อบต.ชุมพล" not in {name for names in matrix.cells.values() for name in names}
    rows = dict((group.code, cells) for group, cells in matrix.rows)
    assert rows["elders"][0] == ["อบต.ลำสินธุ์"]


def test_matrix_of_a_village_leaves_out_services_of_another_village(net: Any, officer: Any, village_b: Any) -> None:
    matrix = analysis.who_does_what(user=officer, area_code=village_b.code)
    assert matrix.cells[("elders", "care_at_home")] == ["พมจ.พัทลุง", "โรงพยาบาลศรีนครินทร์"]
    assert matrix.cells[("elders", "food")] == ["วัดลำสินธุ์"]


def test_matrix_works_for_a_district_and_a_province(net: Any, coordinator: Any) -> None:
    district = analysis.who_does_what(user=coordinator, area_code="9311")
    assert district.cells[("elders", "money")] == ["อบต.ชุมพล", "อบต.ลำสินธุ์"]
    province = analysis.who_does_what(user=coordinator, area_code="93")
    assert province.cells[("everyone", "money")] == ["พมจ.พัทลุง"]


def test_gaps_are_needs_without_a_covering_service_largest_first(net: Any, officer: Any) -> None:
    report = analysis.gaps(user=officer, area_code="931104")
    found = [(gap.target_group.code, gap.support_kind.code, gap.people) for gap in report.gaps]
    assert found[0] == ("elders", "rehabilitation", 2)
    assert set(found[1:]) == {("elders", "assistive_devices", 1), ("young_children", "food", 1),
                              ("poor_households", "food", 1), ("everyone", "legal_rights", 1)}
    # covered: elders × care at home (three organisations), poor households × housing repair (the SAO)
    assert ("elders", "care_at_home") not in {(code[0], code[1]) for code in found}


def test_duplication_lists_pairs_covered_by_three_or_more_organisations(net: Any, officer: Any) -> None:
    report = analysis.gaps(user=officer, area_code="931104")
    assert [(dup.target_group.code, dup.support_kind.code, dup.organisations) for dup in report.duplication] == [
        ("elders", "care_at_home", ["พมจ.พัทลุง", "รพ.สต.ลำสินธุ์", "โรงพยาบาลศรีนครินทร์"])]
    assert analysis.gaps(user=officer, area_code="931104", threshold=4).duplication == []


def test_match_ranks_exact_group_then_specific_area(net: Any, officer: Any) -> None:
    matches = analysis.service_match(user=officer, person_id=net.bedbound.pk, need="care_at_home")
    assert [match.service for match in matches] == [net.home_visit, net.hospital_visit, net.office_care,
                                                    net.ngo_care]
    assert [match.area_code for match in matches] == ["93110401", "9311", "93", "93110401"]
    assert matches[-1].exact_group is False


def test_match_prefers_known_capacity_then_nearer_kind_of_organisation(net: Any, officer: Any) -> None:
    group = org("กลุ่มรถรับส่ง", "community_group", "931104")
    ngo = org("มูลนิธิรถพยาบาล", "ngo", "931104")
    savings = org("กลุ่มออมทรัพย์ลำสินธุ์", "savings_group", "931104")
    service(group, "รับส่ง", ["elders"], ["transport"], ["931104"])
    service(ngo, "รับส่ง", ["elders"], ["transport"], ["931104"], capacity=10)
    service(savings, "รับส่ง", ["elders"], ["transport"], ["931104"], capacity=5)
    matches = analysis.service_match(user=officer, person_id=net.bedbound.pk, need="transport")
    assert [match.service.organisation for match in matches] == [savings, ngo, group]


def test_match_leaves_out_services_of_other_areas_and_groups(net: Any, officer: Any) -> None:
    money = analysis.service_match(user=officer, person_id=net.bedbound.pk, need="money")
    assert [match.service.organisation.name for match in money] == ["อบต.ลำสินธุ์", "พมจ.พัทลุง"]
    child = analysis.service_match(user=officer, person_id=net.child.pk, need="care_at_home")
    assert [match.service for match in child] == [net.ngo_care]


def test_match_refuses_an_unknown_need(net: Any, officer: Any) -> None:
    with pytest.raises(ValidationError) as error:
        analysis.service_match(user=officer, person_id=net.bedbound.pk, need="magic")
    assert "need" in error.value.message_dict


def test_match_is_404_for_a_person_out_of_reach(net: Any, outsider: Any, coordinator: Any) -> None:
    for user in (outsider, coordinator):
        with pytest.raises(Http404):
            analysis.service_match(user=user, person_id=net.bedbound.pk, need="care_at_home")


def test_graph_shows_organisations_of_the_area_and_their_relations(net: Any, officer: Any) -> None:
    graph = analysis.network_graph(user=officer, area_code="931104")
    names = {node["label"] for node in graph["nodes"]}
    assert names == {"อบต.ลำสินธุ์", "รพ.สต.ลำสินธุ์", "โรงพยาบาลศรีนครินทร์", "พมจ.พัทลุง", "วัดลำสินธุ์",
                     "มูลนิธิอาสาดูแล"}
    edges = {(edge["source"], edge["target"], edge["kind"]) for edge in graph["edges"]}
    assert edges == {(net.office.pk, net.sao.pk, "funds"), (net.hph.pk, net.hospital.pk, "reports_to")}
    sao = next(node for node in graph["nodes"] if node["id"] == net.sao.pk)
    assert sao["kind"] == "sao"
    assert [entry["name"] for entry in sao["services"]] == ["ซ่อมบ้าน", "เบี้ยยังชีพ"]


def test_graph_filters_keep_organisations_with_a_matching_service(net: Any, officer: Any) -> None:
    rehab = analysis.network_graph(user=officer, area_code="931104", support_kind="rehabilitation")
    assert [node["label"] for node in rehab["nodes"]] == ["โรงพยาบาลศรีนครินทร์"]
    assert rehab["edges"] == []
    children = analysis.network_graph(user=officer, area_code="931104", target_group="young_children")
    assert {node["label"] for node in children["nodes"]} == {"พมจ.พัทลุง", "มูลนิธิอาสาดูแล"}


def test_outsider_graph_of_their_tambon_leaves_out_our_organisations(net: Any, outsider: Any) -> None:
    graph = analysis.network_graph(user=outsider, area_code="931101")
    names = {node["label"] for node in graph["nodes"]}
    assert "อบต.ชุมพล" in names
    assert not names & {"อบต.ลำสินธุ์", "รพ.สต.ลำสินธุ์", "วัดลำสินธุ์", "มูลนิธิอาสาดูแล"}
    matrix = analysis.who_does_what(user=outsider, area_code="931101")
    assert "อบต.ลำสินธุ์" not in {name for names in matrix.cells.values() for name in names}


def test_outsider_gets_404_for_our_tambon(net: Any, outsider: Any) -> None:
    for read in (analysis.network_graph, analysis.who_does_what, analysis.gaps, analysis.needs_in_area):
        with pytest.raises(Http404):
            read(user=outsider, area_code="931104")


def test_default_area_is_the_users_tambon(officer: Any, volunteer: Any, coordinator: Any, db: Any) -> None:
    assert analysis.check_area(officer, "") == "931104"
    assert analysis.check_area(volunteer, "") == "931104"
    assert analysis.check_area(coordinator, "") == "93"
