"""The event lexicon: CAMEO facts (cameo.tsv) and our verb/noun patterns (verbs.yaml).

Loaded once per process; lookups are dict hits keyed by lemma strings, so the cost of
coding a token does not grow with the size of the lexicon.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

LEXICON_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicon"


@dataclass(frozen=True)
class CameoCode:
    code: str
    label: str
    goldstein: float
    quad_class: int
    plover_type: str  # '' for CAMEO 01 statements, which PLOVER 2.0 does not code
    plover_mode: str


@dataclass(frozen=True)
class Pattern:
    """One lexicon entry: its key words (lemma first), CAMEO code and behaviour flags."""

    key: str
    code: str
    symmetric: bool = False
    needs_target: bool = True
    intransitive_only: bool = False

    @property
    def specificity(self) -> int:
        return len(self.key.split())


@dataclass(frozen=True)
class Lexicon:
    codes: dict[str, CameoCode]
    verbs: dict[str, Pattern]
    nouns: dict[str, Pattern]

    def type_code(self, plover_type: str) -> CameoCode | None:
        """The broadest CAMEO code of a PLOVER type (its root category), for events typed without a pattern."""
        matching = [c for c in self.codes.values() if c.plover_type == plover_type]
        return min(matching, key=lambda c: (len(c.code), c.code)) if matching else None

    def code(self, code: str) -> CameoCode | None:
        # A code missing from the codebook falls back to its parent (e.g. 0874 -> 087 -> 08).
        while code:
            found = self.codes.get(code)
            if found:
                return found
            code = code[:-1]
        return None


def _parse_entry(key: str, value: str) -> Pattern:
    parts = str(value).split()
    flags = set(parts[1:])
    unknown = flags - {"sym", "solo", "intrans"}
    if unknown:
        raise ValueError(f"lexicon entry {key!r}: unknown flags {sorted(unknown)}")
    return Pattern(key=" ".join(key.lower().split()), code=parts[0], symmetric="sym" in flags,
                   needs_target="solo" not in flags, intransitive_only="intrans" in flags)


def load_lexicon(directory: Path = LEXICON_DIR) -> Lexicon:
    codes: dict[str, CameoCode] = {}
    with open(directory / "cameo.tsv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            codes[row["code"]] = CameoCode(row["code"], row["label"], float(row["goldstein"]),
                                           int(row["quad_class"]), row["plover_type"], row["plover_mode"])
    with open(directory / "verbs.yaml", encoding="utf-8") as handle:
        patterns = yaml.safe_load(handle)
    verbs = {p.key: p for p in (_parse_entry(k, v) for k, v in (patterns.get("verbs") or {}).items())}
    nouns = {p.key: p for p in (_parse_entry(k, v) for k, v in (patterns.get("nouns") or {}).items())}
    for pattern in [*verbs.values(), *nouns.values()]:
        if pattern.code not in codes:
            raise ValueError(f"lexicon entry {pattern.key!r} names unknown CAMEO code {pattern.code}")
    return Lexicon(codes, verbs, nouns)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return load_lexicon()
