"""The marked document: steps add marks, output and audit are projections of it."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter


@dataclass(frozen=True)
class Removal:
    """Why a paragraph (or a whole document) was removed, and by whom."""

    step: str
    reason: str
    rule: str = ""
    detail: str = ""
    evidence: tuple[tuple[str, object], ...] = ()

    def as_dict(self) -> dict:
        out = {"step": self.step, "rule": self.rule, "reason": self.reason}
        if self.detail:
            out["detail"] = self.detail
        if self.evidence:
            out["evidence"] = dict(self.evidence)
        return out

    def __reduce__(self):
        """Pickled as its fields: the default way back sets each field of a frozen dataclass through
        object.__setattr__, which made loading the spool's removals 3.5x slower (10k removals:
        48 -> 14 ms). Every removal is pickled at least twice a run (pool, spool)."""
        return Removal, (self.step, self.reason, self.rule, self.detail, self.evidence)


@dataclass
class Paragraph:
    """A paragraph of the document's text; `start`/`end` index into `Document.text`."""

    text: str
    start: int
    end: int
    removed: Removal | None = None
    features: dict = field(default_factory=dict)
    # a later step's reason to keep what an earlier one removed (Document.restore)
    kept_by: Removal | None = None

    @property
    def kept(self) -> bool:
        return self.removed is None


@dataclass
class Document:
    """One input document, as it moves through the chain."""

    id: str
    text: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    source: str = ""
    site: str = ""
    lang: str = "und"
    lang_confidence: float = 0.0
    removed: Removal | None = None
    meta: dict = field(default_factory=dict)  # the input's own fields (JSON lines), carried through
    output: str = ""  # where a corpus run writes it, relative to the output folder
    origin: str = ""  # where in the input it was: the file, or "file.jsonl:LINE" for a record

    @property
    def kept_paragraphs(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.removed is None]

    def remove(self, paragraph: Paragraph, removal: Removal) -> None:
        """Mark a paragraph removed unless an earlier step already did: the first reason wins."""
        if paragraph.removed is None:
            paragraph.removed = removal

    def restore(self, paragraph: Paragraph, keep: Removal) -> None:
        """Keep a paragraph an earlier step removed, for a reason that outweighs that step's: `keep`
        says why, and what it overrode stays in its evidence (`overrode`: step/rule, and the reason),
        for the audit. A later step may still remove it (a corpus step finding it on every page of
        the site): the first removal after the restore is then the one the audit shows."""
        if paragraph.removed is not None:
            overrode = paragraph.removed
            paragraph.removed = None
            paragraph.kept_by = Removal(keep.step, keep.reason, keep.rule, keep.detail,
                                        (*keep.evidence, ("overrode", f"{overrode.step}/{overrode.rule}"),
                                         ("overrode_reason", overrode.reason)))

    def clean_text(self) -> str:
        """The projection users want: kept paragraphs separated by one blank line."""
        if self.removed is not None:
            return ""
        return "\n\n".join(p.text for p in self.paragraphs if p.removed is None)

    def __getstate__(self) -> dict:
        """Paragraphs are pickled field by field, as columns: documents go to the spool and
        between processes at every run, and one list per field pickles in half the time of
        one object per paragraph."""
        state = dict(self.__dict__)
        paragraphs = state.pop("paragraphs")
        state["paragraph_columns"] = tuple(list(map(attrgetter(name), paragraphs)) for name in _PARAGRAPH_FIELDS)
        return state

    def __setstate__(self, state: dict) -> None:
        columns = state.pop("paragraph_columns", None)
        if columns is not None:  # the generated __init__, mapped over the columns: the fastest way to make them
            state["paragraphs"] = list(map(Paragraph, *columns))
        self.__dict__.update(state)


_PARAGRAPH_FIELDS = tuple(f.name for f in fields(Paragraph))


@dataclass(frozen=True)
class Failure:
    """A document that could not be cleaned, and why; recorded, never silently dropped."""

    id: str
    error: str
    output: str = ""
    origin: str = ""  # where in the input it was, when the id does not say


@dataclass(frozen=True)
class EmptyInput:
    """An input file of many documents that holds none (0 bytes, only blank lines, no rows, no HTML
    response): not a document, but recorded, so that a run shows every file it was given."""

    input: str  # the file, relative to the input root
    reason: str
    output: str = ""


@dataclass(frozen=True)
class SkippedInput(EmptyInput):
    """A file or folder under the input folder that is not read, and why (a second name for a file
    read already, a link that would loop, an earlier run's output): recorded like an empty input,
    so that nothing under the input folder is passed over in silence."""
