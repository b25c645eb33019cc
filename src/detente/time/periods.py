"""Named periods ('the Korean War') from detente's own gazetteer, data/periods.yaml."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from detente.model import TimeValue
from detente.time.rules import Found, Spec
from detente.time.values import days_in_month


def _bound(text: str, last: bool) -> tuple[str, str]:
    """(ISO day, precision) for a YYYY / YYYY-MM / YYYY-MM-DD bound; `last` picks the period's end."""
    parts = [int(p) for p in str(text).split("-")]
    if len(parts) == 1:
        return (f"{parts[0]:04d}-12-31" if last else f"{parts[0]:04d}-01-01"), "year"
    if len(parts) == 2:
        day = days_in_month(parts[0], parts[1]) if last else 1
        return f"{parts[0]:04d}-{parts[1]:02d}-{day:02d}", "month"
    return f"{parts[0]:04d}-{parts[1]:02d}-{parts[2]:02d}", "day"


_RANK = {"day": 0, "month": 1, "year": 2}


@lru_cache(maxsize=1)
def gazetteer() -> tuple[re.Pattern | None, dict[str, TimeValue]]:
    """The compiled name pattern and each name's value (loaded once)."""
    raw = resources.files("detente").joinpath("data/periods.yaml").read_text(encoding="utf-8")
    values: dict[str, TimeValue] = {}
    for entry in yaml.safe_load(raw) or []:
        start, first_precision = _bound(entry["start"], last=False)
        end, last_precision = _bound(entry["end"], last=True)
        precision = max(first_precision, last_precision, key=_RANK.__getitem__)
        value = TimeValue(f"{entry['start']}/{entry['end']}", start, end, precision, None, "explicit", "")
        for name in entry["names"]:
            bare = name[4:] if name.startswith("the ") else name
            values[bare] = value
    if not values:
        return None, values
    names = "|".join(re.escape(n) for n in sorted(values, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:[Tt]he\s+)?(?P<name>{names})(?![\w-])"), values


def find(text: str) -> list[Found]:
    pattern, values = gazetteer()
    if pattern is None:
        return []
    return [Found(m.start(), m.end(), Spec(fixed=values[m.group("name")], period=True), priority=6)
            for m in pattern.finditer(text)]
