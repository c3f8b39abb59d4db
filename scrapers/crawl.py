"""Crawl one source for one run: discover, fetch what is new or changed, keep every exchange in the raw zone."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from scrapers.client import Client, FetchResult, Policy
from scrapers.discover import Link, Listing, parse_feed, parse_listing, parse_sitemap
from scrapers.rawstore import RawStore
from scrapers.state import CrawlState
from scrapers.urls import canonicalise, in_domains

log = logging.getLogger(__name__)

class DiscoveryLike(Protocol):
    """One discovery method (phoihop.config.Discovery fits)."""

    @property
    def type(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def next_page(self) -> str | None: ...
    @property
    def max_pages(self) -> int: ...


class RateLimitLike(Protocol):
    """Politeness settings (phoihop.config.RateLimit fits)."""

    @property
    def min_interval_s(self) -> float: ...
    @property
    def max_retries(self) -> int: ...
    @property
    def timeout_s(self) -> float: ...


class Source(Protocol):
    """What the crawler needs to know of a source (phoihop.config.Source fits)."""

    @property
    def id(self) -> str: ...
    @property
    def allowed_domains(self) -> Sequence[str]: ...
    @property
    def article_url_pattern(self) -> str: ...
    @property
    def discovery(self) -> Sequence[DiscoveryLike]: ...
    @property
    def rate_limit(self) -> RateLimitLike: ...
    @property
    def revisit_days(self) -> int: ...


FETCH_LOG_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("source_id", pa.string()), ("url", pa.string()), ("kind", pa.string()),
    ("status", pa.int32()), ("outcome", pa.string()), ("bytes", pa.int64()), ("elapsed_s", pa.float64()),
    ("retries", pa.int32()), ("error", pa.string()), ("fetched_at", pa.timestamp("us", tz="UTC")),
])
CAPTURES_SCHEMA = pa.schema([("url", pa.string()), ("warc", pa.string()), ("offset", pa.int64())])


@dataclass
class CrawlSummary:
    """Counts of one source's crawl and where its outputs are."""

    source_id: str
    run_id: str
    warc: str
    fetch_log: str
    captures: str
    counts: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        """One progress line: discovered, fetched, not modified, failed."""
        c = self.counts
        return (f"{self.source_id}: discovered {c['discovered']}, fetched {c['fetched']}, "
                f"not modified {c['not_modified']}, known {c['known']}, failed {c['failed']}, "
                f"robots {c['robots']}")


def policy_for(source: Source, fast: bool = False) -> Policy:
    """The fetch policy of a source (fast: no interval, for benchmarks and replays)."""
    return Policy(
        allowed_domains=tuple(source.allowed_domains),
        min_interval_s=0.0 if fast else source.rate_limit.min_interval_s,
        max_retries=source.rate_limit.max_retries,
        read_timeout_s=source.rate_limit.timeout_s,
    )


class _Run:
    def __init__(self, source: Source, client: Client, state: CrawlState, store: RawStore, run_id: str,
                 summary: CrawlSummary) -> None:
        self.source, self.client, self.state, self.store, self.run_id = source, client, state, store, run_id
        self.summary = summary
        self.log_rows: list[dict[str, object]] = []
        self.revalidate_index = True
        self.pattern = re.compile(source.article_url_pattern)
        self.since: dt.datetime | None = None
        self.until: dt.datetime | None = None
        self.found: dict[str, Link] = {}

    def fetch(self, url: str, kind: str, record: bool = True) -> tuple[FetchResult, Callable[[], None]]:
        """Request a URL, write the exchange to the WARC; the state is updated by the returned callable
        (at once unless record=False: an index page is recorded only after its links are)."""
        key = canonicalise(url)
        self.state.seen(key, url, kind, None)
        prior = self.state.get(key)
        conditional: dict[str, str] = {}
        if kind == "discovery" and not self.revalidate_index:
            prior = None  # a backfill reads every index page in full, even unchanged ones
        if prior and prior.etag:
            conditional["If-None-Match"] = prior.etag
        if prior and prior.last_modified:
            conditional["If-Modified-Since"] = prior.last_modified
        result = self.client.get(url, conditional)
        offset = self.store.write(result)
        digest = hashlib.sha256(result.body).hexdigest() if result.ok else None
        changed = bool(result.ok and (prior is None or prior.content_hash != digest))

        def commit() -> None:
            self.state.fetched(key, result.status, result.headers.get("etag"), result.headers.get("last-modified"),
                               digest, str(self.store.path) if changed else None, offset,
                               changed and kind == "article")

        if record:
            commit()
        outcome = ("not_modified" if result.not_modified else "robots" if result.error and "robots" in result.error
                   else "failed" if not result.ok else "fetched" if changed else "unchanged")
        self.summary.counts[outcome if kind == "article" else f"index_{outcome}"] += 1
        self.log_rows.append({
            "run_id": self.run_id, "source_id": self.source.id, "url": url, "kind": kind, "status": result.status,
            "outcome": outcome, "bytes": len(result.raw), "elapsed_s": round(result.elapsed_s, 4),
            "retries": result.retries, "error": result.error, "fetched_at": result.started,
        })
        if result.error and kind == "article":
            log.warning("%s: %s: %s", self.source.id, url, result.error)
        return result, commit

    def index(self, url: str, parser: Callable[[FetchResult], Listing]) -> Listing:
        """Fetch and parse an index page; its links are in the state before its ETag is (crash-safe)."""
        result, commit = self.fetch(url, "discovery", record=False)
        listing = parser(result) if result.ok and not result.not_modified else Listing([], [])
        self.keep(listing.links)
        commit()
        return listing

    def keep(self, links: list[Link]) -> None:
        """Record wanted article links (in domain, matching the pattern, inside the window) in the frontier."""
        for link in links:
            if not in_domains(link.url, list(self.source.allowed_domains)) or not self.pattern.search(link.url):
                continue
            if (self.since and link.published and link.published < self.since) or (
                    self.until and link.published and link.published > self.until):
                continue
            self.found.setdefault(canonicalise(link.url), link)
            self.state.seen(canonicalise(link.url), link.url, "article",
                            link.published.isoformat() if link.published else None)


def _listing(pattern: str, next_page: str | None, result: FetchResult) -> Listing:
    return parse_listing(result.text, result.final_url, pattern, next_page)


def discover(run: _Run, since: dt.datetime | None, until: dt.datetime | None = None) -> list[Link]:
    """Every article link the source's discovery methods yield (published in [since, until] when the index
    says when), recorded in the crawl state as they are found."""
    run.since, run.until = since, until
    for method in run.source.discovery:
        if method.type == "rss":
            run.index(method.url, lambda r: parse_feed(r.body, r.final_url))
        elif method.type == "sitemap":
            queue, seen = [method.url], set()
            while queue:
                url = queue.pop(0)
                if url not in seen:
                    seen.add(url)
                    queue.extend(run.index(url, lambda r: parse_sitemap(r.body, r.final_url)).children)
        else:
            pages = 0
            page_url: str | None = method.url
            parse = functools.partial(_listing, run.source.article_url_pattern, method.next_page)
            while page_url and pages < method.max_pages:
                pages += 1
                listing = run.index(page_url, parse)
                dated = [link.published for link in listing.links if link.published]
                if since and dated and max(dated) < since:
                    break  # the whole page is older than the crawl window: stop paging back
                page_url = listing.next_page
    return list(run.found.values())


def crawl_source(source: Source, run_id: str, raw_dir: Path, state_dir: Path, staging_dir: Path,
                 replay: str | None = None, since: dt.datetime | None = None, fast: bool = False,
                 progress: Callable[[CrawlSummary], None] | None = None, until: dt.datetime | None = None,
                 backfill: bool = False) -> CrawlSummary:
    """Crawl one source; outputs: the run's WARC, its fetch log and the list of captures to extract.

    since/until bound the publication dates to collect; backfill reads index pages unconditionally and walks
    listings and sitemaps back to `since`.
    """
    out_dir = staging_dir / run_id / source.id
    out_dir.mkdir(parents=True, exist_ok=True)
    warc = raw_dir / source.id / f"{run_id}.warc.gz"
    summary = CrawlSummary(source.id, run_id, str(warc), str(out_dir / "fetch_log.parquet"),
                           str(out_dir / "captures.parquet"))
    state = CrawlState(state_dir / f"{source.id}.sqlite")
    client = Client(policy_for(source, fast), replay=replay)
    store = RawStore(warc)
    run = _Run(source, client, state, store, run_id, summary)
    run.revalidate_index = not backfill
    try:
        state.begin_run(run_id)
        links = discover(run, since, until)
        summary.counts["discovered"] = len(links)
        frontier = state.frontier()  # this run's new links, and those a crashed run found but did not fetch
        now = dt.datetime.now(dt.UTC)
        recent = state.recent(now - dt.timedelta(days=source.revisit_days), now - dt.timedelta(hours=6)) \
            if source.revisit_days else []
        summary.counts["revisited"] = len(recent)
        summary.counts["known"] = len(links) - len({canonicalise(link.url) for link in links} & {u for u, _ in frontier})
        todo = frontier + recent  # a recent page answers 304 unless it was edited: then it becomes a new version
        for n, (_, url) in enumerate(todo, start=1):
            run.fetch(url, "article")
            if progress and (n % 10 == 0 or n == len(todo)):
                progress(summary)
        state.finish_run(run_id)
    finally:
        store.close()
        client.close()
        pq.write_table(pa.Table.from_pylist(run.log_rows, FETCH_LOG_SCHEMA), summary.fetch_log)
        rows = [{"url": u, "warc": w, "offset": o} for u, w, o in state.pending()]
        pq.write_table(pa.Table.from_pylist(rows, CAPTURES_SCHEMA), summary.captures)
        state.close()
    log.info("%s", summary.line())
    return summary


def confirm_loaded(source_id: str, state_dir: Path, urls: list[str]) -> None:
    """Tell the crawl state that these captures are in the warehouse, so later runs do not extract them again."""
    state = CrawlState(state_dir / f"{source_id}.sqlite")
    try:
        state.mark_done(urls)
    finally:
        state.close()
