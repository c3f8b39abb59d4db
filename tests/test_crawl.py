"""Discovery parsers and the crawler: feeds, sitemap indexes with news sitemaps, listings paged down to a date,
incremental runs on the replay, and a crash mid-run that loses nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq
from conftest import Scripted

from phoihop.config import Discovery, RateLimit, source_by_id
from scrapers.crawl import crawl_source
from scrapers.discover import parse_feed, parse_listing, parse_sitemap

VN = dt.timezone(dt.timedelta(hours=7))


def test_rss_and_atom_feeds() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><item><title>A</title>
      <link>https://example.vn/a-1.html</link><pubDate>Fri, 09 Jul 2021 11:51:51 GMT</pubDate></item>
      <item><title>B</title><guid>https://example.vn/b-2.html</guid></item></channel></rss>"""
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>C</title>
      <link href="/c-3.html"/><updated>2021-07-10T08:00:00+07:00</updated></entry></feed>"""
    links = parse_feed(rss, "https://example.vn/rss").links
    assert [link.url for link in links] == ["https://example.vn/a-1.html", "https://example.vn/b-2.html"]
    assert links[0].published == dt.datetime(2021, 7, 9, 11, 51, 51, tzinfo=dt.UTC)
    entry = parse_feed(atom, "https://example.vn/feed").links[0]
    assert entry.url == "https://example.vn/c-3.html" and entry.published == dt.datetime(2021, 7, 10, 8, tzinfo=VN)


def test_sitemap_index_and_news_sitemap() -> None:
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://example.vn/news.xml</loc></sitemap><sitemap><loc>https://example.vn/2021-07.xml</loc>
      </sitemap></sitemapindex>"""
    news = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://example.vn/x-9.html</loc>
      <news:news><news:publication><news:name>Example</news:name></news:publication>
      <news:publication_date>2021-07-09T18:51:51+07:00</news:publication_date></news:news></url></urlset>"""
    top = parse_sitemap(index, "https://example.vn/sitemap.xml")
    assert top.children == ["https://example.vn/news.xml", "https://example.vn/2021-07.xml"] and not top.links
    item = parse_sitemap(news, "https://example.vn/news.xml").links[0]
    assert item.url == "https://example.vn/x-9.html"
    assert item.published == dt.datetime(2021, 7, 9, 18, 51, 51, tzinfo=VN)


def test_listing_links_and_next_page() -> None:
    page = """<html><body><div class="item"><a href="/tin/a-1.html">A</a><span class="time">09/07/2021 18:36</span>
      </div><a href="/lien-he">Liên hệ</a><a class="next" href="?trang=2">Trang sau</a></body></html>"""
    listing = parse_listing(page, "https://example.vn/tin/", r"/tin/[a-z0-9-]+-\d+\.html$", "a.next")
    assert [link.url for link in listing.links] == ["https://example.vn/tin/a-1.html"]
    assert listing.links[0].published == dt.datetime(2021, 7, 9, 18, 36, tzinfo=VN)
    assert listing.next_page == "https://example.vn/tin/?trang=2"


@dataclass
class FakeSource:
    """A source as the crawler sees it, pointing at the scripted server."""

    id: str
    allowed_domains: list[str]
    article_url_pattern: str
    discovery: list[Discovery]
    rate_limit: RateLimit = field(default_factory=lambda: RateLimit(min_interval_s=0.0))
    revisit_days: int = 2


def test_listing_pagination_stops_at_the_crawl_window(http_server: Scripted, tmp_path: Path) -> None:
    base = http_server.url
    day = dt.date(2021, 9, 30)
    for page in range(1, 6):  # five pages of four items, newest first, one day apart
        items = ""
        for n in range(4):
            k = (page - 1) * 4 + n
            when = day - dt.timedelta(days=k)
            items += (f'<div class="item"><a href="/tin/bai-{k}.html">Bài {k}</a>'
                      f'<span class="time">{when:%d/%m/%Y} 08:00</span></div>')
        nxt = f'<a class="next" href="/tin/?trang={page + 1}">Trang sau</a>' if page < 5 else ""
        path = "/tin/" if page == 1 else f"/tin/?trang={page}"
        http_server.routes[path] = (lambda body: lambda _r: (200, {"Content-Type": "text/html"}, body))(
            f"<html><body>{items}{nxt}</body></html>".encode())
    for k in range(20):
        http_server.routes[f"/tin/bai-{k}.html"] = lambda _r: (200, {"Content-Type": "text/html"}, b"<p>x</p>")
    source = FakeSource("fake", ["127.0.0.1"], r"/tin/bai-\d+\.html$",
                        [Discovery(type="listing", url=f"{base}/tin/", next_page="a.next")])
    since = dt.datetime(2021, 9, 23, tzinfo=VN)  # items 0..7 are inside the window
    summary = crawl_source(source, "r1", tmp_path / "raw", tmp_path / "state", tmp_path / "staging", since=since)
    assert summary.counts["discovered"] == 8 and summary.counts["fetched"] == 8
    pages = [h.path for h in http_server.hits if h.path.startswith("/tin/") and not h.path.endswith(".html")]
    assert pages == ["/tin/", "/tin/?trang=2", "/tin/?trang=3"], "paging stops after the first page older than the window"


def _counts(path: str) -> dict[str, int]:
    rows = pq.read_table(path).to_pylist()
    out: dict[str, int] = {}
    for r in rows:
        key = f"{r['kind']}:{r['outcome']}"
        out[key] = out.get(key, 0) + 1
    return out


def test_second_run_fetches_no_article_again(replay_url: str, tmp_path: Path) -> None:
    source = source_by_id("dcs_tphcm")
    dirs = (tmp_path / "raw", tmp_path / "state", tmp_path / "staging")
    first = crawl_source(source, "night1", *dirs, replay=replay_url)
    second = crawl_source(source, "night2", *dirs, replay=replay_url)
    assert _counts(first.fetch_log)["article:fetched"] == 22
    assert _counts(second.fetch_log) == {"discovery:not_modified": 2}, "only conditional index requests, all 304"
    assert second.counts["fetched"] == 0


def test_recent_article_is_rechecked_and_an_edit_is_captured(http_server: Scripted, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    today = dt.datetime.now(VN)
    version = {"body": b"<html><body><p>first version</p></body></html>", "etag": '"v1"'}

    def article(req):  # type: ignore[no-untyped-def]
        if req.headers.get("If-None-Match") == version["etag"]:
            return 304, {"ETag": version["etag"]}, b""
        return 200, {"Content-Type": "text/html", "ETag": version["etag"]}, version["body"]

    feed = (f'<rss><channel><item><link>{http_server.url}/tin/moi-1.html</link>'
            f'<pubDate>{today.strftime("%a, %d %b %Y %H:%M:%S %z")}</pubDate></item></channel></rss>').encode()
    http_server.routes["/rss"] = lambda _r: (200, {"Content-Type": "application/rss+xml"}, feed)
    http_server.routes["/tin/moi-1.html"] = article
    source = FakeSource("fake", ["127.0.0.1"], r"/tin/moi-\d+\.html$",
                        [Discovery(type="rss", url=f"{http_server.url}/rss")])
    dirs = (tmp_path / "raw", tmp_path / "state", tmp_path / "staging")
    crawl_source(source, "n1", *dirs)
    from scrapers.state import CrawlState

    state = CrawlState(tmp_path / "state" / "fake.sqlite")
    state.mark_done([u for u, _, _ in state.pending()])
    state.db.execute("UPDATE urls SET last_fetched = '2000-01-01T00:00:00+00:00'")  # as if checked long ago
    second = crawl_source(source, "n2", *dirs)
    assert second.counts["revisited"] == 1 and second.counts["not_modified"] == 1
    assert pq.read_table(second.captures).num_rows == 0, "an unchanged page is not extracted again"
    version.update(body=b"<html><body><p>edited version</p></body></html>", etag='"v2"')
    state.db.execute("UPDATE urls SET last_fetched = '2000-01-01T00:00:00+00:00'")
    third = crawl_source(source, "n3", *dirs)
    assert third.counts["fetched"] == 1
    port = http_server.url.rsplit(":", 1)[1]
    assert pq.read_table(third.captures).column("url").to_pylist() == [f"https://127.0.0.1:{port}/tin/moi-1.html"]
