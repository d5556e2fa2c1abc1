"""The library: `clean_text` for one document, `Cleaner` for documents and streams."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .audit import kept_records, removal_records
from .chain import build_steps, finish, run_steps, split
from .document import Document
from .options import Options
from .reading import decoded_text, from_text
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
    state across calls, so `stream` and repeated `clean` calls see the corpus so far.

    One Cleaner may be called from several threads: the corpus steps take one document at a time
    (which copy of a duplicate is first is then the threads' order)."""

    def __init__(self, options: Options | None = None, steps: list[Step] | None = None, **kwargs):
        if options is not None and kwargs:
            options = options.with_(**kwargs)
        self.options = options or Options.from_kwargs(**kwargs)
        self.steps = steps if steps is not None else build_steps(self.options)
        self._corpus = threading.Lock()

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_corpus"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _corpus=threading.Lock())

    def document(self, text: str | bytes, id: str = "<text>", format: str = "auto", url: str = "",
                 site: str = "", meta: dict | None = None) -> Document:
        """Read a text (or, with format="html", a page) into an unmarked document; "auto" takes a
        text that opens as a page does (a doctype, <html>, <head> or <body>) for a page.

        Bytes are decoded as the command line decodes a file (BOM, UTF-8, the page's declared
        charset, detection); half a UTF-16 pair ('\\ud800'), which no output can encode, becomes
        U+FFFD. Either is counted in the audit as undecodable."""
        if format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(map(repr, FORMATS))}, not {format!r}")
        meta = dict(meta or {})
        if format == "auto":
            format = "html" if looks_like_html(text) else "text"
        if isinstance(text, bytes | bytearray | memoryview):
            text, meta = decoded_text(bytes(text), format == "html", meta=meta)
        elif isinstance(text, str):
            text, replaced = _SURROGATE.subn("\ufffd", text)
            if replaced:
                meta["undecodable_chars"] = replaced
        else:
            raise TypeError(f"a document is a str or bytes, not {type(text).__name__}")
        return from_text(text, id, format, site=site, source=url, meta=meta,
                         extraction=self.options.extraction(), repair=self.options.repair_mojibake)

    def clean(self, doc: str | bytes | Document, id: str = "<text>", format: str = "auto", url: str = "") -> Result:
        if not isinstance(doc, Document):
            doc = self.document(doc, id, format, url)
        local, tail = split(self.steps)
        run_steps(local, doc)
        with self._corpus:  # the corpus steps' tables are not to be changed by two threads at once
            for step in tail:
                if isinstance(step, CorpusStep) and doc.removed is None:
                    step.observe(doc)
            run_steps(tail, doc)
        finish(doc)
        return result_of(doc)

    def stream(self, docs: Iterable[str | bytes | dict | Document]) -> Iterator[Result]:
        """Clean documents one after another: strings, bytes, Documents, or dicts with the text in
        `text_field` ('text'), the id in `id_field` ('id'), and optionally 'format' and 'url'."""
        if isinstance(docs, str | bytes | dict | Document):  # one document: its characters are not documents
            raise TypeError(f"stream() takes an iterable of documents, not one {type(docs).__name__}: "
                            "use clean() for one")
        text_field, id_field = self.options.text_field, self.options.id_field
        for n, item in enumerate(docs):
            if isinstance(item, dict):
                if not isinstance(item.get(text_field), str | bytes):
                    raise ValueError(f"document {n} of the stream: expected a string {text_field!r} field, "
                                     f"got {type(item.get(text_field)).__name__}")
                meta = {k: v for k, v in item.items() if k != text_field}
                doc_id = item.get(id_field)
                doc = self.document(item[text_field], str(n if doc_id is None else doc_id),
                                    item.get("format", "auto"), str(item.get("url", "")), meta=meta)
                yield self.clean(doc)
            else:
                yield self.clean(item, id=str(n))
        self.save_state()

    def save_state(self) -> None:
        """Save what corpus steps keep for later runs (the dedup index, when `dedup_index` is set)."""
        for step in self.steps:
            if isinstance(step, CorpusStep):
                step.save_state()



FORMATS = ("auto", "text", "html")
# how a page opens: a byte order mark, comments, then a doctype or the first of its elements
_PAGE_START = re.compile(r"(?:\ufeff|\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]",
                         re.IGNORECASE | re.DOTALL)
_SURROGATE = re.compile("[\ud800-\udfff]")


def result_of(doc: Document) -> Result:
    return Result(doc.id, doc.clean_text(), doc.lang, doc.lang_confidence, removal_records(doc), doc, kept_records(doc))


def looks_like_html(text: str | bytes | bytearray | memoryview) -> bool:
    """Whether a document opens as a page does (format "auto"); bytes are read as Latin-1 for it."""
    if not isinstance(text, str | bytes | bytearray | memoryview):
        return False  # not a document at all: Cleaner.document says so
    start = text[:4096]
    if not isinstance(start, str):
        start = bytes(start).decode("latin-1")
    return _PAGE_START.match(start) is not None


def clean_text(text: str | bytes, format: str = "auto", **options) -> str:
    """Clean one document, plain text or a page (format "text", "html", or "auto": a page when it
    opens as one), with the default chain (options as in `Options`)."""
    return Cleaner(**options).clean(text, format=format).text
