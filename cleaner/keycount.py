"""An exact counter of 64-bit keys in two numpy arrays: 12 bytes a slot, ~27 a key.

RepeatedLines counts every distinct line of the corpus. In a `collections.Counter` of 8-byte
digests that is 85-93 bytes a line, more than twice the size of the text itself (devset: 530 k
lines, 22 MB), so the counter alone would fill a 24 GB machine at ~10 GB of input. Here the keys
live in an open-addressing table (double hashing, at most 3/4 full, a count of 0 marks a free
slot): 16-32 bytes a key as the table fills, up to ~60 at the moment it doubles (measured: 27
held, 59 at the peak, for 3.8 M keys). Counts are uint32: a key in over 4 billion documents
would wrap.

The keys are digests, uniformly spread, so a key's own bits give its home slot and its probe
step. Keys wait in a batch until one is asked for (or the batch is large): a probe is a numpy
loop that runs as long as the longest probe of the batch, which a large batch shares out.
"""

from __future__ import annotations

import numpy as np

_MIN_SLOTS = 1 << 10
_BATCH = 1 << 16


class KeyCounter:
    def __init__(self, slots: int = _MIN_SLOTS):
        if slots & (slots - 1) or slots < 2:
            raise ValueError("slots must be a power of two")
        self._keys = np.zeros(slots, dtype=np.uint64)
        self._counts = np.zeros(slots, dtype=np.uint32)
        self._size = 0
        self._waiting: list[np.ndarray] = []
        self._waiting_keys = 0

    def __len__(self) -> int:
        self._flush()
        return self._size

    @property
    def nbytes(self) -> int:
        return self._keys.nbytes + self._counts.nbytes

    def add(self, keys: np.ndarray) -> None:
        """Count each of `keys` (uint64) once more; a key given twice counts once."""
        keys = np.unique(np.asarray(keys, dtype=np.uint64))
        self._waiting.append(keys)
        self._waiting_keys += len(keys)
        if self._waiting_keys >= _BATCH:
            self._flush()

    def get(self, keys: np.ndarray) -> np.ndarray:
        """The count of each of `keys` (0 for a key never added)."""
        self._flush()
        keys = np.asarray(keys, dtype=np.uint64)
        slots, found = self._find(keys)
        return np.where(found, self._counts[slots], 0).astype(np.uint32)

    def _flush(self) -> None:
        if not self._waiting:
            return
        keys, counts = np.unique(np.concatenate(self._waiting), return_counts=True)
        self._waiting, self._waiting_keys = [], 0
        slots, found = self._find(keys)
        self._counts[slots[found]] += counts[found].astype(np.uint32)
        new = ~found
        if (self._size + int(new.sum())) * 4 > len(self._keys) * 3:
            self._grow(self._size + int(new.sum()))
        self._place(keys[new], counts[new].astype(np.uint32))

    def _probe(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(home slot, step) of each key: the step is odd, so a probe visits every slot."""
        mask = np.uint64(len(self._keys) - 1)
        return (keys & mask).astype(np.int64), (((keys >> np.uint64(32)) & mask) | np.uint64(1)).astype(np.int64)

    def _find(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(slot, found): the slot holding each key, where there is one."""
        mask = len(self._keys) - 1
        slots, steps = self._probe(keys)
        found = np.zeros(len(keys), dtype=bool)
        todo = np.arange(len(keys))
        while todo.size:
            at = slots[todo]
            free = self._counts[at] == 0
            match = ~free & (self._keys[at] == keys[todo])
            found[todo[match]] = True
            todo = todo[~free & ~match]  # an occupied slot holding another key: probe on
            slots[todo] = (slots[todo] + steps[todo]) & mask
        return slots, found

    def _place(self, keys: np.ndarray, counts: np.ndarray) -> None:
        """Put keys that are not in the table yet (each once), with their counts."""
        mask = len(self._keys) - 1
        slots, steps = self._probe(keys)
        placed = np.zeros(len(keys), dtype=bool)
        todo = np.arange(len(keys))
        while todo.size:
            claim = todo[self._counts[slots[todo]] == 0]
            # of several new keys heading for one free slot, the first takes it, the others probe on
            _, first = np.unique(slots[claim], return_index=True)
            taken = claim[first]
            self._keys[slots[taken]] = keys[taken]
            self._counts[slots[taken]] = counts[taken]
            self._size += len(taken)
            placed[taken] = True
            todo = todo[~placed[todo]]  # every one left now faces an occupied slot
            slots[todo] = (slots[todo] + steps[todo]) & mask

    def _grow(self, needed: int) -> None:
        slots = len(self._keys)
        while needed * 4 > slots * 3:
            slots *= 2
        used = self._counts != 0
        keys, counts = self._keys[used], self._counts[used]
        del used
        self._keys = self._counts = None  # freed before the new table is made
        self._keys = np.zeros(slots, dtype=np.uint64)
        self._counts = np.zeros(slots, dtype=np.uint32)
        self._size = 0
        for start in range(0, len(keys), _BATCH * 16):  # a probe's arrays take ~30 bytes a key: a slice at a time
            self._place(keys[start:start + _BATCH * 16], counts[start:start + _BATCH * 16])
