"""Officials, bodies and places an article covers: underthesea NER per sentence plus a gazetteer of positions and bodies."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nlp.text import normalise, sentences

NerFn = Callable[[str], list[tuple[str, str, str]]]
MAX_SENTENCES = 40  # the lead and the first paragraphs name who the article is about


@dataclass(frozen=True)
class Entity:
    """A named official, body or place with its number of mentions."""

    name: str
    kind: str  # PER, ORG, LOC, POSITION
    mentions: int
    origin: str  # 'ner' or 'gazetteer'


class Gazetteer:
    """Configured positions and bodies ("Bí thư Thành ủy", "Ban Tuyên giáo Trung ương"), matched on normalised text."""

    def __init__(self, positions: Sequence[str], bodies: Sequence[str]) -> None:
        self.entries = [(normalise(p), "POSITION") for p in positions] + [(normalise(b), "ORG") for b in bodies]
        self.entries.sort(key=lambda e: -len(e[0]))
        alternatives = "|".join(re.escape(e[0].lower()) for e in self.entries)
        self.pattern = re.compile(r"(?<!\w)(" + alternatives + r")(?!\w)") if self.entries else None
        self.kinds = {e[0].lower(): e for e in self.entries}

    def find(self, text: str) -> Counter[tuple[str, str]]:
        """(name, kind) counts of gazetteer entries in a text."""
        found: Counter[tuple[str, str]] = Counter()
        if self.pattern is None:
            return found
        for m in self.pattern.finditer(normalise(text).lower()):
            name, kind = self.kinds[m.group(1)]
            found[(name, kind)] += 1
        return found


SURNAMES = frozenset(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương Trịnh Trương Lâm Mai "
    "Đinh Lương Tô Hà Tạ Cao Châu Chu Quách Lưu Thái Kiều Triệu La Từ Tăng Nghiêm Khổng Lò Mạc Phùng Thân Giang "
    "Tống Ông Hứa Lại Diệp Đàm Văn Hồng".split())
CITY_PREFIX = frozenset({"tp", "tp.", "thành phố", "tỉnh", "quận", "huyện", "phường", "xã", "đường"})


def _person(token: str, pos: str, previous: str) -> bool:
    """underthesea often tags people as places: a proper noun that reads as a Vietnamese full name is a person."""
    words = token.split()
    return (pos == "Np" and 2 <= len(words) <= 4 and words[0] in SURNAMES and all(w[:1].isupper() for w in words)
            and not (token == "Hồ Chí Minh" and previous.lower() in CITY_PREFIX))


def _spans(tagged: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    words: list[str] = []
    kind = ""
    previous = ""
    for token, pos, tag in [*tagged, ("", "", "O")]:
        if token and _person(token, pos, previous):
            if words:
                out.append((" ".join(words), kind))
            out.append((token, "PER"))
            words, kind, previous = [], "", token
            continue
        if tag.startswith("B-") or tag == "O" or (tag.startswith("I-") and tag[2:] != kind):
            if words:
                out.append((" ".join(words), kind))
            words, kind = ([token], tag[2:]) if tag != "O" else ([], "")
        else:
            words.append(token)
        previous = token
    return out


def extract_entities(title: str, text: str, ner: NerFn, gazetteer: Gazetteer | None = None) -> list[Entity]:
    """Entities of an article: NER on each of its first sentences, plus gazetteer matches over the whole text."""
    counts: Counter[tuple[str, str]] = Counter()
    for sentence in sentences(normalise(f"{title}\n{text}"))[:MAX_SENTENCES]:
        for name, kind in _spans(ner(sentence)):
            name = name.strip(" ,.;:\"'()")
            if len(name.split()) >= 2 and kind in ("PER", "ORG", "LOC") and any(c.isupper() for c in name):
                counts[(name, kind)] += 1
    entities = [Entity(n, k, c, "ner") for (n, k), c in counts.items()]
    if gazetteer is not None:
        entities += [Entity(n, k, c, "gazetteer") for (n, k), c in gazetteer.find(f"{title}\n{text}").items()]
    return sorted(entities, key=lambda e: (-e.mentions, e.name))
