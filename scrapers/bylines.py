"""Bylines and syndication markers as Vietnamese papers print them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ROLE_PREFIX = re.compile(
    r"^(?:bài\s*(?:và|,|/|&)\s*ảnh|bài|ảnh|video|clip|đồ\s*họa|đồ\s*hoạ|thiết\s*kế|infographic|thực\s*hiện|"
    r"nhóm\s*phóng\s*viên|pv|tác\s*giả|by|text|photo(?:s)?|von|par|por|di|door)\s*[:\-–]\s*",
    re.I,
)
SOURCE_MARK = re.compile(r"^\(?\s*(?:nguồn|source|theo)\s*[:\-–]?\s*(.+?)\s*\)?\.?$", re.I)
COMPILED = re.compile(r"^(.+?)\s*\((?:tổng\s*hợp|t/h|th|tổng hợp từ.*)\)\.?$", re.I)
INITIALS = re.compile(r"^(?:[A-ZĐÂĂÊÔƠƯ]\.){1,3}[A-ZĐÂĂÊÔƠƯ]?\.?$|^[A-ZĐ]{1,3}\.[A-ZĐ]{1,3}$")
OUTLET_WORDS = re.compile(
    r"\b(?:báo|tạp chí|đài|cổng|thông tấn|ttxvn|vtv|vov|htv|tv|online|điện tử|news|times|press|"
    r"agency|reuters|afp|ap|xinhua|tuổi trẻ|thanh niên|vnexpress|nhân dân|dân trí)\b|\.(?:vn|com|net|org)\b",
    re.I,
)


NOT_A_NAME = re.compile(  # headings of the boxes under an article, which look like a two-word name
    r"\b(?:artikel|articles?|related|read|more|news|stories|tin|bài|chuyên mục|xem thêm|liên quan|"
    r"weitere|ähnliche|mehr|lesen|leia|también|aussi|autres)\b", re.I)


@dataclass(frozen=True)
class Byline:
    """What a closing line says: the author, or the outlet a copy comes from."""

    author: str | None = None
    syndicated_from: str | None = None


def _is_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 5 or len(text) > 40 or any(ch.isdigit() for ch in text) or NOT_A_NAME.search(text):
        return False
    if INITIALS.match(text.replace(" ", "")):
        return True
    letters = [w for w in words if w[:1].isalpha()]
    if len(letters) != len(words):
        return False
    if text.isupper():
        return True
    return all(w[0].isupper() for w in words) and len(words) >= 2


def is_outlet(text: str, outlets: frozenset[str] = frozenset()) -> bool:
    """Whether a name is a publication rather than a person."""
    folded = text.casefold().strip(" .")
    return folded in outlets or bool(OUTLET_WORDS.search(text))


def parse_line(line: str, outlets: frozenset[str] = frozenset()) -> Byline | None:
    """Read a short closing line as a byline or a syndication marker; None when it is ordinary text."""
    text = unicodedata.normalize("NFC", line).strip().strip("*_").strip()
    if not text or len(text) > 80:
        return None
    source = SOURCE_MARK.match(text)
    if source:
        name = source.group(1).strip(" .()")
        if text.casefold().startswith(("nguồn", "source")) or is_outlet(name, outlets):
            return Byline(syndicated_from=name)
        return Byline(author=name) if _is_name(name) else None
    compiled = COMPILED.match(text)
    if compiled:
        name = compiled.group(1).strip()
        return Byline(syndicated_from=name) if is_outlet(name, outlets) else Byline(author=name)
    stripped = ROLE_PREFIX.sub("", text).strip(" .")
    if is_outlet(stripped, outlets):
        return None
    if _is_name(stripped):
        return Byline(author=stripped)
    return None


POSTS_BY = re.compile(r"^(?:view|see|read|more) (?:all )?(?:posts|articles|stories|more) (?:by|from)\s+", re.I)
BY_PREFIX = re.compile(r"^(?:von|by|par|por|door|di|av|af|od|przez|tác giả)\s*(?=[^\W\d_])", re.I)
AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\||/|&|\s(?:und|and|et|y|e|và|og|och|en|i)\s)\s*")
ROLE_SUFFIX = re.compile(r"\s+(?:redakteur(?:in)?|korrespondent(?:in)?|reporter(?:in)?|journalist(?:in)?|"
                         r"editor|correspondent|staff writer|기자|記者|特派員)$", re.I)


def clean_author(value: str, outlets: frozenset[str] = frozenset()) -> str | None:
    """An author string from metadata, with role prefixes removed; None when it names the site's own outlet."""
    value = re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip(" .,;|")
    value = ROLE_PREFIX.sub("", value).strip()
    value = POSTS_BY.sub("", value).strip()
    if value.lower().startswith(("von", "by", "par", "por", "door")) and BY_PREFIX.match(value):
        value = BY_PREFIX.sub("", value, count=1).strip()
    value = ROLE_SUFFIX.sub("", value).strip(" .,;")
    if not value or value.casefold() in outlets or value.startswith("http"):
        return None
    return value


def split_authors(value: str, outlets: frozenset[str] = frozenset()) -> list[str]:
    """'Von A und B, dpa' -> ['A', 'B', 'dpa']: one name per author, prefixes and roles removed."""
    cleaned = clean_author(value, outlets)
    if not cleaned:
        return []
    names = []
    for part in AUTHOR_SPLIT.split(cleaned):
        name = clean_author(part, outlets)
        if name and name not in names and len(name) <= 60:
            names.append(name)
    return names
