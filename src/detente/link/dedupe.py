"""Near-duplicate documents: the same article saved twice with different boilerplate, a
syndicated copy, a re-scraped page. MinHash over word shingles estimates how much of the
text two documents share; above the threshold they are one document with several sources.

Plain data in (document ids and texts), plain data out (duplicate id → canonical id).
The canonical document of a group is the longest text (ties: the smallest id), so the
result does not depend on the order documents were ingested in.
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE_WORDS = 5
THRESHOLD = 0.8
_SEED = 1  # fixed: stored signatures must stay comparable across runs


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    words = re.findall(r"\w+", text.casefold())
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + size]).encode() for i in range(len(words) - size + 1)}


def signature(text: str) -> str:
    """The MinHash of a text as hex, to store beside the document."""
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED)
    minhash.update_batch(list(shingles(text)))
    return minhash.hashvalues.astype(np.uint64).tobytes().hex()


def numbers(text: str) -> frozenset[str]:
    """The figures a text states (dates, amounts, counts): copies share them, templated reports don't."""
    return frozenset(re.findall(r"\d+(?:[.,]\d+)*", text))


def _says_nothing_new(shorter: frozenset[str], longer: frozenset[str]) -> bool:
    return shorter <= longer


def _minhash(hex_signature: str) -> MinHash:
    values = np.frombuffer(bytes.fromhex(hex_signature), dtype=np.uint64)
    return MinHash(num_perm=NUM_PERM, seed=_SEED, hashvalues=values)


def near_duplicates(documents: dict[str, tuple[str, int]], threshold: float = THRESHOLD,
                    figures: dict[str, frozenset[str]] | None = None) -> dict[str, str]:
    """`documents`: id → (hex signature, text length); `figures`: id → `numbers(text)`, when
    given two texts are copies only if one states no figure the other lacks (a report on
    another day from the same template is not a copy). Returns duplicate id → canonical id."""
    if len(documents) < 2:
        return {}
    hashes = {doc_id: _minhash(sig) for doc_id, (sig, _) in documents.items()}
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for doc_id in sorted(hashes):
        lsh.insert(doc_id, hashes[doc_id])
    parent = {doc_id: doc_id for doc_id in hashes}

    def root(doc_id: str) -> str:
        while parent[doc_id] != doc_id:
            parent[doc_id] = parent[parent[doc_id]]
            doc_id = parent[doc_id]
        return doc_id

    for doc_id in sorted(hashes):
        for other in lsh.query(hashes[doc_id]):
            if other != doc_id and hashes[doc_id].jaccard(hashes[other]) >= threshold:
                if figures is not None:
                    short, long_ = sorted((doc_id, other), key=lambda d: (documents[d][1], d))
                    if not _says_nothing_new(figures[short], figures[long_]):
                        continue
                a, b = root(doc_id), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = {}
    for doc_id in hashes:
        groups.setdefault(root(doc_id), []).append(doc_id)
    mapping = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        canonical = min(members, key=lambda d: (-documents[d][1], d))
        mapping.update({member: canonical for member in members if member != canonical})
    return mapping
