"""The link stage: what holds across documents.

`dedupe` (near-duplicate documents), `merge` (one event, many reports), `claims` (what
documents assert) and `conflicts` (where they disagree) are plain functions over plain
data; `detente.store.links.relink` reads the ledger, runs them and writes the result in one
transaction after each ingest batch.
"""

from detente.link.claims import ClaimExtractor, FoundClaim, PersonFinder
from detente.link.conflicts import FoundConflict, find_conflicts
from detente.link.dedupe import near_duplicates, signature
from detente.link.merge import EventRecord, merge_events

__all__ = ["ClaimExtractor", "EventRecord", "FoundClaim", "FoundConflict", "PersonFinder", "find_conflicts",
           "merge_events", "near_duplicates", "signature"]
