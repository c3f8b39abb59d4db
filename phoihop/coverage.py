"""The partner x theme coverage table (counts, targets, attainment) from the warehouse views."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from phoihop.themes import THEME_IDS
from warehouse.query import query


def coverage(warehouse: Path, period: str | None = None, programme: str | None = None,
             source: str | None = None, theme: str | None = None) -> pd.DataFrame:
    """Items per theme (rows) and partner (columns), syndicated copies counted once, with a total column."""
    where, params = ["theme_id IS NOT NULL"], []
    if period:
        where.append("(period = ? OR CAST(year AS VARCHAR) = ?)")
        params += [period, period]
    if source:
        where.append("source_id = ?")
        params.append(source)
    if theme:
        where.append("theme_id = ?")
        params.append(theme)
    if programme:
        where.append("source_id IN (SELECT source_id FROM programme_sources WHERE programme_id = ?)")
        params.append(programme)
    df = query(warehouse, f"""
        SELECT theme_id, partner, count(DISTINCT article_id) AS items
        FROM v_coverage_items WHERE {' AND '.join(where)} GROUP BY ALL
    """, params)
    table = df.pivot_table(index="theme_id", columns="partner", values="items", aggfunc="sum", fill_value=0)
    order = [t for t in THEME_IDS if not theme or t == theme]
    table = table.reindex(order, fill_value=0)
    table["Tổng"] = table.sum(axis=1)
    if programme:
        targets = query(warehouse, """
            SELECT theme_id, sum(target) AS target FROM v_target_attainment
            WHERE programme_id = ? AND theme_id IS NOT NULL AND format IS NULL AND language IS NULL
              AND (? IS NULL OR period = ?)
            GROUP BY theme_id
        """, [programme, period, period]).set_index("theme_id")["target"]
        table["Chỉ tiêu"] = targets.reindex(table.index)
        table["Đạt"] = (table["Tổng"] / table["Chỉ tiêu"]).map(lambda v: f"{v:.0%}" if v == v else "")
    table.index.name = "theme_id"
    return table.reset_index()


def render(table: pd.DataFrame, title: str) -> None:
    """Print a coverage table in the terminal; zero cells are dimmed so gaps stand out."""
    from rich.console import Console
    from rich.table import Table

    out = Table(title=title, show_lines=False)
    for col in table.columns:
        out.add_column(str(col), justify="left" if col == "theme_id" else "right")
    for _, row in table.iterrows():
        cells = []
        for col in table.columns:
            value = row[col]
            text = "" if value is None or (isinstance(value, float) and value != value) else str(
                int(value) if isinstance(value, float) and value.is_integer() else value)
            cells.append(f"[dim]{text}[/dim]" if text == "0" else text)
        out.add_row(*cells)
    Console(width=200).print(out)
