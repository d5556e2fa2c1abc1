"""What the corpus steps see of a document: its paragraphs and the features they read, no more.

In a corpus run the driver process does the order-dependent work alone: it observes every
document for the corpus steps (pass 1) and lets them decide, in input order, what to remove
(pass 2). Whole documents (their original text, every earlier step's removals and features)
would cost it more to receive, spool and reload than the decisions themselves. So a worker
sends it each document's sketch: a Document of the same paragraphs (same texts, same order),
with an earlier step's removal reduced to `EARLIER`, and only the features the corpus steps
read (`CorpusStep.reads`), which move from the document to its sketch. The corpus steps run
on the sketch exactly as on the document; the marks they add are then carried over to the
document itself (`carry_marks`) where it is written, in a worker.
"""

from __future__ import annotations

from collections.abc import Iterable

from .document import Document, Failure, Paragraph, Removal

EARLIER = Removal("chain", "removed before the corpus steps")
Marks = list[tuple[int, Removal]]  # (paragraph number, removal) of one document


def reads_of(steps: Iterable) -> tuple[str, ...]:
    """The paragraph features that the corpus steps among `steps` read."""
    return tuple(sorted({key for step in steps for key in getattr(step, "reads", ())}))


def sketch(item: Document | Failure, reads: tuple[str, ...]) -> Document | Failure:
    """The document's sketch (a failure is its own); the features in `reads` move to it."""
    if not isinstance(item, Document):
        return item
    paragraphs = []
    for p in item.paragraphs:
        features = p.features
        moved = {key: features.pop(key) for key in reads if key in features} if features else {}
        paragraphs.append(Paragraph(p.text, p.start, p.end, None if p.removed is None else EARLIER, moved))
    return Document(item.id, "", paragraphs, site=item.site, removed=item.removed and EARLIER)


def new_marks(sketched: Document, before: list[bool]) -> Marks:
    """What the corpus steps marked on a sketch: its paragraphs removed now but not `before`."""
    return [(i, p.removed) for i, (p, kept) in enumerate(zip(sketched.paragraphs, before, strict=True))
            if kept and p.removed is not None]


def carry_marks(doc: Document, marks: Marks) -> Document:
    paragraphs = doc.paragraphs
    for i, removal in marks:
        doc.remove(paragraphs[i], removal)
    return doc
