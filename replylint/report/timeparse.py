"""Timestamps as exports write them, read into seconds since the epoch.

Help-desk and marketplace exports disagree on how to write a time: ISO 8601 (with
or without a zone), epoch seconds or milliseconds, ``05/03/2024 14:22``,
``05.03.2024``. Only differences between two times of the same export and the week
they fall in are used, so a time without a zone is read as UTC. For slash dates
the day comes first (as in the UK and the four other languages' countries) unless
the first number cannot be a day-of-month-first reading (``12/25/2024``).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

_SLASH = re.compile(
    r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?\s*$"
)
#: Epoch values outside 1990..2100 are not timestamps.
_MIN_EPOCH, _MAX_EPOCH = 631_152_000, 4_102_444_800


def _epoch(value: float) -> float | None:
    if _MIN_EPOCH <= value <= _MAX_EPOCH:
        return value
    if _MIN_EPOCH * 1000 <= value <= _MAX_EPOCH * 1000:  # milliseconds
        return value / 1000
    return None


def _aware(moment: dt.datetime) -> float:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def parse_time(value: Any) -> float | None:
    """Seconds since the epoch, or None when ``value`` is not a recognisable time."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _epoch(float(value))
    if isinstance(value, dt.datetime):
        return _aware(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit() or (text.replace(".", "", 1).isdigit() and text.count(".") == 1):
        return _epoch(float(text))
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        return _aware(dt.datetime.fromisoformat(iso))
    except ValueError:
        pass
    match = _SLASH.match(text)
    if match is None:
        return None
    a, b, year_s, hour_s, minute_s, second_s, ampm = match.groups()
    first, second, year = int(a), int(b), int(year_s)
    if year < 100:
        year += 2000
    day, month = (second, first) if (first <= 12 < second and "/" in text) else (first, second)
    hour = int(hour_s or 0)
    if ampm:
        hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
    try:
        moment = dt.datetime(year, month, day, hour, int(minute_s or 0), int(second_s or 0), tzinfo=dt.UTC)
    except ValueError:
        return None
    return moment.timestamp()


def iso_week(epoch: float) -> str:
    """``2024-W09``: the ISO week a time falls in (weeks start on Monday)."""
    return _week_of_day(int(epoch // 86400))


@cache
def _week_of_day(day: int) -> str:
    # Called for every record of a batch; an export spans few distinct days.
    year, week, _ = dt.date.fromordinal(_EPOCH_ORDINAL + day).isocalendar()
    return f"{year}-W{week:02d}"


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def week_start(week: str) -> dt.date:
    year, num = week.split("-W")
    return dt.date.fromisocalendar(int(year), int(num), 1)
