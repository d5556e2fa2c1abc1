"""Shingles and MinHash signatures of paragraphs (normalised: case, punctuation, space).

Signatures are computed for many paragraphs at once with numpy and are datasketch's own:
the permutations are datasketch's default "affine32" scheme for the same seed, and the
hash of a shingle is `shingle_hash`, which datasketch can be given as `hashfunc`:

    MinHash(num_perm=128, seed=SEED, hashfunc=shingle_hash).update_batch(shingles(text))

has the same hash values as `signatures([text])[0]`, so a user can load ours with
`MinHash(hashvalues=..., seed=SEED, scheme="affine32")` and get the same Jaccard estimates.

Why it is fast: a shingle's hash is a polynomial over the 64-bit hashes of its words, so
each distinct word is hashed once (cached) and all shingles of a batch are hashed with a
handful of vectorised multiply-adds instead of one SHA-1 per shingle.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache
from itertools import chain

import numpy as np

SEED = 1
SCHEME = "affine32"
_P = np.uint64(0x100000001B3)  # FNV-64 prime: multiplier of the word polynomial
_M32 = np.uint64(0xFFFFFFFF)
_token_cache: dict[str, int] = {}
_TOKEN_CACHE_MAX = 1 << 20


_WORD = re.compile(r"[^\W_]+")
# ASCII fast path of `normalize(text).split()`: letters and digits kept (lower-cased), all else a space
_ASCII_TABLE = bytes((c | 0x20 if 65 <= c <= 90 else c) if chr(c).isalnum() and c < 128 else 32 for c in range(256))


@lru_cache(maxsize=1 << 15)
def tokens(text: str) -> tuple[bytes, ...]:
    """The words of `normalize(text)`, UTF-8 encoded (bytes.translate when the text is ASCII).

    Memoised: the in-document duplicates, the signatures and the corpus index all ask.
    """
    if text.isascii():
        return tuple(text.encode("ascii").translate(_ASCII_TABLE).split())
    return tuple(map(str.encode, _WORD.findall(unicodedata.normalize("NFKC", text).casefold())))  # UTF-8


def shingles(text: str, size: int = 5) -> set[bytes]:
    """Word n-grams of the normalised text; a text shorter than n words is one shingle."""
    toks = tokens(text)
    if len(toks) <= size:
        return {b" ".join(toks)} if toks else set()
    return set(map(b" ".join, zip(*(toks[i:] for i in range(size)), strict=False)))  # every run of `size` words


def jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _word_hash(word: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(word, digest_size=8).digest(), "little")


def _word_hashes(words: list[bytes]) -> np.ndarray:
    """64-bit hashes of words; each distinct word is hashed once and cached."""
    try:
        return np.fromiter(map(_token_cache.__getitem__, words), dtype=np.uint64, count=len(words))
    except KeyError:
        if len(_token_cache) >= _TOKEN_CACHE_MAX:
            _token_cache.clear()
        for w in set(words).difference(_token_cache):
            _token_cache[w] = _word_hash(w)
        return np.fromiter(map(_token_cache.__getitem__, words), dtype=np.uint64, count=len(words))


def shingle_hash(shingle: bytes) -> int:
    """The 32-bit hash of one shingle (words joined by single spaces): give it to datasketch."""
    h = 0
    for word in shingle.split(b" "):
        h = (h * int(_P) + _word_hash(word)) & 0xFFFFFFFFFFFFFFFF
    return (h ^ (h >> 32)) & 0xFFFFFFFF


@cache
def permutations(num_perm: int = 128, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's (a, b) for this seed and scheme, drawn as datasketch 2 draws them (the tests
    compare them with datasketch's own). Not asked of datasketch at run time: importing it
    imports scipy, half a CPU-second in every run."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)  # odd: a bijection
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser, as datasketch applies it to every input hash (affine32)."""
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def shingle_hashes(token_lists: Sequence[list[bytes]], size: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """The 32-bit hashes of every shingle of every token list, and where each list's start.

    Returns (hashes, starts): list i owns hashes[starts[i]:starts[i+1]] (none if empty).
    """
    lengths = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=len(token_lists))
    counts = np.where(lengths >= size, lengths - size + 1, np.minimum(lengths, 1))
    starts = np.zeros(len(token_lists) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    words = _word_hashes(list(chain.from_iterable(token_lists)))
    out = np.empty(int(starts[-1]), dtype=np.uint64)
    if len(words) >= size:
        # polynomial over every window of the concatenation; windows across lists are dropped
        n = len(words) - size + 1
        h = words[:n].copy()
        with np.errstate(over="ignore"):
            for k in range(1, size):
                h *= _P
                h += words[k: k + n]
        word_starts = np.zeros(len(token_lists), dtype=np.int64)
        np.cumsum(lengths[:-1], out=word_starts[1:])
        in_long = np.repeat(lengths >= size, counts)
        dst = np.flatnonzero(in_long)
        out[dst] = h[dst + np.repeat(word_starts - starts[:-1], counts)[in_long]]
    for i in np.flatnonzero((lengths < size) & (lengths > 0)):
        out[starts[i]] = _poly(token_lists[i])
    out ^= out >> np.uint64(32)
    return (out & _M32).astype(np.uint32), starts


def _poly(toks: list[bytes]) -> int:
    h = 0
    for w in _word_hashes(toks).tolist():
        h = (h * int(_P) + w) & 0xFFFFFFFFFFFFFFFF
    return h


def signatures(texts: Sequence[str], num_perm: int = 128, size: int = 5, seed: int = SEED,
               block: int = 4096) -> np.ndarray:
    """MinHash signatures (uint32, one row per text) equal to datasketch's for `shingle_hash`.

    An empty text gets datasketch's empty signature (all 2**32 - 1).
    """
    return signatures_of_tokens([tokens(t) for t in texts], num_perm, size, seed, block)


def signatures_of_tokens(token_lists: Sequence[list[bytes]], num_perm: int = 128, size: int = 5,
                         seed: int = SEED, block: int = 4096) -> np.ndarray:
    hashes, starts = shingle_hashes(token_lists, size)
    return _minhash(_fmix32(hashes), starts, num_perm, seed, block)


def signatures_and_fingerprints(token_lists: Sequence[list[bytes]], num_perm: int = 128, size: int = 5,
                                seed: int = SEED, prefix: int | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
    """Signatures, and each text's set of 12-bit shingle fingerprints (sorted uint16).

    Fingerprint sets give Jaccard almost exactly (a shingle of one text matches a fingerprint
    of the other by chance with probability |set| / 4096), to verify LSH candidates.
    `prefix`: only that many first values of each signature (still those of the `num_perm`
    permutations' scheme): all that banded LSH reads.
    """
    hashes, starts = shingle_hashes(token_lists, size)
    mixed = _fmix32(hashes)
    sigs = _minhash(mixed, starts, num_perm, seed, prefix=prefix)
    fps: list[np.ndarray] = []
    for first in range(0, len(token_lists), 1 << 19):  # text number and fingerprint share a uint32
        last = min(first + (1 << 19), len(token_lists))
        lo, hi = int(starts[first]), int(starts[last])
        owner = np.repeat(np.arange(last - first, dtype=np.uint32), np.diff(starts[first: last + 1]))
        keys = owner << np.uint32(12) | mixed[lo:hi] >> np.uint32(20)
        keys.sort()  # np.unique is an order of magnitude slower here
        fresh = np.ones(len(keys), bool)
        np.not_equal(keys[1:], keys[:-1], out=fresh[1:])
        keys = keys[fresh]
        bounds = np.searchsorted(keys >> np.uint32(12), np.arange(last - first + 1, dtype=np.uint32))
        values = (keys & np.uint32(0xFFF)).astype(np.uint16)
        fps.extend(values[bounds[i]: bounds[i + 1]] for i in range(last - first))
    return sigs, fps


def _minhash(mixed: np.ndarray, starts: np.ndarray, num_perm: int, seed: int, block: int = 4096,
             prefix: int | None = None) -> np.ndarray:
    a, b = permutations(num_perm, seed)
    a, b = a[:prefix, None], b[:prefix, None]
    n = len(starts) - 1
    out = np.full((len(a), n), 0xFFFFFFFF, dtype=np.uint32)
    first = 0
    while first < n:
        # texts whose shingles fill about one cache-sized block (at least one text, however long);
        # permutation-major so that the min over a text's shingles runs along contiguous memory
        last = max(int(np.searchsorted(starts, starts[first] + block, side="right")) - 1, first + 1)
        lo, hi = int(starts[first]), int(starts[last])
        if hi - lo > block:  # one long text: a running minimum over blocks of its shingles, not one huge array
            for start in range(lo, hi, block):
                m = np.multiply(a, mixed[None, start:min(start + block, hi)])
                m += b
                np.minimum(out[:, first], m.min(axis=1), out=out[:, first])
            first = last
            continue
        m = np.multiply(a, mixed[None, lo:hi])
        m += b
        seg = starts[first:last] - lo
        nonempty = np.flatnonzero(seg < starts[first + 1: last + 1] - lo)
        if len(nonempty):
            out[:, first + nonempty] = np.minimum.reduceat(m, seg[nonempty], axis=1)
        first = last
    return np.ascontiguousarray(out.T)


def minhash(signature: np.ndarray, seed: int = SEED):
    """A datasketch LeanMinHash holding one of our signatures."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=signature, scheme=SCHEME)


def signature(grams: set[bytes], num_perm: int = 128):
    """The datasketch way, one shingle at a time (slow; kept as the reference)."""
    from datasketch import MinHash

    m = MinHash(num_perm=num_perm, seed=SEED, hashfunc=shingle_hash)
    m.update_batch(sorted(grams))
    return m
