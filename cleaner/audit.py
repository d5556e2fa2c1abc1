"""Projections of a marked document: its removals as audit records, and its manifest entry."""

from __future__ import annotations

import json
import json.encoder
from functools import lru_cache

from .document import Document, EmptyInput, Failure, Removal, SkippedInput

_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
# json.dumps builds a new encoder for every call; the C one made once does the same work
_C_ENCODE = json.encoder.c_make_encoder and json.encoder.c_make_encoder(
    None, _ENCODER.default, json.encoder.encode_basestring, None, ": ", ", ", True, False, True)


def json_line(record: dict) -> str:
    """`json.dumps(record, ensure_ascii=False, sort_keys=True)` and a newline: one line of the audit or manifest."""
    if _C_ENCODE is None:
        return _ENCODER.encode(record) + "\n"
    return "".join(_C_ENCODE(record, 0)) + "\n"


def audit_lines(doc: Document) -> str:
    """`json_line` of each of the document's note, removal and kept records: what a corpus run writes.

    A removed paragraph's line is put together from pieces: its Removal's own fields (shared by
    every paragraph a rule removes the same way) are encoded once, not once per paragraph. The
    keys go in json.dumps' sorted order, so the line is the same string (a test compares them).
    """
    records = note_records(doc)
    kept = kept_records(doc)
    if doc.removed is not None or _C_ENCODE is None or kept:
        return "".join(map(json_line, records + removal_records(doc) + kept))
    lines = list(map(json_line, records))
    doc_id = '"doc": ' + _encode(doc.id) + ", "
    for i, p in enumerate(doc.paragraphs):
        if p.removed is not None:
            detail, evidence, reason_rule, step = _pieces(p.removed)
            lines.append(f'{{{detail}{doc_id}{evidence}"paragraph": {i}, {reason_rule}"span": [{p.start!r}, {p.end!r}], '
                         f'{step}"text": {json.encoder.encode_basestring(p.text)}}}\n')
    return "".join(lines)


def _encode(value) -> str:
    return "".join(_C_ENCODE(value, 0))


_PIECES: dict[int, tuple] = {}


def _pieces(removal: Removal) -> tuple[str, str, str, str]:
    """A removal's keys and values as they appear in its audit lines (as Removal.as_dict has them)."""
    found = _PIECES.get(id(removal))
    if found is None or found[0] is not removal:
        if len(_PIECES) > 8192:
            _PIECES.clear()
        found = _PIECES[id(removal)] = (removal, (
            f'"detail": {_encode(removal.detail)}, ' if removal.detail else "",
            f'"evidence": {_encode(dict(removal.evidence))}, ' if removal.evidence else "",
            *_named(removal.reason, removal.rule, removal.step)))
    return found[1]


@lru_cache(maxsize=4096)
def _named(reason: str, rule: str, step: str) -> tuple[str, str]:
    """The pieces of a removal that many removals share (those whose evidence differs, too)."""
    return f'"reason": {_encode(reason)}, "rule": {_encode(rule)}, ', f'"step": {_encode(step)}, '


def removal_records(doc: Document) -> list[dict]:
    """One record per removed piece: the whole document (first), and each paragraph a step removed.

    A document with nothing left keeps its paragraphs' records, which say why each one went."""
    whole = [] if doc.removed is None else [{"doc": doc.id, "paragraph": None, "span": [0, len(doc.text)],
                                            **doc.removed.as_dict(), "lang": doc.lang, "text": doc.text[:200]}]
    return whole + [{"doc": doc.id, "paragraph": i, "span": [p.start, p.end], **p.removed.as_dict(), "text": p.text}
                    for i, p in enumerate(doc.paragraphs) if p.removed is not None]


def kept_records(doc: Document) -> list[dict]:
    """One record per paragraph that a later step kept against an earlier one's removal
    (Paragraph.kept_by), still kept: "kept": true, the keeping step's reason and, in its evidence,
    the removal it overrode. Empty for a document removed whole: nothing of it was kept."""
    if doc.removed is not None:
        return []
    return [{"doc": doc.id, "paragraph": i, "span": [p.start, p.end], **p.kept_by.as_dict(), "kept": True,
             "text": p.text} for i, p in enumerate(doc.paragraphs) if p.removed is None and p.kept_by is not None]


# what a document's manifest entry notes besides its fate (see note_records)
NOTES = ("undecodable_chars", "mojibake_repaired", "rule_timeouts", "html_too_deep")


def note_records(doc: Document) -> list[dict]:
    """What happened to a document besides removals: bytes replaced on decoding, mojibake
    repaired, rules timed out, HTML too deep to parse whole."""
    out = []
    if doc.meta.get("undecodable_chars"):
        out.append({"doc": doc.id, "paragraph": None, "step": "decode", "rule": "undecodable-bytes",
                    "reason": "undecodable bytes replaced by U+FFFD", "count": doc.meta["undecodable_chars"],
                    "encoding": doc.meta.get("encoding", "utf-8")})
    if doc.meta.get("mojibake_repaired"):
        out.append({"doc": doc.id, "paragraph": None, "step": "decode", "rule": "mojibake",
                    "reason": "UTF-8 read as windows-1252 before cleaner ('donât'), put right",
                    "count": doc.meta["mojibake_repaired"], "examples": doc.meta.get("mojibake_examples", [])})
    if doc.meta.get("html_too_deep"):
        out.append({"doc": doc.id, "paragraph": None, "step": "extract", "rule": "html-too-deep",
                    "reason": "the page nests deeper than libxml2 parses (2,048 elements): text below that was lost"})
    for rule in doc.meta.get("rule_timeouts", ()):
        out.append({"doc": doc.id, "paragraph": None, "step": "rules", "rule": rule,
                    "reason": "rule match timed out; rule skipped for this document"})
    return out


def manifest_entry(item: Document | Failure | EmptyInput, output: str = "") -> dict:
    """What became of one input document; `output` is where the writer put it (written ones only).

    "input" says where the document was when its id does not (a JSON lines record with an id of
    its own): `data.jsonl:LINE`; a failure's id is always its place in the input. An input file
    that held no document has a line of its own, with no "doc": status "empty" and why; so has a
    file or folder under the input folder that was not read: status "skipped" and why."""
    if isinstance(item, SkippedInput):
        return {"input": item.input, "status": "skipped", "reason": item.reason}
    if isinstance(item, EmptyInput):
        return {"input": item.input, "status": "empty", "reason": item.reason}
    where = {"input": item.origin} if item.origin and item.origin != item.id else {}
    if isinstance(item, Failure):
        return {"doc": item.id, **where, "status": "failed", "error": item.error}
    notes = {k: item.meta[k] for k in NOTES if item.meta.get(k)}
    if item.removed is not None:
        return {"doc": item.id, **where, "status": "removed", "reason": item.removed.reason,
                "step": item.removed.step, "lang": item.lang, **notes}
    return {"doc": item.id, **where, "status": "written", "output": output, "lang": item.lang,
            "lang_confidence": item.lang_confidence,
            "paragraphs_kept": len(item.kept_paragraphs),
            "paragraphs_removed": len(item.paragraphs) - len(item.kept_paragraphs), **notes}
