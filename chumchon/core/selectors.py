"""Reads that span apps: the overview counts and the audit log. Every function takes the acting
user and filters through the one scoping mechanism (``accounts.scoping``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import area_prefixes, can, scope_q
from chumchon.areas.models import Area
from chumchon.areas.selectors import local_areas
from chumchon.core.models import AuditEntry
from chumchon.people.selectors import SMALL_CELL_LIMIT, Group, person_counts

COUNTS = Capability.VIEW_AGGREGATES
AUDIT = Capability.READ_AUDIT

# ---------------------------------------------------------------------------
# Overview: people per area and vulnerability group
# ---------------------------------------------------------------------------

SMALL_CELL = f"<{SMALL_CELL_LIMIT}"


@dataclass
class CountRow:
    code: str
    label: str
    total: int = 0
    groups: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Group.ALL, 0))
    # Counts of 1–4 can point at a person in a village; roles that may not see names there get "<5".
    hide_small: bool = False

    def add(self, total: int, groups: dict[str, int]) -> None:
        self.total += total
        for group in Group.ALL:
            self.groups[group] += groups.get(group, 0)

    @property
    def cells(self) -> list[int]:
        """The group counts in the order of ``Group.ALL`` (for table columns and chart series)."""
        return [self.groups[group] for group in Group.ALL]

    def shown(self, count: int) -> int | str:
        return SMALL_CELL if self.hide_small and 0 < count < SMALL_CELL_LIMIT else count

    @property
    def shown_total(self) -> int | str:
        return self.shown(self.total)

    @property
    def shown_cells(self) -> list[int | str]:
        return [self.shown(count) for count in self.cells]

    def chart_value(self, group: str) -> int | None:
        """For the chart: a hidden small count is drawn as no bar at all."""
        count = self.groups[group]
        return None if self.hide_small and 0 < count < SMALL_CELL_LIMIT else count


@dataclass
class CountTable:
    level: str  # "village" (villages and communities) or "subdistrict" (tambons)
    rows: list[CountRow]
    totals: CountRow
    tambon_code: str = ""  # set when the table is one tambon opened from a wider view

    @property
    def is_empty(self) -> bool:
        return not self.rows


def overview_counts(*, user: Any, tambon_code: str = "") -> CountTable:
    """Active people per area and vulnerability group within the user's VIEW_AGGREGATES reach.

    Users whose reach is a tambon or smaller get one row per village or community (every one they
    can see, even with no people yet). Users whose reach is wider than a tambon (provincial roles)
    get one row per tambon, rolled up from the village counts, unless they open one tambon with
    ``tambon_code``. Only counts and area names leave this function, never a person.
    """
    prefixes = area_prefixes(user, COUNTS)
    totals = CountRow(code="", label="")
    if tambon_code and not (len(tambon_code) == 6 and can(user, COUNTS, tambon_code)):
        raise Http404("not found")
    by_tambon = not tambon_code and any(len(prefix) < 6 for prefix in prefixes)
    rows: dict[str, CountRow] = {}
    if prefixes and not by_tambon:
        for area in local_areas(user=user, capability=COUNTS, within=tambon_code):
            rows[area.code] = CountRow(code=area.code, label=area.label)
    for counts in person_counts(user=user, area_code=tambon_code):
        code = counts.area_code[:6] if by_tambon else counts.area_code
        rows.setdefault(code, CountRow(code=code, label=""))
        rows[code].add(counts.total, counts.groups)
        totals.add(counts.total, counts.groups)
    _label_rows(rows, show_tambon=not by_tambon and len({code[:6] for code in rows}) > 1)
    for code, row in rows.items():
        row.hide_small = not can(user, Capability.VIEW_NAMES, code)
    totals.hide_small = not can(user, Capability.VIEW_NAMES)
    return CountTable(level="subdistrict" if by_tambon else "village",
                      rows=[rows[code] for code in sorted(rows)], totals=totals, tambon_code=tambon_code)


def _label_rows(rows: dict[str, CountRow], *, show_tambon: bool) -> None:
    """Area names from the area tree (one query); the tambon is added when rows span tambons."""
    codes = set(rows) | ({code[:6] for code in rows} if show_tambon else set())
    labels = {area.code: area.label for area in Area.objects.filter(code__in=codes)}
    for code, row in rows.items():
        row.label = row.label or labels.get(code, code)
        if show_tambon and code[:6] in labels:
            row.label = f"{row.label} ({labels[code[:6]]})"


# ---------------------------------------------------------------------------
# Audit log
# ---------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def audit_list(*, user: Any, verb: str = "", since: date | None = None,
               until: date | None = None) -> QuerySet[AuditEntry]:
    """Audit entries of the areas the user may audit, newest first. ``since`` and ``until`` are
    local calendar days, both included. Entries without an area code are for administrators of
    the whole system (admin site), not for an area's officer."""
    qs = AuditEntry.objects.filter(scope_q(user, AUDIT, path="area_code")).select_related("actor")
    if verb:
        qs = qs.filter(verb=verb)
    if since is not None:
        qs = qs.filter(at__gte=_day_start(since))
    if until is not None:
        qs = qs.filter(at__lt=_day_start(until + timedelta(days=1)))
    return qs.order_by("-at", "-id")


def audit_verbs(*, user: Any) -> list[str]:
    """The actions that occur in the user's audit log, for the filter."""
    qs = AuditEntry.objects.filter(scope_q(user, AUDIT, path="area_code"))
    return list(qs.order_by("verb").values_list("verb", flat=True).distinct())
