"""The nightly pipeline as plain functions: each stage reads and writes files under data/, keyed by run and source."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import functools
import json
import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from phoihop.config import Source, load_gazetteer, load_programmes, load_sources, load_themes, source_by_id
from phoihop.settings import paths

log = logging.getLogger(__name__)

MODEL_FILE = "models/themes.json"


def safe_run_id(run_id: str) -> str:
    """A run id usable in file names (Airflow's `scheduled__2021-10-01T00:00:00+00:00` included)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id).strip("_") or "run"


def stage_dir(run_id: str, source_id: str) -> Path:
    """staging/<run>/<source>/: every file a stage writes for this run and source."""
    return paths().staging / safe_run_id(run_id) / source_id


def active_sources(replay: bool, only: Sequence[str] | None = None) -> list[Source]:
    """The sources a run covers: replay portals for a replay, enabled live partners otherwise (or those named)."""
    sources = load_sources()
    if only:
        wanted = set(only)
        unknown = wanted - {s.id for s in sources}
        if unknown:
            raise ValueError(f"unknown source ids: {', '.join(sorted(unknown))}")
        return [s for s in sources if s.id in wanted]
    return [s for s in sources if s.enabled and (s.checked == "replay") == replay]


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    tmp.replace(path)


def _summary(run_id: str, source_id: str) -> dict[str, Any]:
    path = stage_dir(run_id, source_id) / "summary.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _update_summary(run_id: str, source_id: str, **values: Any) -> dict[str, Any]:
    data = _summary(run_id, source_id) | values
    _write_json(stage_dir(run_id, source_id) / "summary.json", data)
    return data


# --- crawl --------------------------------------------------------------------------------------------------------
def crawl(source_id: str, run_id: str, replay: str | None = None, since: dt.datetime | None = None,
          fast: bool = False, progress: Callable[[Any], None] | None = None, until: dt.datetime | None = None,
          backfill: bool = False) -> dict[str, Any]:
    """Discover and fetch one source into the raw zone; returns counts and paths."""
    from scrapers.crawl import crawl_source

    p = paths()
    source = source_by_id(source_id)
    started = dt.datetime.now(dt.UTC)
    summary = crawl_source(source, safe_run_id(run_id), p.raw, p.state, p.staging, replay=replay, since=since,
                           fast=fast, progress=progress, until=until, backfill=backfill)
    c = summary.counts
    return _update_summary(run_id, source_id, started=started.isoformat(), discovered=c["discovered"],
                           fetched=c["fetched"], not_modified=c["not_modified"] + c["index_not_modified"],
                           known=c["known"], failed=c["failed"], robots=c["robots"], warc=summary.warc,
                           fetch_log=summary.fetch_log, captures=summary.captures)


# --- extract ------------------------------------------------------------------------------------------------------
ARTICLE_FIELDS = [
    ("article_id", pa.string()), ("source_id", pa.string()), ("canonical_url", pa.string()), ("url", pa.string()),
    ("title", pa.string()), ("lead", pa.string()), ("body", pa.string()),
    ("published", pa.timestamp("us", tz="UTC")), ("modified", pa.timestamp("us", tz="UTC")),
    ("authors", pa.list_(pa.string())), ("section", pa.string()), ("tags", pa.list_(pa.string())),
    ("language", pa.string()), ("images", pa.int32()), ("videos", pa.int32()), ("format", pa.string()),
    ("syndicated_from", pa.string()), ("content_hash", pa.string()), ("warc", pa.string()),
    ("warc_offset", pa.int64()), ("run_id", pa.string()),
]
QUARANTINE_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("source_id", pa.string()), ("url", pa.string()), ("stage", pa.string()),
    ("reasons", pa.list_(pa.string())), ("record", pa.string()), ("warc", pa.string()), ("warc_offset", pa.int64()),
    ("quarantined_at", pa.timestamp("us", tz="UTC")),
])


def quarantine_row(run_id: str, source_id: str, url: str, stage: str, reasons: list[str], record: Any = None,
                   warc: str | None = None, offset: int | None = None) -> dict[str, Any]:
    """One quarantine record: what, where, why, and the raw reference to replay it."""
    return {"run_id": run_id, "source_id": source_id, "url": url, "stage": stage, "reasons": reasons,
            "record": json.dumps(record, ensure_ascii=False, default=str) if record is not None else None,
            "warc": warc, "warc_offset": offset, "quarantined_at": dt.datetime.now(dt.UTC)}


def outlets() -> frozenset[str]:
    """Names of every configured outlet (an outlet is never an author)."""
    return frozenset(s.outlet.casefold() for s in load_sources())


def extract(source_id: str, run_id: str) -> dict[str, Any]:
    """Turn the run's captures into article records; unparseable pages are quarantined with the reason."""
    from scrapers.crawl import CAPTURES_SCHEMA
    from scrapers.extract import Context, LayoutChanged
    from scrapers.extract import extract as extract_page
    from scrapers.rawstore import read_capture
    from scrapers.urls import article_id

    source = source_by_id(source_id)
    folder = stage_dir(run_id, source_id)
    captures_path = folder / "captures.parquet"
    captures = pq.read_table(captures_path).to_pylist() if captures_path.exists() else \
        pa.Table.from_pylist([], CAPTURES_SCHEMA).to_pylist()
    ctx = Context(source=source.id, hints=source.hints, outlets=outlets())
    rows, bad, layout_errors = [], [], []
    seen: set[str] = set()
    rid = safe_run_id(run_id)
    for cap in captures:
        warc, offset = cap["warc"], cap["offset"]
        try:
            url, headers, body = read_capture(Path(warc), offset)
            art = extract_page(body, url, ctx, headers.get("content-type"))
        except LayoutChanged as exc:
            layout_errors.append(str(exc))
            bad.append(quarantine_row(rid, source_id, cap["url"], "extract", [f"layout changed: {exc.field}"],
                                      warc=warc, offset=offset))
            continue
        except (OSError, ValueError, StopIteration) as exc:
            bad.append(quarantine_row(rid, source_id, cap["url"], "extract", [f"unreadable capture: {exc}"],
                                      warc=warc, offset=offset))
            continue
        aid = article_id(art.url)
        if aid in seen:
            continue
        seen.add(aid)
        rows.append({
            "article_id": aid, "source_id": source_id, "canonical_url": art.url, "url": url, "title": art.title,
            "lead": art.lead, "body": art.body, "published": art.published, "modified": art.modified,
            "authors": list(art.authors), "section": art.section, "tags": list(art.tags), "language": art.language,
            "images": art.images, "videos": art.videos, "format": art.format, "syndicated_from": art.syndicated_from,
            "content_hash": art.content_hash, "warc": warc, "warc_offset": offset, "run_id": rid,
        })
    pq.write_table(pa.Table.from_pylist(rows, pa.schema(ARTICLE_FIELDS)), folder / "articles.parquet")
    pq.write_table(pa.Table.from_pylist(bad, QUARANTINE_SCHEMA), folder / "extract_quarantine.parquet")
    if layout_errors and not rows:
        log.error("%s: %s", source_id, layout_errors[0])
    return _update_summary(run_id, source_id, extracted=len(rows), extract_failed=len(bad),
                           layout_errors=layout_errors[:3])


# --- nlp ----------------------------------------------------------------------------------------------------------
THEME_SCHEMA = pa.schema([("article_id", pa.string()), ("theme_id", pa.string()), ("score", pa.float64()),
                          ("assigned", pa.bool_()), ("evidence", pa.string()), ("classifier_version", pa.string())])
ENTITY_SCHEMA = pa.schema([("article_id", pa.string()), ("name", pa.string()), ("kind", pa.string()),
                           ("mentions", pa.int32()), ("origin", pa.string())])


def model_path() -> Path:
    """Where `phoihop train` writes the theme model."""
    return paths().data / MODEL_FILE


@functools.lru_cache(maxsize=1)
def nlp_resources() -> tuple[Any, Any, Any]:
    """(classifier, gazetteer, token cache), built once per process."""
    from nlp.classifier import Classifier, ThemeModel
    from nlp.entities import Gazetteer
    from nlp.lexicon import Lexicon
    from nlp.segmenter import TokenCache

    themes = load_themes()
    model = None
    if model_path().exists():
        model = ThemeModel.load(model_path())
        if model.theme_version != themes.version:
            log.warning("theme model %s was trained for theme set %s, not %s: using the lexicon alone until "
                        "`phoihop train` is run", model_path(), model.theme_version, themes.version)
            model = None
    else:
        log.warning("no trained theme model at %s: classifying with the lexicon alone (run `phoihop train`)",
                    model_path())
    gaz = load_gazetteer()
    lexicon = Lexicon(themes.themes)
    try:
        classifier = Classifier(lexicon, themes.version, model)
    except ValueError as exc:
        log.warning("%s; using the lexicon alone until then", exc)
        classifier = Classifier(lexicon, themes.version)
    return (classifier, Gazetteer(gaz.positions, gaz.bodies),
            TokenCache(paths().cache / "tokens.sqlite"))


def _classify(article_id: str, title: str, text: str, classifier: Any, cache: Any) -> tuple[Any, list[dict[str, Any]]]:
    """Classify one normalised article; returns the prediction and its theme rows (every theme scored)."""
    from nlp.features import model_text

    pred = classifier.predict(title, text, cache.tokens(model_text(title, text, normalised=True)), normalised=True)
    rows = [{"article_id": article_id, "theme_id": theme, "score": score, "assigned": theme in pred.labels,
             "evidence": json.dumps(pred.evidence.get(theme, []), ensure_ascii=False),
             "classifier_version": pred.version} for theme, score in pred.scores.items()]
    return pred, rows


def enrich(source_id: str, run_id: str) -> dict[str, Any]:
    """Normalise, tokenise (underthesea, cached), classify against the themes and find entities."""
    from nlp.entities import extract_entities
    from nlp.segmenter import ner
    from nlp.text import fold_accents, normalise

    folder = stage_dir(run_id, source_id)
    articles = pq.read_table(folder / "articles.parquet").to_pylist()
    classifier, gazetteer, cache = nlp_resources()
    enriched, theme_rows, entity_rows = [], [], []
    for art in articles:
        title, text = normalise(art["title"] or ""), normalise("\n\n".join(p for p in (art["lead"], art["body"]) if p))
        pred, rows = _classify(art["article_id"], title, text, classifier, cache)
        theme_rows += rows
        for ent in extract_entities(title, text, ner, gazetteer):
            entity_rows.append({"article_id": art["article_id"], "name": ent.name, "kind": ent.kind,
                                "mentions": ent.mentions, "origin": ent.origin})
        enriched.append(art | {"words": len(text.split()), "search_text": fold_accents(f"{title}\n{text}"),
                               "classifier_version": pred.version})
    schema = pa.schema([*ARTICLE_FIELDS, ("words", pa.int32()), ("search_text", pa.string()),
                        ("classifier_version", pa.string())])
    pq.write_table(pa.Table.from_pylist(enriched, schema), folder / "enriched.parquet")
    pq.write_table(pa.Table.from_pylist(theme_rows, THEME_SCHEMA), folder / "themes.parquet")
    pq.write_table(pa.Table.from_pylist(entity_rows, ENTITY_SCHEMA), folder / "entities.parquet")
    assigned = sum(r["assigned"] for r in theme_rows)
    return _update_summary(run_id, source_id, enriched=len(enriched), theme_assignments=assigned,
                           entities=len(entity_rows), classifier_version=classifier.version,
                           token_cache_hits=cache.hits)


# --- validate -----------------------------------------------------------------------------------------------------
VALIDATION_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("source_id", pa.string()), ("suite", pa.string()), ("expectation", pa.string()),
    ("column_name", pa.string()), ("success", pa.bool_()), ("unexpected", pa.int32()), ("elements", pa.int32()),
    ("validated_at", pa.timestamp("us", tz="UTC")),
])


def validate(source_id: str, run_id: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """Great Expectations gate: good rows go to ready/, failing rows to quarantine with the expectations they broke."""
    from phoihop.themes import THEME_IDS
    from warehouse.quality import MAX_FAIL_SHARE, SourceRules
    from warehouse.quality import validate as run_suites

    source = source_by_id(source_id)
    folder = stage_dir(run_id, source_id)
    ready = folder / "ready"
    ready.mkdir(parents=True, exist_ok=True)
    articles = pq.read_table(folder / "enriched.parquet").to_pandas()
    themes = pq.read_table(folder / "themes.parquet").to_pandas()
    entities = pq.read_table(folder / "entities.parquet")
    articles["published_epoch"] = [ts.timestamp() if ts is not None and ts == ts else None
                                   for ts in articles["published"]] if len(articles) else []
    index = {aid: i for i, aid in enumerate(articles["article_id"])}
    themes["_row"] = [index[a] for a in themes["article_id"]]
    rules = SourceRules(source.id, tuple(source.allowed_domains),
                        tuple({source.language, *source.editions.keys()}), source.founded, THEME_IDS)
    verdict = run_suites(articles, themes, rules, safe_run_id(run_id), paths().data / "gx", now=now)
    bad_rows = set(verdict.reasons)
    rejected = verdict.rows > 0 and verdict.failed_share > MAX_FAIL_SHARE
    keep = [i for i in range(len(articles)) if i not in bad_rows and not rejected]
    good = articles.iloc[keep].drop(columns=["published_epoch"])
    good_ids = set(good["article_id"])
    rid = safe_run_id(run_id)
    quarantine = pq.read_table(folder / "extract_quarantine.parquet").to_pylist()
    for i, reasons in sorted(verdict.reasons.items()):
        row = articles.iloc[i]
        record = {k: row[k] for k in ("article_id", "canonical_url", "title", "lead", "published", "language")}
        record["body_chars"] = len(row["body"] or "")
        quarantine.append(quarantine_row(rid, source_id, row["url"], "validate", reasons, record,
                                         row["warc"], int(row["warc_offset"])))
    if rejected:  # nothing of a rejected batch is loaded; its sound rows are kept in quarantine too
        for i in range(len(articles)):
            if i not in bad_rows:
                row = articles.iloc[i]
                quarantine.append(quarantine_row(rid, source_id, row["url"], "validate", ["batch rejected"],
                                                 {"article_id": row["article_id"]}, row["warc"],
                                                 int(row["warc_offset"])))
    pq.write_table(pa.Table.from_pandas(good, preserve_index=False), ready / "articles.parquet")
    pq.write_table(pa.Table.from_pandas(themes[themes["article_id"].isin(good_ids)].drop(columns=["_row"]),
                                        preserve_index=False), ready / "themes.parquet")
    pq.write_table(entities.filter(pa.compute.is_in(entities["article_id"], pa.array(sorted(good_ids), pa.string()))),
                   ready / "entities.parquet")
    pq.write_table(pa.Table.from_pylist(quarantine, QUARANTINE_SCHEMA), ready / "quarantine.parquet")
    pq.write_table(pa.Table.from_pylist(verdict.results, VALIDATION_SCHEMA), ready / "validation.parquet")
    # this run's fetch log, and those of earlier runs of the source that never reached the warehouse (a crash)
    logs = [p for p in sorted(paths().staging.glob(f"*/{source_id}/fetch_log.parquet"))
            if not p.with_suffix(".loaded").exists()]
    if logs:
        pq.write_table(pa.concat_tables([pq.read_table(p) for p in logs]), ready / "fetch_log.parquet")
    _write_json(ready / "fetch_logs.json", {"files": [str(p) for p in logs]})
    message = None
    if rejected:
        reasons_count: dict[str, int] = {}
        for reasons in verdict.reasons.values():
            for r in reasons:
                reasons_count[r] = reasons_count.get(r, 0) + 1
        top = ", ".join(f"{r} ({n})" for r, n in sorted(reasons_count.items(), key=lambda x: -x[1])[:3])
        message = (f"source {source_id}: {len(bad_rows)} of {verdict.rows} extracted articles failed validation "
                   f"({verdict.failed_share:.0%} > {MAX_FAIL_SHARE:.0%}); most failed: {top}. The portal's layout "
                   f"has probably changed: check its hints in config/sources.yaml. Nothing of this batch was loaded; "
                   f"every row is in the quarantine table.")
    return _update_summary(run_id, source_id, valid=len(good), quarantined=len(quarantine), rejected=rejected,
                           rejection=message)


# --- load ---------------------------------------------------------------------------------------------------------
def reference_rows() -> dict[str, list[dict[str, Any]]]:
    """The configuration as warehouse rows (sources, themes, programmes and their targets and events)."""
    from nlp.text import fold_accents

    themes = load_themes()
    programmes = load_programmes()
    return {
        "sources": [{"source_id": s.id, "name": s.name, "outlet": s.outlet, "base_url": s.base_url,
                     "section": s.section, "language": s.language, "founded": s.founded, "checked": s.checked}
                    for s in load_sources()],
        "themes": [{"theme_id": t.id, "name": t.name, "description": t.description, "theme_version": themes.version}
                   for t in themes.themes],
        "programmes": [{"programme_id": p.id, "name": p.name, "parties": p.parties, "start_date": p.start,
                        "end_date": p.end} for p in programmes],
        "programme_sources": [{"programme_id": p.id, "source_id": s} for p in programmes for s in p.sources],
        "programme_themes": [{"programme_id": p.id, "theme_id": t} for p in programmes for t in p.themes],
        "programme_targets": [{"programme_id": p.id, "period": t.period, "theme_id": t.theme, "format": t.format,
                               "language": t.language, "items": t.items} for p in programmes for t in p.targets],
        "programme_events": [{"programme_id": p.id, "event_id": e.id, "name": e.name, "starts_at": e.starts_at,
                              "theme_id": e.theme, "keywords": [fold_accents(k) for k in e.keywords]}
                             for p in programmes for e in p.key_events],
    }


def load(source_id: str, run_id: str) -> dict[str, Any]:
    """Load one source's validated batch (one transaction, writer lock); raise if the batch was rejected."""
    from scrapers.crawl import confirm_loaded
    from warehouse.db import writer
    from warehouse.load import load_batch
    from warehouse.quality import BatchRejected

    folder = stage_dir(run_id, source_id)
    summary = _summary(run_id, source_id)
    with writer(paths().warehouse) as con:
        counts = load_batch(con, folder / "ready", safe_run_id(run_id), source_id, reference_rows(), summary)
    captures = folder / "captures.parquet"
    if captures.exists():
        confirm_loaded(source_id, paths().state, pq.read_table(captures).column("url").to_pylist())
    listed = folder / "ready" / "fetch_logs.json"
    if listed.exists():
        for name in json.loads(listed.read_text(encoding="utf-8"))["files"]:
            Path(name).with_suffix(".loaded").touch()
    summary = _update_summary(run_id, source_id, loaded=counts.as_dict())
    if summary.get("rejected"):
        raise BatchRejected(summary.get("rejection") or f"source {source_id}: batch rejected")
    return summary


def record_failure(source_id: str, run_id: str, message: str) -> None:
    """Store a source's failed run in the warehouse so the run summary and alerts show it."""
    from warehouse.db import writer
    from warehouse.load import record_failure as store

    with writer(paths().warehouse) as con:
        store(con, safe_run_id(run_id), source_id, message, reference_rows())


def refresh() -> dict[str, Any]:
    """Re-create the analyst views and the full-text index over titles and bodies."""
    from warehouse.db import load_extension, refresh_marts, writer

    with writer(paths().warehouse) as con:
        views = refresh_marts(con)
        load_extension(con, "fts")
        con.execute("PRAGMA create_fts_index('articles', 'article_id', 'search_text', stemmer='none', "
                    "stopwords='none', strip_accents=1, lower=1, overwrite=1)")
        row = con.execute("SELECT count(*) FROM articles").fetchone()
    return {"views": views, "articles": int(row[0]) if row else 0, "warehouse": str(paths().warehouse)}


def process(source_id: str, run_id: str) -> dict[str, Any]:
    """extract -> enrich -> validate for one crawled source."""
    extract(source_id, run_id)
    enrich(source_id, run_id)
    return validate(source_id, run_id)


def run(run_id: str, replay: str | None = None, only: Sequence[str] | None = None,
        since: dt.datetime | None = None, fast: bool = False,
        progress: Callable[[Any], None] | None = None) -> dict[str, dict[str, Any]]:
    """The whole nightly job without Airflow: crawl sources concurrently, process each, load one at a time."""
    from warehouse.quality import BatchRejected

    sources = active_sources(replay is not None, only)
    results: dict[str, dict[str, Any]] = {}
    failures: dict[str, str] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(4, len(sources)))) as pool:
        futures = {pool.submit(crawl, s.id, run_id, replay, since, fast, progress): s.id for s in sources}
        for future in concurrent.futures.as_completed(futures):
            sid = futures[future]
            try:
                results[sid] = future.result()
            except Exception as exc:  # one broken source must not stop the others
                log.exception("crawl of %s failed", sid)
                failures[sid] = f"crawl failed: {exc}"
    for s in sources:
        if s.id in failures:
            continue
        try:
            results[s.id] = process(s.id, run_id)
        except Exception as exc:
            log.exception("processing %s failed", s.id)
            failures[s.id] = f"processing failed: {exc}"
    for s in sources:
        if s.id in failures:
            continue
        try:
            results[s.id] = load(s.id, run_id)
        except BatchRejected as exc:  # already recorded by the load (status 'rejected', rows in quarantine)
            log.error("%s", exc)
            results.setdefault(s.id, {})["error"] = str(exc)
    for sid, message in failures.items():
        record_failure(sid, run_id, message)
        results.setdefault(sid, {})["error"] = message
    refresh()
    return results


# --- backfill and reclassification ---------------------------------------------------------------------------------
def backfill_plan(source_ids: Sequence[str], start: dt.date, end: dt.date) -> list[dict[str, str]]:
    """Month chunks of a backfill: one (source, first day, last day) per source and month in [start, end]."""
    sources = [s.id for s in active_sources(False, source_ids)]
    chunks = []
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        first, last = max(start, month), min(end, nxt - dt.timedelta(days=1))
        for sid in sources:
            chunks.append({"source_id": sid, "key": f"{month:%Y%m}", "since": first.isoformat(),
                           "until": last.isoformat()})
        month = nxt
    return chunks


def backfill_chunk(chunk: dict[str, str], run_id: str, replay: str | None = None) -> str:
    """Crawl one month of one source (index pages read in full) and stage it; returns the chunk's run key."""
    from zoneinfo import ZoneInfo

    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    key = f"{safe_run_id(run_id)}-{chunk['key']}"
    since = dt.datetime.combine(dt.date.fromisoformat(chunk["since"]), dt.time(), vn)
    until = dt.datetime.combine(dt.date.fromisoformat(chunk["until"]), dt.time(23, 59, 59), vn)
    crawl(chunk["source_id"], key, replay=replay, since=since, until=until, backfill=True)
    return key


def reclassify(run_id: str, start: dt.date | None = None, end: dt.date | None = None) -> dict[str, Any]:
    """Classify the warehouse's articles of a period again with the current themes/model (staged, not loaded)."""
    from nlp.text import normalise
    from warehouse.query import query

    folder = paths().staging / safe_run_id(run_id) / "_reclassify"
    folder.mkdir(parents=True, exist_ok=True)
    articles = query(paths().warehouse, """
        SELECT article_id, version, title, concat_ws(chr(10) || chr(10), lead, body) AS text FROM articles
        WHERE (? IS NULL OR timezone('Asia/Ho_Chi_Minh', published)::DATE >= ?)
          AND (? IS NULL OR timezone('Asia/Ho_Chi_Minh', published)::DATE <= ?)""", [start, start, end, end])
    classifier, _, cache = nlp_resources()
    rows = []
    for art in articles.itertuples():
        rows += _classify(art.article_id, normalise(art.title or ""), normalise(art.text or ""), classifier, cache)[1]
    pq.write_table(pa.Table.from_pylist(rows, THEME_SCHEMA), folder / "themes.parquet")
    return {"articles": len(articles), "classifier_version": classifier.version, "path": str(folder)}


def load_reclassified(run_id: str) -> dict[str, Any]:
    """Make the new assignments current; earlier classifier versions stay in theme_assignments."""
    from warehouse.db import writer
    from warehouse.load import load_assignments

    folder = paths().staging / safe_run_id(run_id) / "_reclassify"
    with writer(paths().warehouse) as con:
        changed = load_assignments(con, folder / "themes.parquet")
    return {"assignments": changed}
