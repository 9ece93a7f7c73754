"""The synthetic tambon generator: deterministic, valid, and skewed the way a real register is."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict
from datetime import date
from typing import Any

import pytest
from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names

from chumchon.areas.models import Area
from chumchon.conftest import TAMBON
from chumchon.core.models import AuditEntry
from chumchon.core.synthetic import TambonPlan, generate_tambon, load_plan, plan_tambon
from chumchon.core.synthetic.names import first_names, village_names
from chumchon.core.thai import age_in_years, is_valid_national_id
from chumchon.people.models import Household, Person

TODAY = date(2025, 6, 1)


@pytest.fixture(scope="module")
def plan() -> TambonPlan:
    return plan_tambon(tambon_code=TAMBON, villages=10, people=5000, seed=2568, today=TODAY)


def _age(person: Any) -> int:
    return age_in_years(person.birth_date, TODAY)


def _as_data(plan: TambonPlan) -> list[dict[str, Any]]:
    return [asdict(household) for household in plan.households]


# ---------------------------------------------------------------------------
# Pure plan
# ---------------------------------------------------------------------------


def test_same_seed_gives_the_same_tambon_and_another_seed_another() -> None:
    first = plan_tambon(tambon_code=TAMBON, villages=3, people=400, seed=7, today=TODAY)
    again = plan_tambon(tambon_code=TAMBON, villages=3, people=400, seed=7, today=TODAY)
    other = plan_tambon(tambon_code=TAMBON, villages=3, people=400, seed=8, today=TODAY)
    assert _as_data(first) == _as_data(again)
    assert [asdict(v) for v in first.villages] == [asdict(v) for v in again.villages]
    assert _as_data(first) != _as_data(other)


def test_plan_has_exactly_the_people_asked_for(plan: TambonPlan) -> None:
    assert len(plan.people) == 5000
    assert len(plan_tambon(tambon_code=TAMBON, villages=2, people=61, seed=1, today=TODAY).people) == 61
    assert plan_tambon(tambon_code=TAMBON, villages=2, people=0, seed=1, today=TODAY).people == []


def test_national_ids_are_valid_unique_and_fit_the_birth_year(plan: TambonPlan) -> None:
    with_id = [person for person in plan.people if person.national_id]
    ids = [str(person.national_id) for person in with_id]
    assert all(is_valid_national_id(national_id) for national_id in ids)
    assert len(set(ids)) == len(ids)
    for person in with_id:
        assert person.birth_date is not None
        allowed = "125" if person.birth_date.year >= 1984 else "3458"
        assert str(person.national_id)[0] in allowed, (person.national_id, person.birth_date)
    first_digits = Counter(national_id[0] for national_id in ids)
    assert first_digits["1"] + first_digits["3"] > 0.95 * len(ids)
    assert first_digits["2"] + first_digits["5"] + first_digits["8"] > 0  # a few late or added registrations
    # Digits 2–5: the registration office. Most were registered in the district (ศรีนครินทร์ 9311 since
    # 1996, เมืองพัทลุง 9301 before); the rest moved in, almost all from Phatthalung and its neighbours.
    offices = Counter(national_id[1:5] for national_id in ids)
    assert (offices["9311"] + offices["9301"]) / len(ids) > 0.8
    assert all(person.birth_date and person.birth_date.year >= 1996 for person in with_id
               if str(person.national_id)[1:5] == "9311")
    assert all(national_id[1:3] in {"93", "80", "90", "91", "92", "10"} for national_id in ids)


def test_about_one_percent_have_no_id_and_a_reason(plan: TambonPlan) -> None:
    without = [person for person in plan.people if not person.national_id]
    assert 0.003 < len(without) / len(plan.people) < 0.02
    assert {person.no_id_reason for person in without} <= {"stateless", "not_registered"}
    assert all(person.no_id_reason == "" for person in plan.people if person.national_id)
    assert not any(person.has_id_card or person.allowances for person in without)


def test_age_pyramid_has_a_fifth_elders_and_few_young_children(plan: TambonPlan) -> None:
    ages = [_age(person) for person in plan.people]
    elders = sum(age >= 60 for age in ages) / len(ages)
    under_six = sum(age < 6 for age in ages) / len(ages)
    assert 0.17 <= elders <= 0.23
    assert 0.04 <= under_six <= 0.09
    assert max(ages) < 110
    assert min(ages) >= 0


def test_first_names_are_zipf_skewed_and_from_the_corpus_by_sex(plan: TambonPlan) -> None:
    counts = Counter(person.first_name for person in plan.people)
    most_common = counts.most_common(1)[0][1]
    assert most_common >= 5 * statistics.median(counts.values())
    male, female = thai_male_names(), thai_female_names()
    assert all(person.first_name in (male if person.sex == "male" else female) for person in plan.people)
    assert all(person.last_name in thai_family_names() for person in plan.people)


def test_common_names_weigh_much_more_than_the_tail() -> None:
    pool = first_names("female", "old")
    assert pool.share_of_top(20) > 0.15
    assert len(pool.items) == len(set(pool.items)) > 5000


def test_every_household_has_one_head_and_a_realistic_size(plan: TambonPlan) -> None:
    sizes = [len(household.members) for household in plan.households]
    for household in plan.households:
        relations = [person.relation_to_head for person in household.members]
        assert relations.count("head") == 1
        assert relations[0] == "head"
    assert min(sizes) >= 1
    assert max(sizes) <= 8
    assert 2.5 <= statistics.mean(sizes) <= 3.4
    # Grandparents raising grandchildren while the parents work away.
    skipped = [household for household in plan.households
               if {p.relation_to_head for p in household.members} >= {"head", "grandchild"}
               and "child" not in {p.relation_to_head for p in household.members}]
    assert len(skipped) > 0.05 * len(plan.households)


def test_household_members_mostly_share_the_family_name(plan: TambonPlan) -> None:
    same = sum(person.last_name == household.members[0].last_name
               for household in plan.households for person in household.members)
    assert same / len(plan.people) > 0.7
    # A tambon is a few large clans: the most common family name is carried by dozens.
    assert Counter(person.last_name for person in plan.people).most_common(1)[0][1] > 50


def test_titles_fit_sex_and_age(plan: TambonPlan) -> None:
    for person in plan.people:
        age = _age(person)
        if age < 15:
            expected = {"เด็กชาย"} if person.sex == "male" else {"เด็กหญิง"}
        else:
            expected = {"นาย"} if person.sex == "male" else {"นาง", "นางสาว"}
        assert person.title in expected, (person.title, person.sex, age)


def test_many_elders_are_recorded_as_born_1_january_or_by_year_only(plan: TambonPlan) -> None:
    elders = [person for person in plan.people if _age(person) >= 60]
    first_january = [p for p in elders if p.birth_date and (p.birth_date.month, p.birth_date.day) == (1, 1)]
    assert len(first_january) / len(elders) > 0.3
    year_only = [person for person in plan.people if person.birth_year_only]
    assert len(year_only) > 0.05 * len(elders)
    assert all(p.birth_date and (p.birth_date.month, p.birth_date.day) == (1, 1) for p in year_only)


def test_rights_and_vulnerability_at_realistic_rates(plan: TambonPlan) -> None:
    people = plan.people
    adults = [person for person in people if _age(person) >= 18]
    elders = [person for person in people if _age(person) >= 60]
    assert 0.25 <= sum(person.has_welfare_card for person in adults) / len(adults) <= 0.35
    assert not any(person.has_welfare_card for person in people if _age(person) < 18)
    card_holders = [person for person in people if person.has_disability_card]
    assert 0.015 <= len(card_holders) / len(people) <= 0.035
    assert all(person.disability_types and set(person.disability_types) <= set(range(1, 8))
               for person in card_holders)
    assert sum("disability" in person.allowances for person in card_holders) > 0.8 * len(card_holders)
    assert all(person.has_disability_card for person in people if "disability" in person.allowances)
    bedbound = [person for person in people if person.is_bedbound]
    assert all(_age(person) >= 60 for person in bedbound)
    assert 0.005 <= len(bedbound) / len(elders) <= 0.03
    assert any(person.is_awaiting_rehab for person in people)
    assert sum("elderly" in person.allowances for person in elders) > 0.8 * len(elders)
    assert not any("elderly" in person.allowances for person in people if _age(person) < 60)
    young = [person for person in people if _age(person) < 6]
    assert sum("child_support" in person.allowances for person in young) > 0.5 * len(young)
    assert not any("child_support" in person.allowances for person in people if _age(person) >= 6)
    coverage = Counter(person.health_coverage for person in people)
    assert coverage["ucs"] > 0.7 * len(people)
    phones = [person.phone for person in people if person.phone]
    assert all(len(phone) == 10 and phone[:2] in {"06", "08", "09"} for phone in phones)
    assert not any(person.phone for person in people if _age(person) < 15)
    assert 0.3 < len(phones) / len(adults) < 0.9


def test_houses_are_numbered_per_village_and_placed_around_the_tambon(plan: TambonPlan) -> None:
    seen: set[tuple[int, str]] = set()
    for household in plan.households:
        key = (household.moo, household.house_no)
        assert key not in seen
        seen.add(key)
        assert len(household.house_code) == 11
        assert household.house_code.isdigit()
        assert household.latitude is not None
        assert household.longitude is not None
        # Lam Sin's centre is about 7.56 N, 99.93 E; every house lies within ~10 km.
        assert abs(float(household.latitude) - 7.56) < 0.09
        assert abs(float(household.longitude) - 99.93) < 0.09
    assert {household.moo for household in plan.households} == set(range(1, 11))


def test_village_names_are_distinct_and_moo_1_bears_the_tambon_name() -> None:
    import random

    found = village_names(random.Random(1), "ลำสินธุ์", 12)
    assert found[0] == "บ้านลำสินธุ์"
    assert len(set(found)) == 12
    assert all(name.startswith("บ้าน") for name in found)


def test_typing_errors_are_a_hook_for_the_import_work() -> None:
    with pytest.raises(NotImplementedError):
        plan_tambon(tambon_code=TAMBON, villages=1, people=5, seed=1, today=TODAY, with_typos=True)


# ---------------------------------------------------------------------------
# Writing to the database
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_generate_tambon_bulk_loads_with_derived_fields_and_one_audit_entry(
        django_assert_max_num_queries: Any) -> None:
    # Batches, never a query per row: SQLite takes 999 parameters per INSERT, so a batch holds
    # 999 // (person columns) people and about 110 lawful-basis rows.
    people_per_insert = 999 // len(Person._meta.concrete_fields)
    with django_assert_max_num_queries(15 + -(-1200 // people_per_insert) + 1200 // 100):
        counts = generate_tambon(tambon_code=TAMBON, villages=4, people=1200, seed=3)
    assert counts == {"villages": 4, "villages_created": 4, "households": Household.objects.count(),
                      "people": 1200}
    assert Person.objects.filter(area__code__startswith=TAMBON).count() == 1200
    villages = Area.objects.filter(parent_id=TAMBON, level="village").order_by("number")
    assert [village.code for village in villages] == [f"{TAMBON}0{moo}" for moo in range(1, 5)]
    person = Person.objects.select_related("household").filter(household__isnull=False).first()
    assert person is not None
    assert person.household is not None
    assert person.area_id == person.household.area_id
    assert person.sort_key
    assert person.household.house_no in person.search_text
    assert person.first_name in person.search_text
    assert not Person.objects.filter(has_disability_card=True, is_disabled=False).exists()
    assert Person.objects.filter(is_disabled=True).exists()
    entries = AuditEntry.objects.filter(verb="demo.load")
    assert entries.count() == 1
    assert entries.get().area_code == TAMBON
    assert entries.get().data["people"] == 1200


@pytest.mark.django_db
def test_load_reuses_villages_and_steps_around_taken_house_numbers_and_ids(village_a: Area) -> None:
    plan = plan_tambon(tambon_code=TAMBON, villages=2, people=80, seed=11, today=TODAY)
    taken_id = next(person.national_id for person in plan.people if person.national_id)
    taken_house_no = next(household.house_no for household in plan.households if household.moo == 1)
    existing = Household.objects.create(area=village_a, house_no=taken_house_no)
    Person.objects.create(area=village_a, household=existing, first_name="มีอยู่", national_id=taken_id)
    counts = load_plan(plan)
    assert counts["villages_created"] == 1
    assert Area.objects.get(code=village_a.code).name_th == village_a.name_th
    assert Household.objects.filter(area=village_a, house_no=taken_house_no).count() == 1
    assert Household.objects.filter(area=village_a).count() == 1 + sum(h.moo == 1 for h in plan.households)
    assert Person.objects.filter(national_id=taken_id).count() == 1
    new_ids = list(Person.objects.exclude(national_id=None).exclude(national_id=taken_id)
                   .values_list("national_id", flat=True))
    assert len(new_ids) == len([person for person in plan.people if person.national_id])
    assert all(is_valid_national_id(str(national_id)) for national_id in new_ids)


def test_every_generated_person_has_a_lawful_basis_record(db):
    from chumchon.core.synthetic import generate_tambon
    from chumchon.people.models import DataBasis, Person

    generate_tambon(tambon_code="931104", villages=2, people=40, seed=7)
    people = Person.objects.filter(area__code__startswith="931104")
    assert people.count() == 40
    assert DataBasis.objects.filter(person__in=people, basis="public_task").count() == 40
