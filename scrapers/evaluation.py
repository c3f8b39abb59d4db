"""Score extraction against gold pages: body F1 over 4-word shingles, title/author exact, date by day and minute."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapers.article import Article

WORD = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """4-word shingles with counts (the public article-extraction benchmarks' convention)."""
    words = WORD.findall(text)
    return Counter(tuple(words[i:i + n]) for i in range(max(0, len(words) - n + 1)))


def body_prf(predicted: str, gold: str) -> tuple[float, float]:
    """Per-page precision and recall of shingle counts."""
    pred, ref = shingles(predicted), shingles(gold)
    tp = sum((pred & ref).values())
    fp = sum(pred.values()) - tp
    fn = sum(ref.values()) - tp
    precision = tp / (tp + fp) if tp + fp else (1.0 if not ref else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def one_form(text: str | None) -> str:
    """NFKC with soft hyphens dropped: the same letters whatever Unicode form the page used."""
    return unicodedata.normalize("NFKC", text or "").replace("\u00ad", "")


def norm_text(text: str | None) -> str:
    """NFKC, soft hyphens dropped, white space folded, case folded."""
    return re.sub(r"\s+", " ", one_form(text)).strip().casefold()


def f1(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class Scores:
    """Aggregate extraction scores over a gold set."""

    pages: int = 0
    precision: float = 0.0
    recall: float = 0.0
    f1_normalised: float = 0.0  # body F1 with both sides NFKC, soft hyphens dropped: what Unicode forms cost
    title: float = 0.0
    author: float = 0.0
    date_day: float = 0.0
    date_minute: float = 0.0
    seconds: float = 0.0
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def body_f1(self) -> float:
        """F1 from averaged precision and recall."""
        return f1(self.precision, self.recall)

    def as_dict(self) -> dict[str, float]:
        """Rounded figures for printing and the floors file."""
        return {"pages": self.pages, "body_f1": round(self.body_f1, 4), "body_precision": round(self.precision, 4),
                "body_recall": round(self.recall, 4), "body_f1_normalised": round(self.f1_normalised, 4),
                "title_exact": round(self.title, 4), "author_exact": round(self.author, 4),
                "date_day": round(self.date_day, 4),
                "date_minute": round(self.date_minute, 4),
                "pages_per_s": round(self.pages / self.seconds, 1) if self.seconds else 0.0}


def load_gold(folder: Path) -> Iterator[tuple[dict[str, Any], bytes]]:
    """(gold record, page bytes) of every page in an extraction-dev style folder."""
    with (folder / "gold.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                gold = json.loads(line)
                yield gold, gzip.decompress((folder / gold["file"]).read_bytes())


def _same_instant(pred: dt.datetime | None, gold: str | None) -> tuple[bool, bool]:
    if not gold or pred is None:
        return (not gold and pred is None), (not gold and pred is None)
    ref = dt.datetime.fromisoformat(gold)
    if ref.tzinfo is None or pred.tzinfo is None:
        ref, pred = ref.replace(tzinfo=None), pred.replace(tzinfo=None)
        return ref.date() == pred.date(), abs((ref - pred).total_seconds()) < 60
    same_day = ref.date() == pred.astimezone(ref.tzinfo).date()
    return same_day, abs((ref - pred).total_seconds()) < 60


def evaluate(folder: Path, extractor: Callable[[bytes, str], Article]) -> Scores:
    """Run the extractor over every gold page and average the scores."""
    s = Scores()
    normalised = [0.0, 0.0]
    for gold, page in load_gold(folder):
        t0 = time.perf_counter()
        art = extractor(page, gold["url"])
        s.seconds += time.perf_counter() - t0
        reference = "\n".join(x for x in (gold.get("lead"), gold.get("body")) if x)
        p, r = body_prf(art.text, reference)
        for i, value in enumerate(body_prf(one_form(art.text), one_form(reference))):
            normalised[i] += value
        title_ok = norm_text(art.title) == norm_text(gold.get("title"))
        author_ok = sorted(map(norm_text, art.authors)) == sorted(map(norm_text, gold.get("authors") or []))
        day_ok, minute_ok = _same_instant(art.published, gold.get("published"))
        s.pages += 1
        s.precision += p
        s.recall += r
        s.title += title_ok
        s.author += author_ok
        s.date_day += day_ok
        s.date_minute += minute_ok
        if not (title_ok and author_ok and day_ok) or p < 0.9 or r < 0.9:
            s.failures.append({"file": gold["file"], "precision": round(p, 3), "recall": round(r, 3),
                               "title": [art.title, gold.get("title")] if not title_ok else None,
                               "authors": [list(art.authors), gold.get("authors")] if not author_ok else None,
                               "published": [art.published.isoformat() if art.published else None,
                                             gold.get("published")] if not day_ok else None})
    n = s.pages or 1
    s.precision, s.recall = s.precision / n, s.recall / n
    s.f1_normalised = f1(normalised[0] / n, normalised[1] / n)
    s.title, s.author, s.date_day, s.date_minute = s.title / n, s.author / n, s.date_day / n, s.date_minute / n
    return s
