"""`kill -9` in the middle of an ingest, then the same ingest again: every document whole."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time

from conftest import CLI, cli_json

PARAGRAPH = (
    "On {day} March {year} Russia and North Korea signed an agreement on rail links in Moscow. "
    "Vladimir Putin met Kim Jong Un in Vladivostok. China criticised the United States. "
    "Japan protested to Moscow about the agreement. South Korea accused North Korea of firing missiles.\n\n"
)


def documents_stored(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
            return connection.execute("select count(*) from documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def assert_every_document_whole(db) -> int:
    with sqlite3.connect(db) as connection:
        rows = connection.execute("select id, sentence_count, event_count from documents").fetchall()
        for doc_id, sentence_count, event_count in rows:
            sentences = connection.execute("select count(*) from sentences where doc_id = ?", (doc_id,)).fetchone()[0]
            events = connection.execute("select count(*) from events where doc_id = ?", (doc_id,)).fetchone()[0]
            assert sentences == sentence_count and sentence_count > 0, doc_id
            assert events == event_count, doc_id
        orphans = connection.execute(
            "select count(*) from sentences where doc_id not in (select id from documents)").fetchone()[0]
        assert orphans == 0
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
    return len(rows)


def test_kill_nine_mid_ingest_leaves_whole_documents(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    total = 60
    for number in range(total):
        body = "".join(PARAGRAPH.format(day=1 + (number + k) % 27, year=1990 + (number + k) % 30) for k in range(25))
        (corpus / f"article_{number:03d}.txt").write_text(f"Report {number}\n\n{body}")
    db = tmp_path / "ledger.db"

    process = subprocess.Popen([*CLI, "ingest", str(corpus), "--db", str(db), "--batch-size", "1"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while documents_stored(db) < 3 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "the ingest finished before it could be killed; make the corpus bigger"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    partial = assert_every_document_whole(db)
    assert 0 < partial < total

    again = subprocess.run([*CLI, "ingest", str(corpus), "--db", str(db), "--json"], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert assert_every_document_whole(db) == total
    assert len(cli_json("docs", "--db", str(db))) == total
