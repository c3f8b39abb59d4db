"""Theme model lifecycle: train on gold data plus analyst corrections, classify JSONL, record verdicts."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import IO, Any

from phoihop.config import load_themes
from phoihop.settings import PROJECT_ROOT, paths
from phoihop.themes import THEME_IDS

log = logging.getLogger(__name__)
SHARED_GOLD = PROJECT_ROOT.parent / "shared" / "data" / "themes-dev.jsonl"


def _tokeniser() -> Any:
    from nlp.segmenter import TokenCache

    return TokenCache(paths().cache / "tokens.sqlite").tokens


def corrections() -> list[Any]:
    """Analyst verdicts from the warehouse as training examples (latest verdict per article and theme)."""
    from nlp.classifier import Example
    from warehouse.query import query

    if not paths().warehouse.exists():
        return []
    df = query(paths().warehouse, """
        WITH v AS (SELECT article_id, theme_id, arg_max(verdict, decided_at) AS verdict
                   FROM theme_verdicts GROUP BY ALL),
        model AS (SELECT article_id, list(theme_id) AS themes FROM theme_assignments
                  WHERE is_current AND assigned GROUP BY ALL)
        SELECT a.article_id, a.title, concat_ws(chr(10) || chr(10), a.lead, a.body) AS text,
               coalesce(m.themes, []::VARCHAR[]) AS model_themes,
               coalesce(list(v.theme_id) FILTER (WHERE v.verdict), []::VARCHAR[]) AS yes,
               coalesce(list(v.theme_id) FILTER (WHERE NOT v.verdict), []::VARCHAR[]) AS no
        FROM v JOIN articles a USING (article_id) LEFT JOIN model m USING (article_id) GROUP BY ALL
    """)
    out = []
    for row in df.itertuples():
        labels = (set(row.model_themes) | set(row.yes)) - set(row.no)
        out.append(Example(f"correction:{row.article_id}", row.title, row.text, tuple(sorted(labels))))
    return out


def train_model(gold: Path, include_corrections: bool = True, target: Path | None = None) -> dict[str, Any]:
    """Train on the gold file (+ corrections) and write the versioned model file."""
    from nlp.lexicon import Lexicon
    from nlp.training import load_examples, train
    from phoihop.pipeline import model_path

    themes = load_themes()
    examples = load_examples(gold)
    extra = corrections() if include_corrections else []
    model = train([*examples, *extra], Lexicon(themes.themes), themes.version, _tokeniser())
    path = model.save(target or model_path())
    return {"version": model.version, "examples": model.n_examples, "corrections": len(extra), "path": str(path),
            "t_top": model.t_top, "t_any": model.t_any, "data_hash": model.data_hash}


def classify_jsonl(source: Path, out: IO[str]) -> int:
    """Classify {"id","title","text"} lines; write {"id","labels","scores","evidence"} lines."""
    from nlp.features import model_text
    from nlp.text import normalise
    from nlp.training import load_examples
    from phoihop.pipeline import nlp_resources

    classifier, _, cache = nlp_resources()
    n = 0
    for ex in load_examples(source):
        title, text = normalise(ex.title), normalise(ex.text)
        pred = classifier.predict(title, text, cache.tokens(model_text(title, text, normalised=True)), normalised=True)
        out.write(json.dumps({"id": ex.id, "labels": pred.labels, "scores": pred.scores,
                              "evidence": pred.evidence_text()}, ensure_ascii=False) + "\n")
        n += 1
    return n


def record_verdict(article_id: str, theme: str, verdict: bool, analyst: str, note: str | None = None) -> None:
    """Store an analyst's yes/no on an article's theme; the marts use it at once."""
    from warehouse.db import writer

    if theme not in THEME_IDS:
        raise ValueError(f"unknown theme {theme!r}; the agreed ids are: {', '.join(THEME_IDS)}")
    with writer(paths().warehouse) as con:
        found = con.execute("SELECT count(*) FROM articles WHERE article_id = ?", [article_id]).fetchone()
        if not found or not found[0]:
            raise ValueError(f"no article {article_id!r} in the warehouse")
        con.execute("INSERT INTO theme_verdicts VALUES (?, ?, ?, ?, ?, ?)",
                    [article_id, theme, verdict, analyst, note, dt.datetime.now(dt.UTC)])
