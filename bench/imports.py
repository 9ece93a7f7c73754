"""Import 1 M rows of a realistic Thai person list, beside a plain bulk load of the same file.

    python bench/imports.py [--rows 1000000]                 (SQLite, and PostgreSQL when running)

Generates a seeded CSV (synthetic Thai names with skewed frequencies, real Phatthalung tambon
codes, many 1-January and year-only birth dates in mixed Thai formats, some bad rows), then, each
in its own process so that peak memory is the import's own:
- PostgreSQL (CHUMCHON_DATABASE_URL=postgres://postgres@127.0.0.1:5432/chumchon_bench_imports,
  dropped and created here): ``import_run`` beside a plain ``COPY`` of the same file into a bare
  table (targets: ≤ 15 s, ≤ 5× COPY, peak memory ≤ 2 GiB);
- SQLite: ``import_run`` beside a plain sqlite3 ``executemany`` of the same rows in one
  transaction (target ≤ 4×).
Villages are registered before the timed import (a first import would add them once). Writes
bench/results/imports-<database>.json and prints both times, the ratio and the peak memory.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_URL = "postgres://postgres@127.0.0.1:5432/chumchon_bench_imports"
HEADER = ["source_key", "เลขบัตรประชาชน", "คำนำหน้า", "ชื่อ", "นามสกุล", "เพศ", "วันเกิด", "บ้านเลขที่", "หมู่",
          "รหัสตำบล", "โทรศัพท์"]
MONTHS_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
MOOS = 12


def _setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "chumchon.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _tambons() -> list[str]:
    from chumchon.areas.models import Area

    return list(Area.objects.filter(level="subdistrict", is_active=True, code__startswith="93")
                .order_by("code").values_list("code", flat=True))


def generate(path: Path, rows: int, tambons: list[str], seed: int = 6) -> None:
    from chumchon.core.synthetic import names
    from chumchon.core.thai import national_id_check_digit

    rng = random.Random(seed)
    clans = names.family_name_pool(rng, 15_000)  # 5 000 clans (the corpus has ~9 800 names)
    pools = {(sex, era): names.first_names(sex, era) for sex in ("male", "female") for era in ("old", "mid", "young")}
    start = date(1930, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for index in range(rows):
            sex = "male" if rng.random() < 0.49 else "female"
            born = start + timedelta(days=rng.randrange(33_000))
            era = names.generation(born.year)
            title = ("นาย" if sex == "male" else rng.choice(("นาง", "นางสาว"))) if born.year < 2008 else \
                ("ด.ช." if sex == "male" else "ด.ญ.")
            be = born.year + 543
            style = rng.random()
            if style < 0.25:
                text = f"1 มกราคม {be}"  # the placeholder of an unknown birthday
            elif style < 0.55:
                text = f"{born.day:02d}/{born.month:02d}/{be}"
            elif style < 0.75:
                text = f"{born.day} {MONTHS_ABBR[born.month - 1]} {be}"
            elif style < 0.92:
                text = born.isoformat()
            else:
                text = str(be)
            first12 = f"{rng.choice('13538')}{rng.randrange(10**11):011d}"
            nid = first12 + str(national_id_check_digit(first12))
            if rng.random() < 0.02:
                nid = nid[:5] + str((int(nid[5]) + 1) % 10) + nid[6:]  # one mistyped digit: kept
            if rng.random() < 0.1:
                nid = ""
            key = f"R{index:07d}"
            bad = rng.random()
            if bad < 0.003:
                key = ""
            elif bad < 0.006:
                text = "ไม่ทราบ"
            elif bad < 0.008:
                nid = nid[:9]
            out.writerow([key, nid, title, pools[(sex, era)].draw(rng), clans.draw(rng),
                          "ชาย" if sex == "male" else "หญิง", text, f"{rng.randrange(1, 300)}/{rng.randrange(1, 9)}",
                          rng.randrange(1, MOOS + 1), rng.choice(tambons),
                          f"08{rng.randrange(10**8):08d}" if rng.random() < 0.6 else ""])


def _register_villages(tambons: list[str]) -> None:
    from chumchon.areas.models import Area

    parents = {area.code: area for area in Area.objects.filter(code__in=tambons)}
    Area.objects.bulk_create([
        Area(code=f"{code}{moo:02d}", level="village", parent=parents[code], number=moo,
             official_code=f"{code}{moo:02d}", name_th=f"บ้าน {moo}")
        for code in tambons for moo in range(1, MOOS + 1)], ignore_conflicts=True)


def measure(database: str, csv_path: Path) -> dict[str, Any]:
    """One database, in this process: the import, then the plain bulk load of the same file."""
    _setup_django()
    from django.core.management import call_command
    from django.db import connection

    from chumchon.linkage.services.imports import import_job_create, import_run, source_get_or_create

    call_command("migrate", verbosity=0)
    _register_villages(_tambons())
    source = source_get_or_create(actor=None, area_code="93", name="bench")
    job = import_job_create(actor=None, source=source, path=csv_path)
    start = time.perf_counter()
    summary = import_run(actor=None, job=job, errors_path=csv_path.with_suffix(f".{database}.errors.csv"))
    import_seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rerun_job = import_job_create(actor=None, source=source, path=csv_path)
    start = time.perf_counter()
    rerun = import_run(actor=None, job=rerun_job, errors_path=csv_path.with_suffix(f".{database}.errors2.csv"))
    rerun_seconds = time.perf_counter() - start

    columns = ", ".join(f"c{i} text" for i in range(len(HEADER)))
    start = time.perf_counter()
    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE bare ({columns})")
            with cursor.cursor.copy("COPY bare FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, \
                    csv_path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
        anchor = "COPY into a bare table"
    else:
        import sqlite3

        bare = sqlite3.connect(str(connection.settings_dict["NAME"]))
        bare.execute(f"CREATE TABLE bare ({columns})")
        with csv_path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            marks = ", ".join("?" * len(HEADER))
            with bare:
                bare.executemany(f"INSERT INTO bare VALUES ({marks})", reader)
        bare.close()
        anchor = "sqlite3 executemany in one transaction"
    anchor_seconds = time.perf_counter() - start
    return {"database": database, "rows": summary.read, "summary": summary.line(), "rerun": rerun.line(),
            "import_seconds": round(import_seconds, 2), "phases": summary.seconds,
            "rerun_seconds": round(rerun_seconds, 2), "rerun_phases": rerun.seconds,
            "anchor": anchor, "anchor_seconds": round(anchor_seconds, 2),
            "ratio": round(import_seconds / anchor_seconds, 2), "peak_memory_mib": round(peak_mib)}


def _fresh_postgres(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop_postgres(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}"')


def _postgres_running() -> bool:
    try:
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default="")
    parser.add_argument("--measure", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--csv", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:  # the child process
        print(json.dumps(measure(args.measure, Path(args.csv))))
        return

    work = Path(tempfile.mkdtemp(prefix="chumchon-bench-imports-"))
    os.environ.setdefault("CHUMCHON_DATA_DIR", str(work))
    os.environ.pop("CHUMCHON_DATABASE_URL", None)
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # the area tree, for real tambon codes
    csv_path = work / "persons.csv"
    start = time.perf_counter()
    generate(csv_path, args.rows, _tambons())
    print(f"generated {args.rows:,} rows ({csv_path.stat().st_size / 2**20:.0f} MiB) in "
          f"{time.perf_counter() - start:.0f} s")
    databases = [args.only] if args.only else ["sqlite", "postgresql"]
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    for database in databases:
        env = dict(os.environ)
        if database == "postgresql":
            if not _postgres_running():
                print("PostgreSQL not running on 127.0.0.1:5432: SQLite figures only")
                continue
            _fresh_postgres(PG_URL)
            env["CHUMCHON_DATABASE_URL"] = PG_URL
        else:
            env["CHUMCHON_DATA_DIR"] = str(work / "sqlite")
            env.pop("CHUMCHON_DATABASE_URL", None)
        try:
            child = subprocess.run([sys.executable, __file__, "--measure", database, "--csv", str(csv_path)],
                                   env=env, check=True, capture_output=True, text=True)
        finally:
            if database == "postgresql":
                _drop_postgres(PG_URL)
        result = json.loads(child.stdout.strip().splitlines()[-1])
        target = "≤ 15 s and ≤ 5× COPY" if database == "postgresql" else "≤ 4× executemany"
        print(f"{database:10}  import {result['import_seconds']:6.1f} s   {result['anchor']} "
              f"{result['anchor_seconds']:5.1f} s   ratio {result['ratio']:4.1f}×   "
              f"peak {result['peak_memory_mib']} MiB   re-import {result['rerun_seconds']:.1f} s   (target {target})")
        print(f"            {result['summary']}  |  again: {result['rerun']}")
        print(f"            phases (s): first {result['phases']}, again {result['rerun_phases']}")
        result["target"] = target
        (results_dir / f"imports-{database}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
