"""Idempotent loads: one transaction per batch, keyed by the article id; a changed page becomes a new version."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

log = logging.getLogger(__name__)

BATCH_FILES = ("articles", "themes", "entities", "quarantine", "validation", "fetch_log")


@dataclass(frozen=True)
class LoadCounts:
    """What one batch changed in the warehouse."""

    new: int
    changed: int
    unchanged: int
    quarantined: int

    def as_dict(self) -> dict[str, int]:
        """Counts as a plain dict."""
        return {"new": self.new, "changed": self.changed, "unchanged": self.unchanged, "quarantined": self.quarantined}


def sync_reference(con: duckdb.DuckDBPyConnection, reference: dict[str, list[dict[str, Any]]]) -> None:
    """Replace the reference tables (sources, themes, programmes...) with the configuration's rows."""
    for table, rows in reference.items():
        con.execute(f"DELETE FROM {table}")
        if rows:
            cols = list(rows[0])
            placeholders = ", ".join("?" for _ in cols)
            con.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({placeholders})",
                            [[row[c] for c in cols] for row in rows])


def _view(con: duckdb.DuckDBPyConnection, name: str, folder: Path) -> bool:
    path = folder / f"{name}.parquet"
    if path.exists():
        literal = str(path).replace("'", "''")
        con.execute(f"CREATE OR REPLACE TEMP VIEW batch_{name} AS SELECT * FROM read_parquet('{literal}')")
        return True
    return False


def _articles(con: duckdb.DuckDBPyConnection, now: dt.datetime) -> tuple[int, int, int]:
    con.execute("""
        CREATE OR REPLACE TEMP TABLE batch_state AS
        SELECT b.*, a.version AS old_version, a.content_hash AS old_hash,
               CASE WHEN a.article_id IS NULL THEN 'new'
                    WHEN a.content_hash <> b.content_hash THEN 'changed' ELSE 'unchanged' END AS change
        FROM batch_articles b LEFT JOIN articles a USING (article_id)
    """)
    con.execute("""
        INSERT INTO articles
        SELECT article_id, source_id, canonical_url, url, 1, content_hash, title, lead, body, published, modified,
               authors, section, tags, language, images, videos, format, syndicated_from, words, search_text,
               ?, ?, run_id, warc, warc_offset
        FROM batch_state WHERE change = 'new'
    """, [now, now])
    con.execute("""
        UPDATE articles SET version = s.old_version + 1, content_hash = s.content_hash, title = s.title,
               lead = s.lead, body = s.body, published = s.published, modified = s.modified, authors = s.authors,
               section = s.section, tags = s.tags, language = s.language, images = s.images, videos = s.videos,
               format = s.format, syndicated_from = s.syndicated_from, words = s.words, search_text = s.search_text,
               last_loaded = ?, run_id = s.run_id, warc = s.warc, warc_offset = s.warc_offset, url = s.url
        FROM batch_state s WHERE articles.article_id = s.article_id AND s.change = 'changed'
    """, [now])
    con.execute("""
        INSERT INTO article_versions
        SELECT s.article_id, coalesce(s.old_version, 0) + 1, s.content_hash, s.title, s.lead, s.body, s.published,
               s.authors, ?, s.run_id
        FROM batch_state s WHERE s.change IN ('new', 'changed')
    """, [now])
    row = con.execute("""SELECT count(*) FILTER (WHERE change = 'new'), count(*) FILTER (WHERE change = 'changed'),
                                count(*) FILTER (WHERE change = 'unchanged') FROM batch_state""").fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def _themes(con: duckdb.DuckDBPyConnection, now: dt.datetime) -> None:
    con.execute("""
        CREATE OR REPLACE TEMP TABLE batch_assign AS
        SELECT t.article_id, t.theme_id, a.version AS article_version, t.classifier_version, t.score, t.assigned,
               t.evidence
        FROM batch_themes t JOIN articles a USING (article_id)
        JOIN batch_state s USING (article_id) WHERE s.change IN ('new', 'changed')
    """)
    con.execute("""
        UPDATE theme_assignments SET is_current = false
        WHERE is_current AND article_id IN (SELECT article_id FROM batch_assign)
    """)
    con.execute("""
        INSERT INTO theme_assignments
        SELECT article_id, theme_id, article_version, classifier_version, score, assigned, evidence::JSON, ?, true
        FROM batch_assign
    """, [now])


def _entities(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""DELETE FROM entities WHERE article_id IN
                   (SELECT article_id FROM batch_state WHERE change IN ('new', 'changed'))""")
    con.execute("""
        INSERT INTO entities
        SELECT e.article_id, e.name, e.kind, sum(e.mentions), min(e.origin)
        FROM batch_entities e JOIN batch_state s USING (article_id) WHERE s.change IN ('new', 'changed')
        GROUP BY e.article_id, e.name, e.kind
    """)


def resolve_syndication(con: duckdb.DuckDBPyConnection) -> None:
    """Link copies ("Nguồn: X") to the original article of outlet X with the same title, once both are loaded."""
    con.execute("""
        INSERT INTO syndication
        SELECT a.article_id, NULL, a.syndicated_from, 'source line'
        FROM articles a WHERE a.syndicated_from IS NOT NULL
          AND a.article_id NOT IN (SELECT copy_article_id FROM syndication)
    """)
    con.execute("""
        UPDATE syndication SET original_article_id = m.original
        FROM (
            SELECT c.article_id AS copy, arg_min(o.article_id, o.published) AS original
            FROM articles c
            JOIN articles o ON o.article_id <> c.article_id
             AND lower(trim(o.title)) = lower(trim(c.title))
             AND o.source_id <> c.source_id
            JOIN sources so ON so.source_id = o.source_id
            WHERE c.syndicated_from IS NOT NULL
              AND (lower(so.outlet) = lower(c.syndicated_from)
                   OR contains(lower(c.syndicated_from), lower(so.outlet))
                   OR contains(lower(so.base_url), lower(c.syndicated_from)))
            GROUP BY c.article_id
        ) m
        WHERE syndication.copy_article_id = m.copy AND syndication.original_article_id IS NULL
    """)


def _logs(con: duckdb.DuckDBPyConnection, run_id: str, source_id: str, has: dict[str, bool]) -> int:
    if has["fetch_log"]:
        con.execute("DELETE FROM fetch_log WHERE source_id = ? AND run_id IN (SELECT DISTINCT run_id FROM "
                    "batch_fetch_log)", [source_id])
        con.execute("""INSERT INTO fetch_log SELECT run_id, source_id, url, kind, status, outcome, bytes, elapsed_s,
                       retries, error, fetched_at FROM batch_fetch_log""")
    if has["validation"]:
        con.execute("DELETE FROM validation_results WHERE run_id = ? AND source_id = ?", [run_id, source_id])
        con.execute("""INSERT INTO validation_results SELECT run_id, source_id, suite, expectation, column_name,
                       success, unexpected, elements, validated_at FROM batch_validation""")
    quarantined = 0
    if has["quarantine"]:
        con.execute("""INSERT INTO quarantine (run_id, source_id, url, stage, reasons, record, warc, warc_offset,
                       quarantined_at) SELECT run_id, source_id, url, stage, reasons, record::JSON, warc, warc_offset,
                       quarantined_at FROM batch_quarantine ON CONFLICT DO NOTHING""")
        row = con.execute("SELECT count(*) FROM batch_quarantine").fetchone()
        quarantined = int(row[0]) if row else 0
    return quarantined


def load_batch(con: duckdb.DuckDBPyConnection, folder: Path, run_id: str, source_id: str,
               reference: dict[str, list[dict[str, Any]]], summary: dict[str, Any]) -> LoadCounts:
    """Load one source's validated batch in a single transaction; on any error the warehouse is left as it was."""
    now = dt.datetime.now(dt.UTC)
    con.execute("BEGIN TRANSACTION")
    try:
        sync_reference(con, reference)
        has = {name: _view(con, name, folder) for name in BATCH_FILES}
        new = changed = unchanged = 0
        if has["articles"]:
            new, changed, unchanged = _articles(con, now)
            if has["themes"]:
                _themes(con, now)
            if has["entities"]:
                _entities(con)
        resolve_syndication(con)
        quarantined = _logs(con, run_id, source_id, has)
        counts = LoadCounts(new, changed, unchanged, quarantined)
        con.execute("""
            INSERT OR REPLACE INTO crawl_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """, [run_id, source_id, summary.get("started"), now, "rejected" if summary.get("rejected") else "loaded",
              summary.get("discovered"), summary.get("fetched"), summary.get("not_modified"), summary.get("failed"),
              summary.get("extracted"), quarantined, new, changed,
              summary.get("rejection") or json.dumps(summary.get("layout_errors") or [], ensure_ascii=False)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    log.info("%s/%s loaded: %s", run_id, source_id, counts.as_dict())
    return counts


def record_failure(con: duckdb.DuckDBPyConnection, run_id: str, source_id: str, message: str,
                   reference: dict[str, list[dict[str, Any]]]) -> None:
    """Record a source whose run failed (e.g. a rejected batch) so the run summary shows it."""
    con.execute("BEGIN TRANSACTION")
    try:
        sync_reference(con, reference)
        con.execute("""INSERT OR REPLACE INTO crawl_runs (run_id, source_id, finished, status, message)
                       VALUES (?, ?, ?, 'failed', ?)""", [run_id, source_id, dt.datetime.now(dt.UTC), message])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def load_assignments(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Load reclassified theme scores as the current assignments (one transaction); returns rows inserted."""
    now = dt.datetime.now(dt.UTC)
    literal = str(path).replace("'", "''")
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE batch_reassign AS
            SELECT t.*, a.version AS article_version FROM read_parquet('{literal}') t JOIN articles a USING (article_id)
        """)
        row = con.execute("""
            SELECT count(*) FROM batch_reassign b WHERE NOT EXISTS (
                SELECT 1 FROM theme_assignments x WHERE x.article_id = b.article_id AND x.theme_id = b.theme_id
                  AND x.classifier_version = b.classifier_version AND x.article_version = b.article_version)
        """).fetchone()
        inserted = int(row[0]) if row else 0
        con.execute("""
            UPDATE theme_assignments SET is_current = false
            WHERE is_current AND article_id IN (SELECT DISTINCT article_id FROM batch_reassign)
              AND classifier_version NOT IN (SELECT DISTINCT classifier_version FROM batch_reassign)
        """)
        con.execute("""
            INSERT INTO theme_assignments
            SELECT article_id, theme_id, article_version, classifier_version, score, assigned, evidence::JSON, ?, true
            FROM batch_reassign
            ON CONFLICT DO UPDATE SET is_current = true
        """, [now])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return inserted
