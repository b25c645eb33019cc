"""How much event coding costs next to parsing: `python -m detente.events.bench [FILES...]`.

Defaults to the seed articles in ../shared/seeds. Prints, per file and in total, the parse time,
the actor-resolution time and the event-extraction time, and extraction as a share of parsing
(the budget is well under 10%)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from detente.actors import ActorResolver, Gazetteer
    from detente.events import default_lexicon, extract_events
    from detente.nlp import load_pipeline

    root = Path(__file__).resolve().parents[3]
    shared = Path(os.environ.get("DETENTE_SHARED", root.parent / "shared"))
    paths = [Path(p) for p in argv] or sorted((shared / "seeds").glob("*.txt"))
    if not paths:
        print("no input files", file=sys.stderr)
        return 2
    nlp = load_pipeline()
    resolver = ActorResolver(Gazetteer.default())
    default_lexicon()  # loaded once per process; not part of a document's cost
    totals = [0.0, 0.0, 0.0]
    count = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        started = time.perf_counter()
        doc = nlp(text)
        parsed = time.perf_counter()
        actors = resolver.resolve(doc)
        resolved = time.perf_counter()
        events = extract_events(doc, actors, None, path.stem, path.name)
        done = time.perf_counter()
        spans = (parsed - started, resolved - parsed, done - resolved)
        totals = [a + b for a, b in zip(totals, spans)]
        count += len(events)
        print(f"{path.name}: {len(text)} chars, {len(events)} events; parse {spans[0]:.3f}s, "
              f"actors {spans[1]:.3f}s, events {spans[2] * 1000:.1f}ms ({100 * spans[2] / spans[0]:.1f}% of parse)")
    print(f"total: {count} events; parse {totals[0]:.3f}s, actors {totals[1]:.3f}s, events {totals[2] * 1000:.1f}ms "
          f"= {100 * totals[2] / totals[0]:.1f}% of parse")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
