"""The Dask engine gives the local engine's output: the shuffle on band keys replays the index."""

from __future__ import annotations

import random
import sys

import pytest
from conftest import tree, write_files

from cleaner import Options
from cleaner.band_shuffle import ShuffledCandidates, entries, verify
from cleaner.chain import build_steps, run_steps, split
from cleaner.reading import from_text
from cleaner.runner import clean_corpus
from cleaner.steps.dedup import NearDuplicateParagraphs

ONLY_DEDUP = Options(rules=False, context=False, content=False, repeated_lines=False, classifier=False)
WORDS = ("river harbour council budget garden library school bridge museum market winter summer bread "
         "boats fishermen volunteers children paintings engineers trucks valley music pupils shops street "
         "evening morning debate funding repairs water basement coast road factories spring seeds fences").split()


def sentence(rng: random.Random, n: int = 120) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def edited(text: str, edits: dict[int, str]) -> str:
    words = text.split()
    for position, word in edits.items():
        words[position] = word
    return " ".join(words)


def corpus(seed: int = 7, docs: int = 60) -> dict[str, str]:
    """Pages with planted near-duplicates: edited copies (J about 0.9), a footer on every page
    (boilerplate), copies inside one page, and paragraphs near two earlier clusters at once."""
    rng = random.Random(seed)
    footer = sentence(rng, 20)
    pool: list[str] = []
    pages = {}
    for d in range(docs):
        paragraphs = [sentence(rng) for _ in range(rng.randint(1, 3))]
        if pool and rng.random() < 0.6:
            paragraphs.append(edited(rng.choice(pool), {rng.randrange(100): rng.choice(WORDS) for _ in range(2)}))
        if pool and rng.random() < 0.2:  # far enough from `base` for a cluster of its own; `between` is near both
            base = rng.choice(pool)
            edits = {10 * k + 5: "lighthouse" for k in range(rng.randint(4, 5))}
            paragraphs.append(edited(base, edits))
            paragraphs.append(edited(base, dict(list(edits.items())[:2])))
        if rng.random() < 0.1:
            paragraphs.append(paragraphs[0])
        pool.extend(paragraphs)
        paragraphs.append(footer)
        pages[f"p{d:03d}.txt"] = "\n\n".join(paragraphs) + "\n"
    return pages




def observed(pages: dict[str, str], shuffled: bool, partitions: int = 3, earlier: dict[str, str] | None = None):
    """Every paragraph's cluster after observing the pages, found by the index or by the shuffle."""
    local, tail = split(build_steps(ONLY_DEDUP))
    step = next(s for s in tail if isinstance(s, NearDuplicateParagraphs))
    step.load_state(None)

    def documents(texts: dict[str, str]) -> list:
        return [run_steps(local, from_text(text, name)) for name, text in texts.items()]

    for doc in documents(earlier or {}):
        step.observe(doc)
    docs = documents(pages)
    if shuffled:
        chunks = [docs[i: i + 7] for i in range(0, len(docs), 7)]
        parts = [entries(chunk, step, partitions) for chunk in chunks]
        pairs = sorted(p for n in range(partitions) for p in verify([part[n] for part in parts], step.threshold))
        step.candidates = ShuffledCandidates(pairs, step.index)
    for doc in docs:
        step.observe(doc)
    return [[p.features.get("dedup") for p in doc.paragraphs] for doc in docs]


@pytest.mark.parametrize("partitions", [1, 4])
def test_the_shuffle_finds_the_clusters_the_index_finds(partitions):
    pages = corpus()
    expected = observed(pages, shuffled=False)
    similarities = [c[2] for doc in expected for c in doc if c is not None]
    assert sum(0.8 <= s < 1.0 for s in similarities) > 10  # near, not only exact, copies
    assert observed(pages, shuffled=True, partitions=partitions) == expected


def test_the_shuffle_also_finds_clusters_of_an_earlier_run():
    earlier, pages = corpus(seed=1, docs=15), corpus(seed=2, docs=25)
    assert observed(pages, True, earlier=earlier) == observed(pages, False, earlier=earlier)


def test_a_missing_dask_is_named(tmp_path, monkeypatch):
    from cleaner.formats import MissingExtra

    write_files(tmp_path / "in", corpus(docs=2))
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(MissingExtra, match=r"cleaner\[dask\]"):
        clean_corpus(tmp_path / "in", tmp_path / "out", ONLY_DEDUP, workers=1, engine="dask")


def test_a_scheduler_for_the_local_engine_is_refused_not_ignored(tmp_path):
    write_files(tmp_path / "in", corpus(docs=2))
    with pytest.raises(ValueError, match="scheduler goes with engine='dask'"):
        clean_corpus(tmp_path / "in", tmp_path / "out", ONLY_DEDUP, workers=1, scheduler="tcp://host:8786")
    assert not (tmp_path / "out").exists()


def test_dask_engine_output_is_byte_identical_to_the_local_engine(tmp_path):
    pytest.importorskip("distributed")
    write_files(tmp_path / "old", corpus(seed=3, docs=20))
    write_files(tmp_path / "new", corpus(seed=4, docs=60))
    for engine in ("local", "dask"):
        out = tmp_path / engine
        for folder in ("old", "new"):  # the second run uses the index the first one saved
            # the paragraphs are random words: the classifier would judge them, and the subject here is dedup
            clean_corpus(tmp_path / folder, out, Options(content=False, classifier=False, repeated_lines=False),
                         workers=2, engine=engine)
    local, dask = tree(tmp_path / "local"), tree(tmp_path / "dask")
    assert b"near-duplicate" in local["cleaner-audit.jsonl"] and b"dedup-boilerplate" in local["cleaner-audit.jsonl"]
    assert dask == local
