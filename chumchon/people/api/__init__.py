"""API: households and people of the registry.

Endpoints only translate: they read through ``selectors`` (always scoped to the caller) and
write through ``services`` (which check scope, validate with Thai messages, bump the version and
audit). National IDs are masked everywhere except a person's own record, and there only for a
role that may see them (``Capability.VIEW_FULL_ID``).
"""

from chumchon.people.api.households import households_router
from chumchon.people.api.persons import persons_router
from chumchon.people.api.schemas import GroupName

__all__ = ["GroupName", "households_router", "persons_router"]
