"""What a run did, in numbers: documents, removals per reason, languages, speed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .document import Document, EmptyInput, Failure, SkippedInput


@dataclass
class Summary:
    documents_in: int = 0
    written: int = 0
    removed: int = 0
    failed: int = 0
    bytes_in: int = 0
    seconds: float = 0.0
    paragraphs_removed: Counter = field(default_factory=Counter)  # (step, reason) -> paragraphs
    chars_removed: Counter = field(default_factory=Counter)
    paragraphs_kept_back: Counter = field(default_factory=Counter)  # (step, rule) -> paragraphs it kept against a removal
    documents_removed: Counter = field(default_factory=Counter)  # reason -> documents
    languages: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    empty_inputs: list[tuple[str, str]] = field(default_factory=list)  # (file, why): no documents, none counted
    skipped_inputs: list[tuple[str, str]] = field(default_factory=list)  # (file or folder, why): not read
    # where the time went: CPU seconds per step class (summed over the worker processes), and
    # per stage of the run ("read", "observe <step>", "spool", "write")
    step_seconds: Counter = field(default_factory=Counter)

    def add(self, item: Document | Failure | EmptyInput) -> None:
        if isinstance(item, SkippedInput):
            self.skipped_inputs.append((item.input, item.reason))
            return
        if isinstance(item, EmptyInput):
            self.empty_inputs.append((item.input, item.reason))
            return
        self.documents_in += 1
        if isinstance(item, Failure):
            self.failed += 1
            self.failures.append((item.id, item.error))
            return
        self.languages[item.lang] += 1
        if item.removed is not None:
            self.removed += 1
            self.documents_removed[f"{item.removed.step}: {item.removed.reason}"] += 1
            return
        self.written += 1
        for p in item.paragraphs:
            if p.removed is not None:
                key = (p.removed.step, p.removed.rule)
                self.paragraphs_removed[key] += 1
                self.chars_removed[key] += len(p.text)
            elif p.kept_by is not None:
                self.paragraphs_kept_back[(p.kept_by.step, p.kept_by.rule)] += 1

    def merge(self, other: Summary) -> None:
        """Add the counts of `other` (a part of the same run, in input order after this one's)."""
        for name in ("documents_in", "written", "removed", "failed", "bytes_in"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("paragraphs_removed", "chars_removed", "paragraphs_kept_back", "documents_removed", "languages",
                     "step_seconds"):
            getattr(self, name).update(getattr(other, name))
        self.failures += other.failures
        self.empty_inputs += other.empty_inputs
        self.skipped_inputs += other.skipped_inputs

    @property
    def megabytes_per_second(self) -> float:
        return self.bytes_in / 1e6 / self.seconds if self.seconds else 0.0
