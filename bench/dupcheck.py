"""Entry-time duplicate check against a large registry (issue 6: p95 ≤ 50 ms at 1 M persons).

    python bench/dupcheck.py [--persons 1000000] [--tambons 100] [--queries 300]
    CHUMCHON_DATABASE_URL=postgres://postgres@127.0.0.1:5432/chumchon_dupcheck python bench/dupcheck.py

Builds a registry of ``--persons`` people in ``--tambons`` real tambons (10 villages each), with
Zipf-skewed Thai first names (core/synthetic/names.py), tambon family-name clans and birth years
over 90 years, written with plain bulk INSERTs (the keys are computed by the same
``people.matchkeys`` the person services use). Then it types ``--queries`` new entries: each is an
existing person with one realistic Thai slip (similar letter, tone mark dropped or added, vowel
swapped, nothing) and the same birth year, and measures:

- ours: ``people.selectors.duplicate_candidates`` (indexed sound keys + Thai-folded fuzzy score);
- anchor: the previous check from main (every person of the tambon born that year, fuzzy-scored
  in Python, lk82 on the first name), same queries, same database;
- floor: one hand-written indexed SELECT on the key columns (what the database alone costs).

Run again with the same CHUMCHON_DATA_DIR (SQLite), it reuses the registry already there (the
same queries are drawn), so a change to the check can be measured without loading again.

Prints p50/p95 and how often the typed person's original record was found (recall), and writes
bench/results/dupcheck-<database>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SLIPS = {"ศ": "ส", "ส": "ศ", "ณ": "น", "น": "ณ", "ท": "ธ", "ธ": "ท", "พ": "ภ", "ย": "ญ", "ใ": "ไ", "ไ": "ใ"}
TONES = "\u0e48\u0e49\u0e4a\u0e4b"


def typo(rng: random.Random, name: str) -> str:
    """One slip a volunteer makes typing a Thai name (or none)."""
    kind = rng.random()
    if kind < 0.2:
        return name
    if kind < 0.55:
        spots = [i for i, ch in enumerate(name) if ch in SLIPS]
        if spots:
            i = rng.choice(spots)
            return name[:i] + SLIPS[name[i]] + name[i + 1:]
    if kind < 0.8:
        tones = [i for i, ch in enumerate(name) if ch in TONES]
        if tones:
            i = rng.choice(tones)
            return name[:i] + name[i + 1:]
        return name[:2] + "\u0e48" + name[2:] if len(name) > 2 else name
    if len(name) > 3:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    return name


def timed(fn: Callable[[Any], Any], queries: list[Any]) -> tuple[dict[str, float], list[Any]]:
    for query in queries[:5]:
        fn(query)  # warm caches
    samples, answers = [], []
    for query in queries:
        start = time.perf_counter()
        answers.append(fn(query))
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return ({"p50_ms": round(statistics.median(samples), 2),
             "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 2),
             "max_ms": round(samples[-1], 2), "runs": len(samples)}, answers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--tambons", type=int, default=100)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()

    os.environ.setdefault("CHUMCHON_DATA_DIR", tempfile.mkdtemp(prefix="chumchon-dupcheck-"))
    if os.environ.get("CHUMCHON_DATABASE_URL", "").startswith("postgres"):
        from search import _fresh_postgres

        _fresh_postgres(os.environ["CHUMCHON_DATABASE_URL"])
    os.environ["DJANGO_SETTINGS_MODULE"] = "chumchon.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from chumchon.accounts.models import User
    from chumchon.accounts.roles import Role
    from chumchon.accounts.services import membership_grant
    from chumchon.areas.models import Area, AreaLevel
    from chumchon.people.models import Person
    from chumchon.people.selectors import duplicate_candidates

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    tambons = list(Area.objects.filter(level=AreaLevel.SUBDISTRICT, is_active=True)
                   .order_by("code").values_list("code", flat=True)[: args.tambons])
    villages = []
    for code in tambons:
        tambon = Area.objects.get(code=code)
        for moo in range(1, 11):
            villages.append(Area(code=f"{code}{moo:02d}", level=AreaLevel.VILLAGE, parent=tambon, number=moo,
                                 official_code=f"{code}{moo:02d}", name_th=f"บ้าน {moo}"))
    Area.objects.bulk_create(villages, ignore_conflicts=True)

    start = time.perf_counter()
    per_tambon = args.persons // len(tambons)
    existing = Person.objects.count()
    if existing:  # a registry left by an earlier run in the same CHUMCHON_DATA_DIR (SQLite): reused
        print(f"reusing the {existing:,} persons already in {os.environ['CHUMCHON_DATA_DIR']}")
    else:
        _load(rng, tambons, per_tambon)
    load_seconds = time.perf_counter() - start
    total = Person.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE people_person")
    # The people typed again: a seeded draw of ids, so a reused registry gives the same queries.
    max_id = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    draw = random.Random(args.seed + 1)
    ids = sorted({draw.randint(1, max_id) for _ in range(args.queries * 2)})
    sample = [(p.area_id, p.first_name, p.last_name, p.birth_date.year)
              for p in Person.objects.filter(pk__in=ids).only("area_id", "first_name", "last_name", "birth_date")
              if p.birth_date]
    draw.shuffle(sample)

    officers = {}
    for code in tambons:
        user, created = User.objects.get_or_create(username=f"officer_{code}")
        if created:
            membership_grant(actor=None, user=user, area_code=code, role=Role.TAMBON_OFFICER)
        officers[code] = user
    queries = [(officers[v[:6]], v, typo(draw, f), typo(draw, la), y, f, la)
               for v, f, la, y in sample[: args.queries]]

    def ours(q: Any) -> list[tuple[str, str]]:
        user, village, first, last, year, _, _ = q
        return [(c.person.first_name, c.person.last_name) for c in duplicate_candidates(
            user=user, area_code=village, first_name=first, last_name=last, birth_year=year)]

    def anchor(q: Any) -> list[tuple[str, str]]:
        return [(c.person.first_name, c.person.last_name) for c in _previous_check(*q[:5])]

    def floor(q: Any) -> list[Any]:
        from chumchon.people.matchkeys import dup_key

        _user, village, first, last, year, _, _ = q
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, first_name, last_name FROM people_person WHERE dup_key_first = %s "
                           "OR dup_key_last = %s LIMIT 200",
                           [dup_key(village, year, first), dup_key(village, year, last)])
            return cursor.fetchall()

    report: dict[str, Any] = {"database": connection.vendor, "persons": total, "tambons": len(tambons),
                              "load_seconds": round(load_seconds, 1), "reused_registry": bool(existing),
                              "queries": len(queries), "results": {}}
    for name, fn in (("ours (indexed Thai sound keys)", ours), ("anchor: previous check (tambon-year scan)", anchor),
                     ("floor: one indexed SELECT on the keys", floor)):
        stats, answers = timed(fn, queries)
        if name.startswith("floor"):
            found = sum(any((row[1], row[2]) == (q[5], q[6]) for row in answer) for q, answer in zip(queries, answers,
                                                                                                      strict=True))
        else:
            found = sum((q[5], q[6]) in answer for q, answer in zip(queries, answers, strict=True))
        stats["recall"] = round(found / max(1, len(queries)), 3)
        report["results"][name] = stats
    out = ROOT / "bench" / "results" / f"dupcheck-{connection.vendor}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"{connection.vendor}: {total:,} persons in {len(tambons)} tambons, loaded in {load_seconds:.1f} s; "
          f"{len(queries)} typed entries with Thai slips")
    print(f"{'duplicate check':45} {'p50':>9} {'p95':>9} {'max':>9} {'recall':>7}")
    for name, row in report["results"].items():
        print(f"{name:45} {row['p50_ms']:>7.1f}ms {row['p95_ms']:>7.1f}ms {row['max_ms']:>7.1f}ms {row['recall']:>7}")
    print(f"target: p95 ≤ 50 ms; written to {out.relative_to(ROOT)}")


def _load(rng: random.Random, tambons: list[str], per_tambon: int) -> None:
    """Write ``per_tambon`` synthetic persons in each tambon with plain bulk INSERTs."""
    from django.db import connection

    from chumchon.core.synthetic.names import family_name_pool, first_names
    from chumchon.people.matchkeys import person_dup_keys

    columns = ("area_id", "title", "first_name", "last_name", "nickname", "sex", "birth_date", "birth_year_only",
               "national_id", "no_id_reason", "phone", "has_id_card", "has_welfare_card", "has_disability_card",
               "disability_types", "health_coverage", "allowances", "is_disabled", "is_awaiting_rehab",
               "is_bedbound", "is_poor", "status", "review_status", "sort_key", "search_text", "dup_key_first",
               "dup_key_last", "version", "created_at", "updated_at", "relation_to_head")
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO people_person ({', '.join(columns)}) VALUES ({placeholders})"
    now = "2026-01-01 00:00:00"
    for code in tambons:
        clans = family_name_pool(rng, per_tambon // 4)
        rows = []
        for _ in range(per_tambon):
            sex = "female" if rng.random() < 0.52 else "male"
            year = rng.randint(1935, 2025)
            era = "old" if year < 1975 else "mid" if year < 2000 else "young"
            first, last = first_names(sex, era).draw(rng), clans.draw(rng)
            village = f"{code}{rng.randint(1, 10):02d}"
            birth = date(year, 1, 1) if rng.random() < 0.3 else date(year, rng.randint(1, 12), rng.randint(1, 28))
            key_first, key_last = person_dup_keys(area_code=village, birth_date=birth, first_name=first,
                                                  last_name=last)
            rows.append((village, "", first, last, "", sex, birth, False, None, "unknown", "", False, False, False,
                         "[]", "unknown", "[]", False, False, False, False, "active", "submitted",
                         f"{first} {last}", f"{first} {last}", key_first, key_last, 1, now, now, ""))
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _previous_check(user: Any, area_code: str, first_name: str, last_name: str, birth_year: int) -> list[Any]:
    """The duplicate check as main had it before the keys (the anchor)."""
    from pythainlp.soundex import lk82
    from rapidfuzz import fuzz

    from chumchon.accounts.roles import Capability
    from chumchon.accounts.scoping import scope_q, within_q
    from chumchon.core.thai import normalize_text
    from chumchon.people.models import Person, PersonStatus
    from chumchon.people.selectors import DuplicateCandidate

    names = Capability.VIEW_NAMES
    found: dict[int, Any] = {}
    first, last = normalize_text(first_name), normalize_text(last_name)
    pool = Person.objects.filter(scope_q(user, names), within_q(area_code[:6]),
                                 birth_date__year=birth_year).exclude(status=PersonStatus.DECEASED)
    wanted = f"{first} {last}".strip()
    wanted_sound = lk82(first) if first else ""
    for person in pool.only("id", "first_name", "last_name", "title", "area_id", "birth_date",
                            "birth_year_only", "national_id", "household_id")[:2000]:
        score = int(fuzz.token_sort_ratio(wanted, f"{person.first_name} {person.last_name}".strip()))
        sounds_alike = bool(wanted_sound) and lk82(person.first_name) == wanted_sound
        if score >= 80 or (sounds_alike and score >= 60):
            found[person.pk] = DuplicateCandidate(person, "similar_name_same_year", score)
    return sorted(found.values(), key=lambda c: -c.score)[:5]


if __name__ == "__main__":
    main()
