"""Split text into paragraphs, keeping character offsets.

Two conventions occur in scraped text: one paragraph per line, and paragraphs separated
by blank lines. Every non-blank line is a paragraph, except inside a block of hard-wrapped
prose (lines of similar width that do not end sentences), which is joined back into one.
"""

from __future__ import annotations

import re

from .document import Paragraph

# what ends a line: str.splitlines' breaks (\r\n, \n, a bare \r as old Mac files have it, \v, \f,
# \x1c-\x1e, NEL, U+2028/U+2029 as some exporters write them)
_BREAKS = "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_BULLET = re.compile(r"^\s*(?:[-*+•·▪►]|\d{1,3}[.)])\s")
_SENTENCE_END = re.compile(r"[.!?:;。！？]['\"”’)\]]*$")


def paragraphs(text: str) -> list[Paragraph]:
    blocks: list[list[tuple[int, int]]] = [[]]
    start = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip(_BREAKS)
        lead = body.lstrip()
        if lead:
            end = start + len(body)
            blocks[-1].append((end - len(lead), end - (len(lead) - len(lead.rstrip()))))
        elif blocks[-1]:
            blocks.append([])
        start += len(line)
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
