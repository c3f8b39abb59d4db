"""Where the article's text is on a page: the paragraph blocks (the densest, others of its kind, the <article>
around it) that check trafilatura's choice and fill in what it left out."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import html as lxml_html
from lxml.etree import _Element

from scrapers.page import Boilerplate, squash, text_of


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


def linked_text(p: _Element, text: str) -> bool:
    """Whether a paragraph is text with links in it, which trafilatura may drop for its link density: a long
    one, or a short one that is not mostly link (a data line of linked names, not "Read also: <title>")."""
    links = [text_of(a) for a in p.iter("a")]
    return bool(links) and (len(text) >= 150 or (len(text) >= 12 and sum(map(len, links)) <= 0.7 * len(text)))


def paragraph_stats(doc: _Element, junk: Boilerplate) -> Paragraphs:
    """Where the page's paragraph text is: the densest block, the other blocks of its kind, its own paragraphs."""
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
    own = tuple((t, linked_text(p, t)) for p in root.iterchildren("p") if (t := text_of(p)))
    return Paragraphs(root, total, longest.get(root, ""), chunks, own)


def with_chunks(body: list[str], paras: Paragraphs) -> list[str]:
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


def with_dropped(body: list[str], own: tuple[tuple[str, bool], ...]) -> list[str]:
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


def needs_full_mode(extracted: str, paras: Paragraphs) -> bool:
    """Whether trafilatura's fast result is suspect: too short, missing the densest block's longest paragraph,
    or on a page without <p> elements to check it against."""
    if paras.chars < 200 or len(extracted) < max(200, 0.3 * paras.chars):
        return True
    return len(paras.longest) >= 150 and squash(paras.longest[:120]) not in squash(extracted)


def scope(doc: _Element, paras: Paragraphs) -> _Element:
    """The part of the page trafilatura needs to read: the <article> or <main> around the densest text block
    when it holds most of the page's paragraph text (less to read, no related boxes beside it), else the page."""
    root = paras.root
    container = next((a for a in root.iterancestors("article", "main")), None) if root is not None else None
    if container is None or sum(len(text_of(p)) for p in container.iter("p")) < 0.6 * paras.chars:
        return doc
    page = lxml_html.document_fromstring("<html><head></head><body></body></html>")
    page.find("body").append(container)  # moved out of doc, which trafilatura consumes anyway
    return page
