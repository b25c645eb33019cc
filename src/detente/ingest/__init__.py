"""Reading sources: files, directories, URLs and stdin become `SourceDocument`s, one at a time.

`iter_sources` streams; nothing in a batch aborts it: every unreadable source comes back as a
`SourceFailure` with a reason a user can act on. `detente.ingest.dating.infer_published` dates a
document from its own metadata or content.
"""

from .convert import SUPPORTED_SUFFIXES, document_from_bytes, sniff_kind
from .limits import IngestLimits
from .sources import iter_sources, read_stream

__all__ = ["SUPPORTED_SUFFIXES", "IngestLimits", "document_from_bytes", "iter_sources", "read_stream", "sniff_kind"]
