"""Everything the ledger does that only SQLite does: connection PRAGMAs, transaction
start, the FTS5 sentence index and its query syntax.

A PostgreSQL backend would provide the same methods (a tsvector column and
`websearch_to_tsquery` instead of FTS5) and leave `ledger.py` untouched.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import QueuePool

FULLTEXT_TABLE = "sentences_fts"

# External-content FTS5 index kept in step by triggers, so the index changes in the very
# transaction that changes `sentences`; a crash can never leave the two apart.
_FULLTEXT_DDL = (
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FULLTEXT_TABLE} USING fts5(
        text, content='sentences', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS sentences_fts_insert AFTER INSERT ON sentences BEGIN
        INSERT INTO {FULLTEXT_TABLE}(rowid, text) VALUES (new.id, new.text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS sentences_fts_delete AFTER DELETE ON sentences BEGIN
        INSERT INTO {FULLTEXT_TABLE}({FULLTEXT_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS sentences_fts_update AFTER UPDATE OF text ON sentences BEGIN
        INSERT INTO {FULLTEXT_TABLE}({FULLTEXT_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO {FULLTEXT_TABLE}(rowid, text) VALUES (new.id, new.text);
    END""",
)

_BAREWORD = re.compile(r"\w+", re.UNICODE)


_READ_ENGINES: dict[tuple, Engine] = {}
_READ_ENGINES_KEPT = 8


class SqliteBackend:
    """Connection setup and full-text search for a ledger kept in one SQLite file."""

    name = "sqlite"

    def create_engine(self, path: Path, readonly: bool) -> Engine:
        """An engine for the file. Read-only engines are kept per file (a few at a time) and
        handed out again: each holds SQLAlchemy's cache of compiled statements, which a web
        request or CLI query would otherwise rebuild every time (a fifth of a dyad query).
        `Ledger.close` disposes of the connections, not of that cache."""
        if not readonly:
            return self._new_engine(path, readonly)
        try:
            stat = path.stat()
            key = (str(path.resolve()), stat.st_dev, stat.st_ino)
        except OSError:
            return self._new_engine(path, readonly)
        engine = _READ_ENGINES.pop(key, None) or self._new_engine(path, readonly)
        _READ_ENGINES[key] = engine  # most recently used last
        while len(_READ_ENGINES) > _READ_ENGINES_KEPT:
            _READ_ENGINES.pop(next(iter(_READ_ENGINES)))
        return engine

    def _new_engine(self, path: Path, readonly: bool) -> Engine:
        # Connecting through a function keeps any character a file name may hold ('?', '#',
        # '%') out of URL parsing.
        def connect() -> sqlite3.Connection:
            if readonly:
                # A read-only URI still lets SQLite read the WAL written by other processes.
                return sqlite3.connect(f"file:{quote(path.as_posix())}?mode=ro", uri=True, timeout=30,
                                       check_same_thread=False)
            return sqlite3.connect(str(path), timeout=30, check_same_thread=False)

        engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool)

        @event.listens_for(engine, "connect")
        def _configure(dbapi_connection: sqlite3.Connection, _record) -> None:
            # Let SQLAlchemy (not the sqlite3 module) decide when transactions start, so that
            # DDL in migrations is transactional and writers can take the lock up front.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            if not readonly:
                cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL may lose the last commits on power loss but never
            # corrupts or half-applies a transaction.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA cache_size=-32000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # IMMEDIATE takes the write lock at BEGIN: two writers queue instead of one failing
            # with "database is locked" when it tries to upgrade a read lock.
            immediate = conn.get_execution_options().get("detente_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    def create_fulltext(self, conn: Connection) -> None:
        for statement in _FULLTEXT_DDL:
            conn.exec_driver_sql(statement)

    def fulltext_ok(self, conn: Connection) -> bool:
        """True when the sentence index agrees exactly with the sentences table (on a read-only
        connection, where FTS5 refuses its integrity check, when it indexes as many rows)."""
        try:
            conn.exec_driver_sql(
                f"INSERT INTO {FULLTEXT_TABLE}({FULLTEXT_TABLE}, rank) VALUES ('integrity-check', 1)")
        except DatabaseError as error:  # SQLite reports a mismatch as a corrupt virtual table
            if "readonly" not in str(error.orig).lower():
                return False
            indexed = conn.exec_driver_sql(f"SELECT count(*) FROM {FULLTEXT_TABLE}_docsize").scalar()
            stored = conn.exec_driver_sql("SELECT count(*) FROM sentences").scalar()
            return indexed == stored
        return True

    def search(self, conn: Connection, query: str, limit: int, offset: int,
               mark: tuple[str, str]) -> list[dict]:
        """Sentences matching `query`, best first. The query is first tried as FTS5 syntax
        (phrases, OR, NOT, prefix*); if SQLite rejects it, each word is matched literally."""
        try:
            return self._run_search(conn, query, limit, offset, mark)
        except OperationalError:
            literal = literal_query(query)
            if not literal:
                return []
            return self._run_search(conn, literal, limit, offset, mark)

    def _run_search(self, conn: Connection, match: str, limit: int, offset: int,
                    mark: tuple[str, str]) -> list[dict]:
        statement = text(f"""
            SELECT s.doc_id, d.name AS doc_name, d.title, d.published_value AS published,
                   s.idx AS sentence, s.start, s."end", s.text,
                   snippet({FULLTEXT_TABLE}, 0, :mark_open, :mark_close, '…', 24) AS snippet
            FROM {FULLTEXT_TABLE}
            JOIN sentences AS s ON s.id = {FULLTEXT_TABLE}.rowid
            JOIN documents AS d ON d.id = s.doc_id
            WHERE {FULLTEXT_TABLE} MATCH :match
            ORDER BY rank, s.doc_id, s.idx
            LIMIT :limit OFFSET :offset""")
        rows = conn.execute(statement, {"match": match, "mark_open": mark[0], "mark_close": mark[1],
                                        "limit": limit, "offset": offset})
        return [dict(row._mapping) for row in rows]

    def file_size(self, path: Path) -> int:
        """Bytes on disk, including a write-ahead log not yet folded into the file."""
        total = 0
        for candidate in (path, Path(f"{path}-wal")):
            try:
                total += os.path.getsize(candidate)
            except OSError:
                pass
        return total

    @staticmethod
    def is_not_a_database(error: BaseException) -> bool:
        """True for the errors SQLite gives when a file is not (or no longer) a database."""
        message = str(error).lower()
        return "not a database" in message or "malformed" in message or "file is encrypted" in message


def literal_query(query: str) -> str:
    """An FTS5 query matching every word of `query` literally (each word a quoted string),
    so punctuation and operators typed by a user can never be a syntax error."""
    words = _BAREWORD.findall(query)
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)

