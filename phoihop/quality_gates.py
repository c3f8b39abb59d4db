"""Quality floors pinned in tests/quality_floors.json: extraction and theme scores CI refuses to lower."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from phoihop.settings import PROJECT_ROOT

log = logging.getLogger(__name__)
FLOORS = PROJECT_ROOT / "tests" / "quality_floors.json"


def read_floors(path: Path | None = None) -> dict[str, dict[str, float]]:
    """The pinned floors (lowering one is an explicit, explained edit of that file)."""
    data: dict[str, Any] = json.loads((path or FLOORS).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def below(measured: dict[str, Any], floors: dict[str, float]) -> list[str]:
    """The figures under their floor, as readable lines."""
    return [f"{k}: {measured.get(k)} < floor {v}" for k, v in floors.items() if float(measured.get(k, 0.0)) < v]


def extraction_scores(gold: Path, failures: str | None = None) -> dict[str, Any]:
    """Score the generic extractor on a gold folder."""
    from phoihop.pipeline import outlets
    from scrapers.evaluation import evaluate
    from scrapers.extract import Context, extract

    ctx = Context(outlets=outlets())
    scores = evaluate(gold, lambda page, url: extract(page, url, ctx))
    if failures:
        Path(failures).write_text(json.dumps(scores.failures, ensure_ascii=False, indent=1), encoding="utf-8")
    return scores.as_dict()


def check_extraction(gold: Path, floors_path: Path | None = None, failures: str | None = None) -> int:
    """Print extraction scores; exit status 1 when a figure is under its floor."""
    if not (gold / "gold.jsonl").exists():
        raise FileNotFoundError(f"no gold pages at {gold} (expected gold.jsonl and pages/)")
    measured = extraction_scores(gold, failures)
    print(json.dumps(measured))
    problems = below(measured, read_floors(floors_path)["extraction"])
    for line in problems:
        print(f"BELOW FLOOR {line}")
    return 1 if problems else 0


def theme_scores(gold: Path, cv: int) -> dict[str, Any]:
    """Cross-validated (cv > 1) or resubstitution metrics of the theme classifier."""
    from nlp.classifier import Classifier, ThemeModel
    from nlp.lexicon import Lexicon
    from nlp.training import Metrics, cross_validate, load_examples
    from phoihop.config import load_themes
    from phoihop.pipeline import model_path
    from phoihop.training import _tokeniser

    themes = load_themes()
    lexicon = Lexicon(themes.themes)
    examples = load_examples(gold)
    tokenise = _tokeniser()
    if cv > 1:
        metrics = cross_validate(examples, lexicon, themes.version, tokenise, k=cv)
    else:
        from nlp.features import model_text

        model = ThemeModel.load(model_path()) if model_path().exists() else None
        clf = Classifier(lexicon, themes.version, model)
        preds = [clf.predict(e.title, e.text, tokenise(model_text(e.title, e.text))).labels for e in examples]
        metrics = Metrics.compute(preds, [e.labels for e in examples], lexicon.ids)
    return metrics.as_dict()


def check_themes(gold: Path, cv: int, floors_path: Path | None = None) -> int:
    """Print per-theme and micro/macro figures; with floors, exit 1 when under them."""
    measured = theme_scores(gold, cv)
    print(f"{'theme':28s} {'P':>6s} {'R':>6s} {'F1':>6s} {'n':>4s}")
    for theme, m in measured["per_theme"].items():
        print(f"{theme:28s} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['support']:4d}")
    print(f"micro P {measured['micro_precision']:.4f} R {measured['micro_recall']:.4f} F1 {measured['micro_f1']:.4f}"
          f"  macro F1 {measured['macro_f1']:.4f}" + (f"  ({cv}-fold CV)" if cv > 1 else "  (no CV)"))
    if floors_path is None and cv <= 1:
        return 0
    problems = below(measured, read_floors(floors_path)[f"themes_cv{cv}"]) if cv > 1 else []
    for line in problems:
        print(f"BELOW FLOOR {line}")
    return 1 if problems else 0
