"""The compact counter behind RepeatedLines counts exactly what a Counter would."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from cleaner.keycount import KeyCounter


def test_it_counts_as_a_counter_does_through_probing_and_growth():
    rng = np.random.default_rng(7)
    # few distinct keys, and many sharing their low bits: long probes, collisions within a call
    pool = np.concatenate([rng.integers(0, 2**63, 300, dtype=np.uint64), np.arange(50, dtype=np.uint64) << 40])
    counter, expected = KeyCounter(slots=4), Counter()
    for _ in range(400):
        keys = rng.choice(pool, size=int(rng.integers(0, 40)), replace=False)
        counter.add(keys)
        expected.update(keys.tolist())
        probe = rng.choice(pool, size=25)
        assert counter.get(probe).tolist() == [expected[k] for k in probe.tolist()]
    assert len(counter) == len(expected)


def test_a_key_given_twice_in_one_call_counts_once():
    counter = KeyCounter()
    counter.add(np.array([5, 5, 9], dtype=np.uint64))
    assert counter.get(np.array([5, 9, 11], dtype=np.uint64)).tolist() == [1, 1, 0]
    assert len(counter) == 2


def test_keys_at_the_edges_of_the_range_are_keys_like_any_other():
    counter = KeyCounter()
    edges = np.array([0, 1, 2**64 - 1, 2**63], dtype=np.uint64)
    counter.add(edges)
    counter.add(edges[:2])
    assert counter.get(edges).tolist() == [2, 2, 1, 1]


def test_a_million_keys_take_under_32_bytes_each():
    counter = KeyCounter()
    keys = np.random.default_rng(1).integers(0, 2**64 - 1, 1_000_000, dtype=np.uint64)
    for batch in np.array_split(keys, 100):
        counter.add(batch)
    assert len(counter) == 1_000_000
    assert counter.nbytes / len(counter) < 32  # a Counter of 8-byte digests: ~93


def test_the_table_size_must_be_a_power_of_two():
    with pytest.raises(ValueError):
        KeyCounter(slots=1000)


def test_a_key_added_in_several_calls_before_it_is_asked_for_counts_each_call():
    counter, expected = KeyCounter(slots=8), Counter()
    rng = np.random.default_rng(3)
    for _ in range(50):  # adds wait in a batch until the next get(): each key in several of them
        keys = rng.integers(0, 40, 10).astype(np.uint64) << np.uint64(3)  # few keys, one home slot each of 8
        counter.add(keys)
        expected.update(set(keys.tolist()))
    asked = np.arange(0, 48, dtype=np.uint64) << np.uint64(3)
    assert counter.get(asked).tolist() == [expected[k] for k in asked.tolist()]
