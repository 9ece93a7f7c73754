"""``linkage_run``: link every source record to one registry person, across all lists and the registry.

The records and persons within the actor's reach (LINK_RECORDS; the command line passes no actor
and links the whole registry) are copied into an in-memory DuckDB table and matched by the engine
(engine.py: exact national ID, ID repair, splink on Thai-normalised names). Then, per cluster:

- no registry person yet: one is created from the cluster's most complete record (bulk, with the
  same derived fields the people service sets: sort_key, search_text, duplicate keys);
- one person: its unlinked records are linked to it;
- several persons (a clear match between existing persons): they are merged into the oldest with
  ``person_merge`` (automatic, undoable).

Pairs of clusters the engine is unsure about become ``MatchCandidate`` rows between their persons
for an officer to decide; a pair decided "different" is never proposed again and never merged.
Records already linked keep their person: running twice changes nothing.

Thresholds: ``CHUMCHON_LINKAGE_AUTO`` (default 0.98) and ``CHUMCHON_LINKAGE_REVIEW`` (0.5), see
splink_model.py.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import duckdb
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import scope_q
from chumchon.core.audit import log_action
from chumchon.core.models import AuditEntry
from chumchon.linkage import normalise
from chumchon.linkage.engine import match_records
from chumchon.linkage.models import LinkMethod, Source, SourceRecord
from chumchon.linkage.splink_model import RECORD_COLUMNS, MatchResult, _load_rows
from chumchon.people.models import NoIdReason, Person, PersonStatus, Sex

# progress(phase, done, total): phases "load", "match:<stage>" (prepare, national_id, id_repair, splink,
# clusters; done/total in percent), "persons", "links", "merges", "review", "done".
Progress = Callable[[str, int, int], None]
BATCH = 2000
REGISTRY = "registry"  # the source name registry persons carry in the engine (their unique_id is -pk)


@dataclass
class LinkSummary:
    records: int = 0  # source records considered
    persons: int = 0  # registry persons considered
    linked: int = 0  # records newly linked (all methods)
    by_national_id: int = 0
    by_id_repair: int = 0
    probabilistic: int = 0
    persons_created: int = 0
    merged: int = 0  # persons merged automatically into another
    candidates: int = 0  # new pairs for an officer to review
    candidate_pairs: int = 0  # pairs splink compared
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------------------
# From the database into DuckDB
# ---------------------------------------------------------------------------


def _records_in_reach(actor: Any, source_ids: Iterable[int] | None) -> Any:
    records = SourceRecord.objects.all()
    if actor is not None:
        records = records.filter(scope_q(actor, Capability.LINK_RECORDS, path="area__code"))
    if source_ids is not None:
        records = records.filter(source_id__in=list(source_ids))
    return records


def _persons_in_reach(actor: Any) -> Any:
    persons = Person.objects.exclude(status=PersonStatus.MERGED)
    if actor is not None:
        persons = persons.filter(scope_q(actor, Capability.LINK_RECORDS, path="area__code"))
    return persons


def _iso(value: date | None) -> str:
    return value.isoformat() if value else "\\N"


def _record_rows(records: Any, source_names: dict[int, str]) -> Iterable[tuple[Any, ...]]:
    fields = ("pk", "source_id", "national_id", "title", "first_name", "last_name", "sex", "birth_date",
              "birth_year_only", "area_id", "house_no", "phone", "person_id")
    for row in records.values_list(*fields).iterator(chunk_size=BATCH):
        pk, source_id, nid, title, first, last, sex, born, year_only, area, house, phone, person = row
        yield (pk, source_names.get(source_id, ""), nid, title, first, last, sex, _iso(born),
               "true" if year_only else "false", area, area[:6], house, phone,
               person if person is not None else "\\N")


def _person_rows(persons: Any) -> Iterable[tuple[Any, ...]]:
    fields = ("pk", "national_id", "title", "first_name", "last_name", "sex", "birth_date", "birth_year_only",
              "area_id", "household__house_no", "phone")
    for row in persons.values_list(*fields).iterator(chunk_size=BATCH):
        pk, nid, title, first, last, sex, born, year_only, area, house, phone = row
        yield (-pk, REGISTRY, nid or "", title, first, last, sex, _iso(born), "true" if year_only else "false",
               area, area[:6], house or "", phone, pk)


TYPES = {"unique_id": "BIGINT", "birth_date": "DATE", "birth_year_only": "BOOLEAN", "person_id": "BIGINT"}


# ---------------------------------------------------------------------------
# Persons from clusters
# ---------------------------------------------------------------------------

PERSON_FIELDS = ("title", "first_name", "last_name", "sex", "birth_date", "birth_year_only", "national_id",
                 "phone", "area_id")


def _completeness(record: dict[str, Any]) -> tuple[int, ...]:
    return (bool(record["valid_id"]), bool(record["birth_date"]) and not record["birth_year_only"],
            bool(record["last_name"]), bool(record["phone"]), len(str(record["area_id"])), -record["pk"])


def _person_from(records: list[dict[str, Any]], actor: Any) -> Person:
    """A new registry person from a cluster's records: the most complete record, gaps filled from the rest."""
    from chumchon.people.services import person_derive

    best = max(records, key=_completeness)
    split = normalise.split_title(best["title"], best["first_name"])
    national_id = next((r["valid_id"] for r in sorted(records, key=_completeness, reverse=True) if r["valid_id"]),
                       None)
    sex = normalise.sex_hint(best["sex"], split.sex)
    if sex not in (Sex.MALE, Sex.FEMALE):
        sex = next((normalise.sex_hint(r["sex"], "") for r in records if normalise.sex_hint(r["sex"], "")), "")
    born = best["birth_date"]
    year_only = best["birth_year_only"]
    if born is None or year_only:
        full = [r for r in records if r["birth_date"] and not r["birth_year_only"]]
        if full:
            born, year_only = full[0]["birth_date"], False
    person = Person(
        area_id=best["area_id"], title=split.title, first_name=split.first_name[:100] or "-",
        last_name=(best["last_name"] or next((r["last_name"] for r in records if r["last_name"]), ""))[:100],
        sex=sex, birth_date=born, birth_year_only=year_only, national_id=national_id,
        no_id_reason="" if national_id else NoIdReason.UNKNOWN,
        phone=best["phone"] or next((r["phone"] for r in records if r["phone"]), ""),
        registered_by=actor if getattr(actor, "pk", None) else None)
    person_derive(person)
    return person


def _create_persons(groups: dict[int, list[dict[str, Any]]], actor: Any) -> dict[int, int]:
    """Bulk-create one person per cluster; returns cluster -> new person id. Audited per person."""
    created: dict[int, int] = {}
    items = list(groups.items())
    for start in range(0, len(items), BATCH):
        chunk = items[start:start + BATCH]
        persons = [_person_from(records, actor) for _, records in chunk]
        Person.objects.bulk_create(persons)
        if any(person.pk is None for person in persons):  # a backend that does not return ids
            raise RuntimeError("bulk_create did not return primary keys")
        entries = []
        for (cluster, records), person in zip(chunk, persons, strict=True):
            created[cluster] = int(person.pk)
            entries.append(AuditEntry(
                actor=actor if getattr(actor, "pk", None) else None, verb="person.create", object_type="people.person",
                object_id=str(person.pk), object_label=person.full_name[:200], area_code=person.area_code,
                data={"by": "linkage", "source_records": [r["pk"] for r in records][:50]}))
        AuditEntry.objects.bulk_create(entries)
    return created


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------


def _write_links(changes: list[tuple[int, int, str, float | None]], linked_at: Any) -> None:
    """Set person, method, score and time on many records, given as (pk, person, method, score):
    one prepared UPDATE by primary key, executed for each (far faster than bulk_update's CASE
    expressions on a large set)."""
    if not changes:
        return
    table = connection.ops.quote_name(SourceRecord._meta.db_table)
    stamp = SourceRecord._meta.get_field("linked_at").get_db_prep_value(linked_at, connection)
    sql = (f"UPDATE {table} SET person_id = %s, link_method = %s, link_score = %s, linked_at = %s, "
           f"updated_at = %s WHERE id = %s")
    with connection.cursor() as cursor:
        for start in range(0, len(changes), BATCH):
            cursor.executemany(sql, [(person, method, score, stamp, stamp, pk)
                                     for pk, person, method, score in changes[start:start + BATCH]])


def _forbidden_pairs() -> set[frozenset[int]]:
    from chumchon.linkage.models import CandidateStatus, MatchCandidate

    pairs = MatchCandidate.objects.filter(status=CandidateStatus.DIFFERENT).values_list("person_a_id", "person_b_id")
    return {frozenset((-a, -b)) for a, b in pairs}


def _evidence(con: duckdb.DuckDBPyConnection, left: int, right: int, weights: dict[str, Any]) -> dict[str, Any]:
    rows = con.execute("SELECT unique_id, nid, fn, ln, byear, bmd, village, sex_c, phone FROM prepared "
                       "WHERE unique_id IN (?, ?)", [left, right]).fetchall()
    values = {row[0]: row[1:] for row in rows}
    a, b = values.get(left, (None,) * 8), values.get(right, (None,) * 8)
    fields = {"national_id": (0, "national_id"), "first_name": (1, "fn"), "last_name": (2, "ln"),
              "birth": (3, "birth"), "place": (5, "place"), "sex": (6, "sex"), "phone": (7, "phone")}
    out: dict[str, Any] = {}
    for name, (index, weight_key) in fields.items():
        va, vb = a[index], b[index]
        if name == "birth":
            va, vb = f"{a[3] or ''}-{a[4] or ''}", f"{b[3] or ''}-{b[4] or ''}"
        if name == "national_id":  # never the whole ID in evidence: masked like everywhere else
            va, vb = _mask(va), _mask(vb)
        weight = weights.get(weight_key)
        out[name] = {"level": _level(weight), "weight": round(float(weight), 2) if weight is not None else None,
                     "a": va, "b": vb}
    return out


def _level(weight: float | None) -> str:
    """A word for a field's match weight: it speaks for the pair, a little, or against it."""
    if weight is None or weight == 0:
        return "unknown"
    if weight >= 2:
        return "same"
    return "similar" if weight > -1 else "different"


def _mask(value: str | None) -> str | None:
    from chumchon.core.thai import mask_national_id

    return mask_national_id(value) if value else value


def linkage_run(*, actor: Any, source_ids: Iterable[int] | None = None,
                progress: Progress | None = None) -> LinkSummary:
    """Link the source records within the actor's reach to registry persons (see the module docstring)."""
    started = time.perf_counter()
    report = progress or (lambda phase, done, total: None)
    summary = LinkSummary()
    records = _records_in_reach(actor, source_ids)
    persons = _persons_in_reach(actor)
    source_names = dict(Source.objects.values_list("pk", "name"))

    report("load", 0, 1)
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute("SET enable_progress_bar = false")
    _load_rows(con, "records", list(RECORD_COLUMNS),
               itertools.chain(_record_rows(records, source_names), _person_rows(persons)), TYPES)
    summary.records, summary.persons = (int(x) for x in con.execute(  # type: ignore[union-attr]
        "SELECT count(*) FILTER (unique_id > 0), count(*) FILTER (unique_id < 0) FROM records"
    ).fetchone())
    links = [(int(uid), -int(pid)) for uid, pid in con.execute(
        "SELECT unique_id, person_id FROM records WHERE unique_id > 0 AND person_id IS NOT NULL"
    ).fetchall()]
    report("match", 0, 1)
    result = match_records(con, links=links, forbidden=_forbidden_pairs(),
                           progress=lambda stage, share: report(f"match:{stage}", int(share * 100), 100))
    summary.candidate_pairs = result.candidate_pairs
    with transaction.atomic():
        cluster_person = _apply(con, result, actor, summary, report)
        _propose(con, result, cluster_person, actor, summary, report)
        summary.seconds = round(time.perf_counter() - started, 2)
        log_action(actor=actor, verb="linkage.run", object_type="linkage.run",
                   area_code=_actor_area(actor), data={"sources": sorted(source_ids) if source_ids else None,
                                                       **summary.as_dict()})
    con.close()
    report("done", 1, 1)
    return summary


def _actor_area(actor: Any) -> str:
    if actor is None:
        return ""
    from chumchon.accounts.scoping import area_prefixes

    prefixes = area_prefixes(actor, Capability.LINK_RECORDS)
    return prefixes[0] if len(prefixes) == 1 else ""


def _apply(con: duckdb.DuckDBPyConnection, result: MatchResult, actor: Any, summary: LinkSummary,
           report: Progress) -> dict[int, int]:
    """Create, link and merge; returns cluster -> the person it now is."""
    from chumchon.linkage.services.merge import person_merge

    members: dict[int, list[int]] = defaultdict(list)
    for uid, cluster in result.cluster_of.items():
        members[cluster].append(uid)
    cluster_person: dict[int, int] = {}
    to_create: dict[int, list[int]] = {}
    to_merge: list[list[int]] = []
    for cluster, uids in members.items():
        person_ids = sorted({-uid for uid in uids if uid < 0})
        if not person_ids:
            to_create[cluster] = uids
            continue
        cluster_person[cluster] = person_ids[0]
        if len(person_ids) > 1:
            to_merge.append(person_ids)

    # Records of clusters without a person: read them back from the database for the new person.
    report("persons", 0, len(to_create))
    pks = [uid for uids in to_create.values() for uid in uids]
    valid = dict(con.execute("SELECT unique_id, nid FROM prepared WHERE nid IS NOT NULL AND unique_id > 0").fetchall())
    details: dict[int, dict[str, Any]] = {}
    for start in range(0, len(pks), BATCH):
        for values in SourceRecord.objects.filter(pk__in=pks[start:start + BATCH]).values(
                "pk", "title", "first_name", "last_name", "sex", "birth_date", "birth_year_only", "phone", "area_id"):
            row: dict[str, Any] = dict(values)
            row["valid_id"] = valid.get(row["pk"])
            details[row["pk"]] = row
    groups = {c: [details[u] for u in uids] for c, uids in to_create.items()}
    # A valid ID already held by a registry person outside the actor's reach (someone who moved):
    # the exact ID says who it is, so the records link to that person rather than to a duplicate.
    ids_of = {c: next((r["valid_id"] for r in records if r["valid_id"]), None) for c, records in groups.items()}
    holders = dict(Person.objects.filter(national_id__in={i for i in ids_of.values() if i})
                   .values_list("national_id", "pk"))
    by_holder: set[int] = set()
    for cluster, national_id in ids_of.items():
        if national_id in holders:
            cluster_person[cluster] = holders[national_id]
            by_holder.add(cluster)
            del groups[cluster]
    created = _create_persons(groups, actor)
    cluster_person.update(created)
    summary.persons_created = len(created)

    # Clear matches between existing persons: merge into the oldest (undoable).
    report("merges", 0, len(to_merge))
    for person_ids in to_merge:
        keep, *others = person_ids
        for other in others:
            try:
                person_merge(actor=actor, keep_id=keep, merge_id=other, automatic=True,
                             reason="record linkage: clear match")
                summary.merged += 1
            except ValidationError:
                continue  # e.g. two different national IDs after all: left for an officer

    # Link every record that is not linked yet. A linked record keeps its person (an officer's
    # decision stands); when that person was merged just now, the merge moved the record already.
    report("links", 0, len(result.cluster_of))
    current = dict(con.execute("SELECT unique_id, person_id FROM records WHERE unique_id > 0").fetchall())
    now = timezone.now()
    changes: list[tuple[int, int, str, float | None]] = []
    counts = {"national_id": 0, "id_repaired": 0, "probabilistic": 0}
    for uid, cluster in result.cluster_of.items():
        if uid < 0:
            continue
        person_id = cluster_person[cluster]
        if current.get(uid) is not None:
            continue
        method = result.method_of.get(uid, "created")
        if cluster in by_holder and method in ("created", "probabilistic"):
            method = LinkMethod.NATIONAL_ID
        elif method == "created" and cluster not in created:
            method = LinkMethod.PROBABILISTIC
        counts[method] = counts.get(method, 0) + 1
        changes.append((uid, person_id, str(method), result.score_of.get(uid, 1.0 if cluster in created else None)))
    _write_links(changes, now)
    summary.linked = len(changes)
    summary.by_national_id = counts["national_id"]
    summary.by_id_repair = counts["id_repaired"]
    summary.probabilistic = counts["probabilistic"]
    if changes:
        log_action(actor=actor, verb="linkage.link", object_type="linkage.sourcerecord",
                   area_code=_actor_area(actor),
                   data={"linked": len(changes), "records": [c[0] for c in changes][:200]})

    return cluster_person


def _propose(con: duckdb.DuckDBPyConnection, result: MatchResult, cluster_person: dict[int, int], actor: Any,
             summary: LinkSummary, report: Progress) -> None:
    """Uncertain pairs become MatchCandidate rows between their persons (once per pair)."""
    from chumchon.linkage.models import MatchCandidate

    report("review", 0, len(result.review_pairs))
    wanted: dict[tuple[int, int], tuple[float, int, int, dict[str, Any]]] = {}
    for left, right, probability, weights in result.review_pairs:
        a = cluster_person.get(result.cluster_of[left])
        b = cluster_person.get(result.cluster_of[right])
        if a is None or b is None or a == b:
            continue
        pair = (min(a, b), max(a, b))
        if pair not in wanted or wanted[pair][0] < probability:
            wanted[pair] = (probability, left, right, weights)
    if not wanted:
        return
    merged = set(Person.objects.filter(pk__in={p for pair in wanted for p in pair}, status=PersonStatus.MERGED)
                 .values_list("pk", flat=True))
    known: set[tuple[int, int]] = set()
    pairs = list(wanted)
    for start in range(0, len(pairs), 500):
        chunk = pairs[start:start + 500]
        query = Q()
        for a, b in chunk:
            query |= Q(person_a_id=a, person_b_id=b)
        known |= set(MatchCandidate.objects.filter(query).exclude(status="same").values_list(
            "person_a_id", "person_b_id"))
    new = []
    for (a, b), (probability, left, right, weights) in wanted.items():
        if (a, b) in known or a in merged or b in merged:
            continue
        evidence = _evidence(con, left, right, weights)
        if cluster_person.get(result.cluster_of[left]) != a:
            evidence = {k: {**v, "a": v["b"], "b": v["a"]} for k, v in evidence.items()}
        new.append(MatchCandidate(person_a_id=a, person_b_id=b, score=round(probability, 4), evidence=evidence))
    MatchCandidate.objects.bulk_create(new, batch_size=BATCH)
    summary.candidates = len(new)
    if new:
        log_action(actor=actor, verb="linkage.propose", object_type="linkage.matchcandidate",
                   data={"candidates": len(new)})
