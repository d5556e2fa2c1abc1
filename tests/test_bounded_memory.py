"""Memory per document: a long paragraph must not cost a hundred times its size."""

from __future__ import annotations

import tracemalloc

import pytest

from cleaner.shingles import signatures_and_fingerprints


@pytest.mark.xfail(strict=True, reason="cleaner/shingles.py:191-193 (_minhash) multiplies all of a text's shingle "
                   "hashes by the num_perm permutations at once ('at least one text, however long'): a (128, shingles) "
                   "uint32 array, 512 B per word. Measured through the CLI: a 5.4 MB one-paragraph .txt peaks at 740 MB "
                   "(291 MB with --no-dedup); the 64 MB max_document_bytes would need ~6 GB per worker. Fix: take the "
                   "running minimum over blocks of a long text's shingles.")
def test_the_minhash_of_one_long_paragraph_takes_memory_proportional_to_its_length_not_to_num_perm_times_that():
    words = [f"w{i % 5003}".encode() for i in range(200_000)]  # ~1.2 MB of text
    tracemalloc.start()
    try:
        signatures_and_fingerprints([words], num_perm=128, size=5)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * len(words) * 4  # 32 MB: 40 uint32 per word; today 128 uint32 per word and more

