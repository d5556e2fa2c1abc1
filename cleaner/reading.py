"""Find inputs, name their outputs, and turn raw documents into segmented Documents."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .decode import DecodeError, decode
from .document import Document, EmptyInput, Failure
from .extract import extract_page, host, page_url
from .formats import Raw, Source, raw_items
from .formats.base import STDIN, kind_of
from .mojibake import examples as mojibake_examples
from .mojibake import repair as repair_mojibake
from .options import Extraction, Options
from .segment import paragraphs
from .timelimit import TimeLimitExceeded, time_limit

__all__ = ["InputError", "Source", "check_collisions", "check_output_paths", "decoded_text", "discover", "from_bytes", "from_text",
           "read", "to_document"]


FILE_LIKE = (".gz", ".zst", ".json", ".csv")  # besides the suffixes of inputs: names no one gives a folder
# the side files of a folder output; beside a file output NAME: NAME.audit.jsonl, NAME.manifest.jsonl
AUDIT_NAME = "cleaner-audit.jsonl"
MANIFEST_NAME = "cleaner-manifest.jsonl"
SIDE_FILE = re.compile(r"(.+)\.(audit|manifest)\.jsonl(\.gz|\.zst)?", re.IGNORECASE)


class InputError(ValueError):
    """The input as a whole cannot be used (missing, colliding outputs); nothing was written."""


def discover(root: Path, skip: Iterable[Path | None] = ()) -> list[Source]:
    """Input files under a folder (recursively, in sorted order), the one file given, or `-` (stdin).

    Paths in `skip` (a run's own outputs, when they lie inside its input) and everything under
    them are not inputs. An input that is one of them would be replaced by what the run
    writes: refused. An output folder holding the input folder is not skipped."""
    if str(root) == STDIN:
        return [Source(Path(STDIN), "stdin")]
    root = Path(root)
    skipped = [Path(s).resolve() for s in skip if s is not None]
    if root.resolve() in skipped:
        raise InputError(f"{root} is both the input and an output of this run: the originals would be "
                         "replaced; nothing was written")
    if root.is_file():
        if not kind_of(root.name) and root.suffix.lower() in FILE_LIKE:  # plain text it is not
            raise InputError(f"{root}: {root.suffix} is not a format cleaner reads (JSON lines: .jsonl, .jsonl.gz, "
                             ".jsonl.zst); a file of no known suffix is read as plain text")
        return [Source(root, root.name)]
    if not root.is_dir():
        raise InputError(f"{root}: no such file or folder")
    skipped = [s for s in skipped if s not in root.resolve().parents]
    outputs = [str(s) for s in skipped]
    prefix = os.path.join(str(root), "")
    files, passed = _files_under(root)
    inputs = [(path, path[len(prefix):], real, linked) for path, real, linked in files
              if kind_of(path) and not any(real == f or real.startswith(f + os.sep) for f in outputs)]
    found = _once_each(inputs) + [Source(Path(p), p[len(prefix):], why) for p, why in passed
                                  if not _under(Path(p), skipped)]
    found.sort(key=lambda s: s.rel.split("/"))  # as the paths sort, part by part
    check_collisions([s for s in found if not s.skipped])
    return found


def _files_under(root: Path) -> tuple[list[tuple[str, str, bool]], list[tuple[str, str]]]:
    """Every file under `root` but hidden ones and those in hidden folders, with its real path and
    whether a symbolic link led to it; and
    what is not followed, with why: a symbolic link to a folder that holds it (it would loop), a
    link to nothing, an earlier run's output (see _earlier_outputs).

    Symbolic links to folders are followed, as `find -L` and `rsync -L` do: a folder of shards
    linked in is part of the input. A folder that cannot be listed is an InputError: Path.rglob
    passes over it in silence, and every document in it would be lost without a word. os.scandir
    tells files, folders and links apart without a system call per file."""
    found, passed, unlisted = [], [], []
    # each folder to list, the real paths of the folders walked down to it, and whether a link led there
    todo = [(str(root), [str(root.resolve())], False)]
    while todo:
        folder, chain, linked = todo.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            unlisted.append(exc)
            continue
        files = [e for e in entries if not _is_folder(e)]
        earlier = _earlier_outputs([e.name for e in files])
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry not in files:
                mark = next((m for m in (MANIFEST_NAME, AUDIT_NAME) if os.path.isfile(os.path.join(entry.path, m))), None)
                if mark:
                    passed.append((entry.path, f"an output folder of cleaner (it holds {mark}): cleaned copies, "
                                               "not inputs"))
                elif not entry.is_symlink():
                    todo.append((entry.path, [*chain, os.path.join(chain[-1], entry.name)], linked))
                elif any(_within(c, real := os.path.realpath(entry.path)) for c in chain):
                    passed.append((entry.path, f"a symbolic link to {os.readlink(entry.path)}, a folder that holds "
                                               "it: following it would loop"))
                else:
                    todo.append((entry.path, [*chain, real], True))
            elif entry.name in earlier:
                passed.append((entry.path, earlier[entry.name]))
            elif not (linked or entry.is_symlink()):
                if entry.is_file():  # not a socket or a pipe
                    found.append((entry.path, os.path.join(chain[-1], entry.name), False))  # no link on the way
            elif os.path.exists(entry.path):
                if os.path.isfile(entry.path):
                    found.append((entry.path, os.path.realpath(entry.path), True))
            elif kind_of(entry.name):
                passed.append((entry.path, f"a symbolic link to {os.readlink(entry.path)}, which does not exist"))
    if unlisted:
        raise InputError("cannot list these folders, and their documents would be lost; nothing was written:\n  "
                         + "\n  ".join(f"{e.filename}: {e.strerror}" for e in unlisted))
    return found, passed


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # through a link too
    except OSError:
        return False


def _within(folder: str, path: str) -> bool:
    """Whether `path` is `folder` or holds it (real paths)."""
    return folder == path or folder.startswith(path.rstrip(os.sep) + os.sep)


def _earlier_outputs(names: list[str]) -> dict[str, str]:
    """Which files of one folder an earlier run of cleaner wrote, and why they are no inputs: the
    side files of a folder output (this folder is the input, or holds the input), and a file output
    with the side files beside it (`old.jsonl`, `old.jsonl.audit.jsonl`, `old.jsonl.manifest.jsonl`)."""
    out = {name: f"the {'audit' if name == AUDIT_NAME else 'manifest'} of an earlier run of cleaner, not documents"
           for name in names if name in (AUDIT_NAME, MANIFEST_NAME)}
    present = set(names)
    for name in names:
        side = SIDE_FILE.fullmatch(name)
        output = side and side[1] + (side[3] or "")
        if output and output in present:
            out[name] = f"the {side[2].lower()} of an earlier run of cleaner (beside its output {output}), not documents"
            out[output] = f"an output of cleaner (its {side[2].lower()} {name} lies beside it): cleaned copies, not inputs"
    return out


def _once_each(files: list[tuple[str, str, str, bool]]) -> list[Source]:
    """Inputs (path, rel, real path, whether a link led to it), one per real file: a file reached under two names (a link to
    it, two links to its folder) is read under its own name, or the first through a link, and its
    other names are recorded as skipped."""
    names: dict[str, list[tuple[str, str, bool]]] = {}
    for path, rel, real, linked in files:
        names.setdefault(real, []).append((path, rel, linked))
    out = []
    for paths in names.values():
        if len(paths) == 1:
            out.append(Source(Path(paths[0][0]), paths[0][1]))
            continue
        own = min(paths, key=lambda p: (p[2], p[1].split("/")))[1]
        out += [Source(Path(path), rel) if rel == own else
                Source(Path(path), rel, f"the same file as {own} (through a symbolic link): read once")
                for path, rel, _ in paths]
    return out


def _under(path: Path, folders: list[Path]) -> bool:
    path = path.resolve()
    return any(path == f or f in path.parents for f in folders)


def check_collisions(sources: list[Source]) -> None:
    taken: dict[str, Source] = {}
    clashes = []
    for s in sources:
        if s.output in taken:
            clashes.append(f"{taken[s.output].rel} and {s.rel} would both write {s.output}")
        taken[s.output] = s
    folders = {out for out in taken if out.endswith("/")}
    for out, s in taken.items():
        for folder in folders:
            if out != folder and out.startswith(folder):
                clashes.append(f"{taken[folder].rel} and {s.rel} would both write under {folder}")
    if clashes:
        raise InputError("output names collide; nothing was written:\n  " + "\n  ".join(clashes))


def check_output_paths(folder: Path | None, files: Iterable[Path | None]) -> None:
    """Refuse, before anything is written, what a run could only fail to write at its end: an output
    folder that is a file, an output file (side files included) that is a folder, or either one
    under a file; and a new output folder named like a file (`out.json.gz`, `out.txt`), which
    is not what its user expects."""
    problems, blockers = [], set()
    if folder is not None and folder.exists() and not folder.is_dir():
        problems.append(f"{folder} is a file, and a folder output was asked for "
                        "(a file output ends in .jsonl, .jsonl.gz, .jsonl.zst or .parquet)")
        blockers.add(folder)
    elif folder is not None and not folder.exists() and (kind_of(folder.name) or folder.suffix.lower() in FILE_LIKE):
        problems.append(f"{folder} is named like a file but would be made a folder: the file outputs are .jsonl, "
                        ".jsonl.gz, .jsonl.zst and .parquet")
    files = [Path(f) for f in files if f is not None]
    problems += [f"{path} is a folder, and a file is to be written there" for path in files if path.is_dir()]
    for path in ([folder] if folder is not None else []) + files:
        blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        if blocker is not None and blocker not in blockers:  # once per file in the way
            problems.append(f"{path} cannot be made: {blocker} is a file")
            blockers.add(blocker)
    if problems:
        raise InputError("cannot write the output; nothing was written:\n  " + "\n  ".join(problems))


def read(source: Source, options: Options | None = None) -> Iterator[Document | Failure | EmptyInput]:
    """Every document of one input, read, decoded, extracted and segmented (not cleaned); an
    EmptyInput when a file of many documents holds none."""
    options = options or Options()
    for item in raw_items(source, options):
        yield to_document(item, options) if isinstance(item, Raw) else item


def to_document(raw: Raw, options: Options) -> Document | Failure:
    """Decode, extract (under the HTML time limit) and segment; what cannot be done is a Failure.
    A raw document `dropped` by its reader is a Document removed whole, unread, for that reason."""
    if raw.dropped is not None:
        return Document(id=raw.id, text="", source=raw.source, site=raw.site, meta=raw.meta, output=raw.output,
                        origin=raw.origin, removed=raw.dropped)
    try:
        if raw.data is not None:
            text, meta = decoded_text(raw.data, raw.kind == "html", raw.encoding, raw.meta)
        else:
            text, meta = raw.text or "", raw.meta
        with time_limit(options.html_timeout if raw.kind == "html" else 0):
            doc = from_text(text, raw.id, raw.kind, site=raw.site, source=raw.source, meta=meta,
                            extraction=options.extraction(), repair=options.repair_mojibake)
    except DecodeError as exc:
        return Failure(raw.id, str(exc), raw.output, raw.origin)
    except TimeLimitExceeded as exc:
        return Failure(raw.id, f"HTML extraction {exc}", raw.output, raw.origin)
    doc.output, doc.origin = raw.output, raw.origin
    return doc


def decoded_text(data: bytes, html: bool, declared: str = "", meta: dict | None = None) -> tuple[str, dict]:
    """Bytes as text (see decode.py), and `meta` with how they were read: the encoding, and how many
    characters could not be (U+FFFD, added to any count `meta` has)."""
    decoded = decode(data, html=html, declared=declared)
    meta = {**(meta or {}), "encoding": decoded.encoding}
    replaced = meta.get("undecodable_chars", 0) + decoded.replaced
    if replaced:
        meta["undecodable_chars"] = replaced
    return decoded.text, meta


def from_bytes(data: bytes, doc_id: str, kind: str = "text", site: str = "",
               extraction: Extraction = Extraction()) -> Document:
    text, meta = decoded_text(data, kind == "html")
    return from_text(text, doc_id, kind, site=site, meta=meta, extraction=extraction)


def from_text(text: str, doc_id: str, kind: str = "text", site: str = "", source: str = "",
              meta: dict | None = None, extraction: Extraction = Extraction(), repair: bool = True) -> Document:
    """A document of a decoded text or page: extracted (a page), its mojibake repaired (`repair`,
    see mojibake.py; counted in meta["mojibake_repaired"], the first distinct ones in
    meta["mojibake_examples"]), in paragraphs."""
    meta = dict(meta or {})
    if kind == "html":
        source = source or page_url(text)
        text, meta["extractor"], too_deep = extract_page(text, extraction)
        if too_deep:
            meta["html_too_deep"] = True
    if repair:
        changes: list[tuple[str, str]] = []
        text, repaired = repair_mojibake(text, changes)
        if repaired:  # how many, and the first few of them, so that a wrong repair can be seen
            meta["mojibake_repaired"] = repaired
            meta["mojibake_examples"] = mojibake_examples(changes)
    doc = Document(id=doc_id, text=text, source=source, site=host(source) or site, meta=meta)
    doc.paragraphs = paragraphs(text)
    return doc
