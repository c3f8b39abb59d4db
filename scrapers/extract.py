"""HTML -> Article: a generic extractor (trafilatura + htmldate, tuned for Vietnamese news) plus per-source hints."""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

import trafilatura
from lxml import etree
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
# class/id words, checked as substrings of the lower-cased "class id" string (much cheaper than a regex per element)
SOCIAL_EMBED = ("twitter-tweet", "instagram-media", "tiktok-embed", "fb-post", "bluesky-embed", "threads-post")
LEAD_CLASS = ("sapo", "lead", "summary", "chapeau", "intro", "standfirst", "teaser", "excerpt", "description",
              "abstract")
DATE_CLASS = ("date", "time", "publish", "ngay-dang", "ngaydang", "posted", "meta")
AUTHOR_CLASS = ("author", "byline", "tac-gia", "tacgia", "writer", "reporter", "signature")


def _has(attrs: str, words: tuple[str, ...]) -> bool:
    return any(w in attrs for w in words)
FORMAT_PREFIX = re.compile(r"^\s*[\[(]\s*(ảnh|photo|video|clip|infographic|info|megastory|emagazine|e-magazine|"
                           r"longform|podcast|audio|phóng sự ảnh)\s*[\])]", re.I)
FORMATS = {"ảnh": "photo_report", "photo": "photo_report", "phóng sự ảnh": "photo_report", "video": "video",
           "clip": "video", "infographic": "infographic", "info": "infographic", "megastory": "megastory",
           "emagazine": "megastory", "e-magazine": "megastory", "longform": "megastory", "podcast": "audio",
           "audio": "audio"}
VIDEO_SRC = re.compile(r"youtube|youtu\.be|vimeo|dailymotion|/video|\.mp4|player", re.I)
SITE_SUFFIX = re.compile(r"\s*(?:\s[|｜\-–—·:»]\s|[|｜：])\s*([^|｜]{1,40})$")
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
    """The first NewsArticle-like JSON-LD object (graph members and a WebPage's main entity included)."""
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
                for key in ("mainEntity", "mainEntityOfPage", "hasPart", "itemListElement"):  # WebPage wrappers
                    if isinstance(item.get(key), (dict, list)):
                        stack.append(item[key])
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


Classed = list[tuple[_Element, str]]


def _classed(doc: _Element) -> Classed:
    """Elements that carry a class or an id (the only ones the class-name heuristics can match), with both
    lower-cased in one string."""
    return [(el, _attrs(el).lower()) for el in doc.xpath("//*[@class or @id]")]


SAFE_DROP = ("script", "style", "noscript", "svg", "template", "nav", "footer", "aside")


def _drop_furniture(doc: _Element) -> None:
    """Remove what is never article text (scripts, styles, navigation, footers, asides): a smaller tree for all."""
    etree.strip_elements(doc, *SAFE_DROP, with_tail=False)


class Boilerplate:
    """Which elements our own heuristics skip: forms, non-video iframes, class names that say boilerplate.

    They are only marked, not removed: trafilatura reads the same tree afterwards, and removing them
    costs it text (a page wrapped in a <form>, an article div with a "print" class). Decided lazily and
    remembered: only the ancestors of the elements asked about are ever looked at.
    """

    def __init__(self) -> None:
        self._inside: dict[_Element, bool] = {}

    @staticmethod
    def _marked(el: _Element) -> bool:
        if el.tag == "form":
            return True
        if el.tag == "iframe":
            return not VIDEO_SRC.search(el.get("src", ""))
        if el.tag in ("html", "body"):
            return False
        attrs = _attrs(el)
        return len(attrs) > 1 and BOILERPLATE.search(attrs) is not None

    def inside(self, el: _Element) -> bool:
        """Whether el or one of its ancestors is boilerplate."""
        path: list[_Element] = []
        node: _Element | None = el
        known = False
        while node is not None:  # up to the first ancestor already decided (iterative: pages nest deeply)
            cached = self._inside.get(node)
            if cached is not None:
                known = cached
                break
            path.append(node)
            node = node.getparent()
        for node in reversed(path):
            known = known or self._marked(node)
            self._inside[node] = known
        return self._inside.get(el, known)


def _prune_for_extractor(doc: _Element, classed: Classed, root: _Element | None) -> None:
    """Remove, right before trafilatura reads the tree, what it would only spend time on: embedded posts of
    social networks (a quoted tweet is not the article's text), figures (captions and credits, already read),
    form controls, page headers outside the article, and boilerplate-classed blocks beside the densest text
    block (never one that wraps it or sits inside it: a page wrapped in a "print" div keeps its text)."""
    for el, attrs in classed:
        if el.tag in ("blockquote", "div", "section", "figure") and _has(attrs, SOCIAL_EMBED) \
                and el.getparent() is not None:
            el.drop_tree()
    etree.strip_elements(doc, "figure", "button", "select", "input", "label", with_tail=False)
    if root is not None:  # boilerplate beside the article (not wrapping it, not inside it): menus, related boxes
        keep = {root, *root.iterancestors()}
        for el, attrs in classed:
            if el not in keep and el.getparent() is not None and BOILERPLATE.search(attrs) \
                    and not any(a is root for a in el.iterancestors()):
                el.drop_tree()
    for el in list(doc.iter("header")):
        if el.getparent() is not None and not any(a.tag in ("article", "main") for a in el.iterancestors()):
            el.drop_tree()


@dataclass(frozen=True)
class Paragraphs:
    """What the page's <p> elements say about where the body is: a check on the extractor's choice."""

    root: _Element | None  # the element whose paragraphs hold the most text, boilerplate skipped
    chars: int  # text in all paragraphs of the page
    longest: str  # the longest paragraph under root: a body that misses it missed the article


def _paragraph_stats(doc: _Element, junk: Boilerplate) -> Paragraphs:
    scores: dict[_Element, int] = {}
    longest: dict[_Element, str] = {}
    verdict: dict[_Element, bool] = {}  # parent -> inside boilerplate (paragraphs share parents: check each once)
    total = 0
    for p in doc.iter("p"):
        parent = p.getparent()
        if parent is None:
            continue
        text = _text(p)
        total += len(text)
        if parent not in verdict:
            verdict[parent] = junk.inside(parent)
        if not verdict[parent]:
            scores[parent] = scores.get(parent, 0) + len(text)
            if len(text) > len(longest.get(parent, "")):
                longest[parent] = text
    root = max(scores, key=lambda k: scores[k]) if scores else None
    return Paragraphs(root, total, longest.get(root, "") if root is not None else "")


def _site_names(meta: dict[str, str], ld: dict[str, Any], url: str, outlets: frozenset[str]) -> set[str]:
    """The names a page's outlet goes by: og:site_name, the JSON-LD publisher, the host, the configured outlets."""
    names = {n.casefold() for n in outlets}
    publisher = ld.get("publisher")
    for value in (meta.get("og:site_name"), meta.get("application-name"),
                  publisher.get("name") if isinstance(publisher, dict) else None):
        if isinstance(value, str) and value.strip():
            names.add(_norm(html.unescape(value)).casefold())
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if host:
        names |= {host, host.split(".")[0]}
    return {n for n in names if n}


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _plain(text: str) -> str:
    """Letters and digits only, without diacritics: "Báo điện tử Đảng Cộng sản" -> "baodientudangcongsan"."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return _squash("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _is_site_name(text: str, names: set[str]) -> bool:
    """Whether text names the site: its og:site_name, publisher or host ("dangcongsan.vn" matches
    "Báo điện tử Đảng Cộng sản Việt Nam")."""
    if text.casefold().strip() in names:
        return True
    plain, plain_names = _plain(text), [_plain(n) for n in names]
    if plain and any(len(n) > 3 and (plain in n or n in plain) for n in plain_names):
        return True
    first = _plain(text.split()[0]) if text.split() else ""
    return len(first) >= 2 and first in plain_names  # "MDR THÜRINGEN" on mdr.de: a desk of the outlet


def _clean_title(text: str, names: set[str], page_title: str = "") -> str:
    """A headline candidate without HTML entities and without the site name glued to its end ("X | Site")."""
    text = _norm(html.unescape(text))
    for _ in range(3):
        m = SITE_SUFFIX.search(text)
        if not m or m.start() == 0:
            break
        tail = m.group(1).strip()
        shared = page_title.casefold().endswith(tail.casefold()) and not page_title.casefold().startswith(
            text.casefold())
        if not (_is_site_name(tail, names) or shared):
            break
        text = text[:m.start()].strip()
    return text


def _title(doc: _Element, meta: dict[str, str], ld: dict[str, Any], hinted: list[_Element],
           names: set[str]) -> str:
    """The headline: a hint, else the first of JSON-LD headline, og:title, twitter:title, <title>, h1; cleaned."""
    if hinted:
        return _text(hinted[0])
    page_title = _norm(doc.findtext(".//title") or "")
    h1 = next((t for t in (_text(h) for h in doc.iter("h1")) if t), "")
    for value in (ld.get("headline"), meta.get("og:title"), meta.get("twitter:title")):
        if isinstance(value, str) and value.strip():
            return _clean_title(value, names, page_title)
    if h1 and h1 in page_title:
        return h1
    if page_title:
        cleaned = _clean_title(page_title, names)
        if cleaned != page_title or not h1:
            return cleaned
    return h1 or page_title


def _section(doc: _Element, meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    """The section: JSON-LD articleSection, article:section, else the last breadcrumb link."""
    declared = ld.get("articleSection") or meta.get("article:section")
    if isinstance(declared, list):
        declared = declared[0] if declared else None
    if declared:
        return str(declared)
    crumbs = doc.xpath("//*[contains(@class,'breadcrumb') or contains(@class,'cat')]//a")
    return (_text(crumbs[-1]) or None) if crumbs else None


def _published(doc: _Element, classed: Classed, meta: dict[str, str], ld: dict[str, Any], hinted: list[_Element],
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
    for el, attrs in classed:
        if _has(attrs, DATE_CLASS) and len(_text(el)) < 120:
            when = parse_vietnamese(_text(el))
            if when:
                return when, modified
    try:
        from htmldate import find_date

        found = find_date(raw, url=url, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S", extensive_search=False)
    except Exception:  # htmldate raises on odd markup; the URL is the last clue
        found = None
    return (parse_iso(found) if found else from_url(url)), modified


MD_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
LINK_SHARE_ITEM, LINK_SHARE_PARA = 0.5, 0.8


def _paragraphs(text: str) -> list[str]:
    """Paragraphs of trafilatura's output (links marked up as [text](url)) without link lists.

    A list item that is mostly a link ("- Politik: [Weitere Meldung](...)") or a paragraph that is almost all
    link ("Lesen Sie auch: [...]") points elsewhere: related-news boxes inside the article container.
    """
    out = []
    for line in re.split(r"\n+", text):
        plain = MD_LINK.sub(lambda m: m.group(1), line)
        linked = sum(len(m.group(1)) for m in MD_LINK.finditer(line))
        para = _norm(plain)
        if not para:
            continue
        share = linked / max(1, len(para.lstrip("- ")))
        if share >= (LINK_SHARE_ITEM if para.startswith("- ") else LINK_SHARE_PARA):
            continue
        out.append(para)
    return out


def needs_full_mode(extracted: str, paras: Paragraphs) -> bool:
    """Whether trafilatura's fast result is suspect: too short, missing the densest block's longest paragraph,
    or on a page without <p> elements to check it against."""
    if paras.chars < 200 or len(extracted) < max(200, 0.3 * paras.chars):
        return True
    return len(paras.longest) >= 150 and _squash(paras.longest[:120]) not in _squash(extracted)


def _body(doc: _Element, raw: str, hinted: list[_Element], paras: Paragraphs) -> list[str]:
    """Body paragraphs: from the hinted elements, else trafilatura (which consumes doc: call it last).

    trafilatura runs in its fast mode on the already parsed and cleaned tree (no readability/jusText
    comparison, ~2x faster). When that keeps under 200 characters or 30% of the page's paragraph text, or
    misses the longest paragraph of the densest text block, or the page has no paragraphs to check it
    against, its full mode with fallbacks runs instead.
    """
    if hinted:
        out: list[str] = []
        for el in hinted:
            blocks = [b for b in el.iter("p", "h2", "h3", "h4", "li", "blockquote") if _text(b)]
            out.extend(_text(b) for b in blocks) if blocks else out.append(_text(el))
        return out
    # links are kept to measure link share (_paragraphs); no base URL, so they are not resolved (15% of the time)
    options: dict[str, Any] = {"url": None, "include_comments": False, "include_tables": True, "deduplicate": False,
                               "include_links": True}
    extracted = trafilatura.extract(doc, fast=True, **options) or ""
    if needs_full_mode(MD_LINK.sub(lambda m: m.group(1), extracted), paras):
        extracted = trafilatura.extract(raw, **options) or extracted
    return _paragraphs(extracted)


def _lead_element(classed: Classed, junk: Boilerplate, meta: dict[str, str]) -> str:
    """The lead printed above the body: an element whose class says lead/sapo/summary and whose text is the
    page's description (teasers of other stories, captions and author bios carry such classes too)."""
    desc = _squash(meta.get("description") or meta.get("og:description") or meta.get("twitter:description") or "")
    for el, attrs in classed:
        # a lead is one block: an element with many children is a container (teaser list, whole article)
        if el.tag not in ("html", "body", "meta") and len(el) <= 12 and _has(attrs, LEAD_CLASS):
            text = _text(el)
            if 40 <= len(text) <= 1200:
                squashed = _squash(text[:300])
                described = len(desc) >= 30 and (squashed[:60] in desc or desc[:60] in squashed)
                # without a description, a Vietnamese "sapo" class is trusted on its own
                if (described or (len(desc) < 30 and "sapo" in attrs)) and not junk.inside(el):
                    return text
    return ""


def _printed_description(doc: _Element, meta: dict[str, str], junk: Boilerplate) -> str:
    """The page's description where it is also printed as a block of its own (a standfirst without a telling
    class name); found through the text nodes that contain its opening words."""
    desc = _norm(html.unescape(meta.get("description") or meta.get("og:description") or ""))
    if len(desc) < 60:
        return ""
    opening = _squash(desc)[:40]
    for node in doc.xpath("//body//text()[contains(., $needle)]", needle=desc[:24].strip()):
        el = node.getparent()
        if el is None:
            continue
        if getattr(node, "is_tail", False):
            el = el.getparent()
        while el is not None and len(_text(el)) < 40:
            el = el.getparent()
        if el is None or el.tag in ("head", "title", "html", "body") or junk.inside(el):
            continue
        text = _text(el)
        if 40 <= len(text) <= 1.5 * len(desc) + 50 and _squash(text).startswith(opening):
            return text
    return ""


def _lead(marked: str, meta: dict[str, str], hinted: list[_Element], body: list[str]) -> str:
    if hinted:
        return _text(hinted[0])
    if marked:
        return marked
    desc = meta.get("description") or meta.get("og:description") or ""
    if body and desc and (body[0] == desc or (len(desc) > 60 and body[0].startswith(desc[:60]))):
        return body[0]
    return ""


PROMO = re.compile(
    r"newsletter|abonnier|abonnement|abonnés|subscribe (?:now|to|here|today)|whatsapp|telegram|google news|"
    r"copyright|©|ⓒ|all rights reserved|sign up|signing up|einloggen|comment policy|commenting|kommentar abgeben|"
    r"bản quyền|theo dõi (?:báo|chúng tôi|kênh|fanpage)|trên (?:google news|zalo|fanpage)|đăng ký nhận|"
    r"read more|lesen sie auch|mehr zum thema|click here|klicken sie|fehler gefunden|\[comments\]|"
    r"follow (?:us|[A-Z][\w.]+ on)|social media", re.I)


def _trim_tail(body: list[str]) -> list[str]:
    """Drop the short promotional lines under the text: newsletter and app offers, "follow us", copyright."""
    end = len(body)
    while end > 1 and len(body[end - 1]) < 250 and PROMO.search(body[end - 1]):
        end -= 1
    return body[:end]


def _in_figure(para: str, figures: str) -> bool:
    """A caption or photo credit that trafilatura kept as a paragraph: its text is part of a <figure>."""
    squashed = _squash(para)
    return len(para) < 400 and len(squashed) >= 8 and squashed in figures


def _trim_head(body: list[str], titles: set[str], lead: str, section: str | None) -> list[str]:
    """Drop the furniture an extractor keeps above the text: section label, headlines, date line, the lead again."""
    furniture = titles | {lead, section or ""}
    squashed_titles = [t for t in map(_squash, titles) if len(t) >= 15]
    start = 0
    for para in body[:6]:
        short = len(para) < 90
        squashed = _squash(para) if len(para) < 300 else ""
        kicker_and_title = any(t in squashed and len(squashed) - len(t) < 80 for t in squashed_titles)
        if para in furniture or kicker_and_title or (lead and len(para) > 30 and lead.startswith(para)) or (
                short and (parse_vietnamese(para) is not None or len(para.split()) <= 3)):
            start += 1
            continue
        break
    return body[start:]


DOUBLED = re.compile(r"(.{4,}?) \1")
JOB_WORDS = re.compile(r"\b(?:director|editor|assistant|writer|reporter|correspondent|redakteur(?:in)?|"
                       r"korrespondent(?:in)?|journalist(?:in)?|chief|senior|head|manager|producer|contributor|"
                       r"columnist|photographer|watch|live|follow|twitter|facebook|subscribe|"
                       r"phóng viên|biên tập|cộng tác viên)\b", re.I)
NAME_TAG = re.compile(r"\s*\((?:[a-zäöüß]{2,5}\.?|[A-Z]{2,4})\)$")  # "Elena Oberholzer (obe)": the desk code


def _ld_names(value: Any) -> list[str]:
    """Names in a JSON-LD author value (a string, a Person or Organization, or lists of them)."""
    if isinstance(value, str):
        return [html.unescape(value)]
    if isinstance(value, dict):
        name = value.get("name") or " ".join(
            str(value[k]) for k in ("givenName", "familyName") if isinstance(value.get(k), str))
        return _ld_names(name) if name else []
    if isinstance(value, list):
        return [n for item in value for n in _ld_names(item)]
    return []


def _person_names(values: Iterable[str], names: set[str], outlets: frozenset[str], declared: bool = False) -> list[str]:
    """Author strings split into names; the site's own names, e-mail addresses and ids dropped.

    declared: the names come from structured data (JSON-LD), where a wire agency credited as author
    ("Associated Press", "dpa") is kept; in free text a word like "Press" marks an outlet, not a person.
    """
    out: list[str] = []
    for value in values:
        for name in split_authors(value, outlets):
            name = NAME_TAG.sub("", name).strip()
            twice = DOUBLED.fullmatch(name)  # "Martin Gramnæs Martin Gramnæs": a visible and a hidden copy
            name = twice.group(1) if twice else name
            if JOB_WORDS.search(name):
                continue
            if not name or "@" in name or name.isdigit() or _is_site_name(name, names) or (
                    not declared and is_outlet(name, outlets)):
                continue
            if name not in out:
                out.append(name)
    return out


AUTHOR_LINKS = ("//a[@rel='author' or contains(@href,'/author/') or contains(@href,'/autor') or "
                "contains(@href,'/tac-gia/') or contains(@href,'/journalist/')]")


def _dom_byline(el: _Element) -> list[str]:
    """Author names in a byline element: its author links or name fields, else its first text that reads as a name.

    Reading text nodes one by one keeps "Dan Jervis-Bardy" and "The West Australian" apart where
    text_content() would glue them into one word.
    """
    linked = [_text(a) for a in el.xpath(".//*[@itemprop='name'] | .//a[@rel='author'] | .//a[contains(@href,"
                                          "'author') or contains(@href,'autor') or contains(@href,'tac-gia')]")]
    linked = [t for t in linked if t]
    if linked:
        return _unglued(list(dict.fromkeys(linked)))
    names = []
    for piece in el.itertext():
        found = parse_line(_norm(piece))
        if found and found.author and found.author not in names:
            names.append(found.author)
    return _unglued(names)


def _unglued(names: list[str]) -> list[str]:
    """Drop a name that is two others run together ("Scott Gilbertson Gear Team")."""
    return [n for n in names if sum(1 for m in names if m != n and m in n) < 2]


def _closing(body: list[str], byline_lines: Iterable[str], outlets: frozenset[str]) -> tuple[list[str], Byline]:
    """Strip closing bylines and source lines from the body; return what they said."""
    author, source = None, None
    for line in byline_lines:
        found = parse_line(line, outlets)
        if found and found.author and VI_CHARS.search(found.author) and not author:
            author = found.author  # a Vietnamese byline element: "Bài và ảnh: Quang Huy"
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


def _printed_names(byline_els: list[_Element], names: set[str], outlets: frozenset[str]) -> list[str]:
    """Names in the first byline element that has any."""
    for el in byline_els:
        printed = _person_names(_dom_byline(el), names, outlets)
        if printed:
            return printed
    return []


def _linked_names(doc: _Element, names: set[str], outlets: frozenset[str]) -> list[str]:
    """Names linked to author pages anywhere in the page ("von <a href=/autoren/...>"), at most four."""
    linked = [_text(a) for a in doc.xpath(AUTHOR_LINKS)[:8]]
    return _person_names([n for t in linked if (b := parse_line(t)) and (n := b.author)], names, outlets)[:4]


def _declared_authors(ld: dict[str, Any], meta: dict[str, str], printed: list[str], names: set[str],
                      outlets: frozenset[str]) -> list[str]:
    """Authors from JSON-LD, the printed byline element, then the author meta tags."""
    found = _person_names(_ld_names(ld.get("author")), names, outlets, declared=True)
    if printed and (not found or set(found) < set(printed)):
        found = printed  # the printed byline wins when it names everyone the metadata names, and more
    for key in ("article:author", "author", "dc.creator"):
        if not found and meta.get(key) and not meta[key].startswith("http"):
            found = _person_names([meta[key]], names, outlets)
    return found


def _authors(byline: Byline, declared: list[str], names: set[str], outlets: frozenset[str]) -> list[str]:
    """People who wrote the article, first found of: a Vietnamese closing byline, JSON-LD authors, byline
    elements, the author meta tags, author-page links, a closing byline in another language.
    The outlet is never an author."""
    if byline.author and VI_CHARS.search(byline.author) and not is_outlet(byline.author, outlets):
        return [byline.author]
    if not declared and byline.author:
        return _person_names([byline.author], names, outlets)
    return declared


def _language(declared: str | None, meta: dict[str, str], text: str) -> str | None:
    lang = (declared or meta.get("og:locale") or meta.get("language") or "").lower()
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
    names = _site_names(meta, ld, url, ctx.outlets)
    title = _title(doc, meta, ld, _select(doc, hints.title if hints else None, ctx, "title", url), names)
    section = _section(doc, meta, ld)  # before navigation is dropped: breadcrumbs live there
    _drop_furniture(doc)
    classed = _classed(doc)
    published, modified = _published(doc, classed, meta, ld,
                                     _select(doc, hints.date if hints else None, ctx, "date", url),
                                     hints.date_pattern if hints else None, url, raw)
    declared = _language(doc.get("lang"), meta, "")
    if declared and declared != "vi":  # a time printed without a zone is Vietnamese only on Vietnamese pages
        published, modified = (w.replace(tzinfo=dt.UTC) if w is not None and w.tzinfo is VN else w
                               for w in (published, modified))
    byline_els = _select(doc, hints.author if hints else None, ctx, "author", url) or [
        el for el, attrs in classed if len(el) <= 20 and _has(attrs, AUTHOR_CLASS) and len(_text(el)) < 80]
    body_hint = _select(doc, hints.body if hints else None, ctx, "body", url)
    lead_hint = _select(doc, hints.lead if hints else None, ctx, "lead", url)
    tag_links = [t for el, _ in classed if "tags" in (el.get("class") or "") for a in el.iter("a") if (t := _text(a))]
    tags = tuple(dict.fromkeys(
        [t.strip() for t in (meta.get("news_keywords") or meta.get("article:tag") or "").split(",") if t.strip()]
        + tag_links))
    declared_authors = _declared_authors(ld, meta, _printed_names(byline_els, names, ctx.outlets), names,
                                         ctx.outlets) or _linked_names(doc, names, ctx.outlets)
    byline_lines = [_text(el) for el in byline_els]
    junk = Boilerplate()
    marked_lead = _lead_element(classed, junk, meta) or _printed_description(doc, meta, junk)
    paras = _paragraph_stats(doc, junk)
    root = paras.root
    if root is not None:  # the extractor may have dropped a closing byline paragraph: read the root's last lines
        byline_lines += [t for p in root.findall("p")[-2:] if len(t := _text(p)) < 60]
    headlines = {title, *(_text(h) for h in doc.iter("h1"))}
    figures = " ".join(_squash(_text(f)) for f in doc.iter("figure", "figcaption"))
    captions = {_text(c) for c in doc.iter("figcaption")} | {
        _norm(img.get("alt", "")) for img in doc.iter("img") if img.get("alt")}
    scope = root.getparent() if root is not None and root.getparent() is not None else doc
    images = sum(1 for img in scope.iter("img") if not re.search(r"logo|icon|avatar|pixel", img.get("src", ""), re.I))
    videos = sum(1 for _ in scope.iter("video")) + sum(
        1 for f in scope.iter("iframe") if VIDEO_SRC.search(f.get("src", "")))
    language = doc.get("lang")
    _prune_for_extractor(doc, classed, root)
    body = _body(doc, raw, body_hint, paras)  # the last use of doc: trafilatura consumes it
    lead = _lead(marked_lead, meta, lead_hint, body)
    body = _trim_head(body, headlines, lead, section)
    body = [p for p in body if p not in captions and p not in headlines and not _in_figure(p, figures)]
    body, byline = _closing(_trim_tail(body), byline_lines, ctx.outlets)
    authors = _authors(byline, declared_authors, names, ctx.outlets)
    text_body = "\n\n".join(body)
    words = len(text_body.split())
    return Article(
        url=canonicalise(canonical, url), title=title, lead=lead, body=text_body, published=published,
        modified=modified, authors=tuple(authors), section=section, tags=tags,
        language=_language(language, meta, text_body), images=images, videos=videos,
        format=_format(title, meta, images, videos, words), syndicated_from=byline.syndicated_from,
    )
