"""Quality floors pinned in tests/quality_floors.json: CI fails when a change lowers them."""

from __future__ import annotations

from pathlib import Path

from phoihop.quality_gates import below, extraction_scores, read_floors, theme_scores


def test_extraction_meets_its_floors(shared_data: Path) -> None:
    measured = extraction_scores(shared_data / "extraction-dev")
    assert measured["pages"] == 257
    assert below(measured, read_floors()["extraction"]) == [], measured


def test_theme_classifier_meets_its_cross_validated_floors(shared_data: Path, data_dir: Path) -> None:
    measured = theme_scores(shared_data / "themes-dev.jsonl", cv=5)
    figures = {k: v for k, v in measured.items() if k != "per_theme"}
    assert below(measured, read_floors()["themes_cv5"]) == [], figures
