"""A parsed page and what the field heuristics read from it: text, meta tags, JSON-LD, classed elements,
boilerplate, the site's own names."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml.etree import _Element

BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|related|relate|tin-?cung|cung-?chuyen-?muc|tin-?khac|other-?news|comment|"
    r"binh-?luan|menu|navbar|breadcrumb|footer|banner|advert|ads|quang-?cao|sidebar|toolbar|print|newsletter|"
    r"subscribe|to-?top|back-?to-?top|paging|pagination|most-?read|doc-?nhieu|tag-?list|box-?tag)(?:$|[\s_-])",
    re.I,
)
VIDEO_SRC = re.compile(r"youtube|youtu\.be|vimeo|dailymotion|/video|\.mp4|player", re.I)
VI_CHARS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


@lru_cache(maxsize=1 << 16)
def has_word(attrs: str, words: tuple[str, ...]) -> bool:
    """Whether a lower-cased class/id string contains one of the words (remembered: pages repeat their
    class strings hundreds of times)."""
    return any(w in attrs for w in words)


LAYOUT = re.compile(r"sidebar-?(?:grid|layout|container)|(?:has|with|no)-sidebar")  # grids that hold the article


@lru_cache(maxsize=1 << 16)
def boilerplate_class(attrs: str) -> bool:
    """Whether a "class id" string says boilerplate (share bar, related news, menu, ads, comments...)."""
    return len(attrs) > 1 and BOILERPLATE.search(LAYOUT.sub(" ", attrs) if "sidebar" in attrs else attrs) is not None


def text_of(el: _Element) -> str:
    """An element's text with white space folded."""
    return " ".join(el.text_content().split())  # str.split folds the same white space as \s+, 3x faster


def norm(text: str) -> str:
    """NFC text with white space folded."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def attrs_of(el: _Element) -> str:
    """An element's class and id as one string."""
    return f"{el.get('class', '')} {el.get('id', '')}"


REPEATED_META = ("author", "article:author")


def meta_tags(doc: _Element) -> dict[str, str]:
    """Meta tags by lower-cased property/name/itemprop, first value kept; repeated author tags joined by " | "
    (a page may declare its outlet first and the reporter second)."""
    out: dict[str, str] = {}
    for m in doc.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").lower()
        if key and m.get("content"):
            if key not in out:
                out[key] = norm(m.get("content", ""))
            elif key in REPEATED_META:
                out[key] += " | " + norm(m.get("content", ""))
    return out


CDATA = re.compile(r"^\s*(?:/[/*]\s*)?<!\[CDATA\[(?:\s*\*/)?|(?:/[/*]\s*)?\]\]>(?:\s*\*/)?\s*$")  # //<![CDATA[ ... //]]>


def jsonld(doc: _Element) -> dict[str, Any]:
    """The first NewsArticle-like JSON-LD object, a fact-check's ClaimReview included (graph members and a
    WebPage's main entity too)."""
    for script in doc.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(CDATA.sub("", script.text))
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
                if any(str(k).endswith(("Article", "NewsArticle", "BlogPosting", "Report", "ClaimReview")) for k in kinds):
                    return item
            elif isinstance(item, list):
                stack.extend(item)
    return {}


Classed = list[tuple[_Element, str]]


def classed_elements(doc: _Element) -> Classed:
    """Elements that carry a class or an id (the only ones the class-name heuristics can match), with both
    lower-cased in one string."""
    return [(el, attrs_of(el).lower()) for el in doc.xpath("//*[@class or @id]")]


SAFE_DROP = ("script", "style", "noscript", "svg", "template", "nav", "footer", "aside")


def drop_furniture(doc: _Element) -> None:
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
        return boilerplate_class(attrs_of(el))

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


def site_names(meta: dict[str, str], ld: dict[str, Any], url: str, outlets: frozenset[str]) -> set[str]:
    """The names a page's outlet goes by: og:site_name, the JSON-LD publisher, the host, the configured outlets."""
    names = {n.casefold() for n in outlets}
    publisher = ld.get("publisher")
    for value in (meta.get("og:site_name"), meta.get("application-name"),
                  publisher.get("name") if isinstance(publisher, dict) else None):
        if isinstance(value, str) and value.strip():
            names.add(norm(html.unescape(value)).casefold())
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if host:
        names |= {host, host.split(".")[0]}
    return {n for n in names if n}


def squash(text: str) -> str:
    """Lower-cased letters and digits only, for comparing texts that differ in punctuation and spacing."""
    return re.sub(r"[\W_]+", "", text.casefold())


def plain(text: str) -> str:
    """Letters and digits only, without diacritics: "Báo điện tử Đảng Cộng sản" -> "baodientudangcongsan"."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return squash("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def is_site_name(text: str, names: set[str]) -> bool:
    """Whether text names the site: its og:site_name, publisher or host ("dangcongsan.vn" matches
    "Báo điện tử Đảng Cộng sản Việt Nam")."""
    if text.casefold().strip() in names:
        return True
    bare_names = [plain(n) for n in names]
    for bare in {plain(text), plain(text.translate(UMLAUTS))}:  # "Börsen-Zeitung" is boersen-zeitung.de
        if bare and any(len(n) > 3 and (bare in n or n in bare) for n in bare_names):
            return True
    first = plain(text.split()[0]) if text.split() else ""
    return len(first) >= 2 and first in bare_names  # "MDR THÜRINGEN" on mdr.de: a desk of the outlet


SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)
JS_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"', re.S)
ESCAPED_P = re.compile(r"(?:\\u003c|<)p[\s>\\]")


def _html_strings(code: str, depth: int = 0) -> list[str]:
    """The string literals of a script (or of a JSON text inside one) that hold several <p> elements,
    unescaped; a literal that is itself JSON with escaped HTML inside gives the strings inside it."""
    found = []
    for literal in JS_STRING.findall(code):
        if len(ESCAPED_P.findall(literal)) < 3:
            continue
        try:
            text = json.loads(f'"{literal}"'.replace("\\'", "'"))
        except ValueError:
            continue
        inner = _html_strings(text, 1) if depth == 0 and "\\" in text else []
        found.extend(inner or [text])
    return found


def scripted_article(raw: str) -> str:
    """The article's HTML where a client-side framework ships it inside a script (Next.js and the like print
    an empty shell and the text as a JSON string): the string with the most <p> elements, or "" when no
    script carries paragraphs."""
    strings = [t for script in SCRIPT.findall(raw) if ESCAPED_P.search(script) for t in _html_strings(script)]
    best = max(strings, key=lambda t: t.count("<p"), default="")
    return best if best.count("<p") >= 3 else ""
