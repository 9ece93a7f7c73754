"""Imports and record linkage: imports.py (sources, import jobs, source records), and one module
per further subject (matching: candidate pairs, review queue, merges)."""

from chumchon.linkage.models.imports import ImportJob, ImportStatus, LinkMethod, Source, SourceRecord

__all__ = ["ImportJob", "ImportStatus", "LinkMethod", "Source", "SourceRecord"]
