"""The quarterly evaluation report of a programme: every figure read from the warehouse views; HTML, XLSX or CSV."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from warehouse.query import query

FORMAT_NAMES = {"news": "Tin", "article": "Bài", "photo": "Ảnh", "photo_report": "Phóng sự ảnh", "video": "Video",
                "infographic": "Infographic", "megastory": "Megastory", "audio": "Audio"}
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "Tiếng Anh", "fr": "Tiếng Pháp", "zh": "Tiếng Trung"}


class ReportError(ValueError):
    """The report cannot be made (unknown programme, malformed period...)."""


def parse_period(period: str) -> tuple[str, dt.date, dt.date]:
    """'2021Q3' or '2021' -> (kind, first day, last day)."""
    m = re.fullmatch(r"(\d{4})(?:[Qq]([1-4]))?", period.strip())
    if not m:
        raise ReportError(f"period {period!r} is neither a quarter like 2021Q3 nor a year like 2021")
    year = int(m.group(1))
    if m.group(2):
        q = int(m.group(2))
        start = dt.date(year, 3 * q - 2, 1)
        end = (dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1))
        return "quarter", start, end
    return "year", dt.date(year, 1, 1), dt.date(year, 12, 31)


@dataclass
class ReportData:
    """The tables of one report, each the result of a query over the analyst views."""

    programme: dict[str, Any]
    period: str
    start: dt.date
    end: dt.date
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    headline: dict[str, Any] = field(default_factory=dict)


def collect(path: Path, programme_id: str, period: str) -> ReportData:
    """Read every figure of the report from the warehouse."""
    kind, start, end = parse_period(period)
    prog = query(path, "SELECT * FROM programmes WHERE programme_id = ?", [programme_id])
    if prog.empty:
        known = ", ".join(query(path, "SELECT programme_id FROM programmes ORDER BY 1").programme_id)
        raise ReportError(f"no programme {programme_id!r} in the warehouse (known: {known or 'none'})")
    data = ReportData(prog.iloc[0].to_dict(), period, start, end)
    scope = ("FROM v_coverage_items c WHERE c.source_id IN (SELECT source_id FROM programme_sources "
             "WHERE programme_id = ?) AND c.published_date BETWEEN ? AND ?")
    args: list[object] = [programme_id, start, end]
    t = data.tables
    t["heatmap"] = query(path, f"""
        SELECT c.partner, c.theme_id, count(DISTINCT c.article_id) AS items {scope} AND c.theme_id IS NOT NULL
        GROUP BY ALL ORDER BY 1, 2""", args)
    t["monthly"] = query(path, """
        SELECT m.month, m.theme_id, sum(m.items) AS items FROM coverage_monthly m
        WHERE m.source_id IN (SELECT source_id FROM programme_sources WHERE programme_id = ?)
          AND m.month BETWEEN date_trunc('month', ?::DATE) AND ? AND m.theme_id IS NOT NULL
        GROUP BY ALL ORDER BY 1, 2""", args)
    t["formats"] = query(path, f"SELECT c.format, count(DISTINCT c.article_id) AS items {scope} GROUP BY 1 "
                               "ORDER BY 2 DESC", args)
    t["languages"] = query(path, f"SELECT c.language, count(DISTINCT c.article_id) AS items {scope} GROUP BY 1 "
                                 "ORDER BY 2 DESC", args)
    t["attainment"] = query(path, """
        SELECT theme_id, format, language, target, actual, attainment, met FROM v_target_attainment
        WHERE programme_id = ? AND period = ? ORDER BY theme_id NULLS FIRST, format NULLS FIRST""",
                            [programme_id, period])
    t["under_target"] = query(path, """
        SELECT u.theme_id, th.name, u.items, u.target FROM v_themes_under_target u JOIN themes th USING (theme_id)
        WHERE u.programme_id = ? AND u.period = ? ORDER BY u.items, u.theme_id""", [programme_id, period]) \
        if kind == "quarter" else pd.DataFrame(columns=["theme_id", "name", "items", "target"])
    t["timeliness"] = query(path, """
        SELECT event, partner, starts_at, first_published, hours_to_first, first_title, articles
        FROM v_event_timeliness WHERE programme_id = ? AND starts_at BETWEEN ? AND ?::DATE + 1
        ORDER BY event, hours_to_first""", args)
    t["entities"] = query(path, """
        SELECT kind, name, sum(articles) AS articles, sum(mentions) AS mentions FROM v_entities_top
        WHERE partner IN (SELECT s.outlet FROM sources s JOIN programme_sources ps USING (source_id)
                          WHERE ps.programme_id = ?)
          AND period IN (SELECT DISTINCT period FROM v_articles WHERE published_date BETWEEN ? AND ?)
        GROUP BY ALL ORDER BY articles DESC, mentions DESC, name LIMIT 15""", args)
    t["top_articles"] = query(path, """
        WITH ranked AS (
            SELECT t.theme_id, a.title, a.partner, a.published_date, a.format, a.canonical_url, t.score,
                   t.decided_by, t.evidence,
                   row_number() OVER (PARTITION BY t.theme_id ORDER BY t.score DESC NULLS LAST, a.published) AS rank
            FROM v_article_themes t JOIN v_articles a USING (article_id)
            WHERE a.is_counted AND a.source_id IN (SELECT source_id FROM programme_sources WHERE programme_id = ?)
              AND a.published_date BETWEEN ? AND ?
        )
        SELECT * FROM ranked WHERE rank <= 5 ORDER BY theme_id, rank""", args)
    t["themes"] = query(path, """
        SELECT th.theme_id, th.name, pt.theme_id IS NOT NULL AS agreed FROM themes th
        LEFT JOIN programme_themes pt ON pt.theme_id = th.theme_id AND pt.programme_id = ? ORDER BY th.theme_id""",
                        [programme_id])
    for name in ("under_target", "entities", "attainment"):
        for col in ("items", "target", "articles", "mentions", "actual"):
            if col in t[name] and len(t[name]):
                t[name][col] = t[name][col].astype("Int64")
    total = query(path, f"SELECT count(DISTINCT c.article_id) AS n {scope}", args)
    overall = t["attainment"][t["attainment"].theme_id.isna() & t["attainment"].format.isna()
                              & t["attainment"].language.isna()]
    theme_rows = t["attainment"][t["attainment"].theme_id.notna() & t["attainment"].format.isna()
                                 & t["attainment"].language.isna()]
    data.headline = {
        "items": int(total.n[0]),
        "target": int(overall.target.iloc[0]) if len(overall) else None,
        "attainment": float(overall.attainment.iloc[0]) if len(overall) else None,
        "themes_met": int(theme_rows.met.sum()),
        "themes_with_target": len(theme_rows),
        "themes_under": len(t["under_target"]),
        "agreed_themes": int(t["themes"].agreed.sum()),
    }
    return data


# --- charts ---------------------------------------------------------------------------------------------------
def _svg(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9})
    return plt


def chart_heatmap(data: ReportData) -> str:
    """Partner x theme item counts."""
    plt = _plt()
    themes = list(data.tables["themes"].theme_id)
    pivot = data.tables["heatmap"].pivot_table(index="partner", columns="theme_id", values="items", fill_value=0)
    pivot = pivot.reindex(columns=themes, fill_value=0)
    if pivot.empty:
        pivot = pd.DataFrame([[0] * len(themes)], index=["(không có)"], columns=themes)
    fig, ax = plt.subplots(figsize=(11, 0.7 + 0.55 * len(pivot)))
    ax.imshow(pivot.values, cmap="YlGnBu", aspect="auto")
    ax.set_xticks(range(len(themes)), themes, rotation=40, ha="right")
    ax.set_yticks(range(len(pivot)), list(pivot.index))
    top = max(1, int(pivot.values.max()))
    for i in range(len(pivot)):
        for j in range(len(themes)):
            v = int(pivot.values[i, j])
            colour = "#b00" if v == 0 else ("white" if v > 0.6 * top else "black")
            ax.text(j, i, str(v), ha="center", va="center", color=colour, fontsize=8)
    ax.set_title("Số tin bài theo đối tác và chủ đề (ô đỏ: chưa có bài)")
    return _svg(fig)


def chart_attainment(data: ReportData) -> str:
    """Actual against target, one bar per target."""
    plt = _plt()
    rows = data.tables["attainment"].copy()
    if rows.empty:
        return ""
    labels = [_target_label(r) for r in rows.itertuples()]
    values = [min(float(a or 0), 2.0) * 100 for a in rows.attainment]
    fig, ax = plt.subplots(figsize=(8, 0.4 + 0.35 * len(rows)))
    colours = ["#2e7d32" if m else "#c62828" for m in rows.met]
    ax.barh(range(len(rows)), values, color=colours)
    ax.axvline(100, color="#333", linestyle="--", linewidth=1)
    ax.set_yticks(range(len(rows)), labels)
    ax.invert_yaxis()
    for i, r in enumerate(rows.itertuples()):
        ax.text(values[i] + 2, i, f"{int(r.actual)}/{int(r.target)}", va="center", fontsize=8)
    ax.set_xlabel("% chỉ tiêu")
    ax.set_title("Mức hoàn thành chỉ tiêu")
    return _svg(fig)


def chart_monthly(data: ReportData) -> str:
    """Items per month for each theme with coverage in the period."""
    plt = _plt()
    monthly = data.tables["monthly"]
    if monthly.empty:
        return ""
    pivot = monthly.pivot_table(index="month", columns="theme_id", values="items", fill_value=0).sort_index()
    fig, ax = plt.subplots(figsize=(9, 3.6))
    bottom = None
    for theme in pivot.columns:
        ax.bar([m.strftime("%m/%Y") for m in pd.to_datetime(pivot.index)], pivot[theme], bottom=bottom, label=theme)
        bottom = pivot[theme] if bottom is None else bottom + pivot[theme]
    ax.legend(fontsize=7, ncol=2, bbox_to_anchor=(1.01, 1), loc="upper left")
    ax.set_ylabel("số tin bài")
    ax.set_title("Diễn biến theo tháng, từng chủ đề")
    return _svg(fig)


def chart_mix(data: ReportData) -> str:
    """Formats and language editions."""
    plt = _plt()
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 2.8))
    f, lang = data.tables["formats"], data.tables["languages"]
    a1.bar([FORMAT_NAMES.get(x, x) for x in f.format], f["items"], color="#1565c0")
    a1.set_title("Thể loại")
    a2.bar([LANGUAGE_NAMES.get(x, x) for x in lang.language.fillna("?")], lang["items"], color="#6a1b9a")
    a2.set_title("Ngôn ngữ")
    return _svg(fig)


def _target_label(r: Any) -> str:
    parts = [r.theme_id if isinstance(r.theme_id, str) else "tất cả chủ đề"]
    if isinstance(r.format, str):
        parts.append(FORMAT_NAMES.get(r.format, r.format))
    if isinstance(r.language, str):
        parts.append(LANGUAGE_NAMES.get(r.language, r.language))
    return " · ".join(parts)


def _evidence_lines(raw: Any) -> list[str]:
    items = json.loads(raw) if isinstance(raw, str) else (raw or [])
    lines = []
    for item in items:
        if item.get("kind") == "phrase":
            lines.append(f"«{item['phrase']}» ×{item['count']} ({item['zone']}): {item['sentence']}")
        elif item.get("kind") == "model":
            lines.append("từ khóa mô hình: " + ", ".join(item.get("terms", [])))
    return lines


def render_html(data: ReportData) -> str:
    """One self-contained HTML page (charts inline as SVG, no external resources); crawled text is escaped."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("warehouse", "templates"), autoescape=select_autoescape(["html", "j2"]))
    names = dict(zip(data.tables["themes"].theme_id, data.tables["themes"].name, strict=True))
    top = data.tables["top_articles"]
    by_theme = {theme: [{**r, "evidence_lines": _evidence_lines(r["evidence"])} for r in group.to_dict("records")]
                for theme, group in top.groupby("theme_id", sort=True)}
    attainment = [{**r, "label": _target_label(pd.Series(r))} for r in data.tables["attainment"].to_dict("records")]
    return env.get_template("report.html.j2").render(
        data=data, names=names, by_theme=by_theme, attainment=attainment,
        charts={"heatmap": chart_heatmap(data), "attainment": chart_attainment(data),
                "monthly": chart_monthly(data), "mix": chart_mix(data)},
        generated=dt.datetime.now(dt.UTC).strftime("%d/%m/%Y %H:%M UTC"), format_names=FORMAT_NAMES,
        language_names=LANGUAGE_NAMES,
    )


def write(data: ReportData, target: Path, fmt: str = "html") -> Path:
    """Write the report as HTML (one file), XLSX (one sheet per table) or CSV (a folder of files)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        target.write_text(render_html(data), encoding="utf-8")
    elif fmt == "xlsx":
        with pd.ExcelWriter(target, engine="openpyxl") as xl:
            pd.DataFrame([data.headline]).to_excel(xl, sheet_name="tong_quan", index=False)
            for name, df in data.tables.items():
                _plain(df).to_excel(xl, sheet_name=name[:31], index=False)
    elif fmt == "csv":
        target.mkdir(parents=True, exist_ok=True)
        pd.DataFrame([data.headline]).to_csv(target / "tong_quan.csv", index=False)
        for name, df in data.tables.items():
            _plain(df).to_csv(target / f"{name}.csv", index=False)
    else:
        raise ReportError(f"unknown report format {fmt!r} (html, xlsx or csv)")
    return target


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Spreadsheet-friendly: no time zones, lists and JSON as text."""
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_convert("Asia/Ho_Chi_Minh").dt.tz_localize(None)
        elif out[col].dtype == object:
            out[col] = out[col].map(lambda v: v if isinstance(v, (str, int, float, type(None), dt.date)) else str(v))
    return out
