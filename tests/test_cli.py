"""End to end through the real `detente` command: ingest, query, export, code, timex."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import cli_json, run_cli

EVENT_KEYS = {"id", "type", "cameo", "quad_class", "goldstein", "source", "target", "date", "negated", "modality",
              "confidence", "mentions", "sources_count"}
ACTOR_REF_KEYS = {"code", "name", "country", "sector", "text"}
DATE_KEYS = {"value", "start", "end", "precision", "modifier", "basis", "timex3"}
MENTION_KEYS = {"doc_id", "doc_name", "sentence", "start", "end"}
DOCUMENT_KEYS = {"id", "name", "title", "url", "published", "sha256", "sentences", "events"}


def test_seeds_give_five_dated_documents_and_forty_evidenced_events(seeds_ledger):
    db, report = seeds_ledger
    assert report["added"] == 5 and report["failed"] == 0
    documents = cli_json("docs", "--db", str(db))
    assert len(documents) == 5
    for document in documents:
        assert document["published"]["value"], f"{document['name']} has no inferred date"
        assert document["published"]["basis"] in {"metadata", "content"}
    archives = next(d for d in documents if d["name"].endswith("001_0a2a0661d40dea79.txt"))
    assert archives["published"]["value"] == "2019-09" and archives["published"]["precision"] == "month"

    events = cli_json("events", "--db", str(db))
    assert len(events) >= 40
    texts = {}
    for event in events:
        assert EVENT_KEYS <= event.keys()
        assert event["mentions"], event
        shown = cli_json("show", event["id"], "--db", str(db)) if len(texts) < 3 else None
        if shown:
            mention = shown["mentions"][0]
            texts[event["id"]] = mention["sentence_text"]
            # The offsets cite the sentence: they fall inside the document's text.
            assert mention["start"] < mention["end"]
    assert all(text.strip() for text in texts.values())


def test_reingest_adds_nothing(seeds_ledger):
    db, _ = seeds_ledger
    from conftest import shared_path

    result = run_cli("ingest", str(shared_path("seeds")), "--db", str(db), "--json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["added"] == 0 and report["unchanged"] == 5 and report["events"] == 0


def test_reingest_never_loads_the_parser(seeds_ledger, monkeypatch):
    """An unchanged corpus is settled from hashes alone: spaCy is not even imported."""
    import subprocess
    import sys

    from conftest import shared_path

    db, _ = seeds_ledger
    probe = (
        "import sys; from detente import api; "
        f"r = api.ingest([{str(shared_path('seeds'))!r}], {str(db)!r}); "
        "print(len(r.added), len(r.unchanged), 'spacy' in sys.modules)"
    )
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert output == ["0", "5", "False"]


def test_timeline_between_russia_and_north_korea_counts_sources(seeds_ledger):
    db, _ = seeds_ledger
    rows = cli_json("timeline", "RUS", "PRK", "--db", str(db))
    assert rows, "no Russia–North Korea events in the seeds"
    codes = {"RUS", "SUN", "PRK"}
    for row in rows:
        sides = {a["country"] or a["code"] for a in row["source"]} | {a["country"] or a["code"] for a in row["target"]}
        assert sides & codes
        assert row["sources_count"] >= 1
    starts = [r["date"]["start"] for r in rows if r["date"]["start"]]
    assert starts == sorted(starts)
    table = run_cli("timeline", "RUS", "PRK", "--db", str(db), check=True).stdout
    assert "srcs" in table


def test_event_filters(seeds_ledger):
    db, _ = seeds_ledger
    everything = cli_json("events", "--db", str(db))
    types = {e["type"] for e in everything}
    some_type = sorted(types)[0]
    only = cli_json("events", "--db", str(db), "--type", some_type)
    assert only and all(e["type"] == some_type for e in only)
    recent = cli_json("events", "--db", str(db), "--from", "2000", "--to", "2019")
    assert recent
    for event in recent:
        assert event["date"]["end"] >= "2000" and event["date"]["start"] <= "2019-12-31"
    russian = cli_json("events", "--db", str(db), "--actor", "RUS")
    assert russian and len(russian) < len(everything) + 1


def test_search_and_stats(seeds_ledger):
    db, _ = seeds_ledger
    hits = cli_json("search", "Vladivostok", "--db", str(db))
    assert hits and all("vladivostok" in h["text"].lower() for h in hits)
    assert all({"doc_id", "doc_name", "sentence", "start", "end"} <= h.keys() for h in hits)
    assert cli_json("search", '"unbalanced', "--db", str(db)) is not None
    stats = cli_json("stats", "--db", str(db))
    assert stats["documents"] == 5 and stats["events"] >= 40


def test_show_unknown_event_is_a_clear_error(seeds_ledger):
    db, _ = seeds_ledger
    result = run_cli("show", "ev_doesnotexist", "--db", str(db))
    assert result.returncode == 1 and "no event" in result.stderr


def test_query_without_a_ledger_is_a_clear_error(tmp_path):
    result = run_cli("events", "--db", str(tmp_path / "missing.db"))
    assert result.returncode == 2 and "no ledger" in result.stderr


def test_exports_keep_their_shape(seeds_ledger):
    db, _ = seeds_ledger
    events = [json.loads(line) for line in run_cli("export", "events", "--db", str(db), check=True).stdout.splitlines()]
    assert events and all(EVENT_KEYS <= e.keys() for e in events)
    first = events[0]
    assert DATE_KEYS <= first["date"].keys()
    assert all(ACTOR_REF_KEYS <= a.keys() for a in first["source"] + first["target"])
    assert all(MENTION_KEYS <= m.keys() for m in first["mentions"])

    documents = json.loads(run_cli("export", "documents", "--db", str(db), "--format", "json", check=True).stdout)
    assert len(documents) == 5 and all(DOCUMENT_KEYS <= d.keys() for d in documents)

    rows = list(csv.DictReader(io.StringIO(run_cli("export", "events", "--db", str(db), "--format", "csv",
                                                   check=True).stdout)))
    assert len(rows) == len(events)
    conflicts = run_cli("export", "conflicts", "--db", str(db), check=True)
    assert conflicts.returncode == 0
    assert run_cli("export", "actors", "--db", str(db), check=True).stdout.strip()
    assert run_cli("export", "nonsense", "--db", str(db)).returncode == 2


def test_code_reads_json_and_plain_lines():
    lines = "\n".join([
        json.dumps({"id": "a1", "text": "Russia imposed sanctions on Ukraine on Monday.", "date": "2014-03-17"}),
        "Vladimir Putin met Kim Jong Un in Vladivostok in April 2019.",
        "{not json",
    ]) + "\n"
    result = run_cli("code", "--format", "jsonl", input=lines)
    assert result.returncode == 1 and "line 3" in result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    by_input = {e["input_id"]: e for e in events}
    assert {"a1", "2"} <= by_input.keys()
    assert EVENT_KEYS <= by_input["a1"].keys()
    assert by_input["2"]["date"]["value"] == "2019-04"


def test_timex_prints_offsets_of_the_input():
    text = "In 2011 the two leaders met. Two years later, on 25 April 2019, nothing happened. Last year was quiet."
    result = run_cli("timex", "--dct", "2020-06-01", "--mode", "news", "--format", "jsonl", input=text, check=True)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows
    for row in rows:
        assert {"start", "end", "text", "value", "timex3", "precision", "modifier"} <= row.keys()
        assert text[row["start"]:row["end"]] == row["text"]
    values = {row["text"]: row["value"] for row in rows}
    assert values.get("25 April 2019") == "2019-04-25"
    assert values.get("Last year") == "2019"


def test_ingest_stdin(tmp_path):
    db = tmp_path / "stdin.db"
    text = "Published 3 March 2015\n\nRussia and North Korea signed a rail agreement in Moscow on 2 March 2015."
    result = run_cli("ingest", "-", "--db", str(db), "--json", input=text)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["added"] == 1
    documents = cli_json("docs", "--db", str(db))
    assert documents[0]["name"] == "<stdin>"
    assert documents[0]["published"]["value"] == "2015-03-03"


def test_bad_files_are_reported_and_do_not_stop_the_batch(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("Russia and China signed a trade agreement in Beijing in May 2014.\n")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "latin.txt").write_bytes("Moscow criticised Seoul in 1990.\n".encode() + b"\xff\xfe bad bytes\n")
    (folder / "zero.pdf").write_bytes(b"")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\n this is not really a pdf")
    (folder / "big.txt").write_text("Russia met China. " * 200)
    (folder / "loop").symlink_to(folder / "loop")
    db = tmp_path / "mixed.db"
    result = run_cli("ingest", str(folder), "--db", str(db), "--max-mb", "0.001", "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    reasons = {Path(p["name"]).name: p["reason"] for p in report["problems"]}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "empty" in reasons["zero.pdf"]
    assert "pdf" in reasons["corrupt.pdf"].lower()
    assert "too large" in reasons["big.txt"]
    assert "symlink loop" in reasons["loop"]
    assert report["added"] == 2  # good.txt and latin.txt (its bad bytes replaced and reported)
    assert any("latin.txt" in w["name"] for w in report["warnings"])
    names = {Path(d["name"]).name for d in cli_json("docs", "--db", str(db))}
    assert names == {"good.txt", "latin.txt"}


def test_parallel_workers_code_the_same_events(demo_ledger, tmp_path):
    """--workers 2 parses in two processes and must store exactly what one process stores."""
    import shutil

    from detente.api import demo_corpus

    db, _ = demo_ledger
    corpus = tmp_path / "subset"
    corpus.mkdir()
    for path in sorted(demo_corpus().glob("*.txt"))[:4]:
        shutil.copy(path, corpus / path.name)
    parallel_db = tmp_path / "parallel.db"
    result = run_cli("ingest", str(corpus), "--db", str(parallel_db), "--workers", "2", "--batch-size", "1", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["added"] == 4
    serial = {d["id"]: d["events"] for d in cli_json("docs", "--db", str(db))}
    parallel = {d["id"]: d["events"] for d in cli_json("docs", "--db", str(parallel_db))}
    assert parallel == {doc_id: serial[doc_id] for doc_id in parallel}
