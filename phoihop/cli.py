"""The `phoihop` command: a thin layer over the library; errors become one-line messages here."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from phoihop.settings import PROJECT_ROOT, paths

log = logging.getLogger("phoihop")
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
Handler = Callable[[argparse.Namespace], int]


def _setup_logging(verbose: bool) -> Path:
    logs = paths().logs
    logs.mkdir(parents=True, exist_ok=True)
    logfile = logs / "phoihop.log"
    fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr), logging.FileHandler(logfile)]
    handlers[0].setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format=fmt, handlers=handlers, force=True)
    for noisy in ("great_expectations", "urllib3", "filelock"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for chatty in ("trafilatura", "htmldate"):  # their warnings are about the page's markup ("empty link")
        logging.getLogger(chatty).setLevel(logging.DEBUG if verbose else logging.ERROR)
    return logfile


def _print_df(df: object) -> None:
    import pandas as pd

    assert isinstance(df, pd.DataFrame)
    with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200,
                           "display.max_colwidth", 80):
        print(df.to_string(index=False) if len(df) else "(no rows)")


# --- commands -----------------------------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    from phoihop import pipeline

    replay_url, server = args.replay_url, None
    if args.replay:
        from scrapers.replay import serve

        server = serve([Path(p) for p in args.replay])
        replay_url = server.url
    run_id = args.run_id or dt.datetime.now(dt.UTC).strftime("manual_%Y%m%dT%H%M%S")
    since = dt.datetime.fromisoformat(args.since).replace(tzinfo=dt.UTC) if args.since else None
    try:
        results = pipeline.run(run_id, replay=replay_url, only=args.source, since=since,
                               progress=lambda s: log.info("%s", s.line()))
    finally:
        if server:
            server.shutdown()
    failed = 0
    for sid, res in sorted(results.items()):
        loaded = res.get("loaded", {})
        print(f"{sid}: discovered {res.get('discovered', 0)}, fetched {res.get('fetched', 0)}, "
              f"extracted {res.get('extracted', 0)}, quarantined {res.get('quarantined', 0)}, "
              f"new {loaded.get('new', 0)}, changed {loaded.get('changed', 0)}"
              + (f"  ERROR: {res['error']}" if res.get("error") else ""))
        failed += bool(res.get("error"))
    print(f"warehouse: {paths().warehouse}")
    return 1 if failed else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from phoihop.demo import run_demo

    return run_demo(use_airflow=not args.no_airflow, logical_date=args.date)


def cmd_replay(args: argparse.Namespace) -> int:
    import time

    from phoihop.demo import demo_archive
    from scrapers.replay import serve

    archives = [Path(p) for p in args.archive] or [demo_archive()]
    server = serve(archives, args.port)
    print(f"replaying {len(server.index)} captures from {', '.join(map(str, archives))} on {server.url}")
    print("clients send the original Host header; e.g. curl -H 'Host: dangcongsan.demo' " + server.url + "/tphcm/")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()
    return 0


def cmd_crawl(args: argparse.Namespace) -> int:
    from phoihop import pipeline

    run_id = args.run_id or dt.datetime.now(dt.UTC).strftime("crawl_%Y%m%dT%H%M%S")
    since = dt.datetime.fromisoformat(args.since).replace(tzinfo=dt.UTC) if args.since else None
    for sid in args.source:
        res = pipeline.crawl(sid, run_id, replay=args.replay_url, since=since,
                             progress=lambda s: log.info("%s", s.line()))
        print(json.dumps(res, ensure_ascii=False, default=str))
        if args.record:
            Path(args.record).parent.mkdir(parents=True, exist_ok=True)
            Path(args.record).write_bytes(Path(res["warc"]).read_bytes())
            print(f"recorded {res['warc']} -> {args.record} (serve it with `phoihop replay {args.record}`)")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    import gzip

    from phoihop.config import source_by_id
    from phoihop.pipeline import outlets
    from scrapers.extract import Context, extract

    hints = source_by_id(args.source).hints if args.source else None
    ctx = Context(source=args.source or "", hints=hints, outlets=outlets())
    for name in args.files:
        path = Path(name)
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        art = extract(raw, args.url or path.resolve().as_uri(), ctx)
        record = {"file": str(path), **art.to_json()}
        print(json.dumps(record, ensure_ascii=False))
    return 0


def cmd_eval_extraction(args: argparse.Namespace) -> int:
    from phoihop.quality_gates import check_extraction

    return check_extraction(Path(args.gold), Path(args.floors) if args.floors else None, args.failures)


def cmd_train(args: argparse.Namespace) -> int:
    from phoihop.training import train_model

    model = train_model(Path(args.gold), include_corrections=not args.no_corrections)
    print(f"trained {model['version']} on {model['examples']} examples "
          f"({model['corrections']} analyst corrections); thresholds top {model['t_top']}, any {model['t_any']}")
    print(f"model: {model['path']}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from phoihop.quality_gates import check_themes

    return check_themes(Path(args.gold), args.cv, Path(args.floors) if args.floors else None)


def cmd_classify(args: argparse.Namespace) -> int:
    from phoihop.training import classify_jsonl

    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        n = classify_jsonl(Path(args.input), out)
    finally:
        if args.output:
            out.close()
    log.info("classified %d articles", n)
    return 0


def cmd_label(args: argparse.Namespace) -> int:
    from phoihop.training import record_verdict

    verdict = bool(args.yes)
    record_verdict(args.article_id, args.theme, verdict, args.analyst, args.note)
    print(f"recorded: article {args.article_id} {'is' if verdict else 'is not'} about {args.theme}")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    from warehouse.query import query

    df = query(paths().warehouse, args.query)
    if args.csv:
        df.to_csv(args.csv, index=False)
        print(f"{len(df)} rows -> {args.csv}")
    elif args.parquet:
        df.to_parquet(args.parquet, index=False)
        print(f"{len(df)} rows -> {args.parquet}")
    else:
        _print_df(df)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from warehouse.query import search

    _print_df(search(paths().warehouse, " ".join(args.text), args.limit))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from warehouse.query import export

    for path in export(paths().warehouse, Path(args.target), args.table or None):
        print(path)
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from phoihop.coverage import coverage, render

    table = coverage(paths().warehouse, args.period, args.programme, args.source, args.theme)
    if args.csv:
        table.to_csv(args.csv, index=False)
    render(table, f"Số tin bài theo chủ đề x đối tác{' - ' + args.period if args.period else ''}"
                  f"{' - ' + args.programme if args.programme else ''}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from warehouse.report import collect, write

    data = collect(paths().warehouse, args.programme, args.period)
    suffix = {"html": ".html", "xlsx": ".xlsx", "csv": ""}[args.format]
    target = Path(args.output) if args.output else paths().reports / f"{args.programme}-{args.period}{suffix}"
    write(data, target, args.format)
    h = data.headline
    print(f"{args.programme} {args.period}: {h['items']} items"
          + (f" / target {h['target']}" if h["target"] else "")
          + f", themes met {h['themes_met']}/{h['themes_with_target']}, under target {h['themes_under']}")
    print(f"report: {target}")
    return 0


def cmd_standalone(args: argparse.Namespace) -> int:
    from phoihop.demo import run_standalone

    return run_standalone(args.port, replay=not args.no_replay)


def cmd_backfill(args: argparse.Namespace) -> int:
    from phoihop import pipeline

    run_id = args.run_id or dt.datetime.now(dt.UTC).strftime("backfill_%Y%m%dT%H%M%S")
    start, end = dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end)
    chunks = pipeline.backfill_plan(args.source, start, end)
    for n, chunk in enumerate(chunks, start=1):
        key = pipeline.backfill_chunk(chunk, run_id, args.replay_url)
        pipeline.process(chunk["source_id"], key)
        res = pipeline.load(chunk["source_id"], key)
        print(f"[{n}/{len(chunks)}] {chunk['source_id']} {chunk['since']}..{chunk['until']}: "
              f"fetched {res.get('fetched', 0)}, new {res.get('loaded', {}).get('new', 0)}")
    pipeline.refresh()
    return 0


def cmd_airflow(args: argparse.Namespace) -> int:
    import os

    from phoihop.demo import airflow_env

    env = airflow_env(replay_url=args.replay_url)
    os.execvpe(str(Path(sys.executable).parent / "airflow"), ["airflow", *args.airflow_args], {**os.environ, **env})
    return 0  # pragma: no cover


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="phoihop", description="Coverage analytics for media-coordination programmes")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="run the nightly job without Airflow")
    p.add_argument("--replay", nargs="*", default=[], help="WARC archives to replay instead of the network")
    p.add_argument("--replay-url", help="an already running replay server (http://127.0.0.1:PORT)")
    p.add_argument("--source", nargs="*", help="only these source ids")
    p.add_argument("--run-id")
    p.add_argument("--since", help="only items published since this date (YYYY-MM-DD)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("demo", help="the main job on the offline replay: Airflow DAG, then the coverage table")
    p.add_argument("--no-airflow", action="store_true", help="run the same stages in-process without Airflow")
    p.add_argument("--date", default="2021-10-01", help="logical date of the demo run")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("replay", help="serve WARC archives on 127.0.0.1 (default: the demo portals)")
    p.add_argument("archive", nargs="*")
    p.add_argument("--port", type=int, default=8765)
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("crawl", help="crawl sources into the raw zone (WARC)")
    p.add_argument("source", nargs="+")
    p.add_argument("--record", help="also copy the run's WARC here, for `phoihop replay`")
    p.add_argument("--replay-url")
    p.add_argument("--run-id")
    p.add_argument("--since")
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("extract", help="print one JSON article record per HTML file")
    p.add_argument("files", nargs="+")
    p.add_argument("--url")
    p.add_argument("--source", help="apply this source's hints")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("eval-extraction", help="score extraction on gold pages; fail below the pinned floors")
    p.add_argument("--gold", default=str(SHARED_DATA / "extraction-dev"))
    p.add_argument("--floors", help="floors file (default: tests/quality_floors.json)")
    p.add_argument("--failures", help="write per-page failures to this JSON file")
    p.set_defaults(func=cmd_eval_extraction)

    p = sub.add_parser("train", help="train the theme model (gold data + analyst corrections)")
    p.add_argument("--gold", default=str(SHARED_DATA / "themes-dev.jsonl"))
    p.add_argument("--no-corrections", action="store_true")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("eval", help="precision/recall/F1 per theme, micro and macro")
    p.add_argument("--gold", default=str(SHARED_DATA / "themes-dev.jsonl"))
    p.add_argument("--cv", type=int, default=0, help="K-fold cross-validation, retraining on each fold")
    p.add_argument("--floors", help="fail if below the floors in this file")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("classify", help="classify JSONL lines {id,title,text}")
    p.add_argument("--input", required=True)
    p.add_argument("--output")
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser("label", help="record an analyst's verdict on an article's theme")
    p.add_argument("article_id")
    p.add_argument("theme")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--yes", action="store_true")
    g.add_argument("--no", action="store_true")
    p.add_argument("--analyst", default="analyst")
    p.add_argument("--note")
    p.set_defaults(func=cmd_label)

    p = sub.add_parser("sql", help="run a read-only SQL query over the warehouse")
    p.add_argument("query")
    p.add_argument("--csv")
    p.add_argument("--parquet")
    p.set_defaults(func=cmd_sql)

    p = sub.add_parser("search", help="full-text search (with or without diacritics)")
    p.add_argument("text", nargs="+")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("export", help="write warehouse tables and views to Parquet")
    p.add_argument("target")
    p.add_argument("--table", nargs="*")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("coverage", help="partner x theme coverage table")
    p.add_argument("--period", help="e.g. 2021Q3 or 2021")
    p.add_argument("--programme")
    p.add_argument("--source")
    p.add_argument("--theme")
    p.add_argument("--csv")
    p.set_defaults(func=cmd_coverage)

    p = sub.add_parser("report", help="the quarterly evaluation report of a programme (HTML, XLSX or CSV)")
    p.add_argument("--programme", required=True)
    p.add_argument("--period", required=True, help="2021Q3 or 2021")
    p.add_argument("--format", choices=["html", "xlsx", "csv"], default="html")
    p.add_argument("--output", help="file (html, xlsx) or folder (csv); default data/reports/")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("standalone", help="`airflow standalone` on the project's DAGs with the demo replay (make airflow)")
    p.add_argument("--port", type=int, default=8765, help="port of the demo replay")
    p.add_argument("--no-replay", action="store_true", help="crawl the live partners instead")
    p.set_defaults(func=cmd_standalone)

    p = sub.add_parser("backfill", help="collect a date range again, month by month, without Airflow")
    p.add_argument("--source", nargs="+", required=True)
    p.add_argument("--start", required=True, help="YYYY-MM-DD")
    p.add_argument("--end", required=True, help="YYYY-MM-DD")
    p.add_argument("--replay-url")
    p.add_argument("--run-id")
    p.set_defaults(func=cmd_backfill)

    p = sub.add_parser("airflow", help="run the airflow CLI with phoihop's AIRFLOW_HOME and DAGs")
    p.add_argument("--replay-url")
    p.add_argument("airflow_args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_airflow)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `phoihop` console script."""
    from phoihop.config import ConfigError
    from warehouse.db import WarehouseBusy
    from warehouse.quality import BatchRejected
    from warehouse.query import QueryFailed, QueryRefused

    args = build_parser().parse_args(argv)
    _setup_logging(args.verbose)
    handler: Handler = args.func
    try:
        return handler(args)
    except (ConfigError, WarehouseBusy, QueryRefused, QueryFailed, BatchRejected, FileNotFoundError, ValueError) as exc:
        print(f"phoihop {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
