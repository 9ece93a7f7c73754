"""The results section of the person page: what it needs, and the audit entry for reading it."""

from __future__ import annotations

from typing import Any

from chumchon.core.audit import log_action
from chumchon.visits.selectors.results import person_results


def person_results_context(*, user: Any, person: Any) -> dict[str, Any]:
    """``{"results": [...]}`` for templates/visits/_person_results.html, or ``{"results": None}``
    when the viewer may not see health data there. Showing results is a read of health data
    (PDPA s.26): one audit entry per page view that shows any, naming the instruments."""
    results = person_results(user=user, person=person)
    if results:
        log_action(actor=user, verb="assessment.view", obj=person,
                   data={"instruments": [r.instrument_code for r in results],
                         "assessments": [r.assessment_id for r in results]})
    return {"results": results}
