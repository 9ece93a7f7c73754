"""The linking progress an officer watches reads in Thai, not as the engine's phase names."""

from __future__ import annotations

from typing import Any

import pytest

from chumchon.linkage.models import LinkageRun, RunStatus
from chumchon.linkage.tasks import PHASE_LABELS, _write_progress, phase_label, run_progress


@pytest.mark.parametrize("phase", sorted(PHASE_LABELS))
def test_every_phase_linkage_reports_has_a_thai_label(phase: str) -> None:
    label = phase_label(phase)
    assert label != phase and any("\u0e00" <= char <= "\u0e7f" for char in label)


def test_an_unknown_matching_stage_reads_as_comparing_records() -> None:
    assert phase_label("match:something_new") == phase_label("match")


@pytest.mark.django_db
def test_a_running_run_shows_the_label_of_the_phase_in_its_progress_file(officer: Any, tambon: Any,
                                                                         settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    run = LinkageRun.objects.create(area_id=tambon.code, created_by=officer, status=RunStatus.RUNNING)
    _write_progress(run.pk, "match:splink", 30, 100)
    progress = run_progress(run)
    assert (progress["phase"], progress["done"], progress["total"]) == ("match:splink", 30, 100)
    assert progress["label"] == phase_label("match:splink")
