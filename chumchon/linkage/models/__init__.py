"""Imports and record linkage: imports.py (sources, import jobs, source records), and one module
per further subject (matching: candidate pairs, review queue, merges)."""

from chumchon.linkage.models.imports import ImportJob, ImportStatus, LinkMethod, Source, SourceRecord
from chumchon.linkage.models.matching import (
    CandidateStatus,
    LinkageRun,
    MatchCandidate,
    MergeEvent,
    RunStatus,
)

__all__ = ["CandidateStatus", "ImportJob", "ImportStatus", "LinkMethod", "LinkageRun", "MatchCandidate",
           "MergeEvent", "RunStatus", "Source", "SourceRecord"]
