"""A writer killed with SIGKILL mid-way never leaves half a document in the ledger."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from detente.store import Ledger
from test_store_fixtures import numbered_document

TESTS = Path(__file__).resolve().parent

WRITER = """
import sys
sys.path.insert(0, sys.argv[2])
from detente.store import Ledger
from test_store_fixtures import numbered_document

with Ledger(sys.argv[1]) as ledger:
    number = 0
    while True:
        ledger.write_document(numbered_document(number, sentence_count=120, event_count=40))
        print(number, flush=True)
        number += 1
"""


def test_kill_nine_leaves_only_whole_documents(tmp_path):
    path = tmp_path / "ledger.db"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(TESTS)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(8):  # let it commit a few documents, then kill it while it writes more
            line = writer.stdout.readline()
            assert line, writer.stderr.read()
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.wait(timeout=60)
    assert writer.returncode == -signal.SIGKILL

    with Ledger(path) as ledger:
        documents = list(ledger.documents())
        assert len(documents) >= 8
        with sqlite3.connect(path) as raw:
            for document in documents:
                doc_id = document["id"]
                number = int(document["name"].removeprefix("doc").removesuffix(".txt"))
                sentence_rows = raw.execute("SELECT count(*) FROM sentences WHERE doc_id = ?", (doc_id,)).fetchone()[0]
                indexed = raw.execute("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH ?",
                                      (f'"doc{number}"',)).fetchone()[0]
                event_rows = raw.execute("SELECT count(*) FROM events WHERE doc_id = ?", (doc_id,)).fetchone()[0]
                mention_rows = raw.execute("SELECT count(*) FROM event_mentions WHERE doc_id = ?",
                                           (doc_id,)).fetchone()[0]
                assert document["sentences"] == sentence_rows == indexed == 120, document
                assert document["events"] == event_rows == mention_rows == 40, document
            orphans = raw.execute("SELECT count(*) FROM sentences WHERE doc_id NOT IN (SELECT id FROM documents)")
            assert orphans.fetchone()[0] == 0
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert ledger.check() == []
        # The ledger is still writable after the crash.
        ledger.write_document(numbered_document(10_000))
        assert ledger.has_document(numbered_document(10_000).document.id)


def test_check_notices_an_index_out_of_step(tmp_path):
    path = tmp_path / "ledger.db"
    with Ledger(path) as ledger:
        ledger.write_document(numbered_document(1))
        assert ledger.check() == []
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TRIGGER sentences_fts_delete")
        raw.execute("DELETE FROM sentences WHERE idx = 0")
    with Ledger(path) as ledger:
        problems = ledger.check()
    assert any("full-text" in problem for problem in problems)
    assert any("19 sentences stored, 20 recorded" in problem for problem in problems)
