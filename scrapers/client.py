"""The one HTTP client: polite (robots.txt, per-host interval, backoff, Retry-After), bounded and recorded."""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import random
import threading
import time
import urllib.robotparser
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests

from scrapers.charsets import decode
from scrapers.urls import host_of, in_domains

log = logging.getLogger(__name__)

USER_AGENT = "phoihop/0.1 (+https://github.com/phoihop/phoihop; media-coordination analytics crawler)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Policy:
    """How politely and how far one source may be fetched."""

    allowed_domains: tuple[str, ...]
    min_interval_s: float = 2.0
    max_retries: int = 3
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    backoff_s: float = 1.0
    max_retry_after_s: float = 300.0
    respect_robots: bool = True


@dataclass
class FetchResult:
    """What one logical GET produced: the final response, or the reason there is none."""

    url: str
    final_url: str
    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes = b""  # entity body as sent (still content-encoded), for the WARC record
    body: bytes = b""  # decoded entity body
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    elapsed_s: float = 0.0
    retries: int = 0
    error: str | None = None
    request_headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """A 2xx response with a body."""
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        """A 304 answer to a conditional request."""
        return self.status == 304

    @property
    def text(self) -> str:
        """The body as NFC Unicode, charset from header, meta or bytes."""
        return decode(self.body, self.headers.get("content-type"))


class _HostGate:
    """At most one request in flight per host, and at least `interval` seconds between their starts."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._guard = threading.Lock()

    def lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def wait(self, host: str, interval: float) -> None:
        last = self._last.get(host)
        if last is not None:
            delay = last + interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        self._last[host] = time.monotonic()


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _decode_content(raw: bytes, encoding: str) -> bytes:
    encoding = encoding.lower().strip()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompress(raw, 16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        try:
            return zlib.decompress(raw)
        except zlib.error:
            return zlib.decompress(raw, -zlib.MAX_WBITS)
    return raw


class Client:
    """Fetch pages politely; optionally route every request to a local replay server instead of the network."""

    def __init__(self, policy: Policy, replay: str | None = None, user_agent: str = USER_AGENT) -> None:
        self.policy = policy
        self.replay = replay.rstrip("/") if replay else None
        self.user_agent = user_agent
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.session.headers["Accept-Encoding"] = "gzip, deflate"
        self._gate = _HostGate()
        self._robots: dict[str, tuple[urllib.robotparser.RobotFileParser | None, float]] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        """Release the connection pool."""
        self.session.close()

    # robots.txt ---------------------------------------------------------------------------------------------
    def robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        """The parsed robots.txt of the URL's host (cached for a day); None when the host has none."""
        parts = urlsplit(url)
        root = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        with self._robots_lock:
            cached = self._robots.get(root)
            if cached and time.monotonic() - cached[1] < 86_400:
                return cached[0]
            result = self._get_once(root, {}, self.policy.min_interval_s)
            parser: urllib.robotparser.RobotFileParser | None = None
            if result.ok:
                parser = urllib.robotparser.RobotFileParser(root)
                parser.parse(result.text.splitlines())
            elif result.status is not None and result.status in (401, 403):
                parser = urllib.robotparser.RobotFileParser(root)
                parser.disallow_all = True  # type: ignore[attr-defined]  # stdlib attribute, not in typeshed
            self._robots[root] = (parser, time.monotonic())
            return parser

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch the URL."""
        if not self.policy.respect_robots:
            return True
        parser = self.robots(url)
        return parser is None or parser.can_fetch(self.user_agent, url)

    def interval(self, url: str) -> float:
        """Seconds between two requests to the URL's host: our minimum or the site's Crawl-delay, whichever is longer."""
        parser = self.robots(url) if self.policy.respect_robots else None
        delay = parser.crawl_delay(self.user_agent) if parser else None
        return max(self.policy.min_interval_s, float(delay or 0))

    # fetching -----------------------------------------------------------------------------------------------
    def get(self, url: str, conditional: Mapping[str, str] | None = None) -> FetchResult:
        """GET with robots, politeness, retries and in-domain redirects; expected failures come back in `error`."""
        if not in_domains(url, list(self.policy.allowed_domains)):
            return FetchResult(url, url, None, error=f"off-domain URL refused: {url}")
        if not self.allowed(url):
            return FetchResult(url, url, None, error="disallowed by robots.txt")
        interval = self.interval(url)
        seen: list[str] = []
        current = url
        retries_total = 0
        while True:
            result = self._get_with_retries(current, dict(conditional or {}), interval)
            retries_total += result.retries
            result.retries = retries_total
            result.url = url
            if result.error or result.status not in (301, 302, 303, 307, 308):
                return result
            location = result.headers.get("location")
            if not location:
                result.error = f"redirect {result.status} without Location"
                return result
            target = urljoin(current, location)
            seen.append(current)
            if target in seen:
                result.error = f"redirect loop: {' -> '.join([*seen, target])}"
                return result
            if len(seen) > self.policy.max_redirects:
                result.error = f"too many redirects (> {self.policy.max_redirects})"
                return result
            if not in_domains(target, list(self.policy.allowed_domains)):
                result.error = f"off-domain redirect refused: {target}"
                return result
            if not self.allowed(target):
                result.error = f"redirect target disallowed by robots.txt: {target}"
                return result
            current = target
            conditional = None

    def _get_with_retries(self, url: str, headers: dict[str, str], interval: float) -> FetchResult:
        attempt = 0
        while True:
            result = self._get_once(url, headers, interval)
            retryable = result.error is not None and result.status is None and "oversized" not in result.error
            retryable = retryable or (result.status in RETRY_STATUSES)
            if not retryable or attempt >= self.policy.max_retries:
                if result.status in RETRY_STATUSES and not result.error:
                    result.error = f"HTTP {result.status} after {attempt} retries"
                result.retries = attempt
                return result
            wait = _retry_after(result.headers.get("retry-after")) if result.status in (429, 503) else None
            if wait is None:
                wait = self.policy.backoff_s * (2**attempt) + random.uniform(0, self.policy.backoff_s)
            elif wait > self.policy.max_retry_after_s:
                result.error = f"HTTP {result.status}: Retry-After {wait:.0f}s exceeds {self.policy.max_retry_after_s:.0f}s"
                result.retries = attempt
                return result
            log.info("retrying %s in %.1fs (attempt %d, %s)", url, wait, attempt + 1, result.error or result.status)
            time.sleep(wait)
            attempt += 1

    def _route(self, url: str) -> tuple[str, dict[str, str]]:
        if not self.replay:
            return url, {}
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return self.replay + path, {"Host": parts.netloc, "X-Phoihop-Scheme": parts.scheme}

    def _get_once(self, url: str, headers: dict[str, str], interval: float) -> FetchResult:
        host = host_of(url)
        target, extra = self._route(url)
        request_headers = {**headers, **extra}
        with self._gate.lock(host):
            self._gate.wait(host, interval)
            started = dt.datetime.now(dt.UTC)
            t0 = time.monotonic()
            try:
                resp = self.session.get(
                    target, headers=request_headers, allow_redirects=False, stream=True,
                    timeout=(self.policy.connect_timeout_s, self.policy.read_timeout_s),
                )
            except requests.Timeout as exc:
                return FetchResult(url, url, None, started=started, elapsed_s=time.monotonic() - t0,
                                   error=f"timeout: {exc.__class__.__name__}", request_headers=request_headers)
            except requests.RequestException as exc:
                return FetchResult(url, url, None, started=started, elapsed_s=time.monotonic() - t0,
                                   error=f"connection error: {exc.__class__.__name__}", request_headers=request_headers)
            try:
                result = self._read(resp, url, started, t0)
            finally:
                resp.close()
            result.request_headers = {**{k: str(v) for k, v in self.session.headers.items()}, **request_headers}
            return result

    def _read(self, resp: requests.Response, url: str, started: dt.datetime, t0: float) -> FetchResult:
        headers = {k.lower(): v for k, v in resp.headers.items()}
        result = FetchResult(url, url, resp.status_code, headers=headers, started=started)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.policy.max_bytes:
            result.error = f"oversized body: Content-Length {declared} > {self.policy.max_bytes}"
            result.elapsed_s = time.monotonic() - t0
            return result
        chunks, size = [], 0
        try:
            for chunk in resp.raw.stream(65536, decode_content=False):
                size += len(chunk)
                if size > self.policy.max_bytes:
                    result.error = f"oversized body: more than {self.policy.max_bytes} bytes"
                    break
                chunks.append(chunk)
        except requests.RequestException as exc:
            result.error = f"timeout: {exc.__class__.__name__}"
            result.status = None
        except Exception as exc:  # urllib3 read timeouts and protocol errors surface as their own types
            name = exc.__class__.__name__
            result.error = f"timeout: {name}" if "Timeout" in name else f"connection error: {name}"
            result.status = None
        result.raw = b"".join(chunks)
        if not result.error:
            try:
                result.body = _decode_content(result.raw, headers.get("content-encoding", ""))
            except zlib.error as exc:
                result.error = f"corrupt {headers.get('content-encoding')} body: {exc}"
            if len(result.body) > self.policy.max_bytes:
                result.error = f"oversized body: decompresses past {self.policy.max_bytes} bytes"
                result.body = b""
        result.elapsed_s = time.monotonic() - t0
        return result
