"""Building `TimeValue`s from calendar fields, and calendar arithmetic.

Years are historical: 479 BC is -479 and there is no year 0. The EDTF-like `value` writes BC
years as `-0479`; the TIMEX3 value writes them as `BC0479` (the WikiWars/TimeML convention).
"""

from __future__ import annotations

import calendar
import datetime as _dt

from detente.model import Basis, TimeValue

SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}


def to_astronomical(year: int) -> int:
    return year if year > 0 else year + 1


def from_astronomical(year: int) -> int:
    return year if year > 0 else year - 1


def add_years(year: int, delta: int) -> int:
    return from_astronomical(to_astronomical(year) + delta)


def days_in_month(year: int, month: int) -> int:
    # calendar.monthrange only knows years 1..9999; BC years use the non-leap table.
    if 1 <= year <= 9999:
        return calendar.monthrange(year, month)[1]
    return (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


def valid_day(year: int | None, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    if year is None:
        return day <= (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    return day <= days_in_month(year, month)


def _year_text(year: int) -> str:
    return f"{year:04d}" if year > 0 else f"-{-year:04d}"


def _timex_year(year: int) -> str:
    return f"{year:04d}" if year > 0 else f"BC{-year:04d}"


def _iso(year: int, month: int, day: int) -> str:
    return f"{_year_text(year)}-{month:02d}-{day:02d}"


def year_value(year: int, basis: Basis = "explicit", modifier: str | None = None) -> TimeValue:
    return TimeValue(_year_text(year), _iso(year, 1, 1), _iso(year, 12, 31), "year", modifier, basis,
                     _timex_year(year))


def month_value(year: int, month: int, basis: Basis = "explicit", modifier: str | None = None) -> TimeValue:
    suffix = f"-{month:02d}"
    return TimeValue(_year_text(year) + suffix, _iso(year, month, 1), _iso(year, month, days_in_month(year, month)),
                     "month", modifier, basis, _timex_year(year) + suffix)


def day_value(year: int, month: int, day: int, basis: Basis = "explicit", modifier: str | None = None) -> TimeValue:
    iso = _iso(year, month, day)
    return TimeValue(iso, iso, iso, "day", modifier, basis, _timex_year(year) + f"-{month:02d}-{day:02d}")


def season_value(year: int, season: str, basis: Basis = "explicit", modifier: str | None = None) -> TimeValue:
    first, last = SEASON_MONTHS[season]
    end_year = add_years(year, 1) if season == "WI" else year
    return TimeValue(f"{_year_text(year)}-{season}", _iso(year, first, 1),
                     _iso(end_year, last, days_in_month(end_year, last)), "season", modifier, basis,
                     f"{_timex_year(year)}-{season}")


def quarter_value(year: int, quarter: int, basis: Basis = "explicit", modifier: str | None = None) -> TimeValue:
    first, last = 3 * quarter - 2, 3 * quarter
    return TimeValue(f"{_year_text(year)}-Q{quarter}", _iso(year, first, 1), _iso(year, last, days_in_month(year, last)),
                     "quarter", modifier, basis, f"{_timex_year(year)}-Q{quarter}")


def half_value(year: int, half: int, basis: Basis = "explicit", modifier: str | None = None) -> TimeValue:
    first, last = (1, 6) if half == 1 else (7, 12)
    return TimeValue(f"{_year_text(year)}-H{half}", _iso(year, first, 1), _iso(year, last, days_in_month(year, last)),
                     "quarter", modifier, basis, f"{_timex_year(year)}-H{half}")


def decade_value(decade: int, basis: Basis = "explicit", modifier: str | None = None) -> TimeValue:
    """`decade` is the year divided by ten: 195 for the 1950s, -47 for the 470s BC."""
    if decade > 0:
        first, last = decade * 10, decade * 10 + 9
        return TimeValue(f"{decade:03d}X", _iso(first, 1, 1), _iso(last, 12, 31), "decade", modifier, basis,
                         f"{decade:03d}")
    tens = -decade
    return TimeValue(f"-{tens:03d}X", _iso(-(tens * 10 + 9), 1, 1), _iso(-(tens * 10) if tens else -1, 12, 31),
                     "decade", modifier, basis, f"BC{tens:03d}")


def century_value(century: int, basis: Basis = "explicit", modifier: str | None = None) -> TimeValue:
    """`century` is the TIMEX3 hundreds digit: 19 for the 20th century, -3 for the 4th century BC."""
    if century >= 0:
        first, last = max(century * 100, 1), century * 100 + 99
        return TimeValue(f"{century:02d}XX", _iso(first, 1, 1), _iso(last, 12, 31), "century", modifier, basis,
                         f"{century:02d}")
    hundreds = -century
    return TimeValue(f"-{hundreds:02d}XX", _iso(-(hundreds * 100 + 99), 1, 1), _iso(-max(hundreds * 100, 1), 12, 31),
                     "century", modifier, basis, f"BC{hundreds:02d}")


def interval_value(first: TimeValue, last: TimeValue, basis: Basis = "explicit") -> TimeValue:
    """A range 'from first to last' as one value `first/last` covering both."""
    precision = first.precision if first.precision == last.precision else "year"
    return TimeValue(f"{first.value}/{last.value}", first.start, last.end, precision, None, basis, "")


def add_days(year: int, month: int, day: int, delta: int) -> tuple[int, int, int] | None:
    if year < 1:
        return None
    try:
        moved = _dt.date(year, month, day) + _dt.timedelta(days=delta)
    except (ValueError, OverflowError):
        return None
    return moved.year, moved.month, moved.day


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = to_astronomical(year) * 12 + (month - 1) + delta
    return from_astronomical(index // 12), index % 12 + 1


def parse_dct(text: str) -> TimeValue:
    """Parse a document creation time `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a time part is ignored)."""
    raw = (text or "").strip()[:10]
    parts = raw.split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        raise ValueError(f"not a YYYY, YYYY-MM or YYYY-MM-DD date: {text!r}") from None
    if not 1 <= len(numbers) <= 3 or len(parts[0]) != 4:
        raise ValueError(f"not a YYYY, YYYY-MM or YYYY-MM-DD date: {text!r}")
    if len(numbers) == 1:
        return year_value(numbers[0], "document")
    if not 1 <= numbers[1] <= 12:
        raise ValueError(f"month out of range in {text!r}")
    if len(numbers) == 2:
        return month_value(numbers[0], numbers[1], "document")
    if not valid_day(numbers[0], numbers[1], numbers[2]):
        raise ValueError(f"no such day: {text!r}")
    return day_value(numbers[0], numbers[1], numbers[2], "document")


def fields_of(value: TimeValue) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) a value states, from its `start` and precision; None where unstated."""
    if not value.start or value.precision in ("decade", "century", "millennium", "unknown"):
        return None, None, None
    negative = value.start.startswith("-")
    pieces = value.start.lstrip("-").split("-")
    year = -int(pieces[0]) if negative else int(pieces[0])
    if value.precision in ("year", "season", "quarter"):
        return year, None, None
    if value.precision == "month":
        return year, int(pieces[1]), None
    return year, int(pieces[1]), int(pieces[2])
