"""Bytes to text: BOM first, then strict UTF-8, a declared charset, then detection."""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass

import charset_normalizer

from .language import SMOOTHING, profiles

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# pages labelled latin-1 or ASCII are windows-1252 (as browsers read them, per the WHATWG
# encoding standard): read as latin-1, its curly quotes, dashes and '…' become C1 control characters
_READ_AS_CP1252 = {"iso8859-1", "latin-1", "ascii"}  # codecs.lookup names
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


class DecodeError(ValueError):
    """The bytes are not text (binary data) and cannot be cleaned."""


TIE = 0.01  # charset-normalizer chaos within which candidates are compared by language
MAX_TIED = 6
UNSEEN = math.log(SMOOTHING)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    replaced: int = 0  # characters that could not be decoded and were replaced by U+FFFD


def decode(data: bytes, html: bool = False, declared: str = "") -> Decoded:
    """`declared`: a charset stated outside the bytes (an HTTP header), tried after strict UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _lenient(data, encoding)
    if b"\x00" in data[:8192]:
        raise DecodeError("binary data (NUL bytes) where text was expected")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    names = [declared] if declared else []
    if html:
        found = _DECLARED.search(data[:4096])
        if found:
            names.append(found.group(1).decode("ascii", "replace"))
    for name in names:
        try:
            if codecs.lookup(name).name == "utf-8":  # strict UTF-8 failed above: the label lies
                continue
            return _lenient(data, name)
        except LookupError:  # unknown, or not a text encoding (rot13, base64...)
            continue
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is not None and best.encoding:
        return _lenient(data, _most_plausible(matches, best))
    return _lenient(data, "utf-8")


def _most_plausible(matches, best) -> str:
    """Among candidates as clean as the best one, the encoding whose text reads most like a language.

    charset-normalizer cannot tell single-byte code pages apart when they decode to equally clean
    text (Spanish cp1252 bytes give 'años' in cp1252 and 'ańos' in cp1250, both without chaos);
    langdetect's profiles can: an 'ń' costs Spanish what an 'ñ' does not.
    """
    tied = [m for m in matches if m.encoding and m.chaos <= best.chaos + TIE]
    tied = ([m for m in tied if _on_the_web(m.encoding)] or tied)[:MAX_TIED]
    if len(tied) < 2:
        return best.encoding
    scores = [profiles().score(_where_they_differ(str(m))) for m in tied]
    most = max(known for _, known in scores)
    # an n-gram no profile knows (an odd character) costs what an n-gram no language uses costs
    scored = [(float(totals.max()) + (most - known) * UNSEEN + _prior(m.encoding), -rank, m.encoding)
              for rank, (m, (totals, known)) in enumerate(zip(tied, scores, strict=True))]
    return max(scored)[2]


# The encodings a web page can be in: the WHATWG Encoding Standard's legacy ones (browsers know no
# other), with the code pages browsers actually use for the Japanese, Chinese and Korean labels.
# charset-normalizer also proposes DOS and vendor code pages (hp_roman8, cp775, cp1125, mac_iceland,
# johab) that decode the same bytes as cleanly and no page on the web is written in.
_WEB = frozenset({
    "big5", "big5hkscs", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
    "cp1258", "cp866", "cp874", "cp932", "cp949", "cp950", "euc_jis_2004", "euc_jisx0213", "euc_jp",
    "euc_kr", "gb18030", "gb2312", "gbk", "iso2022_jp", "iso8859-10", "iso8859-13", "iso8859-14",
    "iso8859-15", "iso8859-16", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6",
    "iso8859-7", "iso8859-8", "koi8-r", "koi8-u", "mac-cyrillic", "mac-roman", "shift_jis",
    "shift_jis_2004", "shift_jisx0213", "utf-16-be", "utf-16-le", "utf-8",
})


def _prior(encoding: str) -> float:
    """windows-1252, the web's commonest legacy encoding, is worth one n-gram no profile knows.

    A page in English with a word or two in French ('café', 'crème brûlée') gives too few n-grams
    to tell cp1252 from cp1257 or ISO-8859-10 by language alone.
    """
    return -UNSEEN if codecs.lookup(encoding).name == "cp1252" else 0.0


def _on_the_web(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name in _WEB
    except LookupError:
        return False


_NON_ASCII_WORD = re.compile(r"\S*[^\x00-\x7f]\S*")
DIFFERING = 480  # characters of them scored: under language.py's sample size, so all of them are read


def _where_they_differ(text: str) -> str:
    """The words with a character outside ASCII: the only ones code pages decode differently.

    Scoring the whole text would let its sampled windows (language.py reads a long text as four
    windows of 128 characters) miss the one accented word of an English page, and its ASCII would
    drown that word's n-grams: 'café' would come out as 'cafķ' (cp775) as easily as not.
    """
    words = _NON_ASCII_WORD.findall(text)
    out, size = [], 0
    for word in words:
        if size + len(word) + 1 > DIFFERING:
            break
        out.append(word)
        size += len(word) + 1
    return " ".join(out)


def _lenient(data: bytes, encoding: str) -> Decoded:
    if codecs.lookup(encoding).name in _READ_AS_CP1252:
        encoding = "cp1252"
    text = data.decode(encoding, errors="replace")
    return Decoded(text.lstrip("\ufeff"), encoding, text.count("\ufffd"))
