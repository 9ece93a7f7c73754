"""Reads of linkage results, scoped: the review queue and merge history need LINK_RECORDS in the
areas of *both* persons; a source record needs VIEW_NAMES in its area. Out of reach → 404."""

from chumchon.linkage.selectors.review import (
    candidate_get,
    candidate_list,
    merge_get,
    merge_list,
    run_get,
    run_latest,
    source_record_get,
    source_records_for,
)

__all__ = ["candidate_get", "candidate_list", "merge_get", "merge_list", "run_get", "run_latest",
           "source_record_get", "source_records_for"]
