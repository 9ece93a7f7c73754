"""Reads of child development centres. A centre is seen with VIEW_AGGREGATES within the centre's
(organisation's) home area; its enrolled children by name only with VIEW_NAMES there, and each
child only when the child is within the user's VIEW_NAMES reach. Caregivers are the centre's staff:
by name and training only with VIEW_NAMES in the centre's area, otherwise as a count; without it a
count of 1–4 enrolled children reads "<5"."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import scope_q, within_q
from chumchon.network.models import CentreAssessment, CentreCaregiver, ChildCentre, Enrolment, SupportReceived
from chumchon.network.scoping import may_see_names, shown_count

SEE = Capability.VIEW_AGGREGATES
NAMES = Capability.VIEW_NAMES


def centre_list(*, user: Any, area_code: str = "") -> QuerySet[ChildCentre]:
    qs = (ChildCentre.objects.filter(scope_q(user, SEE, "organisation__area__code"))
          .select_related("organisation", "organisation__area", "owner"))
    if area_code:
        qs = qs.filter(within_q(area_code, "organisation__area__code"))
    return qs.annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__left_on__isnull=True), distinct=True),
        caregiver_count=Count("caregivers", distinct=True),
    ).order_by("organisation__area_id", "organisation__name", "pk")


def centre_get(*, user: Any, centre_id: int) -> ChildCentre:
    centre = (ChildCentre.objects.filter(scope_q(user, SEE, "organisation__area__code"))
              .select_related("organisation", "organisation__area", "owner").filter(pk=centre_id).first())
    if centre is None:
        raise Http404("not found")
    return centre


def centre_rows(*, user: Any, area_code: str = "", limit: int = 300) -> list[ChildCentre]:
    """``centre_list`` for a page: each centre with ``enrolled_shown``, its count of enrolled
    children as the user may see it (``None`` for 1–4 without VIEW_NAMES in the centre's area)."""
    rows = list(centre_list(user=user, area_code=area_code)[:limit])
    for centre in rows:
        centre.enrolled_shown = shown_count(user, centre.area_code, centre.enrolled)  # type: ignore[attr-defined]
    return rows


def caregiver_list(*, user: Any, centre: ChildCentre) -> list[CentreCaregiver]:
    """The centre's caregivers by name, with their training (none without VIEW_NAMES in the
    centre's area: ``caregiver_count`` gives the number)."""
    centre_get(user=user, centre_id=centre.pk)
    if not may_see_names(user, centre.area_code):
        return []
    return list(CentreCaregiver.objects.filter(centre=centre).prefetch_related("trainings").order_by("pk"))


def caregiver_count(*, user: Any, centre: ChildCentre) -> int:
    centre_get(user=user, centre_id=centre.pk)
    return CentreCaregiver.objects.filter(centre=centre).count()


def caregiver_get(*, user: Any, centre: ChildCentre, caregiver_id: int) -> CentreCaregiver:
    centre_get(user=user, centre_id=centre.pk)
    if not may_see_names(user, centre.area_code):
        raise Http404("not found")
    caregiver = CentreCaregiver.objects.filter(centre=centre, pk=caregiver_id).first()
    if caregiver is None:
        raise Http404("not found")
    return caregiver


def may_see_children(user: Any, centre: ChildCentre) -> bool:
    return may_see_names(user, centre.area_code)


def enrolment_list(*, user: Any, centre: ChildCentre, current_only: bool = True) -> list[Enrolment]:
    """Enrolled children the user may see by name (none without VIEW_NAMES in the centre's area)."""
    centre_get(user=user, centre_id=centre.pk)
    if not may_see_children(user, centre):
        return []
    qs = (Enrolment.objects.filter(centre=centre).filter(scope_q(user, NAMES, "person__area__code"))
          .select_related("person", "person__area"))
    if current_only:
        qs = qs.filter(left_on__isnull=True)
    return list(qs.order_by("person__sort_key", "pk"))


def enrolment_count(*, user: Any, centre: ChildCentre) -> int | None:
    """Children enrolled now, as the user may see the count (``None`` for 1–4 without VIEW_NAMES
    in the centre's area: read "<5")."""
    centre_get(user=user, centre_id=centre.pk)
    return shown_count(user, centre.area_code, Enrolment.objects.filter(centre=centre, left_on__isnull=True).count())


@dataclass
class SupportTotals:
    rows: list[SupportReceived]
    by_giver: list[tuple[str, Decimal, int]] = field(default_factory=list)  # (giver, baht, entries)
    by_kind: list[tuple[str, Decimal, int]] = field(default_factory=list)
    total: Decimal = Decimal("0")


def _giver_label(row: SupportReceived) -> str:
    return row.giver.name if row.giver_id and row.giver else row.giver_name


def support_summary(*, user: Any, centre: ChildCentre) -> SupportTotals:
    """The support log with totals in baht per giver and per kind of support (largest first);
    entries without a value count as entries, not as money."""
    centre_get(user=user, centre_id=centre.pk)
    rows = list(SupportReceived.objects.filter(centre=centre).select_related("giver", "kind")
                .order_by("-received_on", "pk"))
    givers: dict[str, list[Any]] = {}
    kinds: dict[str, list[Any]] = {}
    for row in rows:
        value = row.value_baht or Decimal("0")
        for bucket, key in ((givers, _giver_label(row)), (kinds, row.kind.label)):
            entry = bucket.setdefault(key, [Decimal("0"), 0])
            entry[0] += value
            entry[1] += 1
    def ordered(bucket: dict[str, list[Any]]) -> list[tuple[str, Decimal, int]]:
        return sorted(((k, v[0], v[1]) for k, v in bucket.items()), key=lambda t: (-t[1], -t[2], t[0]))
    total = SupportReceived.objects.filter(centre=centre).aggregate(total=Sum("value_baht"))["total"]
    return SupportTotals(rows=rows, by_giver=ordered(givers), by_kind=ordered(kinds), total=total or Decimal("0"))


def assessment_latest(*, user: Any, centre: ChildCentre) -> CentreAssessment | None:
    centre_get(user=user, centre_id=centre.pk)
    return CentreAssessment.objects.filter(centre=centre).order_by("-assessed_on", "-pk").first()


def assessment_list(*, user: Any, centre: ChildCentre) -> QuerySet[CentreAssessment]:
    centre_get(user=user, centre_id=centre.pk)
    return CentreAssessment.objects.filter(centre=centre).order_by("-assessed_on", "-pk")
