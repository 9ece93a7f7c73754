"""Record linkage at provincial scale: the Thai-aware matcher beside two anchors, same run, same data.

    python bench/linkage.py [--records 1000000] [--seed 2569] [--skip-anchors]

Writes the generator's five person lists (chumchon/core/synthetic/registers.py) once into
$CHUMCHON_DATA_DIR/bench-registers-<records>-<seed>/, then links them three ways, each timed from reading the CSV files
to the final clusters, and scored pairwise against the generator's truth:

- ``exact_id``: same valid national ID, nothing else;
- ``generic_splink``: splink with a generic setup (raw names and dates, library comparisons);
- ``chumchon``: exact ID + ID repair + splink on Thai-normalised names (linkage/engine.py).

This measures the matching core on DuckDB directly (records from the generator's files), not
through the Django ORM: ``linkage_run`` feeds the same engine from the database. Prints a table,
the number of candidate pairs, and writes bench/results/linkage.json. ``seconds`` is wall-clock
time from reading the files to the clusters; ``cpu s`` the process's CPU time (all DuckDB threads),
which other load on a shared machine does not inflate.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chumchon.settings")
    os.environ.setdefault("CHUMCHON_DATA_DIR", str(ROOT / "var"))
    import django

    django.setup()


def run(method: str, folder: Path, threads: int) -> dict[str, Any]:
    import duckdb

    from chumchon.linkage import normalise
    from chumchon.linkage.engine import match_records
    from chumchon.linkage.evaluation import load_records, score

    # Each method starts cold: no normalised name left cached by the one before.
    for cached in (normalise.split_title, normalise.fold_name, normalise.name_keys, normalise.blocking_keys,
                   normalise._sounds):
        cached.cache_clear()
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute("SET enable_progress_bar = false")
    started = time.perf_counter()
    cpu_started = time.process_time()
    count = load_records(con, folder)
    loaded = time.perf_counter() - started
    result = match_records(con, generic=method == "generic_splink", id_only=method == "exact_id")
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    figures = score(con, result.cluster_of, folder)
    con.close()
    return {"method": method, "records": count, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
            "load_seconds": round(loaded, 1),
            "stages": {k: round(v, 1) for k, v in result.timings.items()},
            "candidate_pairs": result.candidate_pairs, "review_pairs": len(result.review_pairs), **figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2569)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--skip-anchors", action="store_true")
    parser.add_argument("--only", choices=["exact_id", "generic_splink", "chumchon"])
    args = parser.parse_args()
    setup_django()
    from chumchon.core.synthetic.registers import write_registers

    folder = Path(os.environ["CHUMCHON_DATA_DIR"]) / f"bench-registers-{args.records}-{args.seed}"
    if not (folder / "truth.csv").exists():
        started = time.perf_counter()
        files = write_registers(folder, records=args.records, seed=args.seed)
        print(f"generated {files.records} records of {files.persons} people in {time.perf_counter() - started:.0f} s")
    methods = ["exact_id", "generic_splink", "chumchon"]
    if args.only:
        methods = [args.only]
    elif args.skip_anchors:
        methods = ["chumchon"]
    results = []
    print(f"{'method':16} {'records':>9} {'seconds':>8} {'cpu s':>6} {'precision':>9} {'recall':>7} {'F1':>7} "
          f"{'candidates':>11}")
    for method in methods:
        figures = run(method, folder, args.threads)
        results.append(figures)
        print(f"{method:16} {figures['records']:>9} {figures['seconds']:>8} {figures['cpu_seconds']:>6} "
              f"{figures['precision']:>9.4f} "
              f"{figures['recall']:>7.4f} {figures['f1']:>7.4f} {figures['candidate_pairs']:>11}  {figures['stages']}")
    out = ROOT / "bench" / "results" / "linkage.json"
    out.write_text(json.dumps({"records": args.records, "seed": args.seed, "threads": args.threads,
                               "results": results}, indent=2, ensure_ascii=False))
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
