"""Quarterly reports for every active programme (what the phoihop_quarterly_report DAG runs)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from phoihop.config import load_programmes
from phoihop.settings import paths

log = logging.getLogger(__name__)


def last_completed_quarter(today: dt.date | None = None) -> str:
    """The quarter that ended most recently before `today`, like 2021Q3."""
    today = today or dt.date.today()
    q = (today.month - 1) // 3  # quarters completed this year
    return f"{today.year}Q{q}" if q else f"{today.year - 1}Q4"


def quarterly_reports(period: str | None = None, formats: tuple[str, ...] = ("html", "xlsx")) -> list[Path]:
    """Write the report of each programme active in the period (default: the last completed quarter)."""
    from warehouse.report import collect, parse_period, write

    period = period or last_completed_quarter()
    _, start, end = parse_period(period)
    written = []
    for programme in load_programmes():
        if programme.start > end or programme.end < start:
            continue
        data = collect(paths().warehouse, programme.id, period)
        for fmt in formats:
            suffix = {"html": ".html", "xlsx": ".xlsx", "csv": ""}[fmt]
            target = paths().reports / period / f"{programme.id}{suffix}"
            written.append(write(data, target, fmt))
            log.info("report %s %s -> %s", programme.id, period, target)
    return written
