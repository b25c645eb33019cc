"""The ledger (SQLite today): `Ledger(path)` stores extracted documents and answers queries."""

from detente.store.ledger import (
    MARK_END,
    MARK_START,
    Ledger,
    LedgerError,
    LedgerNeedsUpgrade,
    claim_id,
    date_bounds,
    snippet_segments,
)
from detente.store.migrations import MIGRATIONS, current_schema_version
from detente.store.schema import CONFLICT_STATUSES

__all__ = [
    "CONFLICT_STATUSES", "MARK_END", "MARK_START", "MIGRATIONS", "Ledger", "LedgerError", "LedgerNeedsUpgrade", "claim_id",
    "current_schema_version", "date_bounds", "snippet_segments",
]
