"""How long the link stage (near-duplicates, event merge, claims, conflicts) takes on a ledger.

Usage: .venv/bin/python benchmarks/link.py LEDGER.db [LEDGER.db ...]
Copies each ledger, recomputes the link stage three times and prints the best time with
what it found. A figure, not a test: the machine decides it."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from detente.actors import Gazetteer
from detente.store import Ledger
from detente.store.links import relink


def main(paths: list[str]) -> None:
    gazetteer = Gazetteer.default()
    for path in paths:
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "ledger.db"
            shutil.copy(path, copy)
            with Ledger(copy) as ledger:
                documents = ledger.stats()["documents"]
                best, found = float("inf"), {}
                for _ in range(3):
                    started = time.perf_counter()
                    found = relink(ledger, gazetteer)
                    best = min(best, time.perf_counter() - started)
        print(f"{path}: {documents} documents, link stage {best * 1000:.0f} ms; {found}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["demo.db"])
