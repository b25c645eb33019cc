"""The event lexicon: CAMEO facts (cameo.tsv), our verb/noun patterns (verbs.yaml), the verb
patterns converted from PETRARCH2 (petrarch_verbs.tsv, a lower layer: verbs.yaml wins on the
same key) and the agent nouns with their sectors (agents.tsv).

Loaded once per process; lookups are dict hits keyed by lemma strings, so the cost of
coding a token does not grow with the size of the lexicon.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
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
    generated: bool = False  # from petrarch_verbs.tsv rather than our own verbs.yaml

    @property
    def specificity(self) -> int:
        return len(self.key.split())


@dataclass(frozen=True)
class Lexicon:
    codes: dict[str, CameoCode]
    verbs: Mapping[str, Pattern]  # verbs.yaml over petrarch_verbs.tsv
    nouns: dict[str, Pattern]
    agents: dict[str, tuple[str, ...]] = field(default_factory=dict)  # agent noun -> sector codes

    def hand_verb(self, key: str) -> Pattern | None:
        """A verb key from verbs.yaml alone, never from the generated layer."""
        if isinstance(self.verbs, LayeredPatterns):
            return self.verbs.own(key)
        return self.verbs.get(key)

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


_FLAGS = frozenset({"sym", "solo", "intrans"})


def _parse_entry(key: str, value: str) -> Pattern:
    parts = str(value).split()
    flags = set(parts[1:])
    unknown = flags - _FLAGS
    if unknown:
        raise ValueError(f"lexicon entry {key!r}: unknown flags {sorted(unknown)}")
    return Pattern(key=" ".join(key.lower().split()), code=parts[0], symmetric="sym" in flags,
                   needs_target="solo" not in flags, intransitive_only="intrans" in flags)


def _data_rows(path: Path, columns: tuple[str, ...]) -> list[list[str]]:
    """Rows of a generated TSV: '#' lines are attribution, then a header naming `columns`."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]
    if not lines or tuple(lines[0].split("\t")[:len(columns)]) != columns:
        raise ValueError(f"{path.name}: expected a header starting {' '.join(columns)}")
    rows = [line.split("\t", len(columns)) for line in lines[1:]]
    short = next((row for row in rows if len(row) < len(columns)), None)
    if short is not None:
        raise ValueError(f"{path.name}: row {short[0]!r} has {len(short)} columns, expected {len(columns)}")
    return rows


class LayeredPatterns(Mapping[str, Pattern]):
    """Our hand patterns over the generated ones. The generated layer (~100,000 keys) stays as
    plain "code<TAB>flags" strings and becomes a Pattern when first looked up, so loading stays cheap;
    a lookup is still one or two dict hits."""

    def __init__(self, own: dict[str, Pattern], generated: dict[str, str]):
        self._own = own
        self._generated = generated
        self._built: dict[str, Pattern] = {}
        self._size: int | None = None

    def get(self, key: str, default: Pattern | None = None) -> Pattern | None:  # type: ignore[override]
        found = self._own.get(key) or self._built.get(key)
        if found is not None:
            return found
        raw = self._generated.get(key)
        if raw is None:
            return default
        code, _, flags = raw.partition("\t")
        pattern = Pattern(key, code, "sym" in flags, "solo" not in flags, "intrans" in flags, generated=True)
        self._built[key] = pattern
        return pattern

    def own(self, key: str) -> Pattern | None:
        return self._own.get(key)

    def __getitem__(self, key: str) -> Pattern:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._own or key in self._generated

    def __iter__(self) -> Iterator[str]:
        yield from self._own
        yield from (key for key in self._generated if key not in self._own)

    def __len__(self) -> int:
        if self._size is None:  # counted on demand: loading should not walk 100,000 keys twice
            self._size = len(self._own) + sum(1 for key in self._generated if key not in self._own)
        return self._size


def _load_generated_verbs(path: Path, codes: dict[str, CameoCode]) -> dict[str, str]:
    """Key -> "code<TAB>flags", split only when a key is looked up (see LayeredPatterns)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]
    if not lines or lines[0] != "key\tcode\tflags":
        raise ValueError(f"{path.name}: expected the header 'key<TAB>code<TAB>flags'")
    try:
        verbs = dict(line.split("\t", 1) for line in lines[1:])
    except ValueError:
        bad = next(line for line in lines[1:] if "\t" not in line)
        raise ValueError(f"{path.name}: row {bad!r} has no code") from None
    # Checked per distinct value, not per row: ~100,000 rows share a few hundred code and flag pairs.
    for value in set(verbs.values()):
        code, _, flags = value.partition("\t")
        unknown_flags = set(flags.split()) - _FLAGS
        if code in codes and not unknown_flags and "\t" not in flags:
            continue
        key = next(k for k, v in verbs.items() if v == value)
        if code not in codes:
            raise ValueError(f"{path.name}: entry {key!r} names unknown CAMEO code {code}")
        raise ValueError(f"{path.name}: entry {key!r} has unknown flags {sorted(unknown_flags)} or extra columns")
    return verbs


def _load_agents(path: Path) -> dict[str, tuple[str, ...]]:
    agents: dict[str, tuple[str, ...]] = {}
    for noun, sector, second, *_ in _data_rows(path, ("noun", "sector", "second_sector")):
        sectors = (sector, second) if second else (sector,)
        if not all(len(s) == 3 and s.isalpha() and s.isupper() for s in sectors):
            raise ValueError(f"{path.name}: agent {noun!r} has a malformed sector code {' '.join(sectors)!r}")
        agents[noun] = sectors
    return agents


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
            raise ValueError(f"verbs.yaml: lexicon entry {pattern.key!r} names unknown CAMEO code {pattern.code}")
    # Our hand entries know better than the generated ones: they win on the same key.
    layered = LayeredPatterns(verbs, _load_generated_verbs(directory / "petrarch_verbs.tsv", codes))
    return Lexicon(codes, layered, nouns, _load_agents(directory / "agents.tsv"))


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return load_lexicon()
