"""JSON lines (plain, .gz, .zst, or standard input): one object per line, as datatrove and dolma write.

The text and id fields are configurable (`Options.text_field`, `Options.id_field`); every other
field is carried through to the output. A record with `"format": "html"` is extracted as a page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from ..document import EmptyInput, Failure
from ..options import Options
from .base import Raw, Source
from .streams import decompressed, lines


def read_jsonl(source: Source, options: Options) -> Iterator[Raw | Failure | EmptyInput]:
    """The records of one file; standard input of 0 bytes is an EmptyInput that says so (a file's
    size raw_items sees before reading, standard input's only by reading it)."""
    name = "-" if source.is_stdin else source.path.name
    handle = source.open()
    number, size = 0, [0]
    try:
        for number, line in lines(_counted(decompressed(handle, name), size), options.max_document_bytes):
            doc_id, output = f"{source.rel}:{number}", source.member_output(number)
            if line is None:
                yield Failure(doc_id, f"line longer than {options.max_document_bytes} bytes", output)
                continue
            if not line.strip():
                continue
            yield record_to_raw(line, doc_id, output, source, options)
    except (OSError, EOFError, ValueError) as exc:
        yield Failure(f"{source.rel}:{number + 1}", f"input unreadable after line {number}: {exc}", source.output)
    finally:
        if not source.is_stdin:
            handle.close()
    if source.is_stdin and not size[0]:
        yield EmptyInput(source.rel, "0 bytes", source.output)


def _counted(chunks: Iterator[bytes], size: list[int]) -> Iterator[bytes]:
    for chunk in chunks:
        size[0] += len(chunk)
        yield chunk


def record_to_raw(line: bytes, doc_id: str, output: str, source: Source, options: Options) -> Raw | Failure:
    text = line.decode("utf-8", errors="replace").removeprefix("\ufeff")  # a BOM opens some files
    replaced = text.count("\ufffd") - line.count("\ufffd".encode())
    try:
        record = json.loads(text)
        if text.count("[") + text.count("{") > MAX_NESTING and _nested_deeper(record, MAX_NESTING):
            return Failure(doc_id, f"JSON nested deeper than {MAX_NESTING} levels", output)
        if "\\u" in text and _SURROGATE_ESCAPE.search(text):
            record, lone = _without_lone_surrogates(record)
            replaced += lone
    except json.JSONDecodeError as exc:
        return Failure(doc_id, f"not valid JSON ({exc.msg} at column {exc.colno})", output)
    except (ValueError, RecursionError) as exc:  # an integer of 5,000 digits, arrays nested 100,000 deep
        return Failure(doc_id, f"not readable JSON ({type(exc).__name__}: {str(exc)[:200]})", output)
    return dict_to_raw(record, doc_id, output, source.site, options, replaced)


# json.loads accepts nesting up to the recursion limit, pickle (to worker processes and the state
# folder) only about half as deep: deeper records would stop the run, so they fail alone
MAX_NESTING = 200


def _nested_deeper(value: object, limit: int) -> bool:
    todo = [(value, 1)]
    while todo:
        value, depth = todo.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            todo.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return False


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(value: object) -> tuple[object, int]:
    """JSON may escape half a UTF-16 pair (`"\\ud800"`), which no output can encode: such a
    character becomes U+FFFD, like an undecodable byte, and is counted with them."""
    if isinstance(value, str):
        return _SURROGATE.subn("\ufffd", value)
    if isinstance(value, list):
        pairs = [_without_lone_surrogates(v) for v in value]
        return [v for v, _ in pairs], sum(n for _, n in pairs)
    if isinstance(value, dict):
        out, count = {}, 0
        for k, v in value.items():
            (k, a), (v, b) = _without_lone_surrogates(k), _without_lone_surrogates(v)
            out[k] = v
            count += a + b
        return out, count
    return value, 0


def _no_text(record: object, field: str) -> str:
    """What keeps a record from being a document ('' when nothing does), said so that its user can
    tell a record of another shape from a run with the wrong --text-field."""
    if not isinstance(record, dict):
        return f"expected an object with a string {field!r} field, not {_kind(record)}"
    if field not in record:
        fields = ", ".join(map(repr, list(record)[:8])) + (", ..." if len(record) > 8 else "")
        return (f"no {field!r} field (the record has {fields or 'none'}; "
                "--text-field names the field that holds the text)")
    if not isinstance(record[field], str | bytes):
        return f"the {field!r} field is {_kind(record[field])}, not a string"
    return ""


def _kind(value: object) -> str:
    return {type(None): "null", bool: "a boolean", int: "a number", float: "a number", list: "an array",
            dict: "an object", str: "a string"}.get(type(value), type(value).__name__)


def dict_to_raw(record: object, doc_id: str, output: str, site: str, options: Options, replaced: int = 0) -> Raw | Failure:
    field = options.text_field
    problem = _no_text(record, field)
    if problem:
        return Failure(doc_id, problem, output)
    text = record[field]
    meta = {k: v for k, v in record.items() if k != field}
    if replaced:
        meta["undecodable_chars"] = replaced
    origin, own_id = doc_id, record.get(options.id_field)
    if isinstance(own_id, str | int) and not isinstance(own_id, bool) and str(own_id):
        doc_id = str(own_id)
    kind = "html" if record.get("format") == "html" else "text"
    # a Parquet binary column's bytes are decoded in the worker, as a file's are
    data, text = (text, None) if isinstance(text, bytes) else (None, text)
    return Raw(doc_id, output, kind, data=data, text=text, source=str(record.get("url") or ""), site=site,
               meta=meta, origin=origin)
