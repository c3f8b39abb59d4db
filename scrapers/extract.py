"""HTML -> Article: a generic extractor (trafilatura + htmldate, tuned for Vietnamese news) plus per-source hints.

This module reads the body and lead and puts the record together; `page` holds the parsed-page helpers,
`metadata` the headline, section, dates, language and format, `authors` the byline, `blocks` where the text is
on the page, `cleanup` the lines of trafilatura's output that are not the article's.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from lxml.etree import ParserError, _Element

from scrapers.article import Article
from scrapers.authors import (
    AUTHOR_CLASS,
    choose_authors,
    closing_lines,
    declared_authors,
    drop_admin_links,
    linked_names,
    opening_byline,
    printed_names,
)
from scrapers.blocks import Paragraphs, needs_full_mode, paragraph_stats, scope, with_chunks, with_dropped
from scrapers.bylines import Byline
from scrapers.charsets import decode
from scrapers.cleanup import date_line, furniture_line, in_figure, link_free, trim_head, trim_tail, unlinked, without_bios
from scrapers.dates import VN
from scrapers.metadata import (
    article_format,
    declared_headlines,
    headline,
    page_language,
    publication_dates,
    section_of,
)
from scrapers.page import (
    VIDEO_SRC,
    Boilerplate,
    Classed,
    boilerplate_class,
    classed_elements,
    drop_furniture,
    has_word,
    jsonld,
    meta_tags,
    norm,
    scripted_article,
    site_names,
    squash,
    text_of,
)
from scrapers.urls import canonicalise

log = logging.getLogger(__name__)

# class/id words, checked as substrings of the lower-cased "class id" string (much cheaper than a regex per element)
SOCIAL_EMBED = ("twitter-tweet", "instagram-media", "tiktok-embed", "fb-post", "bluesky-embed", "threads-post")
LEAD_CLASS = ("sapo", "lead", "summary", "chapeau", "intro", "standfirst", "teaser", "excerpt", "desc", "abstract",
              "preamble", "ingress", "epigraph", "entradilla", "subhead", "dek")


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


def _select(doc: _Element, selector: str | None, ctx: Context, field: str, url: str) -> list[_Element]:
    if not selector:
        return []
    found = doc.cssselect(selector)
    if not found:
        raise LayoutChanged(ctx.source, field, selector, url)
    return list(found)


def _prune_for_extractor(doc: _Element, classed: Classed, root: _Element | None) -> None:
    """Remove, right before trafilatura reads the tree, what it would only spend time on: embedded posts of
    social networks (a quoted tweet is not the article's text), figures (captions and credits, already read),
    form controls, page headers outside the article, other stories' teasers (a link around a summary paragraph),
    and boilerplate-classed blocks beside the densest text block (never one that wraps it or sits inside it:
    a page wrapped in a "print" div keeps its text)."""
    for el, attrs in classed:
        if el.tag in ("blockquote", "div", "section", "figure") and has_word(attrs, SOCIAL_EMBED) \
                and el.getparent() is not None:
            el.drop_tree()
    etree.strip_elements(doc, "figure", "button", "select", "input", "label", with_tail=False)
    etree.strip_tags(doc, "ruby", "rb", "rp", "rt", "rtc")  # 弾劾（だんがい）: annotated words stay in their line
    if root is not None:  # boilerplate beside the article (not wrapping it, not inside it): menus, related boxes
        keep = {root, *root.iterancestors()}
        for el, attrs in classed:
            if el not in keep and el.getparent() is not None and boilerplate_class(attrs) \
                    and not any(a is root for a in el.iterancestors()):
                el.drop_tree()
    for el in list(doc.iter("header")):
        if el.getparent() is not None and not any(a.tag in ("article", "main") for a in el.iterancestors()):
            el.drop_tree()
    for link in doc.xpath("//a[.//p]"):  # a link around a paragraph of summary: another story's teaser
        if link.getparent() is not None and len(text_of(link)) >= 150 and (
                root is None or not any(a is link for a in root.iterancestors())):
            link.drop_tree()


def _headline_element(doc: _Element, title: str) -> _Element | None:
    """The <h1> that prints the page's headline (not the site's logo, not a section's or a teaser's heading)."""
    wanted = squash(title)
    if len(wanted) < 8:
        return None
    return next((h for h in doc.iter("h1") if (t := squash(text_of(h))) and len(t) >= 8
                 and (t in wanted or wanted in t)), None)


def _drop_other_stories(doc: _Element, own: _Element | None) -> None:
    """Remove the other stories a page prints as <article>s with headlines of their own: the next article
    of an endless scroll, teaser cards. Only when the page's own headline is found in an <h1>, so that a page
    whose first <h1> is the site's logo keeps its article."""
    if own is None:
        return
    keep = set(own.iterancestors())
    for art in list(doc.iter("article")):
        if art not in keep and art.getparent() is not None and any(True for _ in art.iter("h1")):
            art.drop_tree()


def _body(doc: _Element, raw: str, hinted: list[_Element], paras: Paragraphs) -> list[str]:
    """Body paragraphs: from the hinted elements, else trafilatura (which consumes doc: call it last).

    trafilatura runs in its fast mode on the already parsed and cleaned tree (no readability/jusText
    comparison, ~2x faster). When that keeps under 200 characters or 30% of the page's paragraph text, or
    misses the longest paragraph of the densest text block, or the page has no paragraphs to check it
    against, its full mode with fallbacks runs instead. A page that prints no text at all may ship its article
    inside a script (a client-side framework's payload): that HTML is read instead.
    """
    if hinted:
        out: list[str] = []
        for el in hinted:
            blocks = [b for b in el.iter("p", "h2", "h3", "h4", "li", "blockquote") if text_of(b)]
            out.extend(text_of(b) for b in blocks) if blocks else out.append(text_of(el))
        return out
    # links are kept to measure link share (link_free); no base URL, so they are not resolved (15% of the time)
    options: dict[str, Any] = {"url": None, "include_comments": False, "include_tables": True, "deduplicate": False,
                               "include_links": True}
    extracted = trafilatura.extract(scope(doc, paras), fast=True, **options) or ""
    if needs_full_mode(unlinked(extracted), paras):
        extracted = trafilatura.extract(raw, **options) or extracted
    if len(extracted) < 200 and paras.chars < 200 and (shipped := scripted_article(raw)):
        extracted = trafilatura.extract(f"<html><body><article>{shipped}</article></body></html>", **options) or ""
    return link_free(extracted)


def _under_headline(el: _Element, own: _Element | None) -> bool:
    """Whether a block follows the page's headline (a standfirst): the element before it, or before its
    parent, is the headline's <h1> or a wrapper holding little more than it; no picture inside."""
    if own is None or el.find(".//img") is not None or el.find(".//figure") is not None:
        return False
    for node in (el, el.getparent()):
        prev = node.getprevious() if node is not None else None
        while prev is not None and not isinstance(prev.tag, str):  # comments between them
            prev = prev.getprevious()
        if prev is not None and (prev is own or (any(a is prev for a in own.iterancestors())
                                                  and len(text_of(prev)) - len(text_of(own)) < 20)):
            return True
    return False


def _lead_element(classed: Classed, junk: Boilerplate, meta: dict[str, str], own: _Element | None,
                  title: str) -> str:
    """The lead printed above the body: an element whose class says lead/sapo/summary and whose text is the
    page's description (nearly: editors touch one up) or that stands right under the headline (teasers of
    other stories, captions and author bios carry such classes too). A header block that prints the headline
    too gives what follows the headline."""
    described_as = meta.get("description") or meta.get("og:description") or meta.get("twitter:description") or ""
    desc, desc_words = squash(described_as), set(described_as.casefold().split())
    for el, attrs in classed:
        # a lead is one block: an element with many children is a container (teaser list, whole article)
        if el.tag not in ("html", "body", "meta", "h1") and len(el) <= 12 and has_word(
                attrs.replace("leading-", "") if "leading-" in attrs else attrs, LEAD_CLASS):  # Tailwind line height
            text = text_of(el)
            if len(title) >= 15 and title in text:
                text = text[text.rfind(title) + len(title):].strip()
            if 40 <= len(text) <= 1200:
                squashed = squash(text[:300])
                words = text.casefold().split()[:30]
                described = len(desc) >= 30 and (squashed[:60] in desc or desc[:60] in squashed or (
                    sum(w in desc_words for w in words) >= 0.6 * len(words)
                    and len(text) <= 1.5 * len(described_as) + 50))  # not the description and a summary box
                # without a description, a Vietnamese "sapo" class is trusted on its own
                if (described or _under_headline(el, own) or (len(desc) < 30 and "sapo" in attrs)) \
                        and not junk.inside(el):
                    return text
    return ""


def _printed_description(doc: _Element, meta: dict[str, str], junk: Boilerplate) -> str:
    """The page's description where it is also printed as a block of its own (a standfirst without a telling
    class name); found through the text nodes that contain its opening words."""
    desc = norm(html.unescape(meta.get("description") or meta.get("og:description") or ""))
    if len(desc) < 60:
        return ""
    opening = squash(desc)[:40]
    for node in doc.xpath("//body//text()[contains(., $needle)]", needle=max(desc[:80].split(), key=len)):
        el = node.getparent()
        if el is None:
            continue
        if getattr(node, "is_tail", False):
            el = el.getparent()
        while el is not None and len(text_of(el)) < 40:
            el = el.getparent()
        if el is None or el.tag in ("head", "title", "html", "body") or junk.inside(el):
            continue
        text = text_of(el)
        if 40 <= len(text) <= 1.5 * len(desc) + 50 and squash(text).startswith(opening):
            return text
    return ""


def _lead(marked: str, meta: dict[str, str], hinted: list[_Element], body: list[str]) -> str:
    if hinted:
        return text_of(hinted[0])
    if marked:
        return marked
    desc = meta.get("description") or meta.get("og:description") or ""
    if body and desc and (body[0] == desc or (len(desc) > 60 and body[0].startswith(desc[:60]))):
        return body[0]
    return ""


def extract(page: str | bytes, url: str, ctx: Context | None = None, content_type: str | None = None) -> Article:
    """The article record of one page; raises LayoutChanged when a configured hint stops matching."""
    ctx = ctx or Context()
    raw = decode(page, content_type) if isinstance(page, bytes) else unicodedata.normalize("NFC", page)
    try:
        doc = lxml_html.fromstring(raw)
    except (ParserError, ValueError):
        return Article(url=canonicalise(url), title="", lead="", body="")
    for br in doc.iter("br"):  # a line break separates words in the text read from an element
        br.tail = "\n" + br.tail if br.tail else "\n"
    meta, ld = meta_tags(doc), jsonld(doc)
    hints = ctx.hints
    canonical = doc.xpath("string(//link[@rel='canonical']/@href)") or meta.get("og:url") or url
    names = site_names(meta, ld, url, ctx.outlets)
    declared = declared_headlines(doc, meta, ld, names)
    title = headline(doc, declared, _select(doc, hints.title if hints else None, ctx, "title", url), names)
    section = section_of(doc, meta, ld)  # before navigation is dropped: breadcrumbs live there
    drop_furniture(doc)
    drop_admin_links(doc)
    own_h1 = _headline_element(doc, title)
    _drop_other_stories(doc, own_h1)
    classed = classed_elements(doc)
    published, modified = publication_dates(doc, classed, meta, ld,
                                            _select(doc, hints.date if hints else None, ctx, "date", url),
                                            hints.date_pattern if hints else None, url, raw)
    byline_els = _select(doc, hints.author if hints else None, ctx, "author", url) or [
        el for el, attrs in classed if len(el) <= 20 and has_word(attrs, AUTHOR_CLASS) and len(text_of(el)) < 80]
    body_hint = _select(doc, hints.body if hints else None, ctx, "body", url)
    lead_hint = _select(doc, hints.lead if hints else None, ctx, "lead", url)
    tag_links = [t for el, _ in classed if "tags" in (el.get("class") or "") for a in el.iter("a") if (t := text_of(a))]
    tags = tuple(dict.fromkeys(
        [t.strip() for t in (meta.get("news_keywords") or meta.get("article:tag") or "").split(",") if t.strip()]
        + tag_links))
    credited = declared_authors(ld, meta, printed_names(byline_els, names, ctx.outlets), names,
                                ctx.outlets) or linked_names(doc, names, ctx.outlets)
    byline_lines = [text_of(el) for el in byline_els]
    junk = Boilerplate()
    marked_lead = _lead_element(classed, junk, meta, own_h1, title) or _printed_description(doc, meta, junk)
    paras = paragraph_stats(doc, junk)
    root = paras.root
    bold_lines: set[str] = set()
    if root is not None:  # the extractor may have dropped a closing byline paragraph: read the root's last lines
        byline_lines += [t for p in root.findall("p")[-2:] if len(t := text_of(p)) < 60]
        bold_lines = {t for p in root.findall("p")[:4] if len(t := text_of(p)) < 60 and len(p) == 1
                      and p[0].tag in ("strong", "b") and text_of(p[0]) == t}
    headlines = {title, *(text_of(h) for h in doc.iter("h1")), *declared}
    figures = " ".join(squash(text_of(f)) for f in doc.iter("figure", "figcaption"))
    captions = {text_of(c) for c in doc.iter("figcaption")} | {
        norm(img.get("alt", "")) for img in doc.iter("img") if img.get("alt")}
    around = root.getparent() if root is not None and root.getparent() is not None else doc
    images = sum(1 for img in around.iter("img") if not re.search(r"logo|icon|avatar|pixel", img.get("src", ""), re.I))
    videos = sum(1 for _ in around.iter("video")) + sum(
        1 for f in around.iter("iframe") if VIDEO_SRC.search(f.get("src", "")))
    language = doc.get("lang")
    _prune_for_extractor(doc, classed, root)
    body = _body(doc, raw, body_hint, paras)  # the last use of doc: trafilatura consumes it
    body = body if body_hint else with_chunks(with_dropped(body, paras.own), paras)
    lead = _lead(marked_lead, meta, lead_hint, body)
    body, opening = opening_byline(body, bold_lines, ctx.outlets)  # before trim_head drops short lines
    body = trim_head(body, headlines, lead, section)
    body = [p for p in body if p not in captions and p not in headlines and not in_figure(p, figures)
            and not furniture_line(p) and not date_line(p)]
    body, byline = closing_lines(trim_tail(body), byline_lines, ctx.outlets)
    byline = Byline(byline.author or opening, byline.syndicated_from)
    authors = choose_authors(byline, credited, names, ctx.outlets)
    body = trim_tail(without_bios(body, authors))  # a credit line may sit above the bio
    text_body = "\n\n".join(body)
    words = len(text_body.split())
    lang = page_language(language, meta, "\n\n".join((title, lead, text_body)))
    if lang != "vi":  # a time printed without a zone is Vietnamese only on Vietnamese pages (declared or read)
        published, modified = (w.replace(tzinfo=dt.UTC) if w is not None and w.tzinfo is VN else w
                               for w in (published, modified))
    return Article(
        url=canonicalise(canonical, url), title=title, lead=lead, body=text_body, published=published,
        modified=modified, authors=tuple(authors), section=section, tags=tags,
        language=lang, images=images, videos=videos,
        format=article_format(title, meta, images, videos, words), syndicated_from=byline.syndicated_from,
    )
