"""Great Expectations gates before each load: rows that fail are quarantined with reasons; a mostly failing batch fails."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from filelock import FileLock

log = logging.getLogger(__name__)
MAX_FAIL_SHARE = 0.5
MIN_TEXT_CHARS, MIN_MEDIA_TEXT_CHARS, MAX_TEXT_CHARS = 200, 40, 300_000


class BatchRejected(RuntimeError):
    """Most of a source's batch failed validation: likely a layout change; nothing of it is loaded."""


@dataclass(frozen=True)
class SourceRules:
    """What a valid record of this source looks like."""

    source_id: str
    domains: tuple[str, ...]
    languages: tuple[str, ...]
    founded: dt.date
    theme_ids: tuple[str, ...]


@dataclass
class Verdict:
    """The gate's outcome for one batch."""

    reasons: dict[int, list[str]] = field(default_factory=dict)  # row position -> failed expectations
    results: list[dict[str, Any]] = field(default_factory=list)  # one row per expectation, for the warehouse
    rows: int = 0

    @property
    def failed_share(self) -> float:
        """Share of rows that failed at least one expectation."""
        return len(self.reasons) / self.rows if self.rows else 0.0


def _expectations(rules: SourceRules, now: dt.datetime) -> dict[str, list[Any]]:
    import great_expectations as gx

    domain_re = r"^https?://(?:[a-z0-9-]+\.)*(?:" + "|".join(re.escape(d) for d in rules.domains) + r")(?::\d+)?(?:/|$)"
    e = gx.expectations
    founded = dt.datetime.combine(rules.founded, dt.time(), dt.UTC).timestamp()
    return {
        "extracted": [
            e.ExpectColumnValuesToNotBeNull(column="title"),
            e.ExpectColumnValueLengthsToBeBetween(column="title", min_value=5, max_value=400),
            # text = lead + body; a news item or article needs a few sentences, a video or photo report less
            e.ExpectColumnValuesToBeBetween(column="text_chars", min_value=MIN_TEXT_CHARS, max_value=MAX_TEXT_CHARS,
                                            row_condition='format in ["news", "article"]', condition_parser="pandas"),
            e.ExpectColumnValuesToBeBetween(column="text_chars", min_value=MIN_MEDIA_TEXT_CHARS,
                                            max_value=MAX_TEXT_CHARS),
            e.ExpectColumnValuesToBeUnique(column="article_id"),
            e.ExpectColumnValuesToMatchRegex(column="canonical_url", regex=domain_re),
            e.ExpectColumnValuesToNotBeNull(column="published_epoch"),
            e.ExpectColumnValuesToBeBetween(column="published_epoch", min_value=founded,
                                            max_value=(now + dt.timedelta(hours=1)).timestamp()),
            e.ExpectColumnValuesToBeInSet(column="language", value_set=list(rules.languages)),
        ],
        "enriched": [
            e.ExpectColumnValuesToBeBetween(column="score", min_value=0.0, max_value=1.0),
            e.ExpectColumnValuesToBeInSet(column="theme_id", value_set=list(rules.theme_ids)),
            e.ExpectColumnValuesToNotBeNull(column="classifier_version"),
        ],
    }


def _context(root: Path) -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    ctx = gx.get_context(mode="file", project_root_dir=str(root))
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return ctx


def validate(articles: pd.DataFrame, themes: pd.DataFrame, rules: SourceRules, run_id: str, gx_root: Path,
             now: dt.datetime | None = None, build_docs: bool = True) -> Verdict:
    """Run the extracted and enriched suites; map every failed row to the expectations it broke."""
    import great_expectations as gx

    now = now or dt.datetime.now(dt.UTC)
    verdict = Verdict(rows=len(articles))
    if articles.empty:
        return verdict
    text_chars = articles["lead"].fillna("").str.len() + articles["body"].fillna("").str.len()
    frames = {"extracted": articles.assign(_row=range(len(articles)), text_chars=text_chars),
              "enriched": themes if not themes.empty else pd.DataFrame(
                  {"_row": [], "theme_id": [], "score": [], "classifier_version": []})}
    reasons: dict[int, list[str]] = defaultdict(list)
    gx_root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(gx_root / ".lock")):
        ctx = _context(gx_root)
        source = ctx.data_sources.add_or_update_pandas(name="phoihop")
        for suite_name, expectations in _expectations(rules, now).items():
            name = f"{suite_name}_{rules.source_id}"
            suite = ctx.suites.add_or_update(gx.ExpectationSuite(name=name, expectations=expectations))
            try:
                asset = source.get_asset(name)
            except LookupError:
                asset = source.add_dataframe_asset(name=name)
            try:
                batch = asset.get_batch_definition("whole")
            except (KeyError, LookupError):
                batch = asset.add_batch_definition_whole_dataframe("whole")
            definition = ctx.validation_definitions.add_or_update(
                gx.ValidationDefinition(name=name, data=batch, suite=suite))
            result = definition.run(
                batch_parameters={"dataframe": frames[suite_name]},
                result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["_row"]},
                run_id=gx.core.run_identifier.RunIdentifier(run_name=f"{run_id}:{rules.source_id}"),
            )
            for r in result.results:
                cfg = r.expectation_config
                column = cfg.kwargs.get("column")
                label = f"{suite_name}.{cfg.type}({column})"
                for item in r.result.get("unexpected_index_list") or []:
                    row = item["_row"] if isinstance(item, dict) else item
                    if label not in reasons[int(row)]:
                        reasons[int(row)].append(label)
                verdict.results.append({
                    "run_id": run_id, "source_id": rules.source_id, "suite": suite_name, "expectation": cfg.type,
                    "column_name": column, "success": bool(r.success),
                    "unexpected": int(r.result.get("unexpected_count") or 0),
                    "elements": int(r.result.get("element_count") or 0), "validated_at": now,
                })
        if build_docs:
            try:
                ctx.build_data_docs()
            except Exception as exc:  # docs are a convenience; a rendering problem must not fail the gate
                log.warning("GX Data Docs not built: %s", exc)
    verdict.reasons = dict(reasons)
    return verdict


def data_docs_index(gx_root: Path) -> Path:
    """Where GX writes its Data Docs site."""
    return gx_root / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
