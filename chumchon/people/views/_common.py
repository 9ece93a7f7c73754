"""What the people views share: the htmx-aware request type and capability checks."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django_htmx.middleware import HtmxDetails

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.areas.models import Area
from chumchon.areas.selectors import local_areas

EDIT = Capability.EDIT_REGISTRY


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def is_partial(request: HtmxHttpRequest) -> bool:
    """An htmx swap asks for the fragment only; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def require_edit(user: Any, area_code: str) -> None:
    """Edit pages of records the user may read but not change answer 404, like everything else."""
    if not can(user, EDIT, area_code):
        raise Http404("not found")


def edit_areas(user: Any) -> list[Area]:
    """The villages the user may register people and households in; none → 404."""
    areas = list(local_areas(user=user, capability=EDIT))
    if not areas:
        raise Http404("not found")
    return areas
