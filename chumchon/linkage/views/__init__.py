"""Pages of record linkage: the review queue, merge history with undo, and the linkage run button."""

from chumchon.linkage.views.review import (
    candidate_decide,
    merge_history,
    merge_undo,
    review_queue,
    run_start,
    run_status,
)

__all__ = ["candidate_decide", "merge_history", "merge_undo", "review_queue", "run_start", "run_status"]
