"""Crawl state per source (SQLite): what each URL looked like when last fetched, and what is still pending."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,            -- canonical URL
    fetch_url TEXT NOT NULL,         -- the URL as discovered (what we request)
    kind TEXT NOT NULL,              -- 'article' or 'discovery'
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,
    published TEXT,                  -- hint from the feed/sitemap/listing, ISO
    first_seen TEXT NOT NULL,
    last_fetched TEXT,
    last_status INTEGER,
    warc TEXT,                       -- archive holding the latest capture
    warc_offset INTEGER,
    pending INTEGER NOT NULL DEFAULT 0, -- captured but not yet confirmed loaded downstream
    attempts INTEGER NOT NULL DEFAULT 0 -- fetches tried; an article is given up after MAX_ATTEMPTS
);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, started TEXT NOT NULL, finished TEXT
);
"""


MAX_ATTEMPTS = 5
RETRYABLE = (429, 500, 502, 503, 504)


@dataclass(frozen=True)
class UrlState:
    """What we know of one URL from earlier runs."""

    url: str
    fetch_url: str
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    last_fetched: str | None
    pending: bool


class CrawlState:
    """One source's state; every update is committed at once, so a crash loses nothing already recorded."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(urls)")}
        if "attempts" not in columns:  # state files written before attempts were counted
            self.db.execute("ALTER TABLE urls ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0")

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def get(self, url: str) -> UrlState | None:
        """The state of a canonical URL, if seen before."""
        row = self.db.execute(
            "SELECT url, fetch_url, etag, last_modified, content_hash, last_fetched, pending FROM urls WHERE url = ?",
            (url,),
        ).fetchone()
        if not row:
            return None
        return UrlState(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]))

    def last_completed_run(self) -> str | None:
        """Start time (ISO) of the latest run that finished, the lower bound of an incremental crawl."""
        row = self.db.execute("SELECT max(started) FROM runs WHERE finished IS NOT NULL").fetchone()
        return row[0] if row else None

    def begin_run(self, run_id: str) -> None:
        """Record that a run started (a re-run of the same id keeps its first start)."""
        now = dt.datetime.now(dt.UTC).isoformat()
        self.db.execute("INSERT INTO runs(run_id, started) VALUES (?, ?) ON CONFLICT DO NOTHING", (run_id, now))

    def finish_run(self, run_id: str) -> None:
        """Record that a run completed."""
        self.db.execute("UPDATE runs SET finished = ? WHERE run_id = ?", (dt.datetime.now(dt.UTC).isoformat(), run_id))

    def seen(self, url: str, fetch_url: str, kind: str, published: str | None) -> bool:
        """Record a discovered URL; True when it is new."""
        cur = self.db.execute(
            "INSERT INTO urls(url, fetch_url, kind, published, first_seen) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(url) DO NOTHING",
            (url, fetch_url, kind, published, dt.datetime.now(dt.UTC).isoformat()),
        )
        return cur.rowcount == 1

    def fetched(self, url: str, status: int | None, etag: str | None, last_modified: str | None,
                content_hash: str | None, warc: str | None, offset: int | None, changed: bool) -> None:
        """Record a fetch; a new or changed capture becomes pending for downstream stages."""
        self.db.execute(
            "UPDATE urls SET last_fetched = ?, last_status = ?, attempts = attempts + 1, etag = coalesce(?, etag), "
            "last_modified = coalesce(?, last_modified), content_hash = coalesce(?, content_hash), "
            "warc = CASE WHEN ? THEN ? ELSE warc END, warc_offset = CASE WHEN ? THEN ? ELSE warc_offset END, "
            "pending = CASE WHEN ? THEN 1 ELSE pending END WHERE url = ?",
            (dt.datetime.now(dt.UTC).isoformat(), status, etag, last_modified, content_hash,
             changed, warc, changed, offset, changed, url),
        )

    def frontier(self) -> list[tuple[str, str]]:
        """(canonical URL, URL to request) of articles discovered but not yet fetched, newest first; those of a
        crashed run included, permanent failures (4xx) and URLs tried MAX_ATTEMPTS times left out."""
        marks = ", ".join(str(s) for s in RETRYABLE)
        return list(self.db.execute(
            "SELECT url, fetch_url FROM urls WHERE kind = 'article' AND content_hash IS NULL "
            f"AND (last_status IS NULL OR last_status IN ({marks})) AND attempts < ? "
            "ORDER BY published DESC NULLS LAST, first_seen", (MAX_ATTEMPTS,)))

    def recent(self, since: dt.datetime, fetched_before: dt.datetime) -> list[tuple[str, str]]:
        """(canonical URL, URL to request) of fetched articles published since `since` and not re-checked since
        `fetched_before`: pages that may still be edited, re-checked with conditional requests."""
        return list(self.db.execute(
            "SELECT url, fetch_url FROM urls WHERE kind = 'article' AND content_hash IS NOT NULL "
            "AND published >= ? AND last_fetched < ? ORDER BY published DESC",
            (since.isoformat(), fetched_before.isoformat())))

    def pending(self) -> list[tuple[str, str, int]]:
        """(url, warc, offset) of captures not yet confirmed loaded, including those of crashed runs."""
        return list(self.db.execute(
            "SELECT url, warc, warc_offset FROM urls WHERE pending = 1 AND warc IS NOT NULL ORDER BY url"))

    def mark_done(self, urls: list[str]) -> None:
        """Confirm that downstream stages have loaded these captures."""
        self.db.executemany("UPDATE urls SET pending = 0 WHERE url = ?", [(u,) for u in urls])
