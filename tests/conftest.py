"""Shared helpers: small corpora written inline, and readers of a run's manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner.options import Options

PROSE = ("The council of Harbour Town voted on Tuesday evening to fund a movable flood barrier at the mouth "
         "of the old harbour, ending a debate that had divided residents for two winters. ")
# a small, fast chain: the format tests are about reading and writing, not about boilerplate
FAST = Options(content=False, dedup=False, repeated_lines=False)


def article(n: int) -> str:
    return f"Story number {n}\n\n{PROSE * 2}\n\nIt was item {n} of the evening, and residents stayed late to hear it."


def manifest(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines()]


def jsonl(path: Path, records: list) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


@pytest.fixture
def fast() -> Options:
    return FAST
