"""Reading the generator's person lists into the engine's table, and scoring clusters against
their truth: used by bench/linkage.py and the tests, so both measure the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def load_records(con: Any, folder: Path) -> int:
    """The five CSV files into table ``records`` (the engine's columns), dates read the Thai way."""
    from chumchon.core.thai import ThaiDateError, parse_thai_date
    from chumchon.linkage.splink_model import _load_rows

    con.execute(f"""
        CREATE OR REPLACE TABLE raw AS
        SELECT regexp_extract(filename, '([a-z_]+)\\.csv$', 1) AS source, *
        FROM read_csv('{folder}/[abefv]*.csv', header=true, all_varchar=true, filename=true)
    """)
    texts = con.execute("SELECT DISTINCT birth_date FROM raw WHERE birth_date IS NOT NULL").fetchall()
    rows = []
    for (text,) in texts:
        try:
            parsed = parse_thai_date(text, allow_year_only=True)
        except ThaiDateError:
            continue
        rows.append((text, parsed.value.isoformat(), "true" if parsed.year_only else "false"))
    _load_rows(con, "dates", ["text", "value", "year_only"], rows, {"value": "DATE", "year_only": "BOOLEAN"})
    con.execute("""
        CREATE OR REPLACE TABLE records AS
        SELECT row_number() OVER (ORDER BY raw.source, raw.source_key) AS unique_id, raw.source, raw.source_key,
               national_id, title, first_name, last_name, sex, d.value AS birth_date,
               coalesce(d.year_only, false) AS birth_year_only,
               tambon_code || lpad(moo, 2, '0') AS village, tambon_code AS tambon, house_no, phone,
               NULL::BIGINT AS person_id
        FROM raw LEFT JOIN dates d ON d.text = raw.birth_date
    """)
    con.execute("DROP TABLE raw")
    return int(con.execute("SELECT count(*) FROM records").fetchone()[0])


def score(con: Any, cluster_of: dict[int, int], folder: Path) -> dict[str, float]:
    """Pairwise precision, recall and F1 of the clusters against truth.csv."""
    from chumchon.linkage.splink_model import _load_rows

    _load_rows(con, "clusters", ["unique_id", "cluster"], list(cluster_of.items()),
               {"unique_id": "BIGINT", "cluster": "BIGINT"})
    con.execute(f"CREATE OR REPLACE TABLE truth AS SELECT * FROM read_csv('{folder}/truth.csv', header=true, "
                "all_varchar=true)")
    row = con.execute("""
        WITH j AS (
            SELECT c.cluster, t.person_key FROM records r
            JOIN clusters c USING (unique_id)
            JOIN truth t ON t.source = r.source AND t.source_key = r.source_key
        ),
        predicted AS (SELECT sum(n * (n - 1) / 2) AS pairs FROM (SELECT count(*) AS n FROM j GROUP BY cluster)),
        actual AS (SELECT sum(n * (n - 1) / 2) AS pairs FROM (SELECT count(*) AS n FROM j GROUP BY person_key)),
        both_ AS (SELECT sum(n * (n - 1) / 2) AS pairs FROM (SELECT count(*) AS n FROM j GROUP BY cluster, person_key))
        SELECT predicted.pairs, actual.pairs, both_.pairs FROM predicted, actual, both_
    """).fetchone()
    predicted, actual, true_positive = (float(value or 0) for value in row)
    precision = true_positive / predicted if predicted else 1.0
    recall = true_positive / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 5), "recall": round(recall, 5), "f1": round(f1, 5),
            "predicted_pairs": int(predicted), "true_pairs": int(actual)}
