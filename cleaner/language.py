"""Language identification with langdetect's own profiles, scored deterministically with numpy.

langdetect samples n-grams at random (its answer changes from run to run unless seeded, and the
seed does not reach spawned workers) and costs milliseconds per call. Its model is plain naive
Bayes over 1-3 character n-grams, so we score the text's n-grams all at once instead: one lookup of
their codes in a cuckoo hash table (two probes each, no Python loop), one gather-and-sum over a
matrix of per-language log probabilities smoothed as langdetect smooths them (alpha / 10,000).
Text longer than 512 characters is read as four evenly spaced windows of 128: by then the answer
has stopped changing (on the devset, 1,000- and 3,000-character documents are all still right), and
windows spread over the text weigh its parts as the whole text would. No randomness, no seed: the
same text gives the same answer in any process.

The text is normalised as langdetect normalises it (URLs and e-mail addresses dropped, Vietnamese
diacritics composed, punctuation and digits as word breaks, CJK/kana/hangul folded to class
representatives, n-grams inside ALL-CAPS words skipped), through one per-code-point lookup table.
One rule is bolder: langdetect drops the Latin letters of a text when they are fewer than half its
non-Latin characters; we drop them when they are fewer than twice as many (a third of the text in
another script). Latin words in a Hindi, Urdu or Russian web page are mostly English menus, names,
dates and HTTP headers, while a Latin-script page that is a third Devanagari or Arabic is rare; on
the devset's mixed-script pages this turns langdetect's most common mistake (answering "en" for an
Urdu page with English boilerplate) into right answers at every length.

`engine="langdetect"` keeps the old way (a seeded langdetect detector) for comparison.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException
from langdetect.utils.ngram import NGram

from .atomic import file_mode

UNDETERMINED = "und"
ENGINES = ("profiles", "langdetect")
# Each character takes part in up to three overlapping n-grams, so the naive-Bayes sum counts the
# same evidence about three times; dividing by this keeps confidences on short texts honest.
TEMPERATURE = 3.0
SMOOTHING = _SMOOTHING = Detector.ALPHA_DEFAULT / Detector.BASE_FREQ  # what an n-gram a language never uses costs it
_SPACE, _UNKNOWN = 0, 1  # compact character ids; profile characters start at 2
# Log probabilities are rounded to multiples of 2**-10 nats (far below the model's own error), so any
# float32 sum of up to _CHUNK of them (each >= -10) is exact: the scores are the same bit for bit
# whatever the summation order, BLAS build, thread count or machine.
_QUANTUM = 2.0**-10
_CHUNK = 1500
_ONES = np.ones(_CHUNK, dtype=np.float32)
# Cuckoo hashing: every known n-gram code sits in one of its two slots, (code * M) >> (64 - bits) for
# the two multipliers; a third of the slots are used, so insertion always succeeds quickly.
_MULTIPLIERS = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F))
_SLOT_BITS = 18
_CACHE_PREFIX = "language-profiles-"
_CACHE_STALE = 24 * 3600  # seconds: another version's cache file unwritten this long is removed
_LATIN_RATIO = 2.0  # Latin letters are dropped when fewer than this many times the non-Latin characters
_SAMPLE, _WINDOWS = 512, 4  # longer text is read as _WINDOWS windows, _SAMPLE characters in all
_ID_MASK, _UPPER, _LATIN, _NON_LATIN, _LETTER = 0x0FFF, 0x1000, 0x2000, 0x4000, 0x8000
_LOCK = threading.Lock()
_PROFILES: Profiles | None = None
_FACTORY: DetectorFactory | None = None


@cache
def known_languages() -> tuple[str, ...]:
    """The codes a document can be given (langdetect's profiles, both engines), and "und"."""
    return (*sorted(n for n in os.listdir(PROFILES_DIRECTORY) if not n.startswith(".")), UNDETERMINED)


def language_codes(codes) -> tuple[str, ...]:
    """Codes as people write them (' EN', 'zh_CN', 'zh-TW') as langdetect's ('en', 'zh-cn', 'zh-tw')."""
    return tuple(c.strip().lower().replace("_", "-") for c in codes if c.strip())


def check_languages(codes: tuple[str, ...]) -> None:
    """Refuse codes no document is ever given: a typo ("eng") would remove every document."""
    known = known_languages()
    unknown = [c for c in codes if c not in known and not any(k.startswith(f"{c}-") for k in known)]
    if unknown:
        raise ValueError(f"unknown language code(s) {', '.join(unknown)}; known: {', '.join(known)} "
                         "(zh for zh-cn and zh-tw; und: too few letters to tell)")


@dataclass(frozen=True)
class Profiles:
    """langdetect's profiles as arrays: n-gram codes (sorted) and their per-language log probabilities."""

    langs: tuple[str, ...]
    codes: np.ndarray  # int64, sorted: the code of every n-gram any profile knows
    log_probs: np.ndarray  # float32, len(codes) x len(langs)
    # uint16 (small: it stays in cache), one per BMP code point: the compact id of its normalised
    # character plus one (bits 0-11), and the flags _UPPER, _LATIN, _NON_LATIN, _LETTER
    chars: np.ndarray
    base: int  # radix of the n-gram codes
    slot_codes: np.ndarray  # int64, 2**_SLOT_BITS: the code in each hash slot, -1 when empty
    slot_rows: np.ndarray  # int32, the row of log_probs for the code in each slot

    @classmethod
    def load(cls, directory: str = PROFILES_DIRECTORY) -> Profiles:
        profiles = []
        for name in sorted(os.listdir(directory)):  # sorted: the language order never depends on the file system
            if not name.startswith("."):
                with open(os.path.join(directory, name), encoding="utf-8") as f:
                    profiles.append(json.load(f))
        alphabet = sorted({ch for p in profiles for gram in p["freq"] for ch in gram} - {" "})
        ids = {" ": _SPACE, **{ch: i for i, ch in enumerate(alphabet, 2)}}
        base = len(alphabet) + 3
        if base > _ID_MASK:
            raise ValueError(f"{len(alphabet)} characters in the profiles: too many for 12-bit ids")
        chars = np.array([_char_entry(cp, ids) for cp in range(0x10000)], dtype=np.uint16)
        grams = sorted({g for p in profiles for g in p["freq"] if 1 <= len(g) <= 3})
        index = {g: i for i, g in enumerate(grams)}
        probs = np.zeros((len(grams), len(profiles)), dtype=np.float64)
        for j, p in enumerate(profiles):
            for gram, count in p["freq"].items():
                if gram in index:
                    probs[index[gram], j] = count / p["n_words"][len(gram) - 1]
        codes = np.array([_code([ids[ch] for ch in g], base) for g in grams], dtype=np.int64)
        order = np.argsort(codes)
        log_probs = (np.round(np.log(probs + _SMOOTHING) / _QUANTUM) * _QUANTUM).astype(np.float32)[order]
        codes = codes[order]
        slot_codes, slot_rows = _cuckoo(codes)
        return cls(tuple(p["name"] for p in profiles), codes, log_probs, chars, base, slot_codes, slot_rows)

    @classmethod
    def cached(cls, directory: str = PROFILES_DIRECTORY) -> Profiles:
        """`load`, kept between runs as arrays in the user's cache folder (see `cache_file`):
        building them from langdetect's JSON costs half a CPU-second, reading them 20 ms."""
        path = cache_file(directory)
        if path is not None and path.exists():
            with contextlib.suppress(Exception):  # a damaged or foreign file: built again
                return cls.read(path)
        built = cls.load(directory)
        if path is not None:
            with contextlib.suppress(OSError):  # no cache where it cannot be written
                built.write(path)
        return built

    def write(self, path: Path) -> None:
        """Saved whole or not at all, readable as any new file is; other versions of the cache
        unwritten for a day are removed (two installs sharing the folder keep both files)."""
        quanta = np.round(self.log_probs / np.float32(_QUANTUM))
        if not (np.abs(quanta) < 2**15).all():
            return  # no int16 for these log probabilities: not cached
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.fchmod(fd, file_mode())  # mkstemp's 0600 would keep a shared cache folder's other users out
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, langs=np.array(self.langs), codes=self.codes, quanta=quanta.astype(np.int16),
                         chars=self.chars, base=np.array(self.base), slot_codes=self.slot_codes,
                         slot_rows=self.slot_rows)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        for old in path.parent.glob(f"{_CACHE_PREFIX}*.npz"):
            with contextlib.suppress(OSError):
                if old != path and time.time() - old.stat().st_mtime > _CACHE_STALE:
                    old.unlink()

    @classmethod
    def read(cls, path: Path) -> Profiles:
        with np.load(path) as saved:
            # quanta times 2**-10 in float32: the very floats `load` rounds to (see _QUANTUM)
            return cls(tuple(saved["langs"].tolist()), saved["codes"], saved["quanta"].astype(np.float32) * np.float32(_QUANTUM),
                       saved["chars"], int(saved["base"]), saved["slot_codes"], saved["slot_rows"])

    def characters(self, cps: np.ndarray) -> tuple[np.ndarray, int]:
        """The table entry of every code point, and how many of them are letters."""
        wide = cps.size and cps.max() >= 0x10000
        chars = self.chars.take(np.where(cps < 0x10000, cps, 0xFFFF) if wide else cps)  # U+FFFF: no character
        letters = np.count_nonzero(chars >= _LETTER)
        if wide:
            letters += sum(1 for cp in cps[cps >= 0x10000].tolist() if chr(cp).isalpha())
        return chars, int(letters)

    def rows(self, codes: np.ndarray) -> np.ndarray:
        """The log_probs rows of the codes any profile knows (unknown codes are left out)."""
        first, second = _slots(codes)
        in_first = self.slot_codes.take(first) == codes
        found = in_first | (self.slot_codes.take(second) == codes)
        return self.slot_rows.take(np.where(in_first, first, second)[found])

    def score(self, text: str) -> tuple[np.ndarray, int]:
        """Summed log probability of the text's n-grams per language, and how many n-grams were known."""
        return self.score_characters(self.characters(code_points(text))[0])

    def score_characters(self, chars: np.ndarray) -> tuple[np.ndarray, int]:
        if np.count_nonzero(chars & _NON_LATIN):
            latin = chars & _LATIN
            if np.count_nonzero(latin) < _LATIN_RATIO * np.count_nonzero(chars & _NON_LATIN):
                chars = chars[latin == 0]  # English names and menus in, say, Urdu text say nothing about Urdu
        chars = _sample(chars)
        # Every 1-, 2- and 3-gram of the character ids (plus one), padded with a space at each end. The
        # n-grams langdetect never makes (a lone space, two spaces, a space inside) are in no profile:
        # the lookup drops them, so they need no masking here.
        d = np.empty(chars.size + 2, dtype=np.int64)
        d[0] = d[-1] = _SPACE + 1
        np.bitwise_and(chars, _ID_MASK, out=d[1:-1])
        pairs = d[:-1] * self.base + d[1:]
        codes = np.concatenate((d[1:-1], pairs, pairs[:-1] * self.base + d[2:]))
        upper = chars & _UPPER
        if (upper[1:] & upper[:-1]).any():  # langdetect skips the n-grams that end inside an ALL-CAPS word
            kept = np.ones(d.size, dtype=bool)
            kept[2:-1] = (upper[1:] & upper[:-1]) == 0
            codes = codes[np.concatenate((kept[1:-1], kept[1:], kept[2:]))]
        rows = self.rows(codes)
        total = np.zeros(len(self.langs))
        for start in range(0, rows.size, _CHUNK):  # exact float32 sums (see _QUANTUM), added up in float64
            chunk = rows[start:start + _CHUNK]
            total += _ONES[: chunk.size] @ self.log_probs.take(chunk, axis=0)
        return total, int(rows.size)


def _sample(chars: np.ndarray) -> np.ndarray:
    """Long text: _WINDOWS evenly spaced windows of it, _SAMPLE characters in all, each window followed by a space.

    The answer has long converged by then (see benchmarks/language.py), and windows spread over the
    text weigh its parts as the whole text would.
    """
    if chars.size <= _SAMPLE:
        return chars
    width = _SAMPLE // _WINDOWS
    starts = np.arange(_WINDOWS) * (chars.size - width) // (_WINDOWS - 1)
    windows = chars.take(starts[:, None] + np.arange(width + 1), mode="clip")
    windows[:, -1] = _SPACE + 1
    return windows.ravel()


def _char_entry(cp: int, ids: dict[str, int]) -> int:
    normal = NGram.normalize(chr(cp))
    known = normal in ids
    entry = ids[normal] + 1 if known else _UNKNOWN + 1
    if known and normal.isupper():
        entry |= _UPPER
    if unicodedata.category(chr(cp))[0] in "LM":  # an Indic vowel sign is part of the word, not punctuation
        latin = cp < 0x300 or 0x1E00 <= cp <= 0x1EFF  # Latin Extended Additional: Vietnamese
        entry |= _LETTER | (_LATIN if latin else _NON_LATIN)
    return entry


def _slots(codes: np.ndarray, bits: int = _SLOT_BITS) -> tuple[np.ndarray, np.ndarray]:
    keys, shift = codes.view(np.uint64), np.uint64(64 - bits)
    return tuple((keys * m) >> shift for m in _MULTIPLIERS)


def _cuckoo(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A two-choice hash table of the sorted codes, built in a fixed order: the same table everywhere."""
    first, second = (s.astype(np.int64).tolist() for s in _slots(codes))
    rows = [-1] * (1 << _SLOT_BITS)
    for row in range(len(codes)):
        slot = first[row]
        for _ in range(1000):
            row, rows[slot] = rows[slot], row  # take the slot, evicting whoever was there
            if row == -1:
                break
            slot = second[row] if slot == first[row] else first[row]
        else:
            raise RuntimeError("cuckoo hash table did not settle; use more slot bits")
    slot_rows = np.array(rows, dtype=np.int32)
    return np.where(slot_rows >= 0, codes.take(slot_rows), -1), slot_rows


def code_points(text: str) -> np.ndarray:
    """The text as code points, with langdetect's text clean-up (URLs, e-mails, Vietnamese marks)."""
    if "@" in text or "http" in text:
        text = Detector.MAIL_RE.sub(" ", Detector.URL_RE.sub(" ", text))
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if cps.size and cps.max() >= 0x300 and np.any((cps >= 0x300) & (cps <= 0x323)):
        cps = np.frombuffer(NGram.normalize_vi(text).encode("utf-32-le"), dtype=np.uint32)
    return cps


@cache
def _letter_table() -> np.ndarray:
    return np.array([unicodedata.category(chr(cp))[0] in "LM" for cp in range(0x10000)], dtype=bool)


def count_letters(cps: np.ndarray) -> int:
    """Letters and combining marks (an Indic vowel sign is part of the word, not punctuation)."""
    n = int(_letter_table()[cps[cps < 0x10000]].sum())
    wide = cps[cps >= 0x10000]
    return n + sum(1 for cp in wide.tolist() if chr(cp).isalpha()) if wide.size else n


def _code(ids: list[int], base: int) -> int:
    code = 0
    for i in ids:
        code = code * base + i + 1
    return code


def profiles() -> Profiles:
    """The model, loaded once per process (under a lock: threads may ask for it first)."""
    global _PROFILES
    if _PROFILES is None:
        with _LOCK:
            if _PROFILES is None:
                _PROFILES = Profiles.cached()
    return _PROFILES


def cache_file(directory: str = PROFILES_DIRECTORY) -> Path | None:
    """Where the arrays built from the profiles in `directory` are kept: in $CLEANER_CACHE_DIR
    (empty: no cache), else $XDG_CACHE_HOME/cleaner or ~/.cache/cleaner. The name holds a hash of
    this module's source and of the profile files' names, sizes and times: a change to either is
    a new file."""
    folder = os.environ.get("CLEANER_CACHE_DIR")
    if folder is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "cleaner")
    if not folder:
        return None
    try:
        key = hashlib.sha256(Path(__file__).read_bytes())
        for name in sorted(os.listdir(directory)):
            stat = os.stat(os.path.join(directory, name))
            key.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    except OSError:
        return None
    key.update(os.path.abspath(directory).encode())
    return Path(folder) / f"{_CACHE_PREFIX}{key.hexdigest()[:20]}.npz"


def decide(scores: np.ndarray, known: int, langs: tuple[str, ...]) -> tuple[str, float]:
    """The best language and its posterior (uniform prior, tempered); "und" when nothing was known."""
    if known == 0:
        return UNDETERMINED, 0.0
    best = int(scores.argmax())
    posterior = 1.0 / float(np.exp((scores - scores[best]) / TEMPERATURE).sum())
    return langs[best], round(posterior, 4)


def detect(text: str, min_letters: int = 20, engine: str = "profiles", max_chars: int = 10_000) -> tuple[str, float]:
    """(language code, confidence); "und" with 0.0 when the text cannot be judged (never raises)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown language engine {engine!r}; expected one of {', '.join(ENGINES)}")
    text = text[:max_chars]
    if engine == "langdetect":
        return _detect_langdetect(text) if count_letters(code_points(text)) >= min_letters else (UNDETERMINED, 0.0)
    model = profiles()
    chars, letters = model.characters(code_points(text))
    if letters < min_letters:
        return UNDETERMINED, 0.0
    return decide(*model.score_characters(chars), model.langs)


def _factory() -> DetectorFactory:
    global _FACTORY
    with _LOCK:
        if _FACTORY is None:
            factory = DetectorFactory()
            texts = []
            for name in sorted(os.listdir(PROFILES_DIRECTORY)):
                with open(os.path.join(PROFILES_DIRECTORY, name), encoding="utf-8") as f:
                    texts.append(f.read())
            factory.load_json_profile(texts)  # sorted, unlike load_profile's os.listdir order
            factory.set_seed(0)
            _FACTORY = factory
        return _FACTORY


def _detect_langdetect(text: str) -> tuple[str, float]:
    detector = _factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNDETERMINED, 0.0
    return best.lang, round(best.prob, 4)
