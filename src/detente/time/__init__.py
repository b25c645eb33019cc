"""Temporal expressions: find them in text and normalise them to `TimeValue`s.

`tag(text, dct, mode)` is the entry point; `parse_dct(s)` reads a document date.
"""

from detente.time.tagger import RolePeriod, tag
from detente.time.values import parse_dct

__all__ = ["RolePeriod", "tag", "parse_dct"]
