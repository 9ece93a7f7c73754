"""The matching core: which records are the same person, on DuckDB, without the Django ORM.

Input: a DuckDB table of records (``RECORD_COLUMNS``). ``match_records(con, ...)`` runs, in order:

1. exact national ID: records with the same valid ID are one person;
2. ID repair: a 13-digit ID failing the check digit is tried with one digit changed or two
   adjacent digits swapped; when exactly one repaired ID belongs to records with an agreeing name,
   birth year and tambon, the record joins them;
3. splink (DuckDB backend) over all records with Thai-normalised names (``normalise.py``): pairs
   above ``AUTO_THRESHOLD`` are joined; pairs between ``REVIEW_THRESHOLD`` and it are handed back
   for an officer to decide; two different valid IDs are never joined (a cluster keeps one ID, up
   to one typing slip).

The model's m and u probabilities are fixed priors (below), not trained: the result is
deterministic and fast, and the thresholds mean the same from one run to the next. λ (the chance
that two records of one tambon are the same person) is set for a tambon of ~20 000 records.

``generic=True`` is the anchor: the same pipeline, but splink on raw names and raw dates with the
library's generic comparisons, no Thai normalisation, no ID repair.
"""

from __future__ import annotations

import csv
import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from chumchon.linkage import normalise

AUTO_THRESHOLD = float(os.environ.get("CHUMCHON_LINKAGE_AUTO", "0.98"))
REVIEW_THRESHOLD = float(os.environ.get("CHUMCHON_LINKAGE_REVIEW", "0.5"))
PRIOR_MATCH = 1 / 20_000

# unique_id BIGINT, source VARCHAR, national_id VARCHAR (digits), title, first_name, last_name, sex,
# birth_date DATE, birth_year_only BOOLEAN, village VARCHAR (area code), tambon VARCHAR (6 digits),
# house_no, phone, person_id BIGINT (an existing registry person this record is, or NULL).
RECORD_COLUMNS = ("unique_id", "source", "national_id", "title", "first_name", "last_name", "sex", "birth_date",
                  "birth_year_only", "village", "tambon", "house_no", "phone", "person_id")

@dataclass
class MatchResult:
    cluster_of: dict[int, int]  # unique_id -> cluster id (the smallest unique_id in the cluster)
    method_of: dict[int, str]  # unique_id -> national_id | id_repaired | probabilistic | created
    score_of: dict[int, float]  # unique_id -> the probability of the link that joined it
    review_pairs: list[tuple[int, int, float, dict[str, Any]]]  # (uid, uid, probability, evidence)
    candidate_pairs: int  # pairs splink compared
    timings: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------------------
# Preparation: normalised columns, computed once per distinct value
# ---------------------------------------------------------------------------


def _load_rows(con: duckdb.DuckDBPyConnection, name: str, header: list[str], rows: Iterable[Sequence[Any]],
               types: dict[str, str]) -> None:
    """Python rows (streamed) into a DuckDB table via a temporary CSV (no numpy or pyarrow needed).

    The file holds personal data for a moment: it is readable by its owner only (mkstemp), kept in
    memory (/dev/shm) where the system has it, and removed as soon as DuckDB has read it."""
    in_memory = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8", newline="",
                                     dir=in_memory, prefix="chumchon-linkage-") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
        path = handle.name
    try:
        columns = ", ".join(f"'{column}': '{types.get(column, 'VARCHAR')}'" for column in header)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_csv('{path}', header=true, "
                    f"columns={{{columns}}}, quote='\"', escape='\"', nullstr='\\N')")
    finally:
        os.unlink(path)


def _nullable(value: str) -> str:
    return value if value else "\\N"


def prepare(con: duckdb.DuckDBPyConnection, table: str = "records") -> None:
    """Create ``prepared``: the records with title apart, folded names, soundex keys, birth parts
    (1 January read as year only), a valid ID or an invalid 13-digit one."""
    titles = con.execute(f"SELECT DISTINCT coalesce(title, ''), coalesce(first_name, '') FROM {table}").fetchall()
    title_rows = []
    firsts: set[str] = set()
    for title, first in titles:
        split = normalise.split_title(title, first)
        firsts.add(split.first_name)
        title_rows.append((title, first, split.title, split.sex, split.first_name))
    _load_rows(con, "norm_title", ["title", "first_name", "title_c", "title_sex", "first_clean"], title_rows, {})
    lasts = {row[0] for row in con.execute(f"SELECT DISTINCT coalesce(last_name, '') FROM {table}").fetchall()}
    name_rows = [(name, *normalise.blocking_keys(name)) for name in firsts | lasts]
    _load_rows(con, "norm_name", ["name", "folded", "lk82", "meta"], name_rows, {})
    sexes = con.execute(f"SELECT DISTINCT coalesce(sex, '') FROM {table}").fetchall()
    _load_rows(con, "norm_sex", ["sex", "sex_c"], [(s, normalise.sex_hint(s, "")) for (s,) in sexes], {})
    weights = " + ".join(f"CAST(substr(nid, {i}, 1) AS INTEGER) * {14 - i}" for i in range(1, 13))
    con.execute(f"""
        CREATE OR REPLACE TABLE prepared AS
        WITH base AS (
            SELECT r.*, regexp_replace(coalesce(r.national_id, ''), '[^0-9]', '', 'g') AS nid
            FROM {table} r
        ), ids AS (
            SELECT *, CASE WHEN length(nid) = 13
                 THEN (11 - ({weights}) % 11) % 10 = CAST(substr(nid, 13, 1) AS INTEGER) END AS nid_ok
            FROM base
        )
        SELECT ids.unique_id, ids.source, ids.person_id,
               CASE WHEN nid_ok THEN nid END AS nid,
               CASE WHEN length(nid) = 13 AND NOT nid_ok THEN nid END AS nid_bad,
               nullif(t.title_c, '') AS title_c,
               nullif(coalesce(nullif(s.sex_c, ''), t.title_sex), '') AS sex_c,
               nullif(f.folded, '') AS fn, nullif(f.lk82, '') AS fn_lk82, nullif(f.meta, '') AS fn_meta,
               nullif(l.folded, '') AS ln, nullif(l.lk82, '') AS ln_lk82, nullif(l.meta, '') AS ln_meta,
               CASE WHEN birth_date IS NOT NULL THEN year(birth_date) END AS byear,
               CASE WHEN birth_date IS NULL OR birth_year_only
                         OR (month(birth_date) = 1 AND day(birth_date) = 1) THEN NULL
                    ELSE month(birth_date) * 100 + day(birth_date) END AS bmd,
               nullif(village, '') AS village, nullif(tambon, '') AS tambon,
               CASE WHEN nullif(house_no, '') IS NOT NULL THEN village || '/' || house_no END AS address,
               nullif(regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'), '') AS phone
        FROM ids
        LEFT JOIN norm_title t ON t.title = coalesce(ids.title, '') AND t.first_name = coalesce(ids.first_name, '')
        LEFT JOIN norm_name f ON f.name = t.first_clean
        LEFT JOIN norm_name l ON l.name = coalesce(ids.last_name, '')
        LEFT JOIN norm_sex s ON s.sex = coalesce(ids.sex, '')
    """)


def prepare_generic(con: duckdb.DuckDBPyConnection, table: str = "records") -> None:
    """The anchor's input: raw names and dates as typed, only an exact valid ID."""
    con.execute(f"""
        CREATE OR REPLACE TABLE prepared AS
        SELECT unique_id, source, person_id, nullif(national_id, '') AS nid, NULL::VARCHAR AS nid_bad,
               nullif(first_name, '') AS fn, nullif(last_name, '') AS ln,
               CAST(birth_date AS VARCHAR) AS dob, nullif(village, '') AS village,
               nullif(tambon, '') AS tambon, nullif(phone, '') AS phone
        FROM {table}
    """)


# ---------------------------------------------------------------------------
# The splink model
# ---------------------------------------------------------------------------


def _level(sql: str, label: str, m: float, u: float, **extra: Any) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u, **extra}


def _null(sql: str) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": "null", "is_null_level": True}


def _name(column: str, exact_u: float) -> dict[str, Any]:
    left, right = f"{column}_l", f"{column}_r"
    return {
        "output_column_name": column,
        "comparison_levels": [
            _null(f"{left} IS NULL OR {right} IS NULL"),
            _level(f"{left} = {right}", "exact", 0.88, exact_u),
            _level(f"jaro_winkler_similarity({left}, {right}) >= 0.92", "jw 0.92", 0.07, exact_u * 0.6),
            _level(f"{column}_meta_l = {column}_meta_r OR {column}_lk82_l = {column}_lk82_r "
                   f"OR jaro_winkler_similarity({left}, {right}) >= 0.8", "sounds alike", 0.035, 0.02),
            _level("ELSE", "different", 0.005, 0.97),
        ],
    }


def thai_settings() -> dict[str, Any]:
    birth = {
        "output_column_name": "birth",
        "comparison_levels": [
            _null("byear_l IS NULL OR byear_r IS NULL"),
            _level("byear_l = byear_r AND bmd_l = bmd_r", "same date", 0.55, 0.00006),
            _level("byear_l = byear_r AND (bmd_l IS NULL OR bmd_r IS NULL)", "same year, day unknown", 0.38, 0.012),
            _level("byear_l = byear_r", "same year, other day", 0.02, 0.012),
            _level("abs(byear_l - byear_r) <= 1", "a year apart", 0.04, 0.025),
            _level("ELSE", "different", 0.01, 0.95),
        ],
    }
    national_id = {
        "output_column_name": "national_id",
        "comparison_levels": [
            _null("nid_l IS NULL OR nid_r IS NULL"),
            _level("nid_l = nid_r", "same ID", 0.97, 0.000001),
            _level("damerau_levenshtein(nid_l, nid_r) <= 1", "one slip apart", 0.02, 0.00001),
            _level("ELSE", "different IDs", 0.01, 0.99999),
        ],
    }
    place = {
        "output_column_name": "place",
        "comparison_levels": [
            _null("tambon_l IS NULL OR tambon_r IS NULL"),
            _level("address_l = address_r", "same house", 0.75, 0.004),
            _level("village_l = village_r", "same village", 0.2, 0.08),
            _level("tambon_l = tambon_r", "same tambon", 0.049, 0.5),
            _level("ELSE", "elsewhere", 0.001, 0.416),
        ],
    }
    sex = {
        "output_column_name": "sex",
        "comparison_levels": [
            _null("sex_c_l IS NULL OR sex_c_r IS NULL"),
            # A recorded sex that differs is nearly always two people (a husband and wife in one house).
            _level("sex_c_l = sex_c_r", "same", 0.995, 0.5),
            _level("ELSE", "different", 0.005, 0.5),
        ],
    }
    phone = {
        "output_column_name": "phone",
        "comparison_levels": [
            _null("phone_l IS NULL OR phone_r IS NULL"),
            # Lists often give the house's number for everyone in it, so a shared phone says
            # "same household" more than "same person".
            _level("phone_l = phone_r", "same", 0.6, 0.003),
            _level("ELSE", "different", 0.4, 0.997),
        ],
    }
    return {
        "link_type": "dedupe_only",
        "probability_two_random_records_match": PRIOR_MATCH,
        "comparisons": [national_id, _name("fn", 0.01), _name("ln", 0.02), birth, place, sex, phone],
        "blocking_rules_to_generate_predictions": [
            "l.ln = r.ln AND l.byear = r.byear AND l.tambon = r.tambon",
            "l.fn = r.fn AND l.byear = r.byear AND l.tambon = r.tambon",
            "l.fn_meta = r.fn_meta AND l.ln_meta = r.ln_meta AND l.tambon = r.tambon",
            "l.fn = r.fn AND l.ln = r.ln",
            "l.address = r.address AND l.byear = r.byear",
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
    }


def generic_settings() -> dict[str, Any]:
    """splink as one would set it up for any country: library comparisons on the raw columns."""
    import splink.comparison_library as cl

    def fixed(comparison: Any, levels: list[tuple[float, float]]) -> dict[str, Any]:
        spec = comparison.get_comparison("duckdb").as_dict()
        non_null = [level for level in spec["comparison_levels"] if not level.get("is_null_level")]
        for level, (m, u) in zip(non_null, levels, strict=True):
            level["m_probability"], level["u_probability"] = m, u
        return spec

    return {
        "link_type": "dedupe_only",
        "probability_two_random_records_match": PRIOR_MATCH,
        "comparisons": [
            fixed(cl.ExactMatch("nid"), [(0.97, 0.000001), (0.03, 0.999999)]),
            fixed(cl.JaroWinklerAtThresholds("fn", [0.92, 0.8]), [(0.85, 0.01), (0.1, 0.01), (0.03, 0.03),
                                                                  (0.02, 0.95)]),
            fixed(cl.JaroWinklerAtThresholds("ln", [0.92, 0.8]), [(0.85, 0.02), (0.1, 0.01), (0.03, 0.03),
                                                                  (0.02, 0.94)]),
            fixed(cl.ExactMatch("dob"), [(0.6, 0.0005), (0.4, 0.9995)]),
            fixed(cl.ExactMatch("village"), [(0.9, 0.08), (0.1, 0.92)]),
            fixed(cl.ExactMatch("phone"), [(0.9, 0.0001), (0.1, 0.9999)]),
        ],
        "blocking_rules_to_generate_predictions": [
            "l.fn = r.fn AND l.ln = r.ln",
            "l.ln = r.ln AND l.dob = r.dob",
            "l.fn = r.fn AND l.dob = r.dob",
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
    }


def predict(con: duckdb.DuckDBPyConnection, settings: dict[str, Any], threshold: float) -> int:
    """Run splink's predict over ``prepared`` into table ``scored`` (pairs at or above
    ``threshold``); returns the number of candidate pairs blocking produced and splink scored."""
    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.WARNING)
    api = DuckDBAPI(con)
    frame = api.register("prepared", table_name="prepared_input")
    linker = Linker(frame, settings, log_level=logging.WARNING)
    scored = linker.inference.predict(warning_mode="never")
    candidates = con.execute(f"SELECT count(*) FROM {scored.physical_name}").fetchone()[0]  # type: ignore[index]
    keep = ", ".join(f"mw_{comparison['output_column_name']}" for comparison in settings["comparisons"]
                     if comparison.get("output_column_name"))
    con.execute(f"CREATE OR REPLACE TABLE scored AS SELECT unique_id_l, unique_id_r, match_probability"
                f"{', ' + keep if keep else ''} FROM {scored.physical_name} WHERE match_probability >= {threshold}")
    scored.drop_table_from_database_and_remove_from_cache()
    return int(candidates)
