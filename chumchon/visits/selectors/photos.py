"""Reads of photos: only within the reader's reach (VIEW_HEALTH or RECORD_VISITS); else 404."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import scope_q
from chumchon.visits.models import Photo


def _photo_scope(user: Any) -> Q:
    return scope_q(user, Capability.VIEW_HEALTH, path="area__code") | scope_q(
        user, Capability.RECORD_VISITS, path="area__code")


def photo_list(*, user: Any, visit_id: int | None = None, assessment_id: int | None = None) -> QuerySet[Photo]:
    qs = Photo.objects.filter(_photo_scope(user))
    if visit_id is not None:
        qs = qs.filter(visit_id=visit_id)
    if assessment_id is not None:
        qs = qs.filter(assessment_id=assessment_id)
    return qs.order_by("created_at", "pk")


def photo_get(*, user: Any, photo_id: Any) -> Photo:
    try:
        pk = int(photo_id)
    except (TypeError, ValueError) as exc:
        raise Http404("not found") from exc
    photo = Photo.objects.filter(_photo_scope(user), pk=pk).first()
    if photo is None:
        raise Http404("not found")
    return photo


def photo_file(*, user: Any, photo_id: Any) -> tuple[Photo, Path]:
    """The photo and its absolute file path; 404 outside reach or when the file is gone."""
    photo = photo_get(user=user, photo_id=photo_id)
    root = Path(settings.PRIVATE_FILES_ROOT).resolve()
    path = (root / photo.path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404("not found")
    return photo, path
