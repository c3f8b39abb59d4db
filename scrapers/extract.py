"""HTML -> Article: a generic extractor (trafilatura + htmldate, tuned for Vietnamese news) plus per-source hints.

This module reads the body and lead and puts the record together; `page` holds the parsed-page helpers,
`metadata` the headline, section, dates, language and format, `authors` the byline.
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
    linked_names,
    opening_byline,
    printed_names,
)
from scrapers.bylines import Byline
from scrapers.charsets import decode
from scrapers.dates import VN, parse_vietnamese
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


@dataclass(frozen=True)
class Chunk:
    """A block of the article beside the densest one: long articles are printed in several containers of
    the same kind ("body__inner-container" three times), and extractors keep only the first."""

    before_root: bool
    longest: str
    texts: list[str]


@dataclass(frozen=True)
class Paragraphs:
    """What the page's <p> elements say about where the body is: a check on the extractor's choice."""

    root: _Element | None  # the element whose paragraphs hold the most text, boilerplate skipped
    chars: int  # text in all paragraphs of the page
    longest: str  # the longest paragraph under root: a body that misses it missed the article
    chunks: tuple[Chunk, ...] = ()  # the other containers of the root's kind
    own: tuple[tuple[str, bool], ...] = ()  # the root's own paragraphs in order, and whether they are linked text


def _linked_text(p: _Element, text: str) -> bool:
    """Whether a paragraph is text with links in it, which trafilatura may drop for its link density: a long
    one, or a short one that is not mostly link (a data line of linked names, not "Read also: <title>")."""
    links = [text_of(a) for a in p.iter("a")]
    return bool(links) and (len(text) >= 150 or (len(text) >= 12 and sum(map(len, links)) <= 0.7 * len(text)))


def _paragraph_stats(doc: _Element, junk: Boilerplate) -> Paragraphs:
    scores: dict[_Element, int] = {}  # parent -> paragraph text it holds, in document order
    longest: dict[_Element, str] = {}
    verdict: dict[_Element, bool] = {}  # parent -> inside boilerplate (paragraphs share parents: check each once)
    total = 0
    for p in doc.iter("p"):
        parent = p.getparent()
        if parent is None:
            continue
        text = text_of(p)
        total += len(text)
        if parent not in verdict:
            verdict[parent] = junk.inside(parent)
        if not verdict[parent]:
            scores[parent] = scores.get(parent, 0) + len(text)
            if len(text) > len(longest.get(parent, "")):
                longest[parent] = text
    if not scores:
        return Paragraphs(None, total, "")
    root = max(scores, key=lambda k: scores[k])
    position = {el: i for i, el in enumerate(scores)}
    kind = (root.tag, root.get("class"))
    chunks = tuple(
        Chunk(position[el] < position[root], longest.get(el, ""),
              [t for b in el.iter("p", "h2", "h3", "h4", "li") if (t := text_of(b))])
        for el in scores if el is not root and kind[1] and (el.tag, el.get("class")) == kind and scores[el] >= 150)
    own = tuple((t, _linked_text(p, t)) for p in root.iterchildren("p") if (t := text_of(p)))
    return Paragraphs(root, total, longest.get(root, ""), chunks, own)


def _with_chunks(body: list[str], paras: Paragraphs) -> list[str]:
    """The body with the article's other containers that the extractor left out, in page order."""
    if not paras.chunks:
        return body
    have = squash(" ".join(body))
    before: list[str] = []
    after: list[str] = []
    for chunk in paras.chunks:
        if squash(chunk.longest[:120]) not in have:
            (before if chunk.before_root else after).extend(chunk.texts)
    return before + body + after


def _with_dropped(body: list[str], own: tuple[tuple[str, bool], ...]) -> list[str]:
    """The body with the densest block's paragraphs that the extractor dropped for their links put back where
    they stand on the page: long ones, and short data lines below the first paragraph it kept (a short linked
    line above the text is a byline or a kicker more often than text)."""
    whole = squash(" ".join(body))  # a paragraph the extractor cut into lines is still there
    if all(not linked or squash(text)[:40] in whole for text, linked in own):
        return body
    out = list(body)
    squashed = [squash(p) for p in out]
    at = 0  # where the next paragraph of the block goes
    for text, linked in own:
        needle = squash(text)[:40]
        found = next((j for j in range(at, len(out)) if needle and needle in squashed[j]), None)
        if found is not None:
            at = found + 1
        elif linked and needle not in whole and (at > 0 or len(text) >= 150):
            out.insert(at, text)
            squashed.insert(at, needle)
            at += 1
    return out


MD_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
LINK_SHARE_ITEM, LINK_SHARE_PARA = 0.5, 0.8


def _unlinked(text: str) -> str:
    """trafilatura's text with its [text](url) link mark-up reduced to the text."""
    return MD_LINK.sub(lambda m: m.group(1), text)


def _paragraphs(text: str) -> list[str]:
    """Paragraphs of trafilatura's output (links marked up as [text](url)) without link lists.

    A list item that is mostly a link ("- Politik: [Weitere Meldung](...)") or a paragraph that is almost all
    link ("Lesen Sie auch: [...]") points elsewhere: related-news boxes inside the article container.
    """
    out = []
    for line in re.split(r"\n+", text):
        linked = sum(len(m.group(1)) for m in MD_LINK.finditer(line))
        para = norm(_unlinked(line))
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
    return len(paras.longest) >= 150 and squash(paras.longest[:120]) not in squash(extracted)


def _scope(doc: _Element, paras: Paragraphs) -> _Element:
    """The part of the page trafilatura needs to read: the <article> or <main> around the densest text block
    when it holds most of the page's paragraph text (less to read, no related boxes beside it), else the page."""
    root = paras.root
    scope = next((a for a in root.iterancestors("article", "main")), None) if root is not None else None
    if scope is None or sum(len(text_of(p)) for p in scope.iter("p")) < 0.6 * paras.chars:
        return doc
    page = lxml_html.document_fromstring("<html><head></head><body></body></html>")
    page.find("body").append(scope)  # moved out of doc, which trafilatura consumes anyway
    return page


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
    # links are kept to measure link share (_paragraphs); no base URL, so they are not resolved (15% of the time)
    options: dict[str, Any] = {"url": None, "include_comments": False, "include_tables": True, "deduplicate": False,
                               "include_links": True}
    extracted = trafilatura.extract(_scope(doc, paras), fast=True, **options) or ""
    if needs_full_mode(_unlinked(extracted), paras):
        extracted = trafilatura.extract(raw, **options) or extracted
    if len(extracted) < 200 and paras.chars < 200 and (shipped := scripted_article(raw)):
        extracted = trafilatura.extract(f"<html><body><article>{shipped}</article></body></html>", **options) or ""
    return _paragraphs(extracted)


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


PROMO = re.compile(
    r"newsletter|abonnier|abonnement|abonnés|subscribe (?:now|to|here|today)|whatsapp|telegram|google news|"
    r"copyright|©|ⓒ|all rights reserved|sign up|signing up|einloggen|comment policy|commenting|kommentar abgeben|"
    r"bản quyền|theo dõi (?:báo|chúng tôi|kênh|fanpage)|trên (?:google news|zalo|fanpage)|đăng ký nhận|"
    r"read more|lesen sie auch|mehr zum thema|click here|klicken sie|fehler gefunden|\[comments\]|"
    r"follow (?:us|[A-Z][\w.]+ on)|social media", re.I)


FURNITURE_LINE = re.compile(
    r"(?:advertisement|anzeige|werbung|quảng cáo|article content|recommended videos?|auch interessant|"
    r"(?:read more|lesen sie (?:auch|mehr)|mehr zum thema|xem thêm|đọc thêm|tin liên quan|most read|sign up|"
    r"our standards|for more stories like this|enjoying our latest content|log in or create an account|"
    r"click here|hier klicken|bấm vào đây|hat ihnen dieser artikel gefallen|this is a breaking news? story|"
    r"we independently select|join thought-provoking conversations|subscribe\b)\b.*|"
    r".*(?:story continues below|join our commenting forum|get in touch with our news team|newsletter|news-app|"
    r"google news).*)",
    re.I)


NOTICE = re.compile(  # the site's notices about consent, accounts, affiliate links and translations
    r"externen? Inhalt|einverstanden, dass|Drittplattformen|compartir tu cuenta|compartiendo tu cuenta|"
    r"affiliate commission|special offers, promotions|invest in journalism|your consent|"
    r"privacy (?:settings|preferences)|Partnermarke|maschinelle Übersetzung", re.I)


def _furniture_line(para: str) -> bool:
    """A line of the page's furniture inside the text: "Advertisement", "Read more: ...", "Sign up for
    ...", "Auch interessant", a newsletter offer, a notice asking consent for an embedded post."""
    return (len(para) < 160 and FURNITURE_LINE.fullmatch(para.strip("- ")) is not None) or (
        len(para) < 500 and NOTICE.search(para) is not None)


CREDITS = re.compile(  # the agency's credit line under a wire story
    r"^(?:\(?reporting by|writing by|editing by|additional reporting|with (?:files|reporting) from|"
    r"mit (?:informationen|material) (?:von|der)|(?:theo|nguồn) (?:ttxvn|vna)\b)|"
    r"\b(?:contributed (?:to )?this report|reported from [A-Z])", re.I)


MORE_BOX = re.compile(  # the heading of the other stories' box under an article ("More from X:" quotes X)
    r"(?:more from .{1,40}|more stories|you may also like|das könnte sie (?:auch )?interessieren|mehr aus .{1,40}|"
    r"(?:tin|bài) (?:cùng chuyên mục|liên quan|khác)|cùng chuyên mục)(?<!:)", re.I)


def _trim_tail(body: list[str]) -> list[str]:
    """Drop the lines under the text: the other stories' box, newsletter and app offers, "follow us", copyright,
    the credit line."""
    box = next((i for i in range(len(body) // 2, len(body)) if len(body[i]) < 60 and MORE_BOX.fullmatch(body[i])),
               None)
    body = body[:box] if box else body
    end = len(body)
    while end > 1 and ((len(body[end - 1]) < 250 and PROMO.search(body[end - 1])) or (
            len(body[end - 1]) < 400 and CREDITS.search(body[end - 1]))):
        end -= 1
    return body[:end]


BIO_VERB = re.compile(r"\b(?:is|was|has|ist|war|hat|est|était|es|fue|là|từng|has covered|makes)\b")


def _without_bios(body: list[str], authors: list[str]) -> list[str]:
    """Drop the author's biography under the text ("Ulrich Exner ist Korrespondent...", "X is a senior
    researcher..."): a closing paragraph that names an author near its start and says who they are."""
    if not authors or len(body) < 3:
        return body
    keep = len(body)
    for i in range(len(body) - 1, max(len(body) - 4, 0), -1):
        opening = body[i][:90]
        if len(body[i]) < 600 and any(a in opening for a in authors) and BIO_VERB.search(opening):
            keep = i
        else:
            break
    return body[:keep]


def _in_figure(para: str, figures: str) -> bool:
    """A caption or photo credit that trafilatura kept as a paragraph: its text is part of a <figure>."""
    squashed = squash(para)
    return len(para) < 400 and len(squashed) >= 8 and squashed in figures


DATE_WORDS = re.compile(
    r"[\d\W_]+|\b(?:uhr|am|um|at|on|updated?|published|posted|veröffentlicht|aktualisiert|uppdaterad|publicerad|"
    r"oppdatert|publisert|opdateret|publiceret|publié|mis à jour|publicado|actualizado|pubblicato|aggiornato|"
    r"cập nhật|ngày|tháng|năm|lúc|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|gmt|utc|cet|cest|jst|ict|ist|est|edt|pst|pdt|bst)\b"
    r"|[年月日時分更新]", re.I)


def _date_line(para: str) -> bool:
    """A line that is only a date and time, in any language ("05.08.2024, 20:59 Uhr", "2025年1月14日 01時28分")."""
    return len(para) < 70 and len(re.findall(r"\d+", para)) >= 3 and len(DATE_WORDS.sub("", para)) <= 3


def _trim_head(body: list[str], titles: set[str], lead: str, section: str | None) -> list[str]:
    """Drop the furniture an extractor keeps above the text: section label, headlines, date line, the lead again."""
    furniture = titles | {lead, section or ""}
    squashed_titles = [t for t in map(squash, titles) if len(t) >= 15]
    start = 0
    unread_lead = squash(lead)  # the lead again, maybe cut into lines: each line is the rest's beginning
    for para in body[:6]:
        short = len(para) < 90
        squashed = squash(para) if len(para) < 300 else ""
        kicker_and_title = any(t in squashed and len(squashed) - len(t) < 80 for t in squashed_titles)
        lead_line = len(squashed) >= 10 and unread_lead.startswith(squashed)
        if lead_line:
            unread_lead = unread_lead[len(squashed):]
        if para in furniture or kicker_and_title or lead_line or (
                short and (parse_vietnamese(para) is not None or _date_line(para) or len(para.split()) <= 3)):
            start += 1
            continue
        break
    # the lead again a little further down, under a kicker line that stopped the trimming
    return [p for i, p in enumerate(body[start:]) if not (i < 4 and lead and p == lead)]


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
    title = headline(doc, meta, ld, _select(doc, hints.title if hints else None, ctx, "title", url), names)
    section = section_of(doc, meta, ld)  # before navigation is dropped: breadcrumbs live there
    drop_furniture(doc)
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
    paras = _paragraph_stats(doc, junk)
    root = paras.root
    bold_lines: set[str] = set()
    if root is not None:  # the extractor may have dropped a closing byline paragraph: read the root's last lines
        byline_lines += [t for p in root.findall("p")[-2:] if len(t := text_of(p)) < 60]
        bold_lines = {t for p in root.findall("p")[:4] if len(t := text_of(p)) < 60 and len(p) == 1
                      and p[0].tag in ("strong", "b") and text_of(p[0]) == t}
    headlines = {title, *(text_of(h) for h in doc.iter("h1")), *declared_headlines(meta, ld, names)}
    figures = " ".join(squash(text_of(f)) for f in doc.iter("figure", "figcaption"))
    captions = {text_of(c) for c in doc.iter("figcaption")} | {
        norm(img.get("alt", "")) for img in doc.iter("img") if img.get("alt")}
    scope = root.getparent() if root is not None and root.getparent() is not None else doc
    images = sum(1 for img in scope.iter("img") if not re.search(r"logo|icon|avatar|pixel", img.get("src", ""), re.I))
    videos = sum(1 for _ in scope.iter("video")) + sum(
        1 for f in scope.iter("iframe") if VIDEO_SRC.search(f.get("src", "")))
    language = doc.get("lang")
    _prune_for_extractor(doc, classed, root)
    body = _body(doc, raw, body_hint, paras)  # the last use of doc: trafilatura consumes it
    body = body if body_hint else _with_chunks(_with_dropped(body, paras.own), paras)
    lead = _lead(marked_lead, meta, lead_hint, body)
    body, opening = opening_byline(body, bold_lines, ctx.outlets)  # before _trim_head drops short lines
    body = _trim_head(body, headlines, lead, section)
    body = [p for p in body if p not in captions and p not in headlines and not _in_figure(p, figures)
            and not _furniture_line(p) and not _date_line(p)]
    body, byline = closing_lines(_trim_tail(body), byline_lines, ctx.outlets)
    byline = Byline(byline.author or opening, byline.syndicated_from)
    authors = choose_authors(byline, credited, names, ctx.outlets)
    body = _trim_tail(_without_bios(body, authors))  # a credit line may sit above the bio
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
