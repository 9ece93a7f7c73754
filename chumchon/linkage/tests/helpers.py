"""Rows the linkage tests need, made directly: sources, source records, persons, candidates."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from chumchon.areas.models import Area
from chumchon.linkage.models import MatchCandidate, Source, SourceRecord
from chumchon.people.models import Person
from chumchon.people.services import person_derive


def make_person(area: Area, first_name: str, last_name: str = "", *, birth_date: date | None = None,
                **fields: Any) -> Person:
    person = Person(area=area, first_name=first_name, last_name=last_name, birth_date=birth_date,
                    no_id_reason=fields.pop("no_id_reason", "" if fields.get("national_id") else "unknown"),
                    **fields)
    person_derive(person)
    person.save()
    return person


def make_record(person: Person | None, source_name: str = "ทะเบียนผู้สูงอายุ", key: str = "1",
                **fields: Any) -> SourceRecord:
    area = person.area if person else fields.pop("area")
    tambon = Area.objects.get(code=area.code[:6])
    source, _ = Source.objects.get_or_create(area=tambon, name=source_name)
    values = {"first_name": person.first_name if person else "", "last_name": person.last_name if person else "",
              "birth_date": person.birth_date if person else None, **fields}
    return SourceRecord.objects.create(source=source, source_key=key, raw=json.dumps({"ชื่อ": values["first_name"]}),
                                       row_hash=key, area=area, person=person,
                                       link_method="probabilistic" if person else "", **values)


def make_candidate(one: Person, two: Person, score: float = 0.8, **fields: Any) -> MatchCandidate:
    a, b = sorted([one, two], key=lambda p: p.pk)
    evidence = fields.pop("evidence", {
        "first_name": {"level": "similar", "a": a.first_name, "b": b.first_name},
        "birth_date": {"level": "same_year", "a": str(a.birth_date), "b": str(b.birth_date)},
    })
    return MatchCandidate.objects.create(person_a=a, person_b=b, score=score, evidence=evidence, **fields)
