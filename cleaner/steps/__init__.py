"""The steps of the chain. Each marks what it removes (or, rarely, what it keeps against an earlier mark); none deletes anything."""

from .base import CorpusStep, Step
from .classifier import ParagraphClassifier
from .content import ContentClassifier
from .context import SandwichedLines
from .dedup import DuplicateParagraphsInDocument, MinHashSignatures, NearDuplicateParagraphs
from .language import DetectLanguage, ForeignParagraphs, KeepLanguages
from .records import RecordGrid
from .repeated import RepeatedLineKeys, RepeatedLines
from .rules import BoilerplateRules

__all__ = [
    "BoilerplateRules", "ContentClassifier", "CorpusStep", "DetectLanguage",
    "DuplicateParagraphsInDocument", "ForeignParagraphs", "KeepLanguages", "MinHashSignatures",
    "NearDuplicateParagraphs", "ParagraphClassifier", "RecordGrid", "RepeatedLineKeys", "RepeatedLines",
    "SandwichedLines", "Step",
]
