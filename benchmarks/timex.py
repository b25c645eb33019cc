"""Throughput of `detente.time.tag` alone on the WikiWars texts (tags stripped).

    python benchmarks/timex.py [--rounds N]

Prints whitespace tokens per second. Target: >= 50,000 tokens/s.
"""

from __future__ import annotations

import argparse
import sys
import time

from detente.eval.wikiwars import default_directory, read_tml
from detente.time import tag


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    directory = default_directory()
    files = sorted(directory.glob("*.tml"))
    if not files:
        print(f"WikiWars not found at {directory}; set DETENTE_SHARED", file=sys.stderr)
        return 2
    documents = [read_tml(path)[:2] for path in files]
    tokens = sum(len(text.split()) for text, _ in documents)
    tag(documents[0][0], documents[0][1])  # compile rules and load periods outside the timing
    best = float("inf")
    for _ in range(args.rounds):
        began = time.perf_counter()
        for text, dct in documents:
            tag(text, dct, mode="narrative")
        best = min(best, time.perf_counter() - began)
    print(f"{len(documents)} documents, {tokens} tokens, best of {args.rounds}: {best:.3f} s "
          f"-> {tokens / best:,.0f} tokens/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
