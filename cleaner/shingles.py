"""Shingles and MinHash signatures of paragraphs (normalised: case, punctuation, space)."""

from __future__ import annotations

from datasketch import MinHash

from .textstats import normalize

SEED = 1


def shingles(text: str, size: int = 5) -> set[bytes]:
    """Word n-grams of the normalised text; a text shorter than n words is one shingle."""
    tokens = normalize(text).split()
    if len(tokens) <= size:
        return {" ".join(tokens).encode("utf-8")} if tokens else set()
    return {" ".join(tokens[i: i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}


def jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def signature(grams: set[bytes], num_perm: int = 128) -> MinHash:
    m = MinHash(num_perm=num_perm, seed=SEED)
    m.update_batch(sorted(grams))
    return m
