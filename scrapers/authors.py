"""Who wrote a page: JSON-LD authors, printed bylines, author links and meta tags, closing lines; never the outlet."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from lxml.etree import _Element

from scrapers.bylines import Byline, is_outlet, parse_line, split_authors
from scrapers.page import VI_CHARS, is_site_name, norm, text_of

AUTHOR_CLASS = ("author", "byline", "tac-gia", "tacgia", "writer", "reporter", "signature")
DOUBLED = re.compile(r"(.{4,}?) \1")
JOB_WORDS = re.compile(r"\b(?:director|editor|assistant|writer|reporter|correspondent|redakteur(?:in)?|"
                       r"korrespondent(?:in)?|journalist(?:in)?|chief|senior|head|manager|producer|contributor|"
                       r"columnist|photographer|watch|live|follow|twitter|facebook|subscribe|"
                       r"phóng viên|biên tập|cộng tác viên)\b", re.I)
ADMIN = "/author/admin"  # a CMS's admin account: its name is not a person's
NAME_TAG = re.compile(r"\s*\((?:[a-zäöüß]{2,5}\.?|[A-Z]{2,4})\)$")  # "Elena Oberholzer (obe)": the desk code


def ld_names(value: Any) -> list[str]:
    """Names in a JSON-LD author value (a string, a Person or Organization, or lists of them)."""
    if isinstance(value, str):
        return [html.unescape(value)]
    if isinstance(value, dict):
        if ADMIN in f"{value.get('@id', '')} {value.get('url', '')}":
            return []
        name = value.get("name") or " ".join(
            str(value[k]) for k in ("givenName", "familyName") if isinstance(value.get(k), str))
        return ld_names(name) if name else []
    if isinstance(value, list):
        return [n for item in value for n in ld_names(item)]
    return []


def person_names(values: Iterable[str], names: set[str], outlets: frozenset[str], declared: bool = False) -> list[str]:
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
            if not name or "@" in name or name.isdigit() or is_site_name(name, names) or (
                    not declared and is_outlet(name, outlets)):
                continue
            if name not in out:
                out.append(name)
    return out


AUTHOR_LINKS = ("//a[@rel='author' or contains(@href,'/author/') or contains(@href,'/autor') or "
                "contains(@href,'/tac-gia/') or contains(@href,'/journalist/')]")


def drop_admin_links(doc: _Element) -> None:
    """Remove links to the CMS's admin account, whose name is not a person's, before any byline is read."""
    for link in doc.xpath(f"//a[contains(@href,'{ADMIN}')]"):
        link.drop_tree()


def dom_byline(el: _Element) -> list[str]:
    """Author names in a byline element: its author links or name fields, else its first text that reads as a name.

    Reading text nodes one by one keeps "Dan Jervis-Bardy" and "The West Australian" apart where
    text_content() would glue them into one word.
    """
    linked = [text_of(a) for a in el.xpath(".//*[@itemprop='name'] | .//a[@rel='author'] | .//a[contains(@href,"
                                          "'author') or contains(@href,'autor') or contains(@href,'tac-gia')]")]
    linked = [t for t in linked if t]
    if linked:
        return unglued(list(dict.fromkeys(linked)))
    names = []
    for piece in el.itertext():
        found = parse_line(norm(piece))
        if found and found.author and found.author not in names:
            names.append(found.author)
    return unglued(names)


def unglued(names: list[str]) -> list[str]:
    """Drop a name that is two others run together ("Scott Gilbertson Gear Team")."""
    return [n for n in names if sum(1 for m in names if m != n and m in n) < 2]


def closing_lines(body: list[str], byline_lines: Iterable[str], outlets: frozenset[str]) -> tuple[list[str], Byline]:
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


def opening_byline(body: list[str], bold_lines: set[str], outlets: frozenset[str]) -> tuple[list[str], str | None]:
    """A name printed in bold on a line of its own above the text ("**Mohloai Mpesi**"): the author, and
    not a paragraph of the body."""
    for i, para in enumerate(body[:4]):
        found = parse_line(para, outlets) if para in bold_lines else None
        if found and found.author:
            return body[:i] + body[i + 1:], found.author
    return body, None


def printed_names(byline_els: list[_Element], names: set[str], outlets: frozenset[str]) -> list[str]:
    """Names in the first byline element that has any."""
    for el in byline_els:
        printed = person_names(dom_byline(el), names, outlets)
        if printed:
            return printed
    return []


def linked_names(doc: _Element, names: set[str], outlets: frozenset[str]) -> list[str]:
    """Names linked to author pages anywhere in the page ("von <a href=/autoren/...>"), at most four."""
    linked = [text_of(a) for a in doc.xpath(AUTHOR_LINKS)[:8]]
    return person_names([n for t in linked if (b := parse_line(t)) and (n := b.author)], names, outlets)[:4]


def declared_authors(ld: dict[str, Any], meta: dict[str, str], printed: list[str], names: set[str],
                      outlets: frozenset[str]) -> list[str]:
    """Authors from JSON-LD, the printed byline element, then the author meta tags."""
    found = person_names(ld_names(ld.get("author")), names, outlets, declared=True)
    if printed and (not found or set(found) < set(printed)):
        found = printed  # the printed byline wins when it names everyone the metadata names, and more
    for key in ("article:author", "author", "dc.creator", "cxenseparse:author"):
        if not found and meta.get(key) and not meta[key].startswith("http"):
            found = person_names([meta[key]], names, outlets)
    return found


def choose_authors(byline: Byline, declared: list[str], names: set[str], outlets: frozenset[str]) -> list[str]:
    """People who wrote the article, first found of: a Vietnamese closing byline, JSON-LD authors, byline
    elements, the author meta tags, author-page links, a closing byline in another language.
    The outlet is never an author."""
    if byline.author and VI_CHARS.search(byline.author) and not is_outlet(byline.author, outlets):
        return [byline.author]
    if not declared and byline.author:
        return person_names([byline.author], names, outlets)
    return declared
