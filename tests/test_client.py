"""The polite HTTP client against a real local server: robots, intervals, retries, limits, charsets, 304."""

from __future__ import annotations

import gzip
import re
import time
import unicodedata
from itertools import pairwise

from conftest import Scripted

from scrapers.client import Client, Policy

VI = "Thành phố Hồ Chí Minh đẩy mạnh cải cách hành chính, nâng cao chất lượng phục vụ người dân."


def ok(body: bytes = b"<html><body>ok</body></html>", ctype: str = "text/html; charset=utf-8", **extra: str):
    return lambda _req: (200, {"Content-Type": ctype, **extra}, body)


def client(**kw: object) -> Client:
    base = {"allowed_domains": ("127.0.0.1",), "min_interval_s": 0.0, "backoff_s": 0.05, "max_retries": 2}
    return Client(Policy(**(base | kw)))  # type: ignore[arg-type]


def robots(text: str):
    return lambda _req: (200, {"Content-Type": "text/plain"}, text.encode())


def test_robots_disallow_is_honoured(http_server: Scripted) -> None:
    http_server.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /private/\n")
    http_server.routes["/private/page"] = ok()
    http_server.routes["/public"] = ok()
    c = client()
    refused = c.get(f"{http_server.url}/private/page")
    allowed = c.get(f"{http_server.url}/public")
    assert refused.error == "disallowed by robots.txt" and not refused.ok
    assert allowed.ok
    assert not http_server.hits_for("/private/page"), "a disallowed page must never be requested"
    assert len(http_server.hits_for("/robots.txt")) == 1, "robots.txt is cached per host"


def test_crawl_delay_spaces_requests(http_server: Scripted) -> None:
    http_server.routes["/robots.txt"] = robots("User-agent: *\nCrawl-delay: 1\n")
    for p in ("/a", "/b", "/c"):
        http_server.routes[p] = ok()
    c = client()
    for p in ("/a", "/b", "/c"):
        assert c.get(http_server.url + p).ok
    times = [h.at for h in http_server.hits if h.path in ("/a", "/b", "/c")]
    gaps = [b - a for a, b in pairwise(times)]
    assert all(g >= 0.95 for g in gaps), gaps


def test_min_interval_per_host_from_server_timestamps(http_server: Scripted) -> None:
    for n in range(4):
        http_server.routes[f"/p{n}"] = ok()
    c = client(min_interval_s=0.3)
    for n in range(4):
        assert c.get(f"{http_server.url}/p{n}").ok
    times = [h.at for h in http_server.hits if h.path.startswith("/p")]
    assert all(b - a >= 0.28 for a, b in pairwise(times)), times


def test_429_with_retry_after_is_waited_out(http_server: Scripted) -> None:
    calls = {"n": 0}

    def limited(_req):
        calls["n"] += 1
        if calls["n"] == 1:
            return 429, {"Retry-After": "1", "Content-Type": "text/plain"}, b"slow down"
        return 200, {"Content-Type": "text/html"}, b"<p>ok</p>"

    http_server.routes["/limited"] = limited
    result = client().get(f"{http_server.url}/limited")
    hits = http_server.hits_for("/limited")
    assert result.ok and result.retries == 1
    assert hits[1].at - hits[0].at >= 0.95, "Retry-After: 1 means at least a second"


def test_503_then_success(http_server: Scripted) -> None:
    answers = iter([(503, {}, b"busy"), (200, {"Content-Type": "text/html"}, b"<p>back</p>")])
    http_server.routes["/flaky"] = lambda _req: next(answers)
    result = client().get(f"{http_server.url}/flaky")
    assert result.ok and result.body == b"<p>back</p>" and result.retries == 1


def test_persistent_500_gives_up_with_an_error(http_server: Scripted) -> None:
    http_server.routes["/broken"] = lambda _req: (500, {}, b"oops")
    result = client(max_retries=2).get(f"{http_server.url}/broken")
    assert not result.ok and result.error == "HTTP 500 after 2 retries"
    assert len(http_server.hits_for("/broken")) == 3


def test_timeout_is_retried_then_reported(http_server: Scripted) -> None:
    def slow(_req):
        time.sleep(1.5)
        return 200, {"Content-Type": "text/html"}, b"late"

    http_server.routes["/slow"] = slow
    result = client(read_timeout_s=0.4, max_retries=1).get(f"{http_server.url}/slow")
    assert result.status is None and result.error is not None and result.error.startswith("timeout")
    assert result.retries == 1
    assert len(http_server.hits_for("/slow")) == 2


def test_redirect_loop_is_detected(http_server: Scripted) -> None:
    http_server.routes["/one"] = lambda _req: (302, {"Location": "/two"}, b"")
    http_server.routes["/two"] = lambda _req: (302, {"Location": "/one"}, b"")
    result = client().get(f"{http_server.url}/one")
    assert result.error is not None and result.error.startswith("redirect loop")
    assert len(http_server.hits_for("/one")) == 1 and len(http_server.hits_for("/two")) == 1


def test_off_domain_redirect_is_refused(http_server: Scripted) -> None:
    port = http_server.url.rsplit(":", 1)[1]
    http_server.routes["/away"] = lambda _req: (301, {"Location": f"http://localhost:{port}/elsewhere"}, b"")
    http_server.routes["/elsewhere"] = ok()
    result = client().get(f"{http_server.url}/away")
    assert result.error == f"off-domain redirect refused: http://localhost:{port}/elsewhere"
    assert not http_server.hits_for("/elsewhere")


def test_in_domain_redirect_is_followed(http_server: Scripted) -> None:
    http_server.routes["/old"] = lambda _req: (301, {"Location": "/new"}, b"")
    http_server.routes["/new"] = ok(b"<p>moved</p>")
    result = client().get(f"{http_server.url}/old")
    assert result.ok and result.final_url.endswith("/new") and result.url.endswith("/old")


def test_oversized_body_is_cut_off(http_server: Scripted) -> None:
    big = b"x" * 50_000
    http_server.routes["/declared"] = ok(big)

    def undeclared(req):
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.send_header("Connection", "close")
        req.end_headers()
        req.wfile.write(big)
        return -1, {}, b""

    http_server.routes["/undeclared"] = undeclared
    c = client(max_bytes=10_000)
    declared, streamed = c.get(f"{http_server.url}/declared"), c.get(f"{http_server.url}/undeclared")
    assert declared.error is not None and declared.error.startswith("oversized body: Content-Length 50000")
    assert streamed.error is not None and streamed.error.startswith("oversized body: more than 10000")


def _cp1258(text: str) -> bytes:
    """Windows-1258 bytes as legacy Vietnamese sites send them: base letters precomposed, tone marks combining."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for cluster in re.findall(r".[\u0300-\u036f]*", unicodedata.normalize("NFD", text)):
        shape = cluster[0] + "".join(c for c in cluster[1:] if c not in tones)
        out.append(unicodedata.normalize("NFC", shape) + "".join(c for c in cluster[1:] if c in tones))
    return "".join(out).encode("cp1258")


def test_charsets_header_meta_missing_and_wrong(http_server: Scripted) -> None:
    page = f"<html><body><p>{VI}</p></body></html>"
    http_server.routes["/legacy"] = ok(_cp1258(page), "text/html; charset=windows-1258")
    with_meta = page.replace("<body>", '<head><meta charset="windows-1258"></head><body>')
    http_server.routes["/meta"] = ok(_cp1258(with_meta), "text/html")
    http_server.routes["/missing"] = ok(page.encode("utf-8"), "text/html")
    http_server.routes["/wrong"] = ok(page.encode("utf-8"), "text/html; charset=iso-8859-1")
    c = client()
    for path in ("/legacy", "/meta", "/missing", "/wrong"):
        text = c.get(http_server.url + path).text
        assert VI in text, path
        assert unicodedata.is_normalized("NFC", text), path


def test_conditional_request_gets_304(http_server: Scripted) -> None:
    def cached(req):
        if req.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"ETag": '"v1"', "Content-Type": "text/html"}, b"<p>page</p>"

    http_server.routes["/page"] = cached
    c = client()
    first = c.get(f"{http_server.url}/page")
    second = c.get(f"{http_server.url}/page", {"If-None-Match": first.headers["etag"]})
    assert first.ok and second.not_modified and second.body == b""


def test_gzip_body_is_decoded_and_raw_kept(http_server: Scripted) -> None:
    packed = gzip.compress(VI.encode())
    http_server.routes["/gz"] = ok(packed, "text/plain; charset=utf-8", **{"Content-Encoding": "gzip"})
    result = client().get(f"{http_server.url}/gz")
    assert result.ok and result.text == VI and result.raw == packed


def test_identifying_user_agent(http_server: Scripted) -> None:
    http_server.routes["/ua"] = ok()
    client().get(f"{http_server.url}/ua")
    assert http_server.hits_for("/ua")[0].headers["user-agent"].startswith("phoihop/")
