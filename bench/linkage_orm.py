"""``linkage_run`` end to end through the Django ORM: source records in the database in, persons,
links and review candidates out, scored against the generator's truth.

    python bench/linkage_orm.py [--records 100000] [--seed 2569]

A fresh database (SQLite in a temporary data dir, or CHUMCHON_DATABASE_URL), the generator's five
lists (chumchon/core/synthetic/registers.py) written as SourceRecord rows with bulk_create (not
timed; the import helper's service does this in production), then ``linkage_run(actor=None)``
timed, then timed again (idempotent: nothing changes). Writes bench/results/linkage-orm-<db>.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2569)
    args = parser.parse_args()

    registers = Path(os.environ.get("CHUMCHON_DATA_DIR", ROOT / "var")) / f"bench-registers-{args.records}-{args.seed}"
    os.environ["CHUMCHON_DATA_DIR"] = tempfile.mkdtemp(prefix="chumchon-bench-linkage-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "chumchon.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from chumchon.areas.models import Area, AreaLevel
    from chumchon.core.synthetic.registers import write_registers
    from chumchon.core.thai import ThaiDateError, parse_thai_date
    from chumchon.linkage.models import MatchCandidate, Source, SourceRecord
    from chumchon.linkage.services.linking import linkage_run
    from chumchon.people.models import Person

    if not (registers / "truth.csv").exists():
        write_registers(registers, records=args.records, seed=args.seed)
    call_command("migrate", verbosity=0)

    started = time.perf_counter()
    villages: dict[str, Area] = {}
    sources: dict[tuple[str, str], Source] = {}
    truth: dict[tuple[str, str], str] = {}
    with (registers / "truth.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            truth[(row["source"], row["source_key"])] = row["person_key"]
    dates: dict[str, Any] = {}
    batch: list[SourceRecord] = []
    for path in sorted(registers.glob("*.csv")):
        if path.name == "truth.csv":
            continue
        name = path.stem
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                tambon_code = row["tambon_code"]
                code = f"{tambon_code}{int(row['moo']):02d}"
                if code not in villages:
                    village, _ = Area.objects.get_or_create(
                        code=code, defaults={"level": AreaLevel.VILLAGE, "parent_id": tambon_code,
                                             "number": int(row["moo"]), "official_code": code,
                                             "name_th": f"หมู่ {int(row['moo'])}"})
                    villages[code] = village
                if (tambon_code, name) not in sources:
                    sources[(tambon_code, name)] = Source.objects.create(area_id=tambon_code, name=name)
                text = row["birth_date"]
                if text not in dates:
                    try:
                        dates[text] = parse_thai_date(text, allow_year_only=True) if text else None
                    except ThaiDateError:
                        dates[text] = None
                parsed = dates[text]
                batch.append(SourceRecord(
                    source=sources[(tambon_code, name)], source_key=row["source_key"], raw={"truth": name},
                    row_hash=row["source_key"], national_id=row["national_id"], title=row["title"],
                    first_name=row["first_name"], last_name=row["last_name"], sex=row["sex"],
                    birth_date=parsed.value if parsed else None, birth_year_only=bool(parsed and parsed.year_only),
                    house_no=row["house_no"], area=villages[code], phone=row["phone"]))
                if len(batch) >= 5000:
                    SourceRecord.objects.bulk_create(batch)
                    batch = []
    SourceRecord.objects.bulk_create(batch)
    load_seconds = time.perf_counter() - started

    started = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        summary = profiler.runcall(linkage_run, actor=None)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    else:
        summary = linkage_run(actor=None)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = linkage_run(actor=None)
    second = time.perf_counter() - started

    # Pairwise precision and recall of the links against the truth.
    from collections import Counter

    by_person: Counter[Any] = Counter()
    by_truth: Counter[str] = Counter()
    both: Counter[tuple[Any, str]] = Counter()
    for source_key, source_name, person_id in SourceRecord.objects.values_list("source_key", "source__name",
                                                                               "person_id").iterator():
        key = truth[(source_name, source_key)]
        by_person[person_id] += 1
        by_truth[key] += 1
        both[(person_id, key)] += 1

    def pairs(counter: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    predicted, actual, true_positive = pairs(by_person), pairs(by_truth), pairs(both)
    report = {
        "database": connection.vendor, "records": summary.records, "load_seconds": round(load_seconds, 1),
        "linkage_run_seconds": round(first, 1), "second_run_seconds": round(second, 1),
        "summary": summary.as_dict(), "second_run": again.as_dict(),
        "persons": Person.objects.count(), "candidates": MatchCandidate.objects.count(),
        "precision": round(true_positive / predicted, 5) if predicted else 1.0,
        "recall": round(true_positive / actual, 5) if actual else 1.0,
    }
    out = ROOT / "bench" / "results" / f"linkage-orm-{connection.vendor}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
