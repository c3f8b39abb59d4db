"""Find article URLs: RSS/Atom feeds, sitemap indexes and news sitemaps, paginated listing pages (pure parsers)."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

VN_OFFSET = dt.timezone(dt.timedelta(hours=7))


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
    if not value:
        return None
    value = value.strip()
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            match = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?", value)
            if not match:
                return None
            d, m, y, hh, mm = match.groups()
            when = dt.datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0))
    return when if when.tzinfo else when.replace(tzinfo=VN_OFFSET)


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
    """Article links of a listing page (those matching the source's pattern) and its next-page link."""
    doc = lxml_html.fromstring(page or "<html/>")
    pattern = re.compile(article_pattern)
    links: list[Link] = []
    seen: set[str] = set()
    for a in doc.iter("a"):
        href = a.get("href")
        if not href:
            continue
        url = urljoin(base, href.strip())
        if pattern.search(url) and url not in seen:
            seen.add(url)
            time_el = a.getparent().find(".//*[@class='time']") if a.getparent() is not None else None
            links.append(Link(url, _when(time_el.text_content()) if time_el is not None else None))
    nxt = None
    if next_selector:
        found = doc.cssselect(next_selector)
        if found and found[0].get("href"):
            nxt = urljoin(base, found[0].get("href"))
    else:
        rel = doc.xpath("//a[@rel='next']/@href | //link[@rel='next']/@href")
        nxt = urljoin(base, str(rel[0])) if rel else None
    return Listing(links, [], nxt)
