"""Load or refresh the Thai area tree from geothai (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from chumchon.areas.loader import load_areas
from chumchon.areas.models import Area


class Command(BaseCommand):
    help = "Load or refresh provinces, districts and subdistricts from geothai (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        counts = load_areas(Area)
        seconds = time.perf_counter() - started
        self.stdout.write(f"areas: {counts['total']} in geothai, created {counts['created']}, "
                          f"updated {counts['updated']} ({seconds:.1f} s)")
