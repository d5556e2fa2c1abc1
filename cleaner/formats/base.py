"""What readers share: the input file (`Source`) and one unread document (`Raw`)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..document import Removal

STDIN = "-"

# longest suffix first: `.jsonl.gz` is JSON lines, `.gz` alone is not an input
KINDS = (
    (".jsonl.gz", "jsonl"), (".jsonl.zst", "jsonl"), (".jsonl", "jsonl"),
    (".warc.gz", "warc"), (".warc", "warc"),
    (".parquet", "parquet"),
    (".html", "html"), (".htm", "html"),
    (".txt", "text"), (".md", "text"),
)


def kind_of(name: str) -> str | None:
    lower = name.lower()
    for suffix, kind in KINDS:
        if lower.endswith(suffix):
            return kind
    return None


@dataclass(frozen=True)
class Source:
    """One input file; `rel` is its path relative to the input root, with '/' separators.

    `Path("-")` is standard input, read as JSON lines.
    """

    path: Path
    rel: str
    skipped: str = ""  # why this file or folder under the input folder is not read (then it is no input)

    @property
    def is_stdin(self) -> bool:
        return str(self.path) == STDIN

    @property
    def kind(self) -> str:
        if self.is_stdin:
            return "jsonl"
        return kind_of(self.path.name) or "text"

    @property
    def stem(self) -> str:
        """`rel` without its format suffix (`a/b.jsonl.gz` -> `a/b`)."""
        lower = self.rel.lower()
        for suffix, _ in KINDS:
            if lower.endswith(suffix):
                return self.rel[: -len(suffix)]
        return str(PurePosixPath(self.rel).with_suffix(""))

    @property
    def many(self) -> bool:
        """Whether the file holds many documents (JSON lines, Parquet, WARC) or is one."""
        return self.kind in ("jsonl", "parquet", "warc")

    @property
    def output(self) -> str:
        """`rel/path/name.ext` -> `rel/path/name.txt`; a file of many documents gets a folder of them."""
        return self.stem + "/" if self.many else self.stem + ".txt"

    def member_output(self, number: int) -> str:
        return f"{self.output}{number:06d}.txt"

    @property
    def site(self) -> str:
        """Pages from one input folder are taken to be one site unless a URL says otherwise."""
        return str(PurePosixPath(self.rel).parent)

    def open(self):
        return sys.stdin.buffer if self.is_stdin else open(self.path, "rb")  # noqa: SIM115


@dataclass
class Raw:
    """One document as read: bytes to decode (`data`) or text (`text`), not yet cleaned."""

    id: str
    output: str
    kind: str = "text"  # text | html
    data: bytes | None = None
    text: str | None = None
    source: str = ""  # the document's URL, when known
    site: str = ""
    encoding: str = ""  # a charset declared outside the document (HTTP header)
    meta: dict = field(default_factory=dict)
    origin: str = ""  # where in the input it is: the file, or "file.jsonl:LINE" for a record
    dropped: Removal | None = None  # why it is removed unread (a WARC response with an HTTP error status)

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else len(self.text or "")
