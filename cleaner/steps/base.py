"""What a step is. A step marks; the chain does the bookkeeping."""

from __future__ import annotations

from pathlib import Path

from ..document import Document, Paragraph, Removal

_SHARED: dict[tuple, Removal] = {}
_SHARED_MAX = 8192


def shared_removal(fields: tuple) -> Removal:
    """One object for equal removals (a rule removes the same way on every page): a pickled
    document refers to it again instead of repeating it, to the spool and between processes."""
    try:
        same = _SHARED.get(fields)
    except TypeError:  # evidence that cannot be hashed
        return Removal(*fields)
    if same is None:
        if len(_SHARED) >= _SHARED_MAX:
            _SHARED.clear()
        same = _SHARED[fields] = Removal(*fields)
        return same
    # equal is not enough: 1 == 1.0 == True and 0.0 == -0.0, but the audit would print them differently
    for (_, a), (_, b) in zip(same.evidence, fields[4], strict=True):
        if type(a) is not type(b) or (type(a) is float and repr(a) != repr(b)):
            return Removal(*fields)
    return same


class Step:
    """A per-document step: `apply` marks what it removes on the document, nothing else."""

    name = "step"

    def apply(self, doc: Document) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def removal(self, reason: str, rule: str = "", detail: str = "", **evidence) -> Removal:
        return shared_removal((self.name, reason, rule or self.name, detail, tuple(sorted(evidence.items()))))

    def mark(self, doc: Document, paragraph: Paragraph, reason: str, rule: str = "",
             detail: str = "", **evidence) -> None:
        doc.remove(paragraph, self.removal(reason, rule, detail, **evidence))

    def keep(self, doc: Document, paragraph: Paragraph, reason: str, rule: str = "",
             detail: str = "", **evidence) -> None:
        """Keep a paragraph an earlier step removed (Document.restore): rare, and always said why."""
        doc.restore(paragraph, self.removal(reason, rule, detail, **evidence))

    def mark_distinct(self, doc: Document, paragraph: Paragraph, reason: str, rule: str = "",
                      detail: str = "", **evidence) -> None:
        """`mark` for a removal that is almost never equal to another (a paragraph's own score and
        evidence): looking it up among the shared ones would cost more than the removal itself."""
        doc.remove(paragraph, Removal(self.name, reason, rule or self.name, detail, tuple(sorted(evidence.items()))))


class CorpusStep(Step):
    """A step that needs the corpus: `observe` every document first, then `apply` to each.

    A corpus run calls observe on all documents before the first apply (so the first copy of a
    repeated line can be removed too); a stream or single-document call observes each document
    just before applying, using what has been observed so far.

    In a corpus run both phases see a document's sketch (sketch.py): its paragraphs' texts and
    marks, and of their features only those named in `reads`. They mark paragraphs, not whole
    documents.
    """

    reads: tuple[str, ...] = ()  # the paragraph features observe and apply read

    def observe(self, doc: Document) -> None:
        pass

    def state_path(self) -> Path | None:
        """The file in which this step keeps what later runs should know (None: it keeps nothing)."""
        return None

    def load_state(self, path: Path | None) -> None:
        """Before a corpus run: read what an earlier run saved at `path` (None: start empty)."""

    def save_state(self) -> None:
        """After a run whose outputs are all written: save what a later run should know."""
