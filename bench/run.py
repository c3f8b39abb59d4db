"""Benchmarks that print figures (not timed tests): fetch-and-store, extraction, classification.

    .venv/bin/python -m bench.run            # all
    .venv/bin/python -m bench.run extract    # one
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def bench_fetch(rounds: int = 3) -> None:
    """Pages per second for discover + fetch + WARC write from the local replay, rate limits off."""
    from phoihop.config import load_sources
    from phoihop.demo_portals import write_archive
    from scrapers.crawl import crawl_source
    from scrapers.replay import serve

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = serve([write_archive(root / "demo.warc.gz")])
        sources = [s for s in load_sources() if s.checked == "replay"]
        rates = []
        for n in range(rounds):
            pages, t0 = 0, time.perf_counter()
            for s in sources:
                d = root / f"r{n}"
                summary = crawl_source(s, "bench", d / "raw", d / "state", d / "staging", replay=server.url, fast=True)
                pages += summary.counts["fetched"] + sum(v for k, v in summary.counts.items() if k.startswith("index_"))
            rates.append(pages / (time.perf_counter() - t0))
        server.shutdown()
    print(f"fetch+store (replay, no rate limit): {statistics.median(rates):.0f} pages/s "
          f"(median of {rounds} rounds, {pages} requests each)")


def bench_extract() -> None:
    """Pages per second of the generic extractor over the dev set, one core."""
    from scrapers.evaluation import load_gold
    from scrapers.extract import extract
    from scrapers.page import boilerplate_class, has_word

    folder = SHARED / "extraction-dev"
    if not folder.exists():
        print(f"extract: skipped ({folder} not found)")
        return
    pages = [(g["url"], page) for g, page in load_gold(folder)]
    rates = []
    for _ in range(3):  # the median of three passes: this machine's timings vary with its neighbours' load
        has_word.cache_clear()  # each pass starts cold: the same pages again would find every class string known
        boilerplate_class.cache_clear()
        t0 = time.perf_counter()
        for url, page in pages:
            extract(page, url)
        rates.append(len(pages) / (time.perf_counter() - t0))
    print(f"extract: {statistics.median(rates):.1f} pages/s over {len(pages)} dev pages, one core "
          f"(median of 3 passes; min {min(rates):.1f}, max {max(rates):.1f}; target 50)")


def bench_classify(repeat: int = 200) -> None:
    """Milliseconds to classify a 5,000-character article, tokenisation excluded."""
    from nlp.classifier import Classifier, ThemeModel
    from nlp.features import model_text
    from nlp.lexicon import Lexicon
    from nlp.segmenter import word_tokens
    from nlp.text import normalise
    from phoihop.config import load_themes
    from phoihop.demo_portals import load_articles
    from phoihop.pipeline import model_path

    themes = load_themes()
    model = ThemeModel.load(model_path()) if model_path().exists() else None
    clf = Classifier(Lexicon(themes.themes), themes.version, model)
    _, articles = load_articles()
    text = ""
    for a in articles:
        text += "\n\n".join([a.lead, *a.body]) + "\n\n"
        if len(text) >= 5000:
            break
    text = normalise(text[:5000])
    title = normalise(articles[0].title)
    tokens = word_tokens(model_text(title, text))
    clf.predict(title, text, tokens, normalised=True)
    batches = []
    for _ in range(5):  # the median of five batches: this machine's timings vary with its neighbours' load
        t0 = time.perf_counter()
        for _ in range(repeat // 5):
            clf.predict(title, text, tokens, normalised=True)
        batches.append((time.perf_counter() - t0) / (repeat // 5) * 1000)
    ms = statistics.median(batches)
    kind = "lexicon + model" if model else "lexicon only (run `phoihop train` for the model)"
    print(f"classify: {ms:.2f} ms per 5,000-character article (median of 5 batches; min {min(batches):.2f}, max "
          f"{max(batches):.2f}), normalisation and tokenisation excluded ({kind})")
    t0 = time.perf_counter()
    word_tokens(model_text(title, text))
    print(f"tokenise (underthesea word_tokenize): {(time.perf_counter() - t0) * 1000:.0f} ms for the same article")


BENCHES = {"fetch": bench_fetch, "extract": bench_extract, "classify": bench_classify}

if __name__ == "__main__":
    for name in sys.argv[1:] or list(BENCHES):
        BENCHES[name]()
