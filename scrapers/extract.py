"""HTML -> Article: a generic extractor (trafilatura + htmldate, tuned for Vietnamese news) plus per-source hints."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import trafilatura
from lxml import html as lxml_html
from lxml.etree import ParserError, _Element

from scrapers.article import Article
from scrapers.bylines import Byline, is_outlet, parse_line, split_authors
from scrapers.charsets import decode
from scrapers.dates import VN, from_url, parse_iso, parse_vietnamese
from scrapers.urls import canonicalise

log = logging.getLogger(__name__)

BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|related|relate|tin-?cung|cung-?chuyen-?muc|tin-?khac|other-?news|comment|"
    r"binh-?luan|menu|navbar|breadcrumb|footer|banner|advert|ads|quang-?cao|sidebar|toolbar|print|newsletter|"
    r"subscribe|to-?top|back-?to-?top|paging|pagination|most-?read|doc-?nhieu|tag-?list|box-?tag)(?:$|[\s_-])",
    re.I,
)
LEAD_CLASS = re.compile(r"(?:sapo|lead|summary|chapeau|intro|standfirst|teaser|excerpt|description|abstract|"
                        r"article__sapo|detail-sapo|post-sapo)", re.I)
DATE_CLASS = re.compile(r"(?:date|time|publish|ngay-?dang|posted|meta)", re.I)
AUTHOR_CLASS = re.compile(r"(?:author|byline|tac-?gia|writer|reporter|signature)", re.I)
FORMAT_PREFIX = re.compile(r"^\s*[\[(]\s*(ảnh|photo|video|clip|infographic|info|megastory|emagazine|e-magazine|"
                           r"longform|podcast|audio|phóng sự ảnh)\s*[\])]", re.I)
FORMATS = {"ảnh": "photo_report", "photo": "photo_report", "phóng sự ảnh": "photo_report", "video": "video",
           "clip": "video", "infographic": "infographic", "info": "infographic", "megastory": "megastory",
           "emagazine": "megastory", "e-magazine": "megastory", "longform": "megastory", "podcast": "audio",
           "audio": "audio"}
VIDEO_SRC = re.compile(r"youtube|youtu\.be|vimeo|dailymotion|/video|\.mp4|player", re.I)
TITLE_SPLIT = re.compile(r"\s+[|–—\-:»]\s+")
VI_CHARS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


class LayoutChanged(RuntimeError):
    """A configured hint no longer matches: the source changed its layout and its hints need updating."""

    def __init__(self, source: str, field: str, selector: str, url: str) -> None:
        super().__init__(f"layout changed at source {source!r}: hint {field}={selector!r} matches nothing on {url}")
        self.source, self.field, self.selector, self.url = source, field, selector, url


class HintsLike(Protocol):
    """Per-source CSS selectors (any object with these attributes)."""

    title: str | None
    lead: str | None
    body: str | None
    date: str | None
    author: str | None
    date_pattern: str | None


@dataclass(frozen=True)
class Context:
    """What extraction knows besides the page: the source's id, hints and the outlets' names."""

    source: str = ""
    hints: HintsLike | None = None
    outlets: frozenset[str] = frozenset()


def _text(el: _Element) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _attrs(el: _Element) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


def _meta(doc: _Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in doc.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").lower()
        if key and m.get("content") and key not in out:
            out[key] = _norm(m.get("content", ""))
    return out


def _jsonld(doc: _Element) -> dict[str, Any]:
    """The first NewsArticle-like JSON-LD object (graph members included)."""
    for script in doc.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text.strip())
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                if "@graph" in item:
                    stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [item["@graph"]])
                kind = item.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(str(k).endswith(("Article", "NewsArticle", "BlogPosting", "Report")) for k in kinds):
                    return item
            elif isinstance(item, list):
                stack.extend(item)
    return {}


def _select(doc: _Element, selector: str | None, ctx: Context, field: str, url: str) -> list[_Element]:
    if not selector:
        return []
    found = doc.cssselect(selector)
    if not found:
        raise LayoutChanged(ctx.source, field, selector, url)
    return list(found)


def _classed(doc: _Element) -> list[_Element]:
    """Elements that carry a class or an id (the only ones the class-name heuristics can match)."""
    return list(doc.xpath("//*[@class or @id]"))


def _strip_boilerplate(doc: _Element) -> None:
    for el in list(doc.iter("script", "style", "noscript", "nav", "form", "footer", "aside", "iframe", "svg")):
        if el.tag == "iframe" and VIDEO_SRC.search(el.get("src", "")):
            continue
        el.drop_tree()
    for el in _classed(doc):
        if el.tag not in ("html", "body") and BOILERPLATE.search(_attrs(el)) and el.getparent() is not None:
            el.drop_tree()


def _content_root(doc: _Element) -> _Element | None:
    """The element whose paragraphs hold the most text (where the body lives)."""
    scores: dict[_Element, int] = {}
    for p in doc.iter("p"):
        parent = p.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + len(_text(p))
    return max(scores, key=lambda k: scores[k]) if scores else None


def _title(doc: _Element, meta: dict[str, str], ld: dict[str, Any], hinted: list[_Element]) -> str:
    if hinted:
        return _text(hinted[0])
    candidates = [meta.get("og:title", ""), str(ld.get("headline", "") or ""), meta.get("twitter:title", "")]
    page_title = _norm(doc.findtext(".//title") or "")
    h1s = [_text(h) for h in doc.iter("h1") if _text(h)]
    for h1 in h1s:
        if any(c and (h1 == c or h1 in c or c in h1) for c in [*candidates, page_title]):
            return h1
    for c in candidates:
        if c:
            return TITLE_SPLIT.split(c)[0] if page_title and c == page_title else c
    if h1s:
        return h1s[0]
    parts = TITLE_SPLIT.split(page_title)
    return max(parts, key=len) if parts else page_title


def _published(doc: _Element, meta: dict[str, str], ld: dict[str, Any], hinted: list[_Element],
               pattern: str | None, url: str, raw: str) -> tuple[dt.datetime | None, dt.datetime | None]:
    modified = parse_iso(str(ld.get("dateModified") or "")) or parse_iso(meta.get("article:modified_time"))
    if hinted:
        return parse_vietnamese(_text(hinted[0]), pattern), modified
    for value in (ld.get("datePublished"), meta.get("article:published_time"), meta.get("og:published_time"),
                  meta.get("datepublished"), meta.get("pubdate"), meta.get("publish-date"), meta.get("date"),
                  meta.get("dc.date.issued"), meta.get("dc.date")):
        when = parse_iso(str(value)) if value else None
        if when:
            return when, modified
    for el in doc.iter("time"):
        when = parse_iso(el.get("datetime")) or parse_vietnamese(_text(el))
        if when:
            return when, modified
    for el in _classed(doc):
        if DATE_CLASS.search(_attrs(el)) and len(_text(el)) < 120:
            when = parse_vietnamese(_text(el))
            if when:
                return when, modified
    try:
        from htmldate import find_date

        found = find_date(raw, url=url, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S", extensive_search=False)
    except Exception:  # htmldate raises on odd markup; the URL is the last clue
        found = None
    return (parse_iso(found) if found else from_url(url)), modified


def _paragraphs(text: str) -> list[str]:
    return [p for p in (_norm(x) for x in re.split(r"\n+", text)) if p]


def _body(doc: _Element, raw: str, url: str, hinted: list[_Element]) -> list[str]:
    if hinted:
        paras: list[str] = []
        for el in hinted:
            blocks = [b for b in el.iter("p", "h2", "h3", "h4", "li", "blockquote") if _text(b)]
            paras.extend(_text(b) for b in blocks) if blocks else paras.append(_text(el))
        return paras
    extracted = trafilatura.extract(raw, url=url, include_comments=False, include_tables=True,
                                    deduplicate=False)
    return _paragraphs(extracted or "")


def _lead(doc: _Element, meta: dict[str, str], hinted: list[_Element], body: list[str]) -> str:
    if hinted:
        return _text(hinted[0])
    for el in _classed(doc):
        if el.tag not in ("html", "body", "meta") and LEAD_CLASS.search(_attrs(el)):
            text = _text(el)
            if 40 <= len(text) <= 1200:
                return text
    desc = meta.get("description") or meta.get("og:description") or ""
    if body and desc and (body[0] == desc or (len(desc) > 60 and body[0].startswith(desc[:60]))):
        return body[0]
    return ""


def _trim_head(body: list[str], title: str, lead: str, section: str | None) -> list[str]:
    """Drop the furniture an extractor keeps above the text: section label, title, date line, the lead again."""
    furniture = {title, lead, section or ""}
    start = 0
    for para in body[:6]:
        short = len(para) < 90
        if para in furniture or (lead and len(para) > 30 and lead.startswith(para)) or (
                short and (parse_vietnamese(para) is not None or len(para.split()) <= 3)):
            start += 1
            continue
        break
    return body[start:]


def _ld_names(value: Any) -> list[str]:
    """Author names of a JSON-LD author value (a string, a Person, or lists of them, nested)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return _ld_names(name) if name else []
    if isinstance(value, list):
        return [n for item in value for n in _ld_names(item)]
    return []


def _closing(body: list[str], byline_els: Iterable[_Element], outlets: frozenset[str]) -> tuple[list[str], Byline]:
    """Strip closing bylines and source lines from the body; return what they said."""
    author, source = None, None
    for el in byline_els:
        found = parse_line(_text(el), outlets)
        if found and found.author and not author:
            author = found.author
    trimmed = list(body)
    for _ in range(3):
        if not trimmed:
            break
        last = trimmed[-1]
        if len(last) < 80 and (last.casefold() in outlets or last.startswith(("©", "Copyright"))):
            trimmed.pop()  # the site's own name or copyright line under the text
            continue
        found = parse_line(last, outlets)
        if not found:
            break
        trimmed.pop()
        author = author or found.author
        source = source or found.syndicated_from
    return trimmed, Byline(author, source)


def _language(doc: _Element, meta: dict[str, str], text: str) -> str | None:
    lang = (doc.get("lang") or meta.get("og:locale") or meta.get("language") or "").lower()
    if lang:
        return re.split(r"[-_]", lang)[0]
    if text:
        letters = sum(ch.isalpha() for ch in text) or 1
        return "vi" if len(VI_CHARS.findall(text)) / letters > 0.03 else None
    return None


def _format(title: str, meta: dict[str, str], images: int, videos: int, words: int) -> str:
    prefix = FORMAT_PREFIX.match(title)
    if prefix:
        return FORMATS[prefix.group(1).lower()]
    kind = (meta.get("og:type") or "").lower()
    if kind.startswith("video") or (videos and words < 200):
        return "video"
    if images >= 4 and words < 250:
        return "photo_report"
    return "article" if words >= 900 else "news"


def extract(page: str | bytes, url: str, ctx: Context | None = None, content_type: str | None = None) -> Article:
    """The article record of one page; raises LayoutChanged when a configured hint stops matching."""
    ctx = ctx or Context()
    raw = decode(page, content_type) if isinstance(page, bytes) else unicodedata.normalize("NFC", page)
    try:
        doc = lxml_html.fromstring(raw)
    except (ParserError, ValueError):
        return Article(url=canonicalise(url), title="", lead="", body="")
    meta, ld = _meta(doc), _jsonld(doc)
    hints = ctx.hints
    canonical = doc.xpath("string(//link[@rel='canonical']/@href)") or meta.get("og:url") or url
    title = _title(doc, meta, ld, _select(doc, hints.title if hints else None, ctx, "title", url))
    published, modified = _published(doc, meta, ld, _select(doc, hints.date if hints else None, ctx, "date", url),
                                     hints.date_pattern if hints else None, url, raw)
    declared = _language(doc, meta, "")
    if declared and declared != "vi":  # a time printed without a zone is Vietnamese only on Vietnamese pages
        published, modified = (w.replace(tzinfo=dt.UTC) if w is not None and w.tzinfo is VN else w
                               for w in (published, modified))
    byline_els = _select(doc, hints.author if hints else None, ctx, "author", url) or [
        el for el in _classed(doc) if AUTHOR_CLASS.search(_attrs(el)) and len(_text(el)) < 80]
    body_hint = _select(doc, hints.body if hints else None, ctx, "body", url)
    lead_hint = _select(doc, hints.lead if hints else None, ctx, "lead", url)
    section = str(ld.get("articleSection") or meta.get("article:section") or "") or None
    crumbs = doc.xpath("//*[contains(@class,'breadcrumb') or contains(@class,'cat')]//a")
    if not section and crumbs:
        section = _text(crumbs[-1]) or None
    tags = tuple(dict.fromkeys(
        [t.strip() for t in (meta.get("news_keywords") or meta.get("article:tag") or "").split(",") if t.strip()]
        + [_text(a) for a in doc.xpath("//*[contains(@class,'tags')]//a") if _text(a)]))
    _strip_boilerplate(doc)
    root = _content_root(doc)
    body = _body(doc, raw, url, body_hint)
    lead = _lead(doc, meta, lead_hint, body)
    body = _trim_head(body, title, lead, section)
    captions = {_text(c) for c in doc.iter("figcaption")} | {
        _norm(img.get("alt", "")) for img in doc.iter("img") if img.get("alt")}
    body = [p for p in body if p not in captions and p != title]
    if root is not None:  # the extractor may have dropped a closing byline paragraph: read the root's last lines
        byline_els = [*byline_els, *[p for p in root.findall("p")[-2:] if len(_text(p)) < 60]]
    body, byline = _closing(body, byline_els, ctx.outlets)
    outlets = ctx.outlets | {meta.get("og:site_name", "").casefold()} - {""}
    authors: list[str] = []
    if byline.author and not is_outlet(byline.author, ctx.outlets):
        authors = split_authors(byline.author, outlets) if VI_CHARS.search(byline.author) is None \
            else [byline.author]
    if not authors:
        for name in _ld_names(ld.get("author")):
            authors += [a for a in split_authors(name, outlets) if a not in authors]
    if not authors and meta.get("author"):
        authors = split_authors(meta["author"], outlets)
    scope = root.getparent() if root is not None and root.getparent() is not None else doc
    images = sum(1 for img in scope.iter("img") if not re.search(r"logo|icon|avatar|pixel", img.get("src", ""), re.I))
    videos = sum(1 for _ in scope.iter("video")) + sum(
        1 for f in scope.iter("iframe") if VIDEO_SRC.search(f.get("src", "")))
    text_body = "\n\n".join(body)
    words = len(text_body.split())
    return Article(
        url=canonicalise(canonical, url), title=title, lead=lead, body=text_body, published=published,
        modified=modified, authors=tuple(authors), section=section, tags=tags,
        language=_language(doc, meta, text_body), images=images, videos=videos,
        format=_format(title, meta, images, videos, words), syndicated_from=byline.syndicated_from,
    )
