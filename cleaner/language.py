"""Deterministic langdetect: our own seeded factory, loaded once per process under a lock."""

from __future__ import annotations

import threading

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

UNDETERMINED = "und"
_LOCK = threading.Lock()
_FACTORY: DetectorFactory | None = None


def _factory() -> DetectorFactory:
    global _FACTORY
    with _LOCK:
        if _FACTORY is None:
            factory = DetectorFactory()
            factory.load_profile(PROFILES_DIRECTORY)
            factory.set_seed(0)
            _FACTORY = factory
        return _FACTORY


def detect(text: str, min_letters: int = 20) -> tuple[str, float]:
    """(language code, probability); "und" with 0.0 when the text cannot be judged."""
    if sum(1 for ch in text if ch.isalpha()) < min_letters:
        return UNDETERMINED, 0.0
    detector = _factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNDETERMINED, 0.0
    return best.lang, round(best.prob, 4)
