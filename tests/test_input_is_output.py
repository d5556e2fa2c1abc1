"""An input and an output that overlap: never a silent run of nothing, never originals overwritten."""

from __future__ import annotations

import pytest
from conftest import FAST, article, manifest, write_jsonl

from cleaner.reading import InputError
from cleaner.runner import clean_corpus


def folder(root, n: int = 3):
    root.mkdir(parents=True)
    for i in range(n):
        (root / f"a{i}.txt").write_text(article(i))
    return root


def test_an_input_folder_inside_the_output_folder_is_cleaned(tmp_path):
    src = folder(tmp_path / "corpus" / "raw")
    summary = clean_corpus(src, tmp_path / "corpus", FAST, workers=1)
    assert summary.documents_in == summary.written == 3  # was 0: every input lay under the output and was skipped
    assert sorted(p.name for p in (tmp_path / "corpus").glob("*.txt")) == ["a0.txt", "a1.txt", "a2.txt"]
    again = clean_corpus(src, tmp_path / "corpus", FAST, workers=1)
    assert again.documents_in == 3


def test_the_input_folder_as_output_folder_is_refused_before_anything_is_written(tmp_path):
    src = folder(tmp_path / "corpus")
    before = {p.name: p.read_bytes() for p in src.iterdir()}
    with pytest.raises(InputError, match="input"):
        clean_corpus(src, src, FAST, workers=1)
    assert {p.name: p.read_bytes() for p in src.iterdir()} == before


@pytest.mark.parametrize("side", ["output", "manifest_path", "audit_path"])
def test_an_input_file_as_an_output_is_refused_before_anything_is_written(tmp_path, side):
    src = write_jsonl(tmp_path / "data.jsonl", [{"id": "a", "text": article(1)}, {"id": "b", "text": ""}])
    before = src.read_bytes()
    paths = {"output": tmp_path / "out.jsonl", side: src}
    with pytest.raises(InputError, match="input"):
        clean_corpus(src, paths.pop("output"), FAST, workers=1, **paths)
    assert src.read_bytes() == before  # record b (removed: empty) would have been lost


def test_an_input_file_inside_the_output_folder_is_cleaned(tmp_path):
    (tmp_path / "data").mkdir()
    src = write_jsonl(tmp_path / "data" / "crawl.jsonl", [{"id": "a", "text": article(1)}])
    summary = clean_corpus(src, tmp_path / "data", FAST, workers=1)
    assert summary.written == 1 and (tmp_path / "data" / "crawl" / "000001.txt").exists()
    assert len(manifest(tmp_path / "data" / "cleaner-manifest.jsonl")) == 1
