"""Build `data/lexicon/cameo.tsv` once from the CAMEO codebook and the CAMEO→PLOVER table.

Run by hand (`python -m detente.events.build_lexicon [SHARED_DIR]`); the output is committed,
so nothing at run time reads the third-party files. Only facts are kept: code, Goldstein value,
quad class, PLOVER type/mode. Labels are short slugs of our own, never the codebook's prose.
"""

from __future__ import annotations

import csv
import os
import re
import sys
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicon"
OUTPUT = LEXICON_DIR / "cameo.tsv"

# PLOVER 2.0 leaves 01x statements uncoded; 02x appeals are requests.
ROOT_DEFAULT_TYPE = {"01": "", "02": "REQUEST"}

# Deliberate departures from the 2021 table, each argued in data/lexicon/README.md.
TYPE_OVERRIDES = {
    "163": ("SANCTION", "restrict"),  # embargoes and sanctions are SANCTION in the PLOVER 2.0 manual text
}

# Words that add length but no meaning to a short label.
_FILLER = {"a", "an", "the", "or", "of", "to", "in", "on", "for", "and", "with", "such", "as",
           "engage", "express", "make", "conduct", "carry", "out", "intent", "others", "target"}
# Slug prefixes that keep the intent/appeal/demand nuance the filler list would erase.
_ROOT_PREFIX = {"02": "appeal", "03": "intend", "10": "demand", "12": "refuse", "13": "threaten"}


def quad_class(code: str) -> int:
    root = int(code[:2])
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    if root <= 13:
        return 3
    return 4


def short_label(code: str, name: str) -> str:
    words = [w for w in re.findall(r"[a-z]+", name.lower()) if w not in _FILLER]
    prefix = _ROOT_PREFIX.get(code[:2])
    if prefix and (not words or not words[0].startswith(prefix[:5])):
        words.insert(0, prefix)
    return "_".join(words[:5]) or "event"


def read_plover_table(path: Path) -> dict[str, tuple[str, str]]:
    mapping: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        body = line.split("#", 1)[0].strip()
        match = re.match(r"^(\d{2,4}):\s*(.*)$", body)
        if not match:
            continue
        fields = [f.strip() for f in match.group(2).split(",")]
        plover_type = fields[0].upper()
        mode = fields[1] if len(fields) > 1 else ""
        mapping.setdefault(match.group(1), (plover_type, mode))
    return mapping


def build(shared: Path) -> list[dict[str, str]]:
    cameo_dir = shared / "data" / "cameo"
    plover = read_plover_table(cameo_dir / "CAMEO2PLOVER-2021.txt")
    rows: list[dict[str, str]] = []
    with open(cameo_dir / "cameo-codes.csv", encoding="utf-8", errors="replace", newline="") as handle:
        for record in csv.DictReader(handle):
            code = record["code"].strip()
            if not code.isdigit():
                continue
            plover_type, mode = TYPE_OVERRIDES.get(code) or plover.get(code) or plover.get(code[:3]) \
                or plover.get(code[:2]) or (ROOT_DEFAULT_TYPE.get(code[:2], ""), "")
            rows.append({
                "code": code,
                "label": short_label(code, record["name"]),
                "goldstein": f"{float(record['goldstein']):g}",
                "quad_class": str(quad_class(code)),
                "plover_type": plover_type,
                "plover_mode": mode,
            })
    return rows


def main(argv: list[str]) -> None:
    shared = Path(argv[0] if argv else os.environ.get("DETENTE_SHARED", Path(__file__).resolve().parents[3] / ".." / "shared"))
    rows = build(shared)
    columns = ["code", "label", "goldstein", "quad_class", "plover_type", "plover_mode"]
    with open(OUTPUT, "w", encoding="utf-8", newline="") as handle:
        handle.write("\t".join(columns) + "\n")
        for row in rows:
            handle.write("\t".join(row[c] for c in columns) + "\n")
    print(f"wrote {len(rows)} codes to {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
