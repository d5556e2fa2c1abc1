"""Projections of a marked document: its removals as audit records, and its manifest entry."""

from __future__ import annotations

import json
import json.encoder

from .document import Document, Failure

_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
# json.dumps builds a new encoder for every call; the C one made once does the same work
_C_ENCODE = json.encoder.c_make_encoder and json.encoder.c_make_encoder(
    None, _ENCODER.default, json.encoder.encode_basestring, None, ": ", ", ", True, False, True)


def json_line(record: dict) -> str:
    """`json.dumps(record, ensure_ascii=False, sort_keys=True)` and a newline: one line of the audit or manifest."""
    if _C_ENCODE is None:
        return _ENCODER.encode(record) + "\n"
    return "".join(_C_ENCODE(record, 0)) + "\n"


def removal_records(doc: Document) -> list[dict]:
    """One record per removed piece: the whole document (first), and each paragraph a step removed.

    A document with nothing left keeps its paragraphs' records, which say why each one went."""
    whole = [] if doc.removed is None else [{"doc": doc.id, "paragraph": None, "span": [0, len(doc.text)],
                                            **doc.removed.as_dict(), "lang": doc.lang, "text": doc.text[:200]}]
    return whole + [
        {"doc": doc.id, "paragraph": i, "span": [p.start, p.end], **p.removed.as_dict(), "text": p.text}
        for i, p in enumerate(doc.paragraphs) if p.removed is not None
    ]


def note_records(doc: Document) -> list[dict]:
    """What happened to a document besides removals: bytes replaced on decoding, rules timed out."""
    out = []
    if doc.meta.get("undecodable_chars"):
        out.append({"doc": doc.id, "paragraph": None, "step": "decode", "rule": "undecodable-bytes",
                    "reason": "undecodable bytes replaced by U+FFFD", "count": doc.meta["undecodable_chars"],
                    "encoding": doc.meta.get("encoding", "utf-8")})
    for rule in doc.meta.get("rule_timeouts", ()):
        out.append({"doc": doc.id, "paragraph": None, "step": "rules", "rule": rule,
                    "reason": "rule match timed out; rule skipped for this document"})
    return out


def manifest_entry(item: Document | Failure, output: str) -> dict:
    if isinstance(item, Failure):
        return {"doc": item.id, "status": "failed", "error": item.error}
    notes = {k: item.meta[k] for k in ("undecodable_chars", "rule_timeouts") if item.meta.get(k)}
    if item.removed is not None:
        return {"doc": item.id, "status": "removed", "reason": item.removed.reason,
                "step": item.removed.step, "lang": item.lang, **notes}
    return {"doc": item.id, "status": "written", "output": output, "lang": item.lang,
            "lang_confidence": item.lang_confidence,
            "paragraphs_kept": len(item.kept_paragraphs),
            "paragraphs_removed": len(item.paragraphs) - len(item.kept_paragraphs), **notes}
