"""Multi-label theme classifier: lexicon evidence + a linear model over n-grams, calibrated, with reasons."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nlp.features import FEATURES_VERSION, lexicon_features, model_text, terms, tfidf
from nlp.lexicon import ZONE_WEIGHT, Hit, Lexicon
from nlp.text import normalise

Tokeniser = Callable[[str], list[str]]
LEXICON_ONLY_CENTRE, LEXICON_ONLY_SCALE = 8.0, 2.5  # sigmoid mapping of phrase scores when no model is trained


@dataclass(frozen=True)
class Example:
    """A labelled text for training or evaluation."""

    id: str
    title: str
    text: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Prediction:
    """Scores for every theme (0-1, comparable across themes), the assigned labels and why."""

    scores: dict[str, float]
    labels: list[str]
    evidence: dict[str, list[dict[str, Any]]]
    version: str

    def evidence_text(self) -> dict[str, list[str]]:
        """Evidence as readable lines, for JSON interfaces and reports."""
        out: dict[str, list[str]] = {}
        for theme, items in self.evidence.items():
            lines = []
            for item in items:
                if item["kind"] == "phrase":
                    lines.append(f"\"{item['phrase']}\" ×{item['count']} ({item['zone']}): {item['sentence']}")
                else:
                    lines.append(f"model terms: {', '.join(item['terms'])}")
            out[theme] = lines
        return out


@dataclass
class ThemeModel:
    """A trained model: vocabulary, IDF, one logistic regression per theme, decision thresholds."""

    theme_ids: list[str]
    theme_version: str
    vocab: dict[str, int]
    idf: list[float]
    coef: list[list[float]]
    intercept: list[float]
    t_top: float
    t_any: float
    data_hash: str
    n_examples: int
    trained_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._coef = np.asarray(self.coef, dtype=np.float64)
        self._intercept = np.asarray(self.intercept, dtype=np.float64)

    def probabilities(self, vec: dict[int, float], extra: Sequence[float]) -> np.ndarray:
        """Per-theme probabilities for a sparse TF-IDF vector and the lexicon features."""
        offset = len(self.vocab)
        idx = np.fromiter(vec.keys(), dtype=np.int64, count=len(vec))
        vals = np.fromiter(vec.values(), dtype=np.float64, count=len(vec))
        z = self._intercept + self._coef[:, idx] @ vals + self._coef[:, offset:] @ np.asarray(extra, dtype=np.float64)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))

    def top_terms(self, theme_index: int, vec: dict[int, float], limit: int = 5) -> list[int]:
        """Vocabulary ids that pushed a theme's score up the most in this document."""
        idx = np.fromiter(vec.keys(), dtype=np.int64, count=len(vec))
        contrib = self._coef[theme_index, idx] * np.fromiter(vec.values(), dtype=np.float64, count=len(vec))
        order = np.argsort(-contrib)[:limit]
        return [int(idx[i]) for i in order if contrib[i] > 0]

    @property
    def version(self) -> str:
        """Theme-set version, model kind and training-data hash: recorded with every assignment."""
        return f"themes-{self.theme_version}+lr-{self.data_hash[:8]}"

    def save(self, path: Path) -> Path:
        """Write the model as JSON (small, readable, independent of library versions)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        data |= {"coef": [[round(c, 6) for c in row] for row in self.coef],
                                "idf": [round(v, 6) for v in self.idf], "format": 1}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, path: Path) -> ThemeModel:
        """Read a model written by `save`."""
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("format", None)
        return cls(**data)


def data_hash(examples: Sequence[Example]) -> str:
    """Hash of the training data (ids, texts, labels), stored in the model file."""
    h = hashlib.sha256()
    for ex in sorted(examples, key=lambda e: e.id):
        h.update(json.dumps([ex.id, ex.title, ex.text, sorted(ex.labels)], ensure_ascii=False).encode())
    return h.hexdigest()


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, x))))


def decide(scores: dict[str, float], t_top: float, t_any: float) -> list[str]:
    """Labels: the best theme if it reaches t_top, and every theme reaching t_any (an article may get none)."""
    if not scores:
        return []
    best = max(scores, key=lambda t: scores[t])
    labels = {t for t, s in scores.items() if s >= t_any}
    if scores[best] >= t_top:
        labels.add(best)
    return sorted(labels, key=lambda t: -scores[t])


def _phrase_evidence(hits: Sequence[Hit], theme: str, limit: int = 4) -> list[dict[str, Any]]:
    grouped: dict[str, list[Hit]] = {}
    for hit in hits:
        if hit.theme == theme:
            grouped.setdefault(hit.phrase, []).append(hit)
    ranked = sorted(grouped.values(), key=lambda hs: -sum(h.weight * ZONE_WEIGHT[h.zone] for h in hs))
    return [{"kind": "phrase", "phrase": hs[0].phrase, "count": len(hs), "weight": hs[0].weight,
             "zone": min((h.zone for h in hs), key=lambda z: -ZONE_WEIGHT[z]), "sentence": hs[0].sentence[:300]}
            for hs in ranked[:limit]]


class Classifier:
    """Scores an article against every theme; falls back to the lexicon alone when no model is trained."""

    def __init__(self, lexicon: Lexicon, theme_version: str, model: ThemeModel | None = None) -> None:
        if model is not None and model.params.get("features") != FEATURES_VERSION:
            raise ValueError(f"the theme model {model.version} was trained on feature set "
                             f"{model.params.get('features')}, this code computes {FEATURES_VERSION}: "
                             "run `phoihop train` again")
        self.lexicon, self.model, self.theme_version = lexicon, model, theme_version
        self._names = {i: t for t, i in model.vocab.items()} if model else {}

    @property
    def version(self) -> str:
        """The classifier version recorded with every assignment."""
        return self.model.version if self.model else f"themes-{self.theme_version}+lexicon"

    def predict(self, title: str, text: str, tokens: Sequence[str] | None = None,
                normalised: bool = False) -> Prediction:
        """Scores, labels and evidence for one article (tokens: underthesea tokens of model_text).

        normalised: title and text already went through nlp.text.normalise (the pipeline does it once).
        """
        if not normalised:
            title, text = normalise(title), normalise(text)
        hits = self.lexicon.match(title, text, normalised=True)
        lex = self.lexicon.scores(hits)
        ids = self.lexicon.ids
        model_terms: dict[str, list[str]] = {}
        if self.model is None:
            scores = {t: _sigmoid((lex[t] - LEXICON_ONLY_CENTRE) / LEXICON_ONLY_SCALE) for t in ids}
            labels = decide(scores, 0.5, 0.75)
        else:
            m = self.model
            doc = model_text(title, text, normalised=True)
            vec = tfidf(terms(doc, tokens or []), m.vocab, m.idf)
            extra = lexicon_features(lex, m.theme_ids)
            probs = m.probabilities(vec, extra)
            scores = {theme: float(p) for theme, p in zip(m.theme_ids, probs, strict=True)}
            labels = decide(scores, m.t_top, m.t_any)
            for theme in labels:
                model_terms[theme] = [self._names[k][2:] for k in m.top_terms(m.theme_ids.index(theme), vec)]
        evidence: dict[str, list[dict[str, Any]]] = {}
        for theme in labels:
            items = _phrase_evidence(hits, theme)
            if model_terms.get(theme):
                items.append({"kind": "model", "terms": model_terms[theme]})
            evidence[theme] = items
        return Prediction({t: round(s, 4) for t, s in scores.items()}, labels, evidence, self.version)
