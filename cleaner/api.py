"""The library: `clean_text` for one document, `Cleaner` for documents and streams."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .audit import kept_records, removal_records
from .chain import build_steps, finish, run_steps, split
from .document import Document
from .options import Options
from .reading import from_text
from .steps import CorpusStep, Step


@dataclass
class Result:
    """A cleaned document: its text, its language, every removal with its reason, and what a step
    kept against an earlier step's removal (a shop's grid of products), with its reason too."""

    id: str
    text: str
    lang: str
    lang_confidence: float
    removals: list[dict] = field(default_factory=list)
    document: Document | None = None
    kept: list[dict] = field(default_factory=list)

    @property
    def removed(self) -> bool:
        """True when the document was removed as a whole (wrong language, nothing left...)."""
        return self.document is not None and self.document.removed is not None


class Cleaner:
    """Runs the chain. Corpus steps (cross-document duplicates, repeated lines) keep their
    state across calls, so `stream` and repeated `clean` calls see the corpus so far."""

    def __init__(self, options: Options | None = None, steps: list[Step] | None = None, **kwargs):
        if options is not None and kwargs:
            options = options.with_(**kwargs)
        self.options = options or Options.from_kwargs(**kwargs)
        self.steps = steps if steps is not None else build_steps(self.options)

    def document(self, text: str, id: str = "<text>", format: str = "text", url: str = "",
                 site: str = "", meta: dict | None = None) -> Document:
        """Read a text (or, with format="html", a page) into an unmarked document."""
        return from_text(text, id, format, site=site, source=url, meta=meta,
                         extraction=self.options.extraction())

    def clean(self, doc: str | Document, id: str = "<text>", format: str = "text", url: str = "") -> Result:
        if not isinstance(doc, Document):
            doc = self.document(doc, id, format, url)
        local, tail = split(self.steps)
        run_steps(local, doc)
        for step in tail:
            if isinstance(step, CorpusStep) and doc.removed is None:
                step.observe(doc)
        run_steps(tail, doc)
        finish(doc)
        return result_of(doc)

    def stream(self, docs: Iterable[str | dict | Document]) -> Iterator[Result]:
        """Clean documents one after another: strings, dicts with a 'text' field, or Documents."""
        for n, item in enumerate(docs):
            if isinstance(item, dict):
                meta = {k: v for k, v in item.items() if k != "text"}
                doc = self.document(item["text"], str(item.get("id", n)), item.get("format", "text"),
                                    str(item.get("url", "")), meta=meta)
                yield self.clean(doc)
            else:
                yield self.clean(item, id=str(n))
        self.save_state()

    def save_state(self) -> None:
        """Save what corpus steps keep for later runs (the dedup index, when `dedup_index` is set)."""
        for step in self.steps:
            if isinstance(step, CorpusStep):
                step.save_state()



def result_of(doc: Document) -> Result:
    return Result(doc.id, doc.clean_text(), doc.lang, doc.lang_confidence, removal_records(doc), doc, kept_records(doc))


def clean_text(text: str, **options) -> str:
    """Clean one plain-text document with the default chain (options as in `Options`)."""
    return Cleaner(**options).clean(text).text
