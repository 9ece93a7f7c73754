"""Who is who among a DuckDB table of records: exact ID, ID repair, splink, then clusters.

``match_records(con)`` reads table ``records`` (``splink_model.RECORD_COLUMNS``) and returns a
``MatchResult``; see splink_model.py for the model. Used by ``linkage_run`` (records from the
database) and by bench/linkage.py (records from the generator's files), so both measure the same code.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import duckdb

from chumchon.linkage import normalise, splink_model
from chumchon.linkage.splink_model import MatchResult

Progress = Callable[[str, float], None]


class Clusters:
    """Union-find over record ids; a cluster keeps at most one national ID (up to one typing slip)."""

    def __init__(self, ids: list[int], forbidden: set[frozenset[int]] | None = None) -> None:
        self.parent = {uid: uid for uid in ids}
        self.nids: dict[int, set[str]] = {}
        # Pairs of records (registry persons) an officer decided are different people: never joined.
        self.forbidden = forbidden or set()
        self.guarded: dict[int, set[int]] = {}
        for pair in self.forbidden:
            for uid in pair:
                if uid in self.parent:
                    self.guarded[uid] = {uid}

    def find(self, uid: int) -> int:
        parent = self.parent
        root = uid
        while parent[root] != root:
            root = parent[root]
        while parent[uid] != root:
            parent[uid], uid = root, parent[uid]
        return root

    def compatible(self, a: int, b: int) -> bool:
        if (self.forbidden and a in self.guarded and b in self.guarded
                and any(frozenset((x, y)) in self.forbidden for x in self.guarded[a] for y in self.guarded[b])):
            return False
        left, right = self.nids.get(a), self.nids.get(b)
        if not left or not right:
            return True
        return all(normalise.one_slip_apart(x, y) for x in left for y in right)

    def union(self, a: int, b: int, *, check: bool = True) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if check and not self.compatible(ra, rb):
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        if rb in self.nids:
            self.nids.setdefault(ra, set()).update(self.nids.pop(rb))
        if rb in self.guarded:
            self.guarded.setdefault(ra, set()).update(self.guarded.pop(rb))
        return True


def _repair_edges(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str]]:
    """(record, repaired valid ID) for invalid IDs with exactly one agreeing repair. Agreeing: the
    same tambon, and the same birth year with one name alike (Jaro-Winkler ≥ 0.85 on the folded
    names), or a year apart with both names alike, or no birth year and both names the same. A
    one-slip ID held by someone else of that tambon and birth year is a one-in-a-million chance."""
    bad = con.execute("SELECT DISTINCT nid_bad FROM prepared WHERE nid_bad IS NOT NULL").fetchall()
    rows = [(value, fixed) for (value,) in bad for fixed in normalise.id_repairs(value)]
    if not rows:
        return []
    splink_model._load_rows(con, "repairs", ["nid_bad", "nid"], rows, {})
    found = con.execute("""
        WITH owners AS (SELECT nid, fn, ln, byear, tambon FROM prepared WHERE nid IS NOT NULL),
        agree AS (
            SELECT DISTINCT p.unique_id, o.nid
            FROM prepared p
            JOIN repairs x ON x.nid_bad = p.nid_bad
            JOIN owners o ON o.nid = x.nid
            WHERE o.tambon = p.tambon AND (
                (o.byear = p.byear AND (jaro_winkler_similarity(coalesce(o.fn, ''), coalesce(p.fn, '')) >= 0.85
                                        OR jaro_winkler_similarity(coalesce(o.ln, ''), coalesce(p.ln, '')) >= 0.85))
                OR (abs(o.byear - p.byear) <= 1
                    AND jaro_winkler_similarity(coalesce(o.fn, ''), coalesce(p.fn, '')) >= 0.85
                    AND jaro_winkler_similarity(coalesce(o.ln, ''), coalesce(p.ln, '')) >= 0.85)
                OR (p.byear IS NULL AND o.fn = p.fn AND o.ln = p.ln))
        )
        SELECT unique_id, min(nid) FROM agree GROUP BY unique_id HAVING count(DISTINCT nid) = 1
    """).fetchall()
    return [(int(uid), str(nid)) for uid, nid in found]


def match_records(con: duckdb.DuckDBPyConnection, *, generic: bool = False, id_only: bool = False,
                  auto_threshold: float | None = None, review_threshold: float | None = None,
                  links: list[tuple[int, int]] | None = None, forbidden: set[frozenset[int]] | None = None,
                  progress: Progress | None = None) -> MatchResult:
    """Cluster the records of table ``records``. ``generic``: the no-Thai-normalisation anchor;
    ``id_only``: the exact-national-ID anchor (no splink). ``links``: pairs already known to be one
    person (a source record and the registry person it is linked to), joined first; ``forbidden``:
    pairs never to be joined (persons an officer decided are different)."""
    auto = splink_model.AUTO_THRESHOLD if auto_threshold is None else auto_threshold
    review = splink_model.REVIEW_THRESHOLD if review_threshold is None else review_threshold
    timings: dict[str, float] = {}
    report = progress or (lambda stage, share: None)

    started = time.perf_counter()
    report("prepare", 0.0)
    if generic:
        splink_model.prepare_generic(con)
    else:
        splink_model.prepare(con)
    timings["prepare"] = time.perf_counter() - started

    ids = [int(uid) for (uid,) in con.execute("SELECT unique_id FROM prepared ORDER BY unique_id").fetchall()]
    clusters = Clusters(ids, forbidden)
    method: dict[int, str] = {}
    score: dict[int, float] = {}
    for left, right in links or []:
        if left in clusters.parent and right in clusters.parent:
            clusters.union(left, right, check=False)

    # 1. Exact national ID.
    started = time.perf_counter()
    report("national_id", 0.1)
    # The first record of each valid ID (the ID's anchor), then every other record joins it.
    first_of: dict[str, int] = {str(nid): int(uid) for nid, uid in con.execute(
        "SELECT nid, min(unique_id) FROM prepared WHERE nid IS NOT NULL GROUP BY nid").fetchall()}
    for nid, uid in first_of.items():
        clusters.nids.setdefault(clusters.find(uid), set()).add(nid)
    shared = con.execute("""
        SELECT p.unique_id, f.anchor FROM prepared p
        JOIN (SELECT nid, min(unique_id) AS anchor FROM prepared WHERE nid IS NOT NULL
              GROUP BY nid HAVING count(*) > 1) f USING (nid)
        WHERE p.unique_id <> f.anchor ORDER BY p.unique_id
    """).fetchall()
    for uid, anchor in shared:
        uid, anchor = int(uid), int(anchor)
        if clusters.union(anchor, uid, check=bool(forbidden)):
            method.setdefault(uid, "national_id")
            method.setdefault(anchor, "national_id")
            score[uid] = score[anchor] = 1.0
    timings["national_id"] = time.perf_counter() - started

    # 2. ID repair.
    started = time.perf_counter()
    report("id_repair", 0.2)
    if not (generic or id_only):
        for uid, nid in _repair_edges(con):
            if clusters.union(first_of[nid], uid, check=bool(forbidden)):
                method[uid] = "id_repaired"
                score[uid] = 1.0
    timings["id_repair"] = time.perf_counter() - started

    candidates = 0
    review_pairs: list[tuple[int, int, float, dict[str, Any]]] = []
    if not id_only:
        # 3. splink.
        started = time.perf_counter()
        report("splink", 0.3)
        settings = splink_model.generic_settings() if generic else splink_model.thai_settings()
        candidates = splink_model.predict(con, settings, review)
        timings["splink"] = time.perf_counter() - started
        started = time.perf_counter()
        report("clusters", 0.8)
        gammas = [c["output_column_name"] for c in settings["comparisons"]]
        rows = con.execute("SELECT * FROM scored ORDER BY match_probability DESC, unique_id_l, unique_id_r").fetchall()
        uncertain = []
        for row in rows:
            left, right, probability = int(row[0]), int(row[1]), float(row[2])
            if probability >= auto:
                if clusters.union(left, right):
                    for uid in (left, right):
                        if uid not in method:
                            method[uid] = "probabilistic"
                            score[uid] = probability
            else:
                uncertain.append((left, right, probability, dict(zip(gammas, row[3:], strict=False))))
        seen: set[tuple[int, int]] = set()
        for left, right, probability, evidence in uncertain:
            a, b = sorted((clusters.find(left), clusters.find(right)))
            if a != b and (a, b) not in seen:
                seen.add((a, b))
                review_pairs.append((left, right, probability, evidence))
        timings["clusters"] = time.perf_counter() - started
    report("done", 1.0)

    cluster_of = {uid: clusters.find(uid) for uid in ids}
    for uid in ids:
        method.setdefault(uid, "created")
    return MatchResult(cluster_of=cluster_of, method_of=method, score_of=score, review_pairs=review_pairs,
                       candidate_pairs=candidates, timings=timings)
