"""Build the offline demo portals deterministically from demo/*.yaml and write them as a WARC archive."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from phoihop.settings import PROJECT_ROOT

DEMO_DIR = PROJECT_ROOT / "demo"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
CRAWLED_AT = dt.datetime(2021, 10, 1, 0, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class DemoArticle:
    """One article of a demo portal, with the fields a perfect extractor returns."""

    portal: str
    url: str
    slug: str
    published: dt.datetime
    title: str
    lead: str
    body: list[str]
    author: str
    themes: list[str]
    format: str = "news"
    images: list[str] = field(default_factory=list)
    video: bool = False
    tags: list[str] = field(default_factory=list)
    source_line: str | None = None
    copy_of: str | None = None


@dataclass(frozen=True)
class Page:
    """One HTTP resource of the demo archive."""

    url: str
    content_type: str
    body: bytes
    modified: dt.datetime


def load_articles(demo_dir: Path = DEMO_DIR) -> tuple[dict[str, dict[str, Any]], list[DemoArticle]]:
    """The portals and their articles, in publication order, copies resolved against their originals."""
    portals: dict[str, dict[str, Any]] = yaml.safe_load((demo_dir / "portals.yaml").read_text("utf-8"))["portals"]
    raw: dict[str, dict[str, Any]] = {}
    order: list[tuple[str, dict[str, Any]]] = []
    for name in portals:
        spec = yaml.safe_load((demo_dir / f"{name}.yaml").read_text("utf-8"))
        for item in spec["articles"]:
            raw[f"{name}/{item['slug']}"] = item
            order.append((name, item))
    articles = []
    for num, (name, item) in enumerate(order, start=1001):
        base = raw[item["copy_of"]] if "copy_of" in item else item
        portal = portals[name]
        published = dt.datetime.fromisoformat(item["date"]).replace(tzinfo=VN)
        path = portal["article_path"].format(slug=item["slug"], num=num)
        articles.append(
            DemoArticle(
                portal=name,
                url=f"http://{portal['host']}{path}",
                slug=item["slug"],
                published=published,
                title=base["title"],
                lead=base["lead"],
                body=list(base["body"]),
                author=item.get("author", base.get("author", "")),
                themes=list(item["themes"]),
                format=base.get("format", "news"),
                images=list(base.get("images", [])),
                video=bool(base.get("video", False)),
                tags=list(base.get("tags", [])),
                source_line=item.get("source_line"),
                copy_of=item.get("copy_of"),
            )
        )
    articles.sort(key=lambda a: (a.published, a.url))
    return portals, articles


def date_line(style: str, when: dt.datetime) -> str:
    """A Vietnamese date line as the portal prints it."""
    wd = WEEKDAYS[when.weekday()]
    if style == "pipe":
        return f"{wd}, {when:%d/%m/%Y}|{when:%H:%M}"
    if style == "space":
        return f"{wd.replace('Thứ S', 'Thứ s').replace('Thứ B', 'Thứ b')}, {when:%d/%m/%Y %H:%M}"
    return f"{wd}, ngày {when.day} tháng {when.month} năm {when.year} | {when:%H:%M:%S}"


def _menu(portal: dict[str, Any]) -> str:
    items = ["Trang chủ", "Chính trị", "Kinh tế", "Văn hóa - Xã hội", portal["section"], "Quốc tế", "Multimedia"]
    links = "".join(f'<li><a href="{portal["section_path"] if i == portal["section"] else "/"}">{escape(i)}</a></li>'
                    for i in items)
    return f'<header class="site-header"><div class="logo">{escape(portal["outlet"])}</div>' \
           f'<nav class="main-menu"><ul>{links}</ul></nav>' \
           '<form class="search" action="/tim-kiem/"><input name="q" placeholder="Tìm kiếm"></form></header>'


def _footer(portal: dict[str, Any]) -> str:
    return (f'<footer class="site-footer"><p>© {escape(portal["outlet"])}. Giấy phép số 123/GP-BTTTT.</p>'
            '<p>Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p>'
            '<a class="to-top" href="#top">To Top</a></footer>')


def _body_html(article: DemoArticle) -> str:
    parts = [f"<p>{escape(p)}</p>" for p in article.body]
    for i, caption in enumerate(article.images):
        fig = (f'<figure class="image"><img src="/media/{article.slug}-{i + 1}.jpg" alt="{escape(caption)}">'
               f"<figcaption>{escape(caption)}</figcaption></figure>")
        parts.insert(min(1 + i, len(parts)), fig)
    if article.video:
        parts.insert(0, f'<div class="video-player"><video controls src="/media/{article.slug}.mp4"></video></div>')
    if article.source_line:
        parts.append(f'<p class="source"><em>{escape(article.source_line)}</em></p>')
    return "\n".join(parts)


def _related(portal: dict[str, Any], related: list[DemoArticle]) -> str:
    heading = "Tin cùng chuyên mục" if portal["date_style"] != "space" else "Các tin khác"
    items = "".join(f'<li><a href="{a.url}">{escape(a.title)}</a></li>' for a in related)
    return f'<aside class="related-news"><h3>{heading}</h3><ul>{items}</ul></aside>'


COMMENTS = ('<section class="comments"><h3>Ý kiến bạn đọc</h3><form class="comment-form" action="/binh-luan/">'
            '<textarea name="content" placeholder="Nhập ý kiến của bạn"></textarea>'
            '<input name="name" placeholder="Họ tên"><button type="submit">Gửi bình luận</button></form></section>')
SHARE = ('<div class="share-bar"><span>Chia sẻ</span><a class="fb" href="#">Facebook</a>'
         '<a class="zalo" href="#">Zalo</a><a class="print" href="#">In bài</a></div>')


def render_article(portal: dict[str, Any], article: DemoArticle, related: list[DemoArticle]) -> str:
    """The HTML page of one article, with the portal's furniture."""
    title, when = escape(article.title), article.published
    head_meta = '<meta charset="utf-8">' if portal["charset"] == "header" else \
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    head = (f'<!DOCTYPE html><html lang="vi"><head>{head_meta}<title>{title} - {escape(portal["outlet"])}</title>'
            f'<link rel="canonical" href="{article.url}"><meta property="og:title" content="{title}">'
            f'<meta property="og:site_name" content="{escape(portal["outlet"])}">'
            f'<meta name="description" content="{escape(article.lead)}">')
    tags = "".join(f'<a href="/tag/{escape(t)}">{escape(t)}</a>' for t in article.tags)
    tag_box = f'<div class="tags"><span>Từ khóa:</span>{tags}</div>' if tags else ""
    byline = f'<p class="author"><strong>{escape(article.author)}</strong></p>' if article.author else ""
    style = portal["date_style"]
    if style == "pipe":
        main = (f'<div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="{portal["section_path"]}">'
                f'{escape(portal["section"])}</a></div><article class="detail">'
                f'<h1 class="detail-title">{title}</h1><div class="detail-date">{date_line(style, when)}</div>{SHARE}'
                f'<div class="detail-sapo"><strong>{escape(article.lead)}</strong></div>'
                f'<div class="detail-content">{_body_html(article)}{byline}</div>{tag_box}</article>')
    elif style == "space":
        ld = ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
              f'"headline":"{title}","datePublished":"{when.isoformat()}"}}</script>')
        head += ld
        main = (f'<div class="article-page"><div class="cat"><a href="{portal["section_path"]}">'
                f'{escape(portal["section"])}</a></div><h1 class="article-title">{title}</h1>'
                f'<div class="meta"><span class="date">{date_line(style, when)}</span></div>'
                f'<h2 class="sapo">{escape(article.lead)}</h2><div id="content" class="article-body">'
                f'{_body_html(article)}<p style="text-align:right"><b>{escape(article.author)}</b></p></div>'
                f'{SHARE}{tag_box}</div>')
    else:
        main = (f'<main><article class="post"><div class="post-cat">{escape(portal["section"])}</div>'
                f'<h1 class="post-title">{title}</h1><div class="post-time">{date_line(style, when)}</div>'
                f'<p class="post-sapo">{escape(article.lead)}</p>{SHARE}<div class="post-content">'
                f'{_body_html(article)}</div><div class="post-author">{escape(article.author)}</div>{tag_box}'
                f'</article></main>')
    return (f"{head}</head><body id='top'>{_menu(portal)}{main}{_related(portal, related)}{COMMENTS}"
            f"{_footer(portal)}</body></html>")


def _listing(portal: dict[str, Any], items: list[DemoArticle], page: int, pages: int) -> str:
    rows = "".join(f'<div class="item"><a class="title" href="{a.url}">{escape(a.title)}</a>'
                   f'<span class="time">{a.published:%d/%m/%Y %H:%M}</span><p>{escape(a.lead)}</p></div>'
                   for a in items)
    nav = ""
    if page < pages:
        nxt = _listing_path(portal, page + 1)
        nav = f'<div class="paging"><a class="next" rel="next" href="{nxt}">Trang sau</a></div>'
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{escape(portal["section"])}'
            f'</title></head><body>{_menu(portal)}<h1>{escape(portal["section"])}</h1>'
            f'<div class="list">{rows}</div>{nav}<a href="/tim-kiem/?q=covid">Tìm kiếm</a>{_footer(portal)}</body></html>')


def _listing_path(portal: dict[str, Any], page: int) -> str:
    base = portal["section_path"]
    if page == 1:
        return str(base)
    return f"{base}?trang={page}" if portal["listing"] == "query" else f"{base}trang-{page}/"


def _rss(portal: dict[str, Any], items: list[DemoArticle]) -> str:
    entries = "".join(
        f"<item><title>{escape(a.title)}</title><link>{a.url}</link><guid>{a.url}</guid>"
        f"<pubDate>{format_datetime(a.published)}</pubDate><description>{escape(a.lead)}</description></item>"
        for a in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{escape(portal["outlet"])}'
            f' - {escape(portal["section"])}</title><link>http://{portal["host"]}{portal["section_path"]}</link>'
            f"{entries}</channel></rss>")


def _sitemaps(portal: dict[str, Any], items: list[DemoArticle]) -> dict[str, str]:
    host = f"http://{portal['host']}"
    months = sorted({a.published.strftime("%Y-%m") for a in items})
    index = "".join(f"<sitemap><loc>{host}/sitemaps/{m}.xml</loc></sitemap>" for m in months)
    out = {"/sitemap.xml": '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/'
           f'schemas/sitemap/0.9"><sitemap><loc>{host}/sitemaps/news.xml</loc></sitemap>{index}</sitemapindex>'}
    for m in months:
        urls = "".join(f"<url><loc>{a.url}</loc><lastmod>{a.published.isoformat()}</lastmod></url>"
                       for a in items if a.published.strftime("%Y-%m") == m)
        out[f"/sitemaps/{m}.xml"] = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
                                     f'schemas/sitemap/0.9">{urls}</urlset>')
    news = "".join(
        f"<url><loc>{a.url}</loc><news:news><news:publication><news:name>{escape(portal['outlet'])}</news:name>"
        f"<news:language>vi</news:language></news:publication><news:publication_date>{a.published.isoformat()}"
        f"</news:publication_date><news:title>{escape(a.title)}</news:title></news:news></url>"
        for a in items[-10:])
    out["/sitemaps/news.xml"] = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
                                 'schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                                 f"{news}</urlset>")
    return out


def build_pages(demo_dir: Path = DEMO_DIR) -> list[Page]:
    """Every resource of the three demo portals, in a stable order."""
    portals, articles = load_articles(demo_dir)
    pages: list[Page] = []
    for name, portal in portals.items():
        host = f"http://{portal['host']}"
        own = [a for a in articles if a.portal == name]
        newest = sorted(own, key=lambda a: a.published, reverse=True)
        latest = newest[0].published
        html_type = "text/html; charset=utf-8" if portal["charset"] == "header" else "text/html"
        pages.append(Page(f"{host}/robots.txt", "text/plain",
                          b"User-agent: *\nDisallow: /tim-kiem/\nDisallow: /binh-luan/\n", latest))
        for i, article in enumerate(own):
            related = own[max(0, i - 3):i] or own[i + 1:i + 4]
            pages.append(Page(article.url, html_type, render_article(portal, article, related).encode(), article.published))
        size = int(portal["page_size"])
        chunks = [newest[i:i + size] for i in range(0, len(newest), size)]
        home = _listing(portal, newest[:5], 1, 1).replace(f"<h1>{escape(portal['section'])}</h1>", "<h1>Tin mới</h1>")
        pages.append(Page(f"{host}/", html_type, home.encode(), latest))
        if portal["listing"] != "none":
            for n, chunk in enumerate(chunks, start=1):
                pages.append(Page(f"{host}{_listing_path(portal, n)}", html_type,
                                  _listing(portal, chunk, n, len(chunks)).encode(), latest))
        if "rss" in portal:
            pages.append(Page(f"{host}{portal['rss']}", "application/rss+xml; charset=utf-8",
                              _rss(portal, newest[:15]).encode(), latest))
        if "sitemap" in portal:
            for path, xml in _sitemaps(portal, own).items():
                pages.append(Page(f"{host}{path}", "application/xml; charset=utf-8", xml.encode(), latest))
    return pages


def _records(pages: list[Page]) -> Iterator[tuple[Page, StatusAndHeaders]]:
    for page in pages:
        etag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
        headers = StatusAndHeaders("200 OK", [
            ("Content-Type", page.content_type),
            ("Content-Length", str(len(page.body))),
            ("ETag", etag),
            ("Last-Modified", format_datetime(page.modified.astimezone(dt.UTC), usegmt=True)),
            ("Date", format_datetime(CRAWLED_AT, usegmt=True)),
        ], protocol="HTTP/1.1")
        yield page, headers


def write_archive(target: Path, demo_dir: Path = DEMO_DIR) -> Path:
    """Write the demo portals to a gzipped WARC file; the same sources give the same bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    date = CRAWLED_AT.strftime("%Y-%m-%dT%H:%M:%SZ")
    for page, headers in _records(build_pages(demo_dir)):
        record_id = f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, page.url)}>"
        record = writer.create_warc_record(
            page.url, "response", payload=io.BytesIO(page.body), http_headers=headers,
            warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": record_id},
        )
        writer.write_record(record)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(target)
    return target
