"""Serve WARC archives on 127.0.0.1 so a recorded crawl can be replayed without the network."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

log = logging.getLogger(__name__)
HOP_BY_HOP = {"transfer-encoding", "connection", "keep-alive", "content-length"}


@dataclass(frozen=True)
class Capture:
    """One archived response: status, headers and the entity body as it was sent."""

    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        """A header value by case-insensitive name."""
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def _key(host: str, path_and_query: str) -> tuple[str, str]:
    host = host.lower().split(":")[0]
    return (host[4:] if host.startswith("www.") else host, path_and_query or "/")


def load_index(archives: Iterable[Path]) -> dict[tuple[str, str], Capture]:
    """Index response records by (host, path?query); a later capture of the same URL wins."""
    index: dict[tuple[str, str], Capture] = {}
    for archive in archives:
        with archive.open("rb") as fh:
            try:
                for record in ArchiveIterator(fh):
                    if record.rec_type != "response" or record.http_headers is None:
                        continue
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    parts = urlsplit(uri)
                    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                    status_line = record.http_headers.get_statuscode() or "200"
                    reason = record.http_headers.protocol and record.http_headers.statusline.partition(" ")[2]
                    index[_key(parts.netloc, path)] = Capture(
                        int(status_line), reason or "", list(record.http_headers.headers),
                        record.raw_stream.read(),
                    )
            except Exception as exc:  # a truncated tail (crashed crawl) still leaves the earlier records usable
                log.warning("stopped reading %s at a damaged record: %s", archive, exc)
    return index


class ReplayServer(ThreadingHTTPServer):
    """An HTTP server answering from an archive index; routes by the Host header the client sends."""

    daemon_threads = True

    def __init__(self, index: dict[tuple[str, str], Capture], port: int = 0, delay_s: float = 0.0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.index = index
        self.delay_s = delay_s  # simulate a slow portal

    @property
    def url(self) -> str:
        """The base URL to hand to the crawler's client."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> ReplayServer:
        """Serve in a background thread."""
        threading.Thread(target=self.serve_forever, name="phoihop-replay", daemon=True).start()
        return self


class _Handler(BaseHTTPRequestHandler):
    server: ReplayServer
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # headers and body go out in separate writes: without this, Nagle + delayed ACK add ~40 ms per response
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("replay: " + format, *args)

    def do_GET(self) -> None:
        if self.server.delay_s:
            time.sleep(self.server.delay_s)
        capture = self.server.index.get(_key(self.headers.get("Host", ""), self.path))
        if capture is None:
            body = b"not in archive"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        etag, modified = capture.header("etag"), capture.header("last-modified")
        if (etag and self.headers.get("If-None-Match") == etag) or (
            modified and not self.headers.get("If-None-Match") and self.headers.get("If-Modified-Since") == modified
        ):
            self.send_response(304)
            for name in ("ETag", "Last-Modified"):
                if capture.header(name):
                    self.send_header(name, capture.header(name) or "")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(capture.status, capture.reason)
        for name, value in capture.headers:
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(capture.body)))
        self.end_headers()
        self.wfile.write(capture.body)


def serve(archives: Iterable[Path], port: int = 0, delay_s: float = 0.0) -> ReplayServer:
    """Start a replay server for the archives in a background thread and return it."""
    return ReplayServer(load_index(list(archives)), port, delay_s).start()
