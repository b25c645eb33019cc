"""Spans derived from actors' roles: 'the Yeltsin years', 'under Gorbachev'.

The people and their dated roles live in the actors gazetteer (data/gazetteer/people.yaml);
this turns its `tenure(name)` into the `RolePeriod` callback `detente.time.tag` accepts.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from detente.model import TimeValue


def tenure_period(gazetteer: Any):
    """A `RolePeriod` over `gazetteer`: a leader's name → the years they led, as 'YYYY/YYYY'.

    The value keeps year precision: a tenure's exact days are the gazetteer's, the phrase
    'the Yeltsin years' only speaks of years."""

    @lru_cache(maxsize=256)
    def period(name: str) -> TimeValue | None:
        span = gazetteer.tenure(name)
        if span is None:
            return None
        first, last = span[0][:4], span[1][:4]
        return TimeValue(f"{first}/{last}", span[0], span[1], "year", None, "explicit", f"{first}/{last}")

    return period


def default_tenure_period():
    """`tenure_period` over the built-in gazetteer (loaded on first use)."""
    from detente.actors import Gazetteer

    return tenure_period(Gazetteer.default())
