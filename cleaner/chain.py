"""The chain is a plain list of steps, built from options; users may build their own."""

from __future__ import annotations

from collections import Counter
from time import process_time

from .document import Document, Removal
from .options import Options
from .rules import load_rules
from .steps import (
    BoilerplateRules,
    ContentClassifier,
    CorpusStep,
    DetectLanguage,
    DuplicateParagraphsInDocument,
    ForeignParagraphs,
    KeepLanguages,
    MinHashSignatures,
    NearDuplicateParagraphs,
    ParagraphClassifier,
    RecordGrid,
    RepeatedLineKeys,
    RepeatedLines,
    SandwichedLines,
    Step,
)
from .steps.content import ContentThresholds

NOTHING_LEFT = Removal("chain", "nothing left after cleaning", "empty")
EMPTY_INPUT = Removal("chain", "empty document", "empty-input")


def build_steps(options: Options) -> list[Step]:
    steps: list[Step] = [DetectLanguage(options.lang_min_letters, engine=options.lang_engine)]
    rules = load_rules(options.rules_dirs) if options.rules else []
    if options.rules:
        steps.append(BoilerplateRules(rules, options.rule_timeout))
    if options.context:
        steps.append(SandwichedLines())
    if options.classifier:
        steps.append(ParagraphClassifier(options.classifier_threshold, judge_extracted=options.content_on_extracted_html,
                                         prose_threshold=options.classifier_prose_threshold,
                                         page_threshold=options.classifier_page_threshold,
                                         page_alpha=options.classifier_page_alpha,
                                         page_max=options.classifier_page_max,
                                         lexical=options.classifier_lexical,
                                         main_region=options.classifier_main_region,
                                         region_keep=options.classifier_region_keep))
    if options.content and (options.content_with_classifier or not options.classifier):
        steps.append(ContentClassifier(ContentThresholds(min_good_share=options.min_good_share),
                                       judge_extracted=options.content_on_extracted_html))
    if options.record_grid:  # after what judges paragraphs one by one: the grid is seen only whole
        steps.append(RecordGrid(share=options.record_grid_share, shape_rules=frozenset(r.id for r in rules if r.by_shape)))
    if options.dedup:
        steps.append(DuplicateParagraphsInDocument(options.dedup_threshold, options.shingle_words))
    if options.langs:
        steps.append(KeepLanguages(options.langs))
        if options.foreign_paragraphs:
            steps.append(ForeignParagraphs(options.langs, options.foreign_min_letters,
                                           options.foreign_min_confidence, options.lang_engine))
    if options.dedup:  # per document, so in the worker processes
        steps.append(MinHashSignatures(options.num_perm, options.shingle_words))
    if options.repeated_lines:  # the keys per document (in the workers), the counts over the corpus
        steps += [RepeatedLineKeys(), RepeatedLines(options.repeated_min_docs)]
    if options.dedup:
        steps.append(NearDuplicateParagraphs(
            options.dedup_threshold, options.num_perm, options.shingle_words, keep=options.dedup_keep,
            boilerplate_docs=options.dedup_boilerplate_docs, index_path=options.dedup_index))
    return steps


def split(steps: list[Step]) -> tuple[list[Step], list[Step]]:
    """The steps each document can go through alone, and the rest (from the first corpus step on)."""
    for i, step in enumerate(steps):
        if isinstance(step, CorpusStep):
            return steps[:i], steps[i:]
    return steps, []


def run_steps(steps: list[Step], doc: Document, seconds: Counter | None = None) -> Document:
    """Apply the steps in order until one removes the whole document.

    With `seconds`, each step's CPU time is added to it under the step's class name: a run's
    profile for two clock reads per step, whatever the load of the machine.
    """
    for step in steps:
        if doc.removed is not None:
            break
        if seconds is None:
            step.apply(doc)
        else:
            started = process_time()
            step.apply(doc)
            seconds[type(step).__name__] += process_time() - started
    return doc


def finish(doc: Document) -> Document:
    """The chain's own bookkeeping: a document with nothing kept is removed as a whole."""
    if doc.removed is None and not doc.kept_paragraphs:
        doc.removed = NOTHING_LEFT if doc.paragraphs else EMPTY_INPUT
    return doc
