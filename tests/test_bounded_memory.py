"""Memory per document: a long paragraph must not cost a hundred times its size."""

from __future__ import annotations

import tracemalloc

from cleaner.shingles import signatures_and_fingerprints


def test_the_minhash_of_one_long_paragraph_takes_memory_proportional_to_its_length_not_to_num_perm_times_that():
    words = [f"w{i % 5003}".encode() for i in range(200_000)]  # ~1.2 MB of text
    tracemalloc.start()
    try:
        signatures_and_fingerprints([words], num_perm=128, size=5)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * len(words) * 4  # 32 MB: 40 uint32 per word; today 128 uint32 per word and more



def test_a_long_paragraph_gets_the_same_signature_block_by_block():
    from cleaner.shingles import _fmix32, _minhash, shingle_hashes

    words = [f"w{i % 977}".encode() for i in range(30_000)]
    hashes, starts = shingle_hashes([words[:50], words, words[:9000]], 5)
    mixed = _fmix32(hashes)
    whole = _minhash(mixed, starts, 128, 1, block=10**9)
    assert (_minhash(mixed, starts, 128, 1) == whole).all()
    assert (_minhash(mixed, starts, 128, 1, block=1000) == whole).all()
