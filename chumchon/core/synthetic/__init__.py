"""Synthetic Thai tambons for the demo, tests and benchmarks: one seeded generator.

- ``plan_tambon(...)`` (pure, no database) returns villages, households and people as rows;
- ``generate_tambon(...)`` writes them with ``bulk_create`` and returns the counts.

Realistic skew (DESIGN.md §6): Zipf-like first-name frequencies from pythainlp's name lists,
family names shared within households and dominated by a few clans, a rural age pyramid built
from household types (≈20 % aged 60+, ≈6 % under 6), many elders born "1 January" or year only,
valid national IDs whose first digit and registration office fit the birth year.
"""

from chumchon.core.synthetic.load import generate_tambon, load_plan
from chumchon.core.synthetic.plan import plan_tambon
from chumchon.core.synthetic.rows import HouseholdRow, PersonRow, TambonPlan, VillageRow

__all__ = ["HouseholdRow", "PersonRow", "TambonPlan", "VillageRow", "generate_tambon", "load_plan", "plan_tambon"]
