"""Near-duplicate paragraphs: within a document, across the corpus, and across runs."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import tree, write_files
from datasketch import LeanMinHash, MinHash
from typer.testing import CliRunner

from cleaner import Cleaner, Options
from cleaner.cli import app
from cleaner.reading import from_text
from cleaner.runner import clean_corpus
from cleaner.shingles import SCHEME, SEED, permutations, shingle_hash, shingles, signatures
from cleaner.steps.dedup import INDEX_NAME, NearDuplicateParagraphs

ONLY_DEDUP = Options(rules=False, context=False, content=False, classifier=False, repeated_lines=False)
FLAGS = ["--no-rules", "--no-context", "--no-content", "--no-classifier", "--no-repeated", "-q"]

BUDGET = ("The city council approved the new budget on Tuesday evening after a long debate about funding "
          "for public transport, road repairs and the renovation of the central library, which has been "
          "closed for almost two years because of water damage in the basement.")
BUDGET_EDITED = ("the city council approved the new budget on Tuesday evening after a long debate about funding "
                 "for public transport road repairs and the renovation of the central library which has been "
                 "closed for almost two years because of water damage in the basement")
BUDGET_BYLINE = BUDGET + " Reported by Maria Lopez for the Evening Courier."
HARBOUR = ("Fishermen in the northern harbour say the catch this spring was the smallest in a decade, and "
           "several families are now considering selling their boats and looking for work in the new "
           "factories that opened along the coast road last autumn.")
GARDEN = ("The community garden behind the old school now has more than forty plots, and volunteers meet "
          "every Saturday morning to share seeds, repair the fences and teach children how to grow beans, "
          "tomatoes and sunflowers in the small raised beds.")
COOKIE = ("We use cookies to improve your experience on our website and to show you relevant advertising; "
          "by continuing to browse the site you agree to our use of cookies as described in our policy.")
FILLER = [
    "A quiet street of small shops sells bread, newspapers and fresh flowers to the people who live nearby.",
    "Engineers tested the new bridge with heavy trucks for three days before it was opened to the public.",
    "The museum will show paintings by local artists from the nineteenth century until the end of June.",
    "Several schools in the valley reported that more pupils than ever chose to study music this year.",
]


def clean_texts(texts: list[str], **options) -> list[list[str]]:
    """Each text's kept paragraphs, cleaned one after another as a stream."""
    cleaner = Cleaner(ONLY_DEDUP.with_(**options))
    return [r.text.split("\n\n") if r.text else [] for r in cleaner.stream(texts)]




def test_near_duplicate_in_the_same_document_is_removed():
    [kept] = clean_texts([f"{BUDGET}\n\n{HARBOUR}\n\n{BUDGET_EDITED}"])
    assert kept == [BUDGET, HARBOUR]


def test_near_duplicate_in_another_document_is_removed_and_the_first_in_input_order_kept():
    first, second = clean_texts([f"{BUDGET}\n\n{HARBOUR}", f"{GARDEN}\n\n{BUDGET_EDITED}"])
    assert first == [BUDGET, HARBOUR]
    assert second == [GARDEN]


def test_removal_names_the_kept_copy_and_the_similarity():
    cleaner = Cleaner(ONLY_DEDUP)
    _, result = cleaner.stream([{"id": "a", "text": BUDGET}, {"id": "b", "text": f"{GARDEN}\n\n{BUDGET_EDITED}"}])
    [removal] = result.removals
    assert removal["rule"] == "dedup-corpus"
    assert removal["evidence"]["duplicate_of"] == "a ¶0"
    assert removal["evidence"]["similarity"] >= 0.8


def test_keep_longest_keeps_the_longer_copy_even_when_it_comes_later(tmp_path):
    write_files(tmp_path / "in", {"a.txt": f"{BUDGET}\n\n{HARBOUR}\n", "b.txt": f"{GARDEN}\n\n{BUDGET_BYLINE}\n"})
    clean_corpus(tmp_path / "in", tmp_path / "out", ONLY_DEDUP.with_(dedup_keep="longest"), workers=1)
    assert (tmp_path / "out/a.txt").read_text() == f"{HARBOUR}\n"
    assert (tmp_path / "out/b.txt").read_text() == f"{GARDEN}\n\n{BUDGET_BYLINE}\n"


def test_keep_first_is_the_default_in_a_corpus_run(tmp_path):
    write_files(tmp_path / "in", {"a.txt": f"{BUDGET}\n\n{HARBOUR}\n", "b.txt": f"{GARDEN}\n\n{BUDGET_BYLINE}\n"})
    clean_corpus(tmp_path / "in", tmp_path / "out", ONLY_DEDUP, workers=1)
    assert (tmp_path / "out/a.txt").read_text() == f"{BUDGET}\n\n{HARBOUR}\n"
    assert (tmp_path / "out/b.txt").read_text() == f"{GARDEN}\n"


def test_signatures_are_datasketch_minhashes():
    ours = signatures([BUDGET, BUDGET_BYLINE, "three short words"])
    for text, values in zip([BUDGET, BUDGET_BYLINE, "three short words"], ours, strict=True):
        theirs = MinHash(num_perm=128, seed=SEED, hashfunc=shingle_hash)
        theirs.update_batch(shingles(text))
        assert np.array_equal(theirs.hashvalues, values)
    a = LeanMinHash(seed=SEED, hashvalues=ours[0], scheme=SCHEME)
    b = MinHash(num_perm=128, seed=SEED, hashvalues=ours[1], scheme=SCHEME)
    assert a.jaccard(b) == pytest.approx(np.mean(ours[0] == ours[1]))


@pytest.mark.parametrize(("num_perm", "seed"), [(128, SEED), (64, 7), (256, 12345)])
def test_permutations_are_datasketchs(num_perm, seed):
    a, b = permutations(num_perm, seed)
    theirs = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    assert a.dtype == b.dtype == np.uint32
    assert np.array_equal(a, theirs[0]) and np.array_equal(b, theirs[1])


def test_running_the_chain_does_not_import_datasketch():
    """It imports scipy: half a CPU-second in every run and every worker."""
    import os
    import subprocess
    import sys

    import cleaner

    code = ("import sys; from cleaner import clean_text; clean_text('Some words here and more words there, "
            "enough of them to be signed by MinHash.'); print('datasketch' in sys.modules)")
    here = str(Path(cleaner.__file__).resolve().parent.parent)  # the cleaner these tests import
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (here, os.environ.get("PYTHONPATH"))))}
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert ran.stdout.strip() == "False"


def test_a_second_cli_run_removes_duplicates_of_what_the_first_wrote(tmp_path):
    write_files(tmp_path / "old", {"a.txt": f"{BUDGET}\n\n{HARBOUR}\n"})
    write_files(tmp_path / "new", {"b.txt": f"{GARDEN}\n\n{BUDGET_EDITED}\n"})
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["clean", str(tmp_path / "old"), str(out), *FLAGS]).exit_code == 0
    assert (out / INDEX_NAME).exists()
    assert CliRunner().invoke(app, ["clean", str(tmp_path / "new"), str(out), *FLAGS]).exit_code == 0
    assert (out / "b.txt").read_text() == f"{GARDEN}\n"
    assert (out / "a.txt").read_text() == f"{BUDGET}\n\n{HARBOUR}\n"


def test_cleaning_the_same_input_again_into_the_same_output_changes_nothing(tmp_path):
    write_files(tmp_path / "in", {"a.txt": f"{BUDGET}\n\n{HARBOUR}\n", "b.txt": f"{GARDEN}\n\n{BUDGET_EDITED}\n"})
    for keep in ("first", "longest", "first"):
        clean_corpus(tmp_path / "in", tmp_path / "out", ONLY_DEDUP.with_(dedup_keep=keep), workers=1)
        assert (tmp_path / "out/a.txt").read_text() == f"{BUDGET}\n\n{HARBOUR}\n"
        assert (tmp_path / "out/b.txt").read_text() == f"{GARDEN}\n"


def test_a_json_lines_output_keeps_its_index_beside_it(tmp_path):
    write_files(tmp_path / "old", {"a.txt": f"{BUDGET}\n"})
    write_files(tmp_path / "new", {"b.txt": f"{GARDEN}\n\n{BUDGET_EDITED}\n"})
    clean_corpus(tmp_path / "old", tmp_path / "one.jsonl", ONLY_DEDUP, workers=1)
    assert (tmp_path / "one.jsonl.dedup-index.npz").exists()
    clean_corpus(tmp_path / "new", tmp_path / "one.jsonl", ONLY_DEDUP, workers=1)
    [record] = [json.loads(line) for line in (tmp_path / "one.jsonl").read_text().splitlines()]
    assert record["text"] == GARDEN


def test_a_run_killed_after_saving_its_index_resumes_from_the_index_it_started_with(tmp_path, monkeypatch):
    write_files(tmp_path / "old", {"a.txt": f"{BUDGET}\n"})
    write_files(tmp_path / "new", {"b.txt": f"{GARDEN}\n\n{BUDGET_EDITED}\n"})
    clean_corpus(tmp_path / "old", tmp_path / "out", ONLY_DEDUP, workers=1)
    clean_corpus(tmp_path / "new", tmp_path / "out", ONLY_DEDUP, workers=1)
    expected = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    clean_corpus(tmp_path / "old", tmp_path / "again", ONLY_DEDUP, workers=1)

    def killed(self):  # the index is saved, then the run dies before removing its state
        raise KeyboardInterrupt

    monkeypatch.setattr("cleaner.resume.RunState.remove", killed)
    with pytest.raises(KeyboardInterrupt):
        clean_corpus(tmp_path / "new", tmp_path / "again", ONLY_DEDUP, workers=1)
    monkeypatch.undo()
    clean_corpus(tmp_path / "new", tmp_path / "again", ONLY_DEDUP, workers=1, resume=True)
    assert {p.name: p.read_bytes() for p in (tmp_path / "again").iterdir()} == expected


def test_index_path_can_be_chosen(tmp_path):
    write_files(tmp_path / "old", {"a.txt": f"{BUDGET}\n"})
    write_files(tmp_path / "new", {"b.txt": f"{GARDEN}\n\n{BUDGET}\n"})
    index = tmp_path / "state" / "kept.npz"
    for source, out in (("old", "out1"), ("new", "out2")):
        args = ["clean", str(tmp_path / source), str(tmp_path / out), "--index", str(index), *FLAGS]
        assert CliRunner().invoke(app, args).exit_code == 0
    assert index.exists() and not (tmp_path / "out1" / INDEX_NAME).exists()
    assert (tmp_path / "out2/b.txt").read_text() == f"{GARDEN}\n"


def test_saved_index_survives_a_crash_of_the_later_run(tmp_path, monkeypatch):
    write_files(tmp_path / "old", {"a.txt": f"{BUDGET}\n"})
    write_files(tmp_path / "new", {"b.txt": f"{HARBOUR}\n"})
    clean_corpus(tmp_path / "old", tmp_path / "out", ONLY_DEDUP, workers=1)
    before = (tmp_path / "out" / INDEX_NAME).read_bytes()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("cleaner.runner._pass_two", crash)
    with pytest.raises(KeyboardInterrupt):
        clean_corpus(tmp_path / "new", tmp_path / "out", ONLY_DEDUP, workers=1)
    assert (tmp_path / "out" / INDEX_NAME).read_bytes() == before
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")]


def test_stream_loads_and_extends_a_saved_index(tmp_path):
    index = tmp_path / "kept.npz"
    list(Cleaner(ONLY_DEDUP.with_(dedup_index=index)).stream([BUDGET]))
    [removed, kept] = Cleaner(ONLY_DEDUP.with_(dedup_index=index)).stream([BUDGET_EDITED, HARBOUR])
    assert removed.removed and kept.text == HARBOUR
    [again] = Cleaner(ONLY_DEDUP.with_(dedup_index=index)).stream([HARBOUR])
    assert again.removed


def test_outputs_do_not_depend_on_the_number_of_workers(tmp_path):
    files = {f"site{i % 3}/doc{i:02d}.txt": "\n\n".join([FILLER[i % 4], [BUDGET, BUDGET_EDITED, BUDGET_BYLINE][i % 3],
                                                            [HARBOUR, GARDEN][i % 2], f"Page {i} of the archive."]) + "\n"
             for i in range(12)}
    write_files(tmp_path / "in", files)
    clean_corpus(tmp_path / "in", tmp_path / "one", ONLY_DEDUP.with_(dedup_keep="longest"), workers=1)
    clean_corpus(tmp_path / "in", tmp_path / "two", ONLY_DEDUP.with_(dedup_keep="longest"), workers=2)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def _corpus(folder: Path) -> Path:
    return write_files(folder, {f"site{i % 3}/doc{i:02d}.txt": "\n\n".join([
        FILLER[i % 4], [BUDGET, BUDGET_EDITED, BUDGET_BYLINE][i % 3], [HARBOUR, GARDEN][i % 2],
        f"Tickets for show number {i % 2} cost ten euros.", f"Page {i} of the archive."]) + "\n" for i in range(12)})


def _an_hour_later(monkeypatch) -> None:
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3600)


@pytest.mark.parametrize("keep", ["first", "longest"])
def test_cleaning_the_same_input_again_saves_a_byte_identical_index(tmp_path, monkeypatch, keep):
    options = ONLY_DEDUP.with_(dedup_keep=keep)
    clean_corpus(_corpus(tmp_path / "in"), tmp_path / "out", options, workers=1)
    first = tree(tmp_path / "out")
    _an_hour_later(monkeypatch)
    clean_corpus(tmp_path / "in", tmp_path / "out", options, workers=1)
    assert tree(tmp_path / "out") == first


def test_the_saved_index_depends_only_on_the_inputs_not_on_workers_or_the_clock(tmp_path, monkeypatch):
    clean_corpus(_corpus(tmp_path / "in"), tmp_path / "one", ONLY_DEDUP, workers=1)
    _an_hour_later(monkeypatch)
    clean_corpus(tmp_path / "in", tmp_path / "two", ONLY_DEDUP, workers=2)
    assert (tmp_path / "one" / INDEX_NAME).read_bytes() == (tmp_path / "two" / INDEX_NAME).read_bytes()


def test_short_paragraph_is_removed_only_as_an_exact_repeat_on_the_same_site(tmp_path):
    short = "Tickets cost ten euros at the door."
    write_files(tmp_path / "in", {"news/a.txt": f"{short}\n\n{BUDGET}\n", "news/b.txt": f"{short.upper()}\n\n{HARBOUR}\n",
                            "news/c.txt": f"Tickets cost twelve euros at the door.\n\n{GARDEN}\n",
                            "blog/d.txt": f"{short}\n\n{FILLER[0]}\n"})
    clean_corpus(tmp_path / "in", tmp_path / "out", ONLY_DEDUP, workers=1)
    assert (tmp_path / "out/news/b.txt").read_text() == f"{HARBOUR}\n"
    assert (tmp_path / "out/news/c.txt").read_text().startswith("Tickets cost twelve")
    assert (tmp_path / "out/blog/d.txt").read_text().startswith(short)
    assert '"rule": "dedup-short"' in (tmp_path / "out/cleaner-audit.jsonl").read_text()


def test_a_repeated_heading_is_never_removed_as_a_duplicate(tmp_path):
    write_files(tmp_path / "in", {"a.txt": f"Introduction\n\n{BUDGET}\n", "b.txt": f"Introduction\n\n{HARBOUR}\n"})
    clean_corpus(tmp_path / "in", tmp_path / "out", ONLY_DEDUP, workers=1)
    assert (tmp_path / "out/b.txt").read_text() == f"Introduction\n\n{HARBOUR}\n"


def test_paragraph_in_many_documents_is_boilerplate_removed_from_every_copy(tmp_path):
    write_files(tmp_path / "in", {f"doc{i}.txt": f"{FILLER[i]}\n\n{COOKIE}\n" for i in range(4)})
    clean_corpus(tmp_path / "in", tmp_path / "out", ONLY_DEDUP.with_(dedup_boilerplate_docs=4), workers=1)
    for i in range(4):
        assert (tmp_path / f"out/doc{i}.txt").read_text() == f"{FILLER[i]}\n"


def test_boilerplate_removal_can_be_switched_off(tmp_path):
    write_files(tmp_path / "in", {f"doc{i:02d}.txt": f"{FILLER[i % 4]} ({i})\n\n{COOKIE}\n" for i in range(20)})
    for out, extra in (("on", []), ("off", ["--no-dedup-boilerplate"])):
        assert CliRunner().invoke(app, ["clean", str(tmp_path / "in"), str(tmp_path / out), *extra, *FLAGS]).exit_code == 0
    assert COOKIE not in (tmp_path / "on/doc00.txt").read_text()
    assert (tmp_path / "off/doc00.txt").read_text() == f"{FILLER[0]} (0)\n\n{COOKIE}\n"
    assert COOKIE not in (tmp_path / "off/doc01.txt").read_text()


def test_a_paragraph_twice_in_one_document_counts_that_document_once():
    step = NearDuplicateParagraphs(boilerplate_docs=3)
    docs = [from_text(f"{FILLER[0]}\n\n{COOKIE}", "a"), from_text(f"{COOKIE}\n\n{FILLER[1]}\n\n{COOKIE}", "b")]
    for doc in docs:
        step.observe(doc)
    for doc in docs:
        step.apply(doc)
    assert step.index.docs[docs[0].paragraphs[1].features["dedup"][0]] == 2
    assert [p.removed.rule if p.removed else None for p in docs[1].paragraphs] == ["dedup-corpus", None, "dedup-corpus"]


def test_fewer_documents_than_the_boilerplate_threshold_keep_one_copy(tmp_path):
    write_files(tmp_path / "in", {f"doc{i}.txt": f"{FILLER[i]}\n\n{COOKIE}\n" for i in range(3)})
    clean_corpus(tmp_path / "in", tmp_path / "out", ONLY_DEDUP.with_(dedup_boilerplate_docs=4), workers=1)
    assert (tmp_path / "out/doc0.txt").read_text() == f"{FILLER[0]}\n\n{COOKIE}\n"


def test_the_signatures_the_chain_keeps_are_the_values_banded_lsh_reads_of_the_full_ones():
    from cleaner.shingles import signatures_and_fingerprints, tokens
    from cleaner.steps.dedup import MinHashSignatures

    doc = from_text(f"{BUDGET}\n\n{GARDEN}\n", "a")
    MinHashSignatures(num_perm=128, bands=8, rows=4).apply(doc)
    full, fps = signatures_and_fingerprints([tokens(p.text) for p in doc.paragraphs], num_perm=128)
    assert len(doc.paragraphs) == 2
    for p, sig, fp in zip(doc.paragraphs, full, fps, strict=True):
        kept, kept_fp = p.features["minhash"]
        assert np.frombuffer(kept, np.uint32).tolist() == sig[:32].tolist()
        assert kept_fp == fp.tobytes()


def test_an_index_of_more_bands_than_the_signatures_were_made_for_makes_its_own():
    from cleaner.steps.dedup import MinHashSignatures

    wide = NearDuplicateParagraphs(bands=16, rows=4)
    docs = [from_text(f"{BUDGET}\n\n{GARDEN}\n", "a"), from_text(f"{BUDGET_EDITED}\n", "b")]
    for doc in docs:
        MinHashSignatures().apply(doc)  # 8 x 4 values, not the 16 x 4 this index bands
        wide.observe(doc)
        wide.apply(doc)
    assert docs[1].paragraphs[0].removed is not None  # the edited budget is a near-duplicate


def test_a_saved_index_banded_otherwise_is_refused_by_name(tmp_path):
    wide = NearDuplicateParagraphs(bands=16, rows=4)
    doc = from_text(f"{BUDGET}\n", "a")
    wide.observe(doc)
    wide.index.save(tmp_path / "index.npz")
    with pytest.raises(ValueError, match="16 bands x 4 rows"):
        NearDuplicateParagraphs().load(tmp_path / "index.npz")
