"""Train the theme model reproducibly, choose thresholds inside the training data, evaluate with K-fold CV."""

from __future__ import annotations

import json
import logging
import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression

from nlp.classifier import Example, ThemeModel, Tokeniser, data_hash, decide
from nlp.features import FEATURES_VERSION, lexicon_features, model_text, terms, tfidf
from nlp.lexicon import Lexicon

log = logging.getLogger(__name__)
C_DEFAULT, ALPHA_DEFAULT, MIN_DF = 30.0, 0.3, 2
T_TOP_GRID = (0.3, 0.4, 0.5, 0.6)
T_ANY_GRID = (0.6, 0.7, 0.8, 0.9)


def load_examples(path: Path) -> list[Example]:
    """Examples from a JSONL file of {"id","title","text","labels"} lines."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                out.append(Example(str(row["id"]), row.get("title") or "", row["text"], tuple(row.get("labels", []))))
            except (ValueError, KeyError) as exc:
                raise ValueError(f"{path}:{n}: not an example line ({exc})") from exc
    return out


@dataclass
class _Prepared:
    examples: list[Example]
    terms: list[list[str]]
    lex: list[list[float]]


def prepare(examples: Sequence[Example], lexicon: Lexicon, tokenise: Tokeniser) -> _Prepared:
    """Tokenise and score every example once (CV folds reuse it)."""
    all_terms, lex = [], []
    for ex in examples:
        doc = model_text(ex.title, ex.text)
        all_terms.append(terms(doc, tokenise(doc)))
        lex.append(lexicon_features(lexicon.scores(lexicon.match(ex.title, ex.text)), lexicon.ids))
    return _Prepared(list(examples), all_terms, lex)


def _matrix(p: _Prepared, idx: Sequence[int], vocab: dict[str, int], idf: list[float], alpha: float) -> csr_matrix:
    rows, cols, vals = [], [], []
    for r, i in enumerate(idx):
        for k, v in tfidf(p.terms[i], vocab, idf).items():
            rows.append(r)
            cols.append(k)
            vals.append(v)
    text = csr_matrix((vals, (rows, cols)), shape=(len(idx), len(vocab)))
    return hstack([text, csr_matrix(alpha * np.array([p.lex[i] for i in idx]))]).tocsr()


def _fit(p: _Prepared, idx: Sequence[int], theme_ids: list[str], c: float, alpha: float
         ) -> tuple[dict[str, int], list[float], list[list[float]], list[float]]:
    df: Counter[str] = Counter()
    for i in idx:
        df.update(set(p.terms[i]))
    vocab = {t: k for k, t in enumerate(sorted(t for t, n in df.items() if n >= MIN_DF))}
    n = len(idx)
    idf = [0.0] * len(vocab)
    for t, k in vocab.items():
        idf[k] = math.log((1 + n) / (1 + df[t])) + 1.0
    x = _matrix(p, idx, vocab, idf, alpha)
    coef, intercept = [], []
    for theme in theme_ids:
        y = np.array([theme in p.examples[i].labels for i in idx])
        if y.all() or not y.any():  # a theme with no positives: never fires
            coef.append([0.0] * x.shape[1])
            intercept.append(-10.0 if not y.any() else 10.0)
            continue
        lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
        lr.fit(x, y)
        row = lr.coef_[0].tolist()
        offset = len(vocab)
        row[offset:] = [alpha * w for w in row[offset:]]  # fold alpha in: predict() uses raw lexicon features
        coef.append(row)
        intercept.append(float(lr.intercept_[0]))
    return vocab, idf, coef, intercept


def _folds(n: int, k: int, seed: int) -> list[list[int]]:
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]


def _scores_for(p: _Prepared, idx: Sequence[int], model: ThemeModel) -> list[dict[str, float]]:
    """Per-theme probabilities of prepared examples (terms and lexicon features computed once in prepare)."""
    out = []
    for i in idx:
        probs = model.probabilities(tfidf(p.terms[i], model.vocab, model.idf), p.lex[i])
        out.append({theme: float(v) for theme, v in zip(model.theme_ids, probs, strict=True)})
    return out


def _best_thresholds(scores: list[dict[str, float]], gold: list[tuple[str, ...]]) -> tuple[float, float]:
    best = (-1.0, 0.5, 0.8)
    for t_top in T_TOP_GRID:
        for t_any in T_ANY_GRID:
            if t_any < t_top:
                continue
            preds = [decide(s, t_top, t_any) for s in scores]
            f1 = Metrics.compute(preds, gold, sorted({t for s in scores for t in s})).micro_f1
            if f1 > best[0]:
                best = (f1, t_top, t_any)
    return best[1], best[2]


def train_prepared(p: _Prepared, idx: Sequence[int], lexicon: Lexicon, theme_version: str,
                   c: float = C_DEFAULT, alpha: float = ALPHA_DEFAULT, inner_k: int = 4, seed: int = 13) -> ThemeModel:
    """Fit on the examples at idx; thresholds chosen by an inner CV on those examples only."""
    idx = list(idx)
    theme_ids = list(lexicon.ids)
    inner_scores: list[dict[str, float]] = [{} for _ in idx]
    for fold in _folds(len(idx), inner_k, seed):
        held = set(fold)
        train_idx = [idx[i] for i in range(len(idx)) if i not in held]
        vocab, idf, coef, intercept = _fit(p, train_idx, theme_ids, c, alpha)
        tmp = ThemeModel(theme_ids, theme_version, vocab, idf, coef, intercept, 0.5, 0.8, "", 0,
                         params={"features": FEATURES_VERSION})
        for i, s in zip(fold, _scores_for(p, [idx[i] for i in fold], tmp), strict=True):
            inner_scores[i] = s
    t_top, t_any = _best_thresholds(inner_scores, [p.examples[i].labels for i in idx])
    vocab, idf, coef, intercept = _fit(p, idx, theme_ids, c, alpha)
    examples = [p.examples[i] for i in idx]
    return ThemeModel(theme_ids, theme_version, vocab, idf, coef, intercept, t_top, t_any, data_hash(examples),
                      len(examples), params={"C": c, "alpha": alpha, "min_df": MIN_DF, "inner_k": inner_k,
                                                             "features": FEATURES_VERSION})


def train(examples: Sequence[Example], lexicon: Lexicon, theme_version: str, tokenise: Tokeniser,
          c: float = C_DEFAULT, alpha: float = ALPHA_DEFAULT) -> ThemeModel:
    """Train on all examples."""
    p = prepare(examples, lexicon, tokenise)
    return train_prepared(p, range(len(examples)), lexicon, theme_version, c, alpha)


@dataclass
class Metrics:
    """Precision, recall and F1 per theme, micro and macro."""

    per_theme: dict[str, tuple[float, float, float, int]]
    micro_p: float
    micro_r: float
    micro_f1: float
    macro_f1: float

    @classmethod
    def compute(cls, predicted: Sequence[Sequence[str]], gold: Sequence[Sequence[str]],
                theme_ids: Sequence[str]) -> Metrics:
        """Metrics of predicted against gold label sets."""
        per, tp_all, fp_all, fn_all = {}, 0, 0, 0
        for theme in theme_ids:
            tp = sum(theme in p and theme in g for p, g in zip(predicted, gold, strict=True))
            fp = sum(theme in p and theme not in g for p, g in zip(predicted, gold, strict=True))
            fn = sum(theme not in p and theme in g for p, g in zip(predicted, gold, strict=True))
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
            per[theme] = (prec, rec, f1, tp + fn)
            tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        mp = tp_all / (tp_all + fp_all) if tp_all + fp_all else 0.0
        mr = tp_all / (tp_all + fn_all) if tp_all + fn_all else 0.0
        mf = 2 * tp_all / (2 * tp_all + fp_all + fn_all) if tp_all + fp_all + fn_all else 1.0
        return cls(per, mp, mr, mf, sum(v[2] for v in per.values()) / max(1, len(per)))

    def as_dict(self) -> dict[str, Any]:
        """Rounded figures."""
        return {"micro_precision": round(self.micro_p, 4), "micro_recall": round(self.micro_r, 4),
                "micro_f1": round(self.micro_f1, 4), "macro_f1": round(self.macro_f1, 4),
                "per_theme": {t: {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "support": n}
                              for t, (p, r, f, n) in self.per_theme.items()}}


def cross_validate(examples: Sequence[Example], lexicon: Lexicon, theme_version: str, tokenise: Tokeniser,
                   k: int = 5, seed: int = 0, c: float = C_DEFAULT, alpha: float = ALPHA_DEFAULT) -> Metrics:
    """K-fold CV: each fold's model (and its thresholds) sees only the other folds."""
    p = prepare(examples, lexicon, tokenise)
    predicted: list[list[str]] = [[] for _ in examples]
    for n, fold in enumerate(_folds(len(examples), k, seed), start=1):
        held = set(fold)
        model = train_prepared(p, [i for i in range(len(examples)) if i not in held], lexicon, theme_version, c, alpha)
        for i, s in zip(fold, _scores_for(p, fold, model), strict=True):
            predicted[i] = decide(s, model.t_top, model.t_any)
        log.info("fold %d/%d done (thresholds %.2f/%.2f)", n, k, model.t_top, model.t_any)
    return Metrics.compute(predicted, [e.labels for e in examples], lexicon.ids)
