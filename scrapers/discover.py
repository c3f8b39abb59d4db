"""Find article URLs: RSS/Atom feeds, sitemap indexes and news sitemaps, paginated listing pages (pure parsers)."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from lxml import etree

from scrapers.dates import VN, parse_iso, parse_vietnamese

TIME_CLASS = re.compile(r"time|date|ngay", re.I)


@dataclass(frozen=True)
class Link:
    """A discovered URL with the publication time its index gave, when it gave one."""

    url: str
    published: dt.datetime | None = None


@dataclass(frozen=True)
class Listing:
    """What one index document yielded: article links, further index documents, and the next page."""

    links: list[Link]
    children: list[str]
    next_page: str | None = None


def _when(value: str | None) -> dt.datetime | None:
    """A publication time from a feed, sitemap or listing: ISO 8601, RFC 822, or a Vietnamese date line."""
    if not value or not value.strip():
        return None
    value = value.strip()
    when = parse_iso(value)
    if when:
        return when
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return parse_vietnamese(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VN)


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def parse_feed(xml: bytes, base: str) -> Listing:
    """Links of an RSS 2.0 or Atom feed."""
    root = etree.fromstring(xml, parser=etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    links: list[Link] = []
    if root is None:
        return Listing([], [])
    for item in root.iter():
        name = _local(item.tag)
        if name not in ("item", "entry"):
            continue
        url, published = None, None
        for child in item:
            cname = _local(child.tag)
            if cname == "link":
                url = child.get("href") or (child.text or "").strip() or url
            elif cname == "guid" and not url and (child.text or "").startswith("http"):
                url = child.text.strip() if child.text else None
            elif cname in ("pubdate", "published", "updated", "date") and not published:
                published = _when(child.text)
        if url:
            links.append(Link(urljoin(base, url), published))
    return Listing(links, [])


def parse_sitemap(xml: bytes, base: str) -> Listing:
    """Links of a sitemap (with Google News publication dates) or the child sitemaps of an index."""
    root = etree.fromstring(xml, parser=etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    if root is None:
        return Listing([], [])
    if _local(root.tag) == "sitemapindex":
        children = [urljoin(base, (e.text or "").strip()) for e in root.iter() if _local(e.tag) == "loc"]
        return Listing([], children)
    links = []
    for url_el in root:
        if _local(url_el.tag) != "url":
            continue
        loc, when = None, None
        for e in url_el.iter():
            name = _local(e.tag)
            if name == "loc" and loc is None:
                loc = (e.text or "").strip()
            elif name == "publication_date" or (name == "lastmod" and when is None):
                when = _when(e.text) or when
        if loc:
            links.append(Link(urljoin(base, loc), when))
    return Listing(links, [])


def parse_listing(page: str, base: str, article_pattern: str, next_selector: str | None) -> Listing:
    """Article links of a listing page (those matching the source's pattern), the time printed beside each,
    and the next-page link (BeautifulSoup: listing pages are often the worst-formed HTML of a portal)."""
    soup = BeautifulSoup(page or "", "lxml")
    pattern = re.compile(article_pattern)
    links: list[Link] = []
    seen: set[str] = set()
    for a in soup.find_all("a", href=True):
        url = urljoin(base, str(a["href"]).strip())
        if pattern.search(url) and url not in seen:
            seen.add(url)
            stamp = a.parent.find(class_=TIME_CLASS) if a.parent is not None else None
            links.append(Link(url, _when(stamp.get_text(" ", strip=True)) if stamp is not None else None))
    found = soup.select_one(next_selector) if next_selector else soup.select_one("a[rel=next], link[rel=next]")
    nxt = urljoin(base, str(found["href"])) if found is not None and found.get("href") else None
    return Listing(links, [], nxt)
