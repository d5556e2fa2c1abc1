"""Language identification with langdetect's own profiles, scored deterministically with numpy.

langdetect samples n-grams at random (its answer changes from run to run unless seeded, and the
seed does not reach spawned workers) and costs milliseconds per call. Its model is plain naive
Bayes over 1-3 character n-grams, so we score *every* n-gram of the text at once: one lookup of
the n-gram codes in a sorted array, one gather-and-sum over a matrix of per-language log
probabilities smoothed as langdetect smooths them (alpha / 10,000). No sampling, no seed: the same
text gives the same answer in any process. The text is normalised as langdetect normalises it
(URLs and e-mail addresses dropped, Vietnamese diacritics composed, punctuation and digits as word
breaks, CJK/kana/hangul folded to class representatives, all-capital words skipped, Latin letters
dropped from mostly non-Latin text), through a per-code-point lookup table.

`engine="langdetect"` keeps the old way (a seeded langdetect detector) for comparison.
"""

from __future__ import annotations

import json
import os
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException
from langdetect.utils.ngram import NGram

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
_LOCK = threading.Lock()
_PROFILES: Profiles | None = None
_FACTORY: DetectorFactory | None = None


@dataclass(frozen=True)
class Profiles:
    """langdetect's profiles as arrays: n-gram codes (sorted) and their per-language log probabilities."""

    langs: tuple[str, ...]
    codes: np.ndarray  # int64, sorted: the code of every n-gram any profile knows
    log_probs: np.ndarray  # float32, len(codes) x len(langs)
    char_ids: np.ndarray  # uint16 (small: it stays in cache), one per BMP code point: compact id of its normalised character
    upper: np.ndarray  # bool, one per compact id + 1: is the normalised character upper case
    base: int  # radix of the n-gram codes

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
        char_ids = np.array([ids.get(NGram.normalize(chr(cp)), _UNKNOWN) for cp in range(0x10000)], dtype=np.uint16)
        upper = np.zeros(base + 1, dtype=bool)  # indexed by id + 1
        for ch, i in ids.items():
            upper[i + 1] = ch.isupper()
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
        return cls(tuple(p["name"] for p in profiles), codes[order], log_probs, char_ids, upper, base)

    def score(self, text: str) -> tuple[np.ndarray, int]:
        """Summed log probability of the text's n-grams per language, and how many n-grams were known."""
        return self.score_code_points(code_points(text))

    def score_code_points(self, cps: np.ndarray) -> tuple[np.ndarray, int]:
        ascii_letter = (cps >= ord("A")) & (cps <= ord("z"))  # langdetect's own (loose) test for Latin
        non_latin = (cps >= 0x300) & ((cps < 0x1E00) | (cps > 0x1EFF))
        if 2 * np.count_nonzero(ascii_letter) < np.count_nonzero(non_latin):
            cps = cps[~ascii_letter]  # stray Latin words in, say, Russian text say nothing about Russian
        if cps.size and cps.max() >= 0x10000:
            cps = np.where(cps < 0x10000, cps, 0xFFFF)  # U+FFFF is no character: unknown, like emoji
        # Character ids plus one, padded with a space at each end. Runs of spaces need no collapsing:
        # an n-gram with two spaces in a row, or a space inside, is in no profile (or masked below).
        d = np.concatenate(([_SPACE + 1], self.char_ids.take(cps).astype(np.int64) + 1, [_SPACE + 1]))
        word = d != _SPACE + 1
        up = self.upper.take(d)
        kept = np.concatenate(([True], ~(up[1:] & up[:-1])))  # langdetect skips n-grams inside ALL-CAPS words
        pairs = d[:-1] * self.base + d[1:]
        codes = np.concatenate((d[word & kept], pairs[kept[1:]], (pairs[:-1] * self.base + d[2:])[word[1:-1] & kept[2:]]))
        rows = np.searchsorted(self.codes, codes)
        rows = rows[self.codes.take(rows, mode="clip") == codes]
        total = np.zeros(len(self.langs))
        for start in range(0, rows.size, _CHUNK):  # exact float32 sums (see _QUANTUM), added up in float64
            chunk = rows[start:start + _CHUNK]
            total += _ONES[: chunk.size] @ self.log_probs.take(chunk, axis=0)
        return total, int(rows.size)


def code_points(text: str) -> np.ndarray:
    """The text as code points, with langdetect's text clean-up (URLs, e-mails, Vietnamese marks)."""
    if "@" in text or "http" in text:
        text = Detector.MAIL_RE.sub(" ", Detector.URL_RE.sub(" ", text))
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if np.any((cps >= 0x300) & (cps <= 0x323)):
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
                _PROFILES = Profiles.load()
    return _PROFILES


def decide(scores: np.ndarray, known: int, langs: tuple[str, ...]) -> tuple[str, float]:
    """The best language and its posterior (uniform prior, tempered); "und" when nothing was known."""
    if known == 0:
        return UNDETERMINED, 0.0
    z = scores / TEMPERATURE
    posterior = np.exp(z - z.max())
    posterior /= posterior.sum()
    best = int(np.argmax(posterior))
    return langs[best], round(float(posterior[best]), 4)


def detect(text: str, min_letters: int = 20, engine: str = "profiles", max_chars: int = 10_000) -> tuple[str, float]:
    """(language code, confidence); "und" with 0.0 when the text cannot be judged (never raises)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown language engine {engine!r}; expected one of {', '.join(ENGINES)}")
    text = text[:max_chars]
    cps = code_points(text)
    if count_letters(cps) < min_letters:
        return UNDETERMINED, 0.0
    if engine == "langdetect":
        return _detect_langdetect(text)
    model = profiles()
    return decide(*model.score_code_points(cps), model.langs)


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
