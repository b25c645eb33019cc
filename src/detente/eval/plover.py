"""Score the event coder on the PLOVER gold-standard records (`../shared/data/plover-gsr/dev.json`).

Usage: `python -m detente.eval.plover [PATH] [--misses FILE] [--in-process]`. Each record's `text` runs through the
real pipeline (spaCy parse, actor resolution, time tagging, `extract_events`) with the record's
`date` as document date. Figures, each a share of the gold records (DOCUMENT records skipped):

- detection: we produce at least one event;
- type: some event has the gold type;
- source: some event's source folds to a gold source code;
- source_when_named: the same as source, over only the records whose gold names a source actor;
- triple: one event has the gold type, a gold source and a gold target (when the record has no
  target, the event's target must be empty or another gold source: compound actors such as
  "Hungarian and Romanian officials agreed" are coded by us as a symmetric pair; when the gold
  target is the source's own state, a domestic act, our one-actor event for it counts: we never
  code a state as its own counterpart, though two sectors of it, say government and opposition, may be).

Old 0.5b1 labels are folded into PLOVER 2.0: INVESTIGATE, DISAPPROVE -> ACCUSE; DEMAND -> REQUEST;
FIGHT -> ASSAULT; and, should they appear, YIELD -> CONCEDE, ENGAGE -> COOPERATE, EXPRESS -> AGREE.
Gold CAMEO actor codes are folded to ISO alpha-3 where they differ (JAP -> JPN, ITL -> ITA,
VTN -> VNM, ...); the generic IGO, NGO and IMG codes match any actor of that kind (IGO also an organisation of no
one country, such as Amnesty International, which the gold codes IGO).

By default the records are coded by one `detente code --format jsonl` subprocess (the CLI users
run); `--in-process` runs the same stages in this process instead.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

LABEL_MAP = {
    "INVESTIGATE": "ACCUSE", "DISAPPROVE": "ACCUSE", "DEMAND": "REQUEST", "FIGHT": "ASSAULT",
    "YIELD": "CONCEDE", "ENGAGE": "COOPERATE", "EXPRESS": "AGREE",
}
CAMEO_TO_ISO = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM", "GMY": "DEU", "UK": "GBR", "UKG": "GBR",
                "SPN": "ESP", "POR": "PRT", "GRE": "GRC", "SAF": "ZAF", "CHL": "CHL", "BUL": "BGR",
                "ROM": "ROU", "YUG": "SRB", "USR": "RUS", "SUN": "RUS", "TAW": "TWN", "PAL": "PSE"}
# Generic gold codes that name a kind of actor rather than one actor.
GENERIC_KINDS = {"IGO": {"igo"}, "NGO": {"org", "igo"}, "IMG": {"group", "org"}}

ROOT = Path(__file__).resolve().parents[3]


def default_path() -> Path:
    shared = Path(os.environ.get("DETENTE_SHARED", ROOT.parent / "shared"))
    return shared / "data" / "plover-gsr" / "dev.json"


def gold_type(label: str) -> str:
    return LABEL_MAP.get(label, label)


def fold(code: str) -> str:
    code = (code or "").strip().upper()
    return CAMEO_TO_ISO.get(code, code)


def _gold_actors(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []  # the file has "" or stray context words where a record has no target
    return [fold(a.get("code", "")) for a in value if isinstance(a, dict) and a.get("code")]


def actor_matches(actor: Any, gold_codes: list[str]) -> bool:
    own = {fold(actor.code), fold(actor.country)} - {""}
    for code in gold_codes:
        if code in own:
            return True
        if code in GENERIC_KINDS and actor.kind in GENERIC_KINDS[code]:
            return True
        if code == "IGO" and actor.kind == "org" and not actor.country:
            # The gold codes international bodies IGO whether states or citizens run them
            # (Amnesty International): an organisation of no one country is international.
            return True
    return False


def _triple(event: Any, kind: str, sources: list[str], targets: list[str], domestic_counts: bool = True) -> bool:
    if event.type != kind:
        return False
    src = event.source[0] if event.source else None
    tgt = event.target[0] if event.target else None
    if src is None:
        return False

    def fits(a: Any, b: Any) -> bool:
        if not actor_matches(a, sources):
            return False
        if domestic_counts and b is None and set(targets) <= set(sources):
            # A domestic act (gold SDN -> SDN: "Sudan's government lifted a state of emergency in
            # West Darfur"): we code a state acting on itself as a one-actor event, no self-dyad.
            return True
        if targets:
            return b is not None and actor_matches(b, targets)
        return b is None or actor_matches(b, sources)

    return fits(src, tgt) or (event.symmetric and tgt is not None and fits(tgt, src))


class Pipeline:
    """The real stages, loaded once: parse, actors, time, events."""

    def __init__(self, resolver: Any = None) -> None:
        from detente.nlp import load_pipeline

        self.nlp = load_pipeline()
        if resolver is None:
            from detente.actors import ActorResolver, Gazetteer

            resolver = ActorResolver(Gazetteer.default())
        self.resolver = resolver

    def events(self, text: str, date: str, doc_id: str, typer: Any = "default") -> list[Any]:
        """The events `detente code` gives for `text` (the same extract stage, in this process)."""
        from detente.extract import extract_document
        from detente.model import SourceDocument

        source = SourceDocument(name=doc_id, text=text, metadata_date=date or "")
        return extract_document(source, [(self.nlp(text), 0)], self.resolver, typer=typer).events


def _cli_command() -> list[str]:
    """The installed `detente` console script next to this interpreter, else the one on PATH."""
    beside = Path(sys.executable).with_name("detente")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("detente")
    if found:
        return [found]
    return [sys.executable, "-c", "from detente.cli import main; main()"]


def code_with_cli(records: list[dict], command: list[str] | None = None) -> dict[str, list[Any]]:
    """Code every record in one run of `detente code --format jsonl` and group its events by input id.

    The CLI prints plain JSON; the events come back as light objects with the attributes the
    scoring reads (type, cameo, source, target, trigger, symmetric) and each actor's kind looked
    up in the gazetteer, since the JSON names actors by code only."""
    from detente.actors import Gazetteer

    lines = "".join(json.dumps({"id": r["id"], "text": r["text"], "date": r.get("date", "")}, ensure_ascii=False) + "\n"
                    for r in records)
    run = subprocess.run([*(command or _cli_command()), "code", "--format", "jsonl"], input=lines,
                         capture_output=True, text=True, encoding="utf-8")
    if run.returncode != 0:
        raise RuntimeError(f"detente code exited {run.returncode}: {run.stderr.strip()[-2000:]}")
    gazetteer = Gazetteer.default()

    def actor(ref: dict) -> SimpleNamespace:
        known = gazetteer.get(ref.get("code", ""))
        return SimpleNamespace(code=ref.get("code", ""), country=ref.get("country", ""),
                               kind=getattr(known, "kind", "") or "", name=ref.get("name", ""))

    grouped: dict[str, list[Any]] = {r["id"]: [] for r in records}
    for number, line in enumerate(run.stdout.splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("input_id") not in grouped:
            raise RuntimeError(f"detente code output line {number}: unknown input_id {row.get('input_id')!r}")
        grouped[row["input_id"]].append(SimpleNamespace(
            type=row["type"], cameo=row.get("cameo", ""), trigger=row.get("trigger", ""),
            symmetric=bool(row.get("symmetric", False)), negated=bool(row.get("negated", False)),
            source=[actor(a) for a in row.get("source", [])], target=[actor(a) for a in row.get("target", [])]))
    return grouped


def score(path: str | Path | None = None, misses: str | Path | None = None, resolver: Any = None,
          via_cli: bool = False, command: list[str] | None = None) -> dict:
    """Score the coder; `via_cli` codes all records in one `detente code` subprocess instead of in-process."""
    path = Path(path) if path else default_path()
    records = [r for r in json.loads(path.read_text(encoding="utf-8")) if r.get("event") != "DOCUMENT"]
    if via_cli:
        coded = code_with_cli(records, command)
        events_of = lambda record: coded[record["id"]]  # noqa: E731
    else:
        pipeline = Pipeline(resolver)
        events_of = lambda record: pipeline.events(record["text"], record.get("date", ""), record["id"])  # noqa: E731
    counts = Counter()
    per_type = Counter()
    per_type_hit = Counter()
    missed: list[dict] = []
    for record in records:
        kind = gold_type(record["event"])
        sources = _gold_actors(record.get("source"))
        targets = _gold_actors(record.get("target"))
        events = events_of(record)
        detected = bool(events)
        typed = any(e.type == kind for e in events)
        sourced = any(e.source and actor_matches(e.source[0], sources) for e in events)
        triple = any(_triple(e, kind, sources, targets) for e in events)
        strict = any(_triple(e, kind, sources, targets, domestic_counts=False) for e in events)
        counts.update(records=1, detection=detected, type=typed, source=sourced, triple=triple,
                      with_source=bool(sources), source_of_sourced=bool(sources) and sourced, triple_strict=strict)
        per_type[kind] += 1
        per_type_hit[kind] += typed
        if not triple:
            missed.append({
                "id": record["id"], "gold": [kind, sources, targets], "text": record["text"],
                "events": [[e.type, e.cameo, [a.code for a in e.source], [a.code for a in e.target], e.trigger]
                           for e in events],
            })
    total = counts["records"] or 1
    result = {
        "coded_by": "detente code (subprocess)" if via_cli else "in-process pipeline",
        "records": counts["records"],
        "detection": counts["detection"] / total,
        "type": counts["type"] / total,
        "source": counts["source"] / total,
        "triple": counts["triple"] / total,
        # The same without counting a one-actor event for a domestic gold record (target = source state).
        "triple_strict": counts["triple_strict"] / total,
        # Issue "Actors": of the records that name a source actor, the share where an event's source matches.
        "source_when_named": counts["source_of_sourced"] / (counts["with_source"] or 1),
        "type_by_label": {k: f"{per_type_hit[k]}/{per_type[k]}" for k in sorted(per_type)},
    }
    if misses:
        with open(misses, "w", encoding="utf-8") as handle:
            for item in missed:
                handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m detente.eval.plover", description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", help="PLOVER gold JSON (default: ../shared/data/plover-gsr/dev.json)")
    parser.add_argument("--misses", default="/tmp/plover_misses.jsonl", help="where to write records we got wrong")
    parser.add_argument("--in-process", action="store_true",
                        help="run the pipeline in this process instead of one `detente code` subprocess")
    args = parser.parse_args(argv)
    path = Path(args.path) if args.path else default_path()
    if not path.exists():
        print(f"{path} not found (set DETENTE_SHARED or pass a path)", file=sys.stderr)
        return 2
    result = score(path, args.misses, via_cli=not args.in_process)
    print(f"records   {result['records']}  (coded by {result['coded_by']})")
    for name in ("detection", "type", "source", "triple", "triple_strict", "source_when_named"):
        print(f"{name:<9} {result[name]:.3f}")
    print("type by gold label: " + ", ".join(f"{k} {v}" for k, v in result["type_by_label"].items()))
    print(f"misses written to {args.misses}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
