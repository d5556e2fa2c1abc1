"""Mojibake: UTF-8 text that was decoded as windows-1252 or Latin-1 before cleaner saw it, repaired.

"donât" for "don’t", "cafÃ©" for "café", "Ð¿Ñ€Ð¸Ð²ÐµÑ‚" for "привет". A page's own content
system put it there (the page's bytes are valid UTF-8 of the wrong characters), so no choice of
encoding when cleaner decodes the page can undo it; the words it spoils are words no reader, no
tokeniser and no duplicate finder will match.

A run of characters that windows-1252 (Latin-1 for the five bytes windows-1252 leaves undefined)
encodes to one well-formed UTF-8 sequence of 2 to 4 bytes becomes the character that sequence
encodes, when that character is one that such text is made of: for two bytes a Latin, Greek,
Cyrillic, Hebrew or Arabic letter or a Latin-1 sign (U+00A0-U+024F, U+0370-U+06FF), for three or
four bytes anything but private use and specials (punctuation, CJK, emoji). Text that merely
looks like it stays: "FJALË”" (Ë then a closing quote, bytes CB 94) would be U+02D4, a modifier
letter, and "Straße«" (DF AB) a Thaana letter, so both are left alone. An "Â" glued to the end of
a word is what is left of a no-break space (C2 A0) whose second byte became a space: it goes.

Some sequences are as often a text's own: a capital before a closing mark at a word's end
("«SNØ»", "„ÞAÐ“", "“LLEGÓ”" would become Arabic, Cyrillic), a small letter before two ("réglé »"
with a no-break space, "café…”" would become CJK), a capital standing alone before a sign ("120
Å²"). Those are repaired only in a text that holds a sequence of another kind ("donât", "cafÃ©
", "Â£"): mojibake is then the text's, not the language's.
"""

from __future__ import annotations

import re

_CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"  # what windows-1252 makes of bytes 0x80-0x9F
_TAIL = f"[\u0080-\u00bf{_CP1252_HIGH}]"  # a UTF-8 continuation byte, so decoded
# a lead byte and the continuation bytes after it, up to three (_meant takes as many as the lead
# says): one pattern without alternatives, searched about as fast as its first character alone
_SEQUENCE = re.compile(f"[\u00c2-\u00f4]{_TAIL}{{1,3}}")
_SPACE_LEFT = re.compile(r"(?<=\S)\u00c2(?=\s|$)")


# the marks that follow a word: a sequence of a letter and these alone, ending a word, is doubtful
_AFTER_A_WORD = frozenset("\u00a0«»‚„…‘’“”•–—‹›")


def repair(text: str, changes: list[tuple[str, str]] | None = None) -> tuple[str, int]:
    """(the text repaired, how many sequences were); `changes` gets each (as it was, as it is now)."""
    sure, doubtful = [], []
    for found in _SEQUENCE.finditer(text):
        meant = _meant(found.group())
        if meant != found.group():
            (doubtful if _doubtful(text, found) else sure).append((found.start(), found.end(), meant))
    repairs = sure + doubtful if sure else []
    count = len(repairs)
    if repairs:
        out, at = [], 0
        for start, end, meant in sorted(repairs):
            out += [text[at:start], meant]
            at = end
            if changes is not None:
                changes.append((text[start:end], meant))
        text = "".join(out) + text[at:]
    if "\u00c2" not in text:
        return text, count
    dropped = []

    def drop(found: re.Match) -> str:
        if text[found.start() - 1].isupper():  # 'HÂLÂ' (Turkish): a word in capitals ends in it
            return found.group()
        dropped.append(found)
        if changes is not None:
            changes.append((found.group(), ""))
        return ""

    text = _SPACE_LEFT.sub(drop, text)
    return text, count + len(dropped)


def _doubtful(text: str, found: re.Match) -> bool:
    """Whether the sequence could as well be a letter of the text's own language and punctuation."""
    lead = found.group()[0]
    seen = found.group()[:2 if lead <= "\u00df" else 3 if lead <= "\u00ef" else 4]
    end = found.start() + len(seen)
    word_ends = end == len(text) or not text[end].isalpha()
    if word_ends and all(c in _AFTER_A_WORD for c in seen[1:]):
        return True
    alone = word_ends and (found.start() == 0 or not text[found.start() - 1].isalpha())
    return len(seen) == 2 and lead != "\u00c2" and alone  # 'Â' ends no word of any language


def _meant(found: str) -> str:
    lead = ord(found[0])
    size = 2 if lead <= 0xDF else 3 if lead <= 0xEF else 4
    if len(found) < size:
        return found
    seen, rest = found[:size], found[size:]  # what follows is not this sequence's (nor a lead)
    return _one(seen) + rest


def _one(seen: str) -> str:
    try:
        char = b"".join(bytes([ord(c)]) if ord(c) < 256 else c.encode("cp1252") for c in seen).decode("utf-8")
    except UnicodeDecodeError:  # an overlong form or a surrogate: not what an encoder writes
        return seen
    code = ord(char)
    if len(seen) == 2:
        plausible = 0xA0 <= code <= 0x24F or 0x370 <= code <= 0x6FF
    else:
        # planes 4-13 hold nothing; 15 and 16 are private use
        plausible = not (0xE000 <= code <= 0xF8FF or 0xFFF0 <= code <= 0xFFFF or 0x40000 <= code < 0xE0000
                         or code >= 0xF0000)
    return char if plausible else seen


_C1 = re.compile("[\u0080-\u009f]")


def examples(changes: list[tuple[str, str]], most: int = 5) -> list[list[str]]:
    """The first `most` distinct repairs, as [as it was, as it is now], for the audit; the C1
    controls of Latin-1 mojibake written out ('â\\x80\\x99' for '’'): a reader sees nothing of them."""
    return [[_C1.sub(lambda c: f"\\x{ord(c.group()):02x}", seen), meant]
            for seen, meant in list(dict.fromkeys(changes))[:most]]
