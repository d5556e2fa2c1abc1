"""Split text into paragraphs, keeping character offsets.

Two conventions occur in scraped text: one paragraph per line, and paragraphs separated
by blank lines. Every non-blank line is a paragraph, except inside a block of hard-wrapped
prose (lines of similar width that do not end sentences), which is joined back into one.
"""

from __future__ import annotations

import re
from itertools import chain

from .document import Paragraph

# what ends a line: \n after any number of \r (\r\r\n is CRLF text written again in text mode),
# a bare \r (old Mac files), U+2028/U+2029 (some exporters). Not a form feed: pdftotext puts one
# after the \n of a page break, and a paragraph that runs over the page would be cut in two.
_BREAK = re.compile(r"\r*\n|\r|[\u2028\u2029]")
_BULLET = re.compile(r"^\s*(?:[-*+•·▪►]|\d{1,3}[.)])\s")
_SENTENCE_END = re.compile(r"[.!?:;。！？]['\"”’)\]]*$")


def paragraphs(text: str) -> list[Paragraph]:
    blocks: list[list[tuple[int, int]]] = [[]]
    for body, stop in _lines(text):
        lead = body.lstrip()
        if lead:
            blocks[-1].append((stop - len(lead), stop - (len(lead) - len(lead.rstrip()))))
        elif blocks[-1]:
            blocks.append([])
    out: list[Paragraph] = []
    for block in blocks:
        if not block:
            continue
        if len(block) > 1 and _is_wrapped(text, block):
            joined = " ".join(text[s:e] for s, e in block)
            out.append(Paragraph(joined, block[0][0], block[-1][1]))
        else:
            out.extend(Paragraph(text[s:e], s, e) for s, e in block)
    return out


def _lines(text: str):
    """(line, where it ends) for each line, its break left out."""
    if "\r" in text or "\u2028" in text or "\u2029" in text:
        start = 0
        for found in chain(_BREAK.finditer(text), (None,)):
            stop = found.start() if found else len(text)
            yield text[start:stop], stop
            start = found.end() if found else stop
        return
    stop = -1
    for line in text.split("\n"):  # the common case, twice as fast
        stop += len(line) + 1
        yield line, stop


def _is_wrapped(text: str, block: list[tuple[int, int]]) -> bool:
    """Hard-wrapped prose: every line but the last is 40-100 wide, within 30 of each other."""
    if len(block) < 2:
        return False
    lines = [text[s:e] for s, e in block]
    widths = [len(line) for line in lines[:-1]]
    if min(widths) < 40 or max(widths) > 100 or max(widths) - min(widths) > 30:
        return False
    if any(_BULLET.match(line) for line in lines):
        return False
    ends = sum(1 for line in lines[:-1] if _SENTENCE_END.search(line))
    return ends <= len(lines[:-1]) // 2
