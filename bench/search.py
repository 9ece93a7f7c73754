"""Registry reads at provincial-ish scale: search, duplicate check and counts, each beside an anchor
measured in the same run on the same database.

    python bench/search.py [--tambons 10] [--people 5000]      (SQLite in a temporary data dir)
    CHUMCHON_DATABASE_URL=postgres://postgres@127.0.0.1:5432/chumchon_bench python bench/search.py

Writes bench/results/search-<database>.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def timed(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    fn()  # warm caches
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2), "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tambons", type=int, default=10)
    parser.add_argument("--people", type=int, default=5000, help="people per tambon")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    os.environ.setdefault("CHUMCHON_DATA_DIR", tempfile.mkdtemp(prefix="chumchon-bench-"))
    if os.environ.get("CHUMCHON_DATABASE_URL", "").startswith("postgres"):
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
    from chumchon.areas.models import Area
    from chumchon.core.synthetic import generate_tambon
    from chumchon.people.selectors import duplicate_candidates, person_counts, person_list

    call_command("migrate", verbosity=0)
    tambons = list(Area.objects.filter(level="subdistrict", is_active=True, code__startswith="93")
                   .order_by("code").values_list("code", flat=True)[: args.tambons])
    start = time.perf_counter()
    for index, code in enumerate(tambons):
        generate_tambon(tambon_code=code, villages=10, people=args.people, seed=100 + index)
    load_seconds = time.perf_counter() - start
    total = args.people * len(tambons)
    officer = User.objects.create_user("bench_officer", password="x-bench-password")
    membership_grant(actor=None, user=officer, area_code=tambons[0], role=Role.TAMBON_OFFICER)
    coordinator = User.objects.create_user("bench_coordinator", password="x-bench-password")
    membership_grant(actor=None, user=coordinator, area_code="93", role=Role.PROVINCIAL_COORDINATOR)

    def raw(sql: str, params: list[Any]) -> Callable[[], Any]:
        def run() -> Any:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        return run

    table = "people_person"
    # The anchor answers the same question in one hand-written statement on the same index.
    if connection.vendor == "sqlite":
        within, within_params = "area_id >= %s AND area_id < %s", [tambons[0], tambons[0] + "\U0010ffff"]
    else:
        within, within_params = "area_id LIKE %s", [tambons[0] + "%"]
    order = 'sort_key COLLATE "C"' if connection.vendor == "postgresql" else "sort_key"
    results = {
        "search 'สม' (officer, scoped, Thai order, first 50)": (
            timed(lambda: list(person_list(user=officer, q="สม")[:50]), args.runs),
            timed(raw(f"SELECT id, first_name, last_name FROM {table} WHERE {within} AND status = 'active' "
                      f"AND search_text LIKE %s ORDER BY {order} LIMIT 50", [*within_params, "%สม%"]),
                  args.runs)),
        "duplicate check (similar name, same year)": (
            timed(lambda: duplicate_candidates(user=officer, area_code=tambons[0] + "01", first_name="สมชาย",
                                               last_name="ใจดี", birth_year=1960), args.runs),
            timed(raw(f"SELECT id, first_name, last_name FROM {table} WHERE {within}", within_params),
                  args.runs)),
        "counts by village and group (province)": (
            timed(lambda: person_counts(user=coordinator), args.runs),
            timed(raw(f"SELECT area_id, count(*) FROM {table} GROUP BY area_id", []), args.runs)),
    }
    vendor = connection.vendor
    report = {"database": vendor, "people": total, "tambons": len(tambons),
              "load_seconds": round(load_seconds, 1),
              "load_people_per_second": round(total / load_seconds),
              "results": {name: {"ours": ours, "anchor": anchor,
                                 "ratio_p50": round(ours["p50_ms"] / max(anchor["p50_ms"], 0.01), 1)}
                          for name, (ours, anchor) in results.items()}}
    out = ROOT / "bench" / "results" / f"search-{vendor}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"{vendor}: {total:,} people in {len(tambons)} tambons, loaded in {load_seconds:.1f} s "
          f"({report['load_people_per_second']:,} people/s)")
    print(f"{'measure':55} {'ours p50':>10} {'anchor p50':>11} {'ratio':>6}")
    for name, row in report["results"].items():
        print(f"{name:55} {row['ours']['p50_ms']:>8.1f}ms {row['anchor']['p50_ms']:>9.1f}ms {row['ratio_p50']:>6}")
    print(f"written to {out.relative_to(ROOT)}")


def _fresh_postgres(url: str) -> None:
    """Drop and create the benchmark database so every run starts empty."""
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
