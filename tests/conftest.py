"""Shared helpers: small corpora written inline, the CLI as a user calls it, readers of a run's JSON lines."""

from __future__ import annotations

import atexit
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cleaner.cli import app
from cleaner.options import Options

ROOT = Path(__file__).resolve().parent.parent
# the language tables the runs cache (cleaner.language.cache_file) go to a folder of the tests' own,
# not to the user's cache, and leave with it; set before ENV, so child processes use it too
if "CLEANER_CACHE_DIR" not in os.environ:
    os.environ["CLEANER_CACHE_DIR"] = tempfile.mkdtemp(prefix="cleaner-tests-cache-")
    atexit.register(shutil.rmtree, os.environ["CLEANER_CACHE_DIR"], True)
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # a child process imports this tree's cleaner
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
    documents = [e for e in entries if e["status"] not in ("empty", "skipped")]
    assert summary.documents_in == summary.written + summary.removed + summary.failed == len(documents)
    assert [(e["input"], e["reason"]) for e in entries if e["status"] == "empty"] == summary.empty_inputs
    assert [(e["input"], e["reason"]) for e in entries if e["status"] == "skipped"] == summary.skipped_inputs
    return documents


def write_jsonl(path: Path, records: list) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


@pytest.fixture
def fast() -> Options:
    return FAST


@pytest.fixture
def without_zstandard(monkeypatch) -> None:
    """As if the zstd extra were not installed: importing zstandard fails."""
    real = __import__

    def no_zstd(name, *args, **kwargs):
        if name == "zstandard":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr("builtins.__import__", no_zstd)


# The kill is patched into this process; workers see the patch only when forked (under forkserver, the
# default from Python 3.14, or spawn they import cleaner afresh): what is tested here is resuming,
# tests/test_start_methods.py tests the start methods.
KILL_AT = """
import multiprocessing, os, signal, sys
if "fork" in multiprocessing.get_all_start_methods():
    multiprocessing.set_start_method("fork", force=True)
import cleaner.{module} as m
from cleaner.options import Options
from cleaner.runner import clean_corpus
calls = [0]
real = m.{cls}.{method}
def dying(self, *a, **k):
    calls[0] += 1
    if calls[0] == {at}:
        os.killpg(0, signal.SIGKILL)  # the run and every process it started
    return real(self, *a, **k)
m.{cls}.{method} = dying
clean_corpus(sys.argv[1], sys.argv[2], Options(**{options}), workers=2, engine="{engine}")
"""


def killed_run(src: Path | str, out: Path, module: str, cls: str, method: str, at: int, engine: str = "local",
               options: str = "", stdin: Path | None = None) -> None:
    """`clean_corpus(src, out)` in a session of its own, killed with SIGKILL, workers and all (as the OOM
    killer or a reboot would), at the `at`-th call of cleaner.MODULE.CLS.METHOD; `options`: Options'
    keyword arguments as Python source; `stdin`: what src "-" reads."""
    script = textwrap.dedent(KILL_AT.format(module=module, cls=cls, method=method, at=at, engine=engine,
                                            options="{" + options + "}"))
    with open(stdin or os.devnull, "rb") as given:
        run = subprocess.run([sys.executable, "-c", script, str(src), str(out)], stdin=given, env=ENV,
                             capture_output=True, timeout=300, start_new_session=True)
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()[-3000:]
