"""Shared helpers: write a small corpus into tmp_path, run the CLI on it, read its JSON lines."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cleaner.cli import app


def _write(root: Path, files: dict[str, str | bytes]) -> Path:
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
        return _write(tmp_path / folder, files)

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


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def jsonl() -> Callable[[Path], list[dict]]:
    return read_jsonl
