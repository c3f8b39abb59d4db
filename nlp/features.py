"""Text features for the theme model: word n-grams (underthesea tokens), syllable n-grams, lexicon scores."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from nlp.text import STOPWORDS, normalise


def model_text(title: str, text: str) -> str:
    """The text the model reads: the headline twice (it weighs more), then lead and body; normalised, lower-case."""
    return normalise(f"{title}\n{title}\n{text}" if title else text).lower()


def word_ngrams(tokens: Sequence[str]) -> list[str]:
    """Word unigrams and bigrams of content tokens (stop words and punctuation dropped)."""
    words = [t.lower() for t in tokens if t.lower() not in STOPWORDS and any(c.isalpha() for c in t)]
    return [f"w:{w}" for w in words] + [f"w:{a} {b}" for a, b in pairwise(words)]


def syllable_ngrams(text: str) -> list[str]:
    """Syllable 1- to 3-grams: robust where word segmentation errs."""
    sylls = [s for s in (x.strip(".,;:!?\"'()[]") for x in text.split()) if s and any(c.isalpha() for c in s)]
    out = [f"s:{s}" for s in sylls]
    out += [f"s:{a} {b}" for a, b in pairwise(sylls)]
    out += [f"s:{a} {b} {c}" for a, b, c in zip(sylls, sylls[1:], sylls[2:], strict=False)]
    return out


def terms(text: str, tokens: Sequence[str]) -> list[str]:
    """All n-gram terms of a document."""
    return word_ngrams(tokens) + syllable_ngrams(text)


def tfidf(terms_: Sequence[str], vocab: dict[str, int], idf: Sequence[float]) -> dict[int, float]:
    """Sublinear TF-IDF, L2-normalised separately for word and syllable blocks (sparse dict)."""
    counts = Counter(t for t in terms_ if t in vocab)
    out: dict[int, float] = {}
    for prefix in ("w:", "s:"):
        block = {vocab[t]: (1.0 + math.log(c)) * idf[vocab[t]] for t, c in counts.items() if t.startswith(prefix)}
        norm = math.sqrt(sum(v * v for v in block.values())) or 1.0
        out.update({k: v / norm for k, v in block.items()})
    return out


def lexicon_features(scores: dict[str, float], theme_ids: Sequence[str]) -> list[float]:
    """Per theme: log of the phrase score, and the score relative to the article's best theme."""
    values = [scores.get(t, 0.0) for t in theme_ids]
    top = max(values) if values else 0.0
    return [math.log1p(v) for v in values] + [v / (top + 1e-9) for v in values]
