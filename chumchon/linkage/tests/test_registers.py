"""The synthetic person lists: deterministic, shaped like real Thai registers, and linkable by the
engine to their truth (the benchmark's code path, on a few thousand records)."""

from __future__ import annotations

import csv
import random
from collections import Counter
from pathlib import Path

import pytest

from chumchon.core.synthetic.registers import HEADER, SOURCES, id_slip, name_slip, write_registers
from chumchon.core.thai import parse_thai_date
from chumchon.linkage.normalise import fold_name, id_repairs, is_valid_id

VALID_ID = "3501100001239"


@pytest.fixture(scope="module")
def registers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("registers")
    write_registers(folder, records=4000, seed=7, per_tambon=2500)
    return folder


def rows(folder: Path) -> list[dict[str, str]]:
    out = []
    for habits in SOURCES:
        with (folder / f"{habits.name}.csv").open(encoding="utf-8") as handle:
            out += [{**row, "source": habits.name} for row in csv.DictReader(handle)]
    return out


def test_the_same_seed_writes_the_same_files(registers: Path, tmp_path: Path) -> None:
    write_registers(tmp_path, records=4000, seed=7, per_tambon=2500)
    for name in [*(h.name for h in SOURCES), "truth"]:
        assert (tmp_path / f"{name}.csv").read_bytes() == (registers / f"{name}.csv").read_bytes()


def test_every_list_has_the_import_header_and_every_record_a_truth(registers: Path) -> None:
    records = rows(registers)
    for habits in SOURCES:
        with (registers / f"{habits.name}.csv").open(encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == HEADER
    with (registers / "truth.csv").open(encoding="utf-8") as handle:
        truth = {(row["source"], row["source_key"]) for row in csv.DictReader(handle)}
    assert len(records) >= 4000
    assert {(row["source"], row["source_key"]) for row in records} == truth


def test_lists_look_like_thai_registers(registers: Path) -> None:
    records = rows(registers)
    dates = [row["birth_date"] for row in records if row["birth_date"]]
    parsed = [parse_thai_date(text, allow_year_only=True) for text in dates]
    january_first = sum(1 for p in parsed if p.value.month == 1 and p.value.day == 1 and not p.year_only)
    year_only = sum(1 for p in parsed if p.year_only)
    assert january_first / len(parsed) > 0.03
    assert year_only / len(parsed) > 0.03
    assert any("-" in text for text in dates) and any("/" in text for text in dates)  # CE ISO and BE slashes
    assert any(" มี.ค. " in text or " ม.ค. " in text for text in dates)
    titles = Counter(row["title"] for row in records)
    assert titles["น.ส."] and titles["นางสาว"] and titles[""]
    assert any(row["first_name"].startswith(("นาย", "นาง")) for row in records if not row["title"])
    ids = [row["national_id"] for row in records]
    missing = sum(1 for value in ids if not value)
    invalid = sum(1 for value in ids if value and not is_valid_id(value))
    assert 0.05 < missing / len(ids) < 0.3
    assert 0.005 < invalid / len(ids) < 0.05
    first_names = Counter(row["first_name"] for row in records)
    top = sum(count for _, count in first_names.most_common(10))
    assert top / len(records) > 0.02  # skewed: a few first names are very common


def test_name_slips_are_the_ones_thai_typists_make() -> None:
    rng = random.Random(3)
    slipped = [name_slip(rng, "สมศักดิ์") for _ in range(300)]
    assert any(s != "สมศักดิ์" for s in slipped)
    # Most slips survive normalisation (similar letters, tone marks, การันต์); the rest are letter slips.
    folded_same = sum(1 for s in slipped if fold_name(s) == fold_name("สมศักดิ์"))
    assert 0.2 < folded_same / len(slipped) < 0.9


def test_id_slips_are_one_digit_or_two_swapped_and_mostly_repairable() -> None:
    rng = random.Random(5)
    slips = [id_slip(rng, VALID_ID) for _ in range(200)]
    assert all(len(s) == 13 and s != VALID_ID for s in slips)
    caught = [s for s in slips if not is_valid_id(s)]
    assert len(caught) > 150
    assert all(VALID_ID in id_repairs(s) for s in caught)


def test_the_engine_links_the_lists_to_their_truth(registers: Path) -> None:
    import duckdb

    from chumchon.linkage.engine import match_records
    from chumchon.linkage.evaluation import load_records, score

    con = duckdb.connect()
    load_records(con, registers)
    ours = score(con, match_records(con).cluster_of, registers)
    assert ours["precision"] >= 0.99 and ours["recall"] >= 0.95
    exact = score(con, match_records(con, id_only=True).cluster_of, registers)
    generic = score(con, match_records(con, generic=True).cluster_of, registers)
    assert ours["f1"] > exact["f1"] and ours["f1"] > generic["f1"]
