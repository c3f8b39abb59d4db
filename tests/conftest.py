"""Shared fixtures: temporary data directories, the demo replay over real sockets, a scriptable HTTP server."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or a clean skip when the labelled data is not beside the project."""
    if not SHARED.exists():
        pytest.skip(f"labelled data not found at {SHARED}")
    return SHARED


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty data directory for the test (warehouse, raw, staging, state)."""
    from phoihop import pipeline

    target = tmp_path / "data"
    monkeypatch.setenv("PHOIHOP_DATA", str(target))
    monkeypatch.delenv("PHOIHOP_WAREHOUSE", raising=False)
    pipeline.nlp_resources.cache_clear()
    yield target
    pipeline.nlp_resources.cache_clear()


@pytest.fixture(scope="session")
def demo_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo portals' WARC, built once per session from demo/*.yaml."""
    from phoihop.demo_portals import write_archive

    return write_archive(tmp_path_factory.mktemp("replay") / "demo.warc.gz")


@pytest.fixture(scope="session")
def replay_url(demo_archive: Path) -> Iterator[str]:
    """A replay server for the demo archive on 127.0.0.1."""
    from scrapers.replay import serve

    server = serve([demo_archive])
    yield server.url
    server.shutdown()


@dataclass
class Hit:
    """One request the scripted server received."""

    path: str
    at: float
    headers: dict[str, str]


@dataclass
class Scripted:
    """Routes of a scripted server: path -> handler(request) -> (status, headers, body)."""

    routes: dict[str, Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]] = field(
        default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    url: str = ""

    def hits_for(self, path: str) -> list[Hit]:
        """Requests received for one path, in order."""
        return [h for h in self.hits if h.path == path]


@pytest.fixture
def http_server() -> Iterator[Scripted]:
    """A real HTTP server on 127.0.0.1 whose answers each test scripts; it records when each request arrived."""
    state = Scripted()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            state.hits.append(Hit(self.path, time.monotonic(), {k.lower(): v for k, v in self.headers.items()}))
            route = state.routes.get(self.path)
            status, headers, body = route(self) if route else (404, {"Content-Type": "text/plain"}, b"nope")
            if status == -1:  # the handler already wrote (or deliberately did not write) the response
                return
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]  # clients hang up on purpose
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
