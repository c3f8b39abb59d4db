"""Headline, section, dates, language and format of a page (the fields read from its metadata and head)."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from lxml.etree import _Element

from scrapers.dates import VN, from_url, parse_iso, parse_vietnamese
from scrapers.page import VI_CHARS, Classed, has_word, is_site_name, norm, text_of

DATE_CLASS = ("date", "time", "publish", "ngay-dang", "ngaydang", "posted", "meta")
FORMAT_PREFIX = re.compile(r"^\s*[\[(]\s*(ảnh|photo|video|clip|infographic|info|megastory|emagazine|e-magazine|"
                           r"longform|podcast|audio|phóng sự ảnh)\s*[\])]", re.I)
FORMATS = {"ảnh": "photo_report", "photo": "photo_report", "phóng sự ảnh": "photo_report", "video": "video",
           "clip": "video", "infographic": "infographic", "info": "infographic", "megastory": "megastory",
           "emagazine": "megastory", "e-magazine": "megastory", "longform": "megastory", "podcast": "audio",
           "audio": "audio"}
SITE_SUFFIX = re.compile(r"\s*(?:\s[|｜\-–—·:»]\s|[|｜：ㅣ])\s*([^|｜ㅣ]{1,40})$")  # ㅣ: Korean sites' pipe
FURNITURE_SUFFIX = re.compile(r"\s*(?:[|｜ㅣ]|\s[-–—]\s)")


def clean_title(text: str, names: set[str], page_title: str = "") -> str:
    """A headline candidate without HTML entities and without the site name glued to its end ("X | Site")."""
    text = norm(html.unescape(text))
    for _ in range(3):
        m = SITE_SUFFIX.search(text)
        if not m or m.start() == 0:
            break
        tail = m.group(1).strip()
        shared = page_title.casefold().endswith(tail.casefold()) and not page_title.casefold().startswith(
            text.casefold())
        if not (is_site_name(tail, names) or shared):
            break
        text = text[:m.start()].strip()
    return text


def page_title(doc: _Element) -> str:
    """The page's <title>, white space folded."""
    return norm(doc.findtext(".//title") or "")


def declared_headlines(doc: _Element, meta: dict[str, str], ld: dict[str, Any], names: set[str]) -> list[str]:
    """The headlines the page declares for machines: JSON-LD, og:title, twitter:title, cleaned; often not the
    printed one, and printed above the text with a kicker all the same."""
    title = page_title(doc)
    return [clean_title(v, names, title) for v in (ld.get("headline"), meta.get("og:title"),
                                                   meta.get("twitter:title")) if isinstance(v, str) and v.strip()]


def headline(doc: _Element, declared: list[str], hinted: list[_Element], names: set[str]) -> str:
    """The headline: a hint, else the first of the declared headlines (JSON-LD, og:title, twitter:title), <title>,
    h1; cleaned."""
    if hinted:
        return text_of(hinted[0])
    if declared:
        # "Headline | Sport" beside "Headline": the other declaration is the same headline without a section label
        return next((short for short in declared if len(short) >= 15 and declared[0].startswith(short)
                     and FURNITURE_SUFFIX.match(declared[0][len(short):])), declared[0])
    title = page_title(doc)
    h1 = next((t for t in (text_of(h) for h in doc.iter("h1")) if t), "")
    if h1 and h1 in title:
        return h1
    if title:
        cleaned = clean_title(title, names)
        if cleaned != title or not h1:
            return cleaned
    return h1 or title


def section_of(doc: _Element, meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    """The section: JSON-LD articleSection, article:section, else the last breadcrumb link."""
    declared = ld.get("articleSection") or meta.get("article:section")
    if isinstance(declared, list):
        declared = declared[0] if declared else None
    if declared:
        return str(declared)
    crumbs = doc.xpath("//*[contains(@class,'breadcrumb') or contains(@class,'cat')]//a")
    return (text_of(crumbs[-1]) or None) if crumbs else None


def publication_dates(doc: _Element, classed: Classed, meta: dict[str, str], ld: dict[str, Any], hinted: list[_Element],
               pattern: str | None, url: str, raw: str) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Published and modified datetimes: a hint, JSON-LD and meta tags, <time>, dated elements, htmldate, the URL."""
    modified = parse_iso(str(ld.get("dateModified") or "")) or parse_iso(meta.get("article:modified_time"))
    if hinted:
        return parse_vietnamese(text_of(hinted[0]), pattern), modified
    declared = [when for value in (ld.get("datePublished"), meta.get("article:published_time"),
                                   meta.get("og:published_time"), meta.get("datepublished"), meta.get("pubdate"),
                                   meta.get("publish-date"), meta.get("date"), meta.get("dc.date.issued"),
                                   meta.get("dc.date")) if value and (when := parse_iso(str(value)))]
    if declared:  # a time declared without a zone takes the zone of another tag that prints the same time
        wall = declared[0].replace(tzinfo=None)
        return next((w for w in declared if w.tzinfo is not VN and w.replace(tzinfo=None) == wall),
                    declared[0]), modified
    for el in doc.iter("time"):
        when = parse_iso(el.get("datetime")) or parse_vietnamese(text_of(el))
        if when:
            return when, modified
    for el, attrs in classed:
        if has_word(attrs, DATE_CLASS) and len(text_of(el)) < 120:
            when = parse_vietnamese(text_of(el))
            if when:
                return when, modified
    try:
        from htmldate import find_date

        found = find_date(raw, url=url, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S", extensive_search=False)
    except Exception:  # htmldate raises on odd markup; the URL is the last clue
        found = None
    return (parse_iso(found) if found else from_url(url)), modified


def page_language(declared: str | None, meta: dict[str, str], text: str) -> str | None:
    """The declared language, else Vietnamese when the text has enough Vietnamese letters."""
    lang = (declared or meta.get("og:locale") or meta.get("language") or "").lower()
    if lang:
        return re.split(r"[-_]", lang)[0]
    if text:
        letters = sum(ch.isalpha() for ch in text) or 1
        return "vi" if len(VI_CHARS.findall(text)) / letters > 0.03 else None
    return None


def article_format(title: str, meta: dict[str, str], images: int, videos: int, words: int) -> str:
    """news, article, photo_report, video, infographic, megastory or audio, from the title prefix and the page."""
    prefix = FORMAT_PREFIX.match(title)
    if prefix:
        return FORMATS[prefix.group(1).lower()]
    kind = (meta.get("og:type") or "").lower()
    if kind.startswith("video") or (videos and words < 200):
        return "video"
    if images >= 4 and words < 250:
        return "photo_report"
    return "article" if words >= 900 else "news"
