"""Score the event coder on the PLV news sentences (`../shared/data/plv/PLV_train.tsv`).

Usage: `python -m detente.eval.plv [FILE] [--half even|odd|all] [--errors FILE] [--json]`.

Each record is one news sentence (Hu et al., ACL 2024) with a marked source and target span and a
gold PLOVER root code (`YIELD`, from an earlier PLOVER, is CONCEDE or RETREAT in PLOVER 2.0). The
sentences are coded in-process through `detente.api.code`, the function behind `detente code`, with
the same input lines (id = position in the half, date 2019-01-01) as the independent reference
scorer `../shared/tools/score_plv.py`, whose figures these equal. Figures, each a share of the records:

- detected: the sentence gives at least one event;
- type right: some event has the gold type;
- pair right: some event of the gold type has a source mention sharing a word with the marked source
  and a target mention sharing a word with the marked target (stop words aside; either direction
  for the symmetric CONSULT, AGREE and COOPERATE).

The file is split by `sentence_id` parity: the odd half is the one to look at and build on, the even
half is held out (report its figures only; the default, as in the reference scorer).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable

from detente.eval import shared_dir

# The gold codes of an earlier PLOVER that are two types in PLOVER 2.0.
GOLD_TYPES = {"YIELD": frozenset({"CONCEDE", "RETREAT"})}
# Types coded as a symmetric pair: their source and target may match the marked spans either way round.
SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
STOP_WORDS = frozenset({"the", "a", "an", "of", "and", "in", "on", "for", "to", "'s", "s"})
REQUIRED_COLUMNS = ("sentence_id", "sentence", "source", "target", "gold_root")
HALVES = ("even", "odd", "all")
# The document date every sentence is coded with (the reference scorer's).
DOCUMENT_DATE = "2019-01-01"


class PLVInputError(ValueError):
    """The PLV file is missing or a row lacks what scoring needs."""


def default_path() -> Path:
    return shared_dir() / "data" / "plv" / "PLV_train.tsv"


def gold_types(gold_root: str) -> frozenset[str]:
    """The PLOVER 2.0 types that count as the gold root code."""
    return GOLD_TYPES.get(gold_root, frozenset({gold_root}))


def words(text: str | None) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", (text or "").lower()) if w not in STOP_WORDS}


def overlaps(actors: Iterable[dict] | None, marked: str) -> bool:
    """Some actor mention shares a (non stop) word with the marked span."""
    span = words(marked)
    return any(words(actor.get("text")) & span for actor in actors or [])


def pair_right(event: dict, source: str, target: str) -> bool:
    """The event's source and target overlap the marked source and target (either way when symmetric).

    The event's type is not checked here; `judge` only asks this of events of the gold type."""
    src, tgt = event.get("source"), event.get("target")
    if overlaps(src, source) and overlaps(tgt, target):
        return True
    return event.get("type") in SYMMETRIC and overlaps(tgt, source) and overlaps(src, target)


def judge(record: dict, events: list[dict]) -> tuple[bool, bool, bool]:
    """(detected, type right, pair right) for one record and the events coded from its sentence."""
    gold = gold_types(record["gold_root"])
    typed = [e for e in events if e.get("type") in gold]
    return bool(events), bool(typed), any(pair_right(e, record["source"], record["target"]) for e in typed)


def load_records(path: str | Path | None = None, half: str = "even") -> list[dict]:
    """The records of one half (`even`, `odd` or `all`) in file order, each with its `id` (its position
    in the half, the input id the reference scorer gives `detente code`).

    Raises PLVInputError for a missing or unreadable file, missing columns or a row that lacks a field."""
    if half not in HALVES:
        raise PLVInputError(f"unknown half {half!r}; choose even, odd or all")
    path = Path(path) if path else default_path()
    if not path.exists():
        raise PLVInputError(f"{path} not found (pass a PLV .tsv file or set DETENTE_SHARED)")
    if not path.is_file():
        raise PLVInputError(f"{path} is not a file")
    records: list[dict] = []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t")
            header = reader.fieldnames or []
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise PLVInputError(f"{path}: the header lacks column(s) {', '.join(missing)} "
                                    f"(a PLV file has {', '.join(REQUIRED_COLUMNS)}, tab-separated)")
            for row in reader:
                where = f"{path}, line {reader.line_num}"
                lacking = [c for c in REQUIRED_COLUMNS if row.get(c) is None]
                if lacking:
                    raise PLVInputError(f"{where}: the row has no {', '.join(lacking)} (too few tab-separated fields)")
                try:
                    sentence_id = int(row["sentence_id"])
                except ValueError:
                    raise PLVInputError(f"{where}: sentence_id {row['sentence_id']!r} is not a whole number") from None
                if not row["gold_root"].strip():
                    raise PLVInputError(f"{where}: the row has an empty gold_root")
                if half != "all" and sentence_id % 2 != (half == "odd"):
                    continue
                records.append({
                    "id": str(len(records)), "sentence_id": sentence_id, "sentence": row["sentence"],
                    "source": row["source"], "target": row["target"], "gold_root": row["gold_root"],
                })
    except UnicodeDecodeError as error:
        raise PLVInputError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except csv.Error as error:
        raise PLVInputError(f"{path}: not a readable tab-separated file ({error})") from None
    except OSError as error:
        raise PLVInputError(f"{path}: cannot read it ({error.strerror or error})") from None
    if not records:
        raise PLVInputError(f"{path}: no records in the {half} half")
    return records


def code_lines(records: list[dict]) -> list[str]:
    """The `detente code` input lines for the records, byte for byte those of the reference scorer."""
    return [json.dumps({"id": r["id"], "text": r["sentence"], "date": DOCUMENT_DATE}) + "\n" for r in records]


def code_records(records: list[dict], on_error: Callable[[str], None] | None = None,
                 model: str | None = None) -> dict[str, list[dict]]:
    """Code every record's sentence in this process through `detente.api.code` (what `detente code`
    runs) and group the events, as the JSON objects the CLI prints, by record id."""
    from detente import api

    grouped: dict[str, list[dict]] = {r["id"]: [] for r in records}
    for event in api.code(code_lines(records), model=model, on_error=on_error):
        grouped.setdefault(str(event.get("input_id")), []).append(event)
    return grouped


def score(records: list[dict], events_by_record: dict[str, list[dict]], top: int = 3) -> dict:
    """Figures for records and the events coded from each (keyed by record id; events as `detente code`
    prints them: dicts with "type", "source" and "target", the actors dicts with "text").

    Returns the counts and shares of detected / type right / pair right, a per gold type table, and
    for each gold type the types most often produced when its type was missed ("(none)": no event)."""
    counts = Counter()
    per_type: dict[str, Counter] = {}
    confusion: dict[str, Counter] = {}
    for record in records:
        events = events_by_record.get(record["id"], [])
        detected, typed, paired = judge(record, events)
        counts.update(records=1, detected=int(detected), type=int(typed), pair=int(paired))
        gold = record["gold_root"]
        per_type.setdefault(gold, Counter()).update(records=1, type=int(typed), pair=int(paired))
        if not typed:
            produced = sorted({e.get("type") or "?" for e in events}) or ["(none)"]
            confusion.setdefault(gold, Counter()).update(produced)
    total = counts["records"] or 1
    return {
        "records": counts["records"],
        "counts": {k: counts[k] for k in ("detected", "type", "pair")},
        "detected": counts["detected"] / total,
        "type": counts["type"] / total,
        "pair": counts["pair"] / total,
        "per_type": {
            gold: {"records": c["records"], "type": c["type"] / c["records"], "pair": c["pair"] / c["records"]}
            for gold, c in sorted(per_type.items(), key=lambda item: (-item[1]["records"], item[0]))
        },
        "type_misses": {
            gold: {"missed": per_type[gold]["records"] - per_type[gold]["type"],
                   "produced": [[kind, n] for kind, n in sorted(c.items(), key=lambda i: (-i[1], i[0]))[:top]]}
            for gold, c in sorted(confusion.items(), key=lambda item: (per_type[item[0]]["type"] - per_type[item[0]]["records"], item[0]))
        },
    }


def error_rows(records: list[dict], events_by_record: dict[str, list[dict]]) -> Iterable[dict]:
    """One row per record: the gold, the marked spans, the verdicts and the events produced."""
    for record in records:
        events = events_by_record.get(record["id"], [])
        detected, typed, paired = judge(record, events)
        yield {
            "id": record["id"], "sentence_id": record["sentence_id"], "gold": record["gold_root"],
            "source": record["source"], "target": record["target"], "sentence": record["sentence"],
            "detected": detected, "type_right": typed, "pair_right": paired,
            "events": [{"type": e.get("type"), "source": [a.get("text") for a in e.get("source") or []],
                        "target": [a.get("text") for a in e.get("target") or []]} for e in events],
        }


def reference_line(half: str, result: dict) -> str:
    """The figures in the reference scorer's format, for a side-by-side check."""
    return (f"PLV {half} half: records={result['records']} "
            f"detect={result['detected']:.2f} type={result['type']:.2f} pair={result['pair']:.2f}")


def report(half: str, path: Path, result: dict) -> str:
    counts = result["counts"]
    lines = [
        reference_line(half, result),
        f"file       {path} ({half} half), coded in-process by detente.api.code",
        f"records    {result['records']}",
        f"detected   {result['detected']:.3f}  ({counts['detected']})",
        f"type right {result['type']:.3f}  ({counts['type']})",
        f"pair right {result['pair']:.3f}  ({counts['pair']})",
        "",
        f"{'gold type':<12} {'records':>7} {'type':>6} {'pair':>6}",
    ]
    for gold, row in result["per_type"].items():
        lines.append(f"{gold:<12} {row['records']:>7} {row['type']:>6.2f} {row['pair']:>6.2f}")
    lines += ["", "type missed: gold type -> types produced instead (records; (none) = no event)"]
    for gold, row in result["type_misses"].items():
        produced = ", ".join(f"{kind} {n}" for kind, n in row["produced"])
        lines.append(f"{gold:<12} {row['missed']:>4} missed -> {produced}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m detente.eval.plv", description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", help="PLV .tsv file (default: ../shared/data/plv/PLV_train.tsv)")
    parser.add_argument("--half", choices=HALVES, default="even",
                        help="sentence_id parity to score: even (held out, the default), odd (to build on) or all")
    parser.add_argument("--errors", metavar="FILE", help="write one JSON line per record: gold, marked spans, events")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    path = Path(args.path) if args.path else default_path()
    try:
        records = load_records(path, args.half)
    except PLVInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    problems: list[str] = []

    def on_error(message: str) -> None:
        problems.append(message)
        print(f"warning: {message}", file=sys.stderr)

    from detente.nlp import PipelineError

    try:
        coded = code_records(records, on_error=on_error)
    except PipelineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    result = score(records, coded)
    result.update(file=str(path), half=args.half, coded_by="detente.api.code (in-process)", failed=len(problems))
    if args.errors:
        if args.half != "odd":
            print(f"note: {args.errors} holds sentences of the {args.half} half; the even half is held out, "
                  "do not read it to pick what to fix", file=sys.stderr)
        try:
            with open(args.errors, "w", encoding="utf-8") as handle:
                for row in error_rows(records, coded):
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        except OSError as error:
            print(f"error: cannot write {args.errors}: {error.strerror or error}", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(report(args.half, path, result))
        if args.errors:
            print(f"\nper-record rows written to {args.errors}")
    if problems:
        print(f"warning: {len(problems)} sentence(s) could not be coded; `detente code` would exit 1 on them",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
