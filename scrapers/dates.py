"""Vietnamese and structured publication dates; a time printed without a zone is Asia/Ho_Chi_Minh."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")

_TIME = r"(\d{1,2})\s*[:hg]\s*(\d{2})(?:\s*:\s*(\d{2}))?"
# "Thứ Năm, 08/12/2016|18:36", "Thứ sáu, 10/04/2020 07:56", "08/12/2016 - 18:36", "10-04-2020, 07:56 (GMT+7)"
DMY_TIME = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*(?:[|,\-–]\s*)?(?:lúc\s*)?(?:" + _TIME + r")?")
# "18:36 08/12/2016", "07:56 | 10/04/2020"
TIME_DMY = re.compile(_TIME + r"\s*(?:[|,\-–]|ngày)?\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
# "Thứ sáu, ngày 9 tháng 7 năm 2021 | 18:51:51"
LONG = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})(?:\s*[|,\-–]?\s*(?:lúc\s*)?" + _TIME + ")?",
                  re.I)
GMT = re.compile(r"GMT\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.I)


def _make(y: str, m: str, d: str, hh: str | None, mm: str | None, ss: str | None,
          tz: dt.tzinfo) -> dt.datetime | None:
    try:
        return dt.datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0), tzinfo=tz)
    except ValueError:
        return None


def parse_vietnamese(text: str, pattern: str | None = None) -> dt.datetime | None:
    """The first date (and time) printed in a Vietnamese date line, or None."""
    if not text:
        return None
    gmt = GMT.search(text)
    tz: dt.tzinfo = VN
    if gmt:
        sign = 1 if gmt.group(1) == "+" else -1
        tz = dt.timezone(sign * dt.timedelta(hours=int(gmt.group(2)), minutes=int(gmt.group(3) or 0)))
    if pattern:
        match = re.search(pattern, text)
        if match:
            g = match.groupdict()
            return _make(g["year"], g["month"], g["day"], g.get("hour"), g.get("minute"), g.get("second"), tz)
        return None
    candidates: list[tuple[int, dt.datetime]] = []
    for m in LONG.finditer(text):
        when = _make(m.group(3), m.group(2), m.group(1), m.group(4), m.group(5), m.group(6), tz)
        if when:
            candidates.append((m.start(), when))
    for m in TIME_DMY.finditer(text):
        when = _make(m.group(6), m.group(5), m.group(4), m.group(1), m.group(2), m.group(3), tz)
        if when:
            candidates.append((m.start(), when))
    for m in DMY_TIME.finditer(text):
        when = _make(m.group(3), m.group(2), m.group(1), m.group(4), m.group(5), m.group(6), tz)
        if when:
            candidates.append((m.start(), when))
    if not candidates:
        return None
    # the earliest position wins; at one position prefer the reading with a time
    candidates.sort(key=lambda c: (c[0], c[1].hour == 0 and c[1].minute == 0))
    return candidates[0][1]


def parse_iso(value: str | None) -> dt.datetime | None:
    """An ISO-8601 timestamp from metadata; naive times are taken as Vietnamese local time."""
    if not value:
        return None
    value = value.strip()
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?", value)
        if not m:
            return None
        y, mo, d, hh, mm, ss = (int(g or 0) for g in m.groups())
        when = dt.datetime(y, mo, d, hh, mm, ss)
    return when if when.tzinfo else when.replace(tzinfo=VN)


URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|-|_|\b)")


def from_url(url: str) -> dt.datetime | None:
    """A date in the URL path (/2021/07/09/, /20210709...), at local midnight."""
    m = URL_DATE.search(url)
    if not m:
        return None
    try:
        return dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=VN)
    except ValueError:
        return None
