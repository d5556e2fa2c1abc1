"""Shared helpers: small corpora written inline, the CLI as a user calls it, readers of a run's JSON lines."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cleaner.cli import app
from cleaner.options import Options

PROSE = ("The council of Harbour Town voted on Tuesday evening to fund a movable flood barrier at the mouth "
         "of the old harbour, ending a debate that had divided residents for two winters. ")
# a small, fast chain: the format tests are about reading and writing, not about boilerplate
FAST = Options(content=False, classifier=False, dedup=False, repeated_lines=False)


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def corpus(tmp_path: Path) -> Callable[..., Path]:
    """`corpus({"a.txt": "...", "sub/b.html": b"..."})` writes the files under tmp_path/in."""

    def write(files: dict[str, str | bytes], folder: str = "in") -> Path:
        return write_files(tmp_path / folder, files)

    return write


@pytest.fixture
def cli() -> Callable[..., Result]:
    """`cli("clean", src, out, "--lang", "es")`: the typer app as a user calls it."""

    def invoke(*args: object, **kwargs) -> Result:
        return CliRunner().invoke(app, [str(a) for a in args], **kwargs)

    return invoke


@pytest.fixture
def clean_run(cli, tmp_path: Path) -> Callable[..., tuple[Path, Result]]:
    """Clean a folder into tmp_path/out with one worker and no progress output."""

    def run(src: Path, *args: object, out: Path | None = None) -> tuple[Path, Result]:
        out = out or tmp_path / "out"
        result = cli("clean", src, out, "--workers", "1", "--quiet", *args)
        return out, result

    return run


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path: what two runs are compared on."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def jsonl() -> Callable[[Path], list[dict]]:
    return read_jsonl


def story(n: int) -> str:
    """A paragraph of its own for document n (the prose's words in an order of its own), so that
    near-duplicate removal and the classifier leave every document something to keep."""
    words = PROSE.split()
    random.Random(n).shuffle(words)
    return " ".join(words).capitalize() + f" It happened on day {n} of the year, residents said."


def article(n: int) -> str:
    return (f"Story number {n}\n\n{PROSE * 2}\n\n{story(n)}\n\n"
            f"It was item {n} of the evening, and residents stayed late to hear it.")


def manifest(path: Path) -> list[dict]:
    return read_jsonl(Path(path))


def accounted(summary, manifest_path: Path) -> list[dict]:
    """The manifest's document entries, after checking that they, its lines for input files that
    held no document, and the summary add up."""
    entries = manifest(manifest_path)
    documents = [e for e in entries if e["status"] != "empty"]
    assert summary.documents_in == summary.written + summary.removed + summary.failed == len(documents)
    assert [(e["input"], e["reason"]) for e in entries if e["status"] == "empty"] == summary.empty_inputs
    return documents


def write_jsonl(path: Path, records: list) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


@pytest.fixture
def fast() -> Options:
    return FAST
