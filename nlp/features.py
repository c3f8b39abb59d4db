"""Text features for the theme model: word n-grams (underthesea tokens), syllable n-grams, lexicon scores."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from nlp.text import STOPWORDS, normalise

FEATURES_VERSION = 3  # bump when term extraction changes: models trained on other features are refused
SYLLABLE = re.compile(r"\w+")
LETTER = re.compile(r"[^\W\d_]")


def model_text(title: str, text: str, normalised: bool = False) -> str:
    """The text the model reads: the headline twice (it weighs more), then lead and body; normalised, lower-case."""
    joined = f"{title}\n{title}\n{text}" if title else text
    return (joined if normalised else normalise(joined)).lower()


@lru_cache(maxsize=65536)
def _has_letter(token: str) -> bool:
    return LETTER.search(token) is not None


def word_ngrams(tokens: Sequence[str]) -> list[str]:
    """Word unigrams and bigrams of content tokens (stop words and punctuation dropped)."""
    # tokens come from model_text, already lower-case; a word needs a letter ("covid-19" yes, "2021" no)
    words = [w for w in tokens if w not in STOPWORDS and _has_letter(w)]
    return [f"w:{w}" for w in words] + [f"w:{a} {b}" for a, b in pairwise(words)]


def syllable_ngrams(text: str) -> list[str]:
    """Syllable unigrams and bigrams: robust where word segmentation errs."""
    sylls = [s for s in SYLLABLE.findall(text) if not s.isdigit()]
    out = [f"s:{s}" for s in sylls]
    out += [f"s:{a} {b}" for a, b in pairwise(sylls)]
    return out


def terms(text: str, tokens: Sequence[str]) -> list[str]:
    """All n-gram terms of a document (text as returned by model_text)."""
    return word_ngrams(tokens) + syllable_ngrams(text)


def tfidf(terms_: Sequence[str], vocab: dict[str, int], idf: Sequence[float]) -> dict[int, float]:
    """Sublinear TF-IDF, L2-normalised separately for word and syllable blocks (sparse dict)."""
    words: dict[int, float] = {}
    sylls: dict[int, float] = {}
    get, log = vocab.get, math.log
    for term, c in Counter(terms_).items():
        k = get(term)
        if k is not None:
            (words if term[0] == "w" else sylls)[k] = (1.0 if c == 1 else 1.0 + log(c)) * idf[k]
    out: dict[int, float] = {}
    for block in (words, sylls):
        norm = math.sqrt(sum(v * v for v in block.values())) or 1.0
        out.update({k: v / norm for k, v in block.items()})
    return out


def lexicon_features(scores: dict[str, float], theme_ids: Sequence[str]) -> list[float]:
    """Per theme: log of the phrase score, and the score relative to the article's best theme."""
    values = [scores.get(t, 0.0) for t in theme_ids]
    top = max(values) if values else 0.0
    return [math.log1p(v) for v in values] + [v / (top + 1e-9) for v in values]
