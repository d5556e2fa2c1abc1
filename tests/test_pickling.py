"""Marked documents travel between processes and to the spool by pickle: nothing may change on the way."""

from __future__ import annotations

import pickle

from prose import EN, lines

from cleaner import Cleaner
from cleaner.document import Document, Paragraph
from cleaner.steps.base import Step


def test_a_cleaned_document_comes_back_from_pickle_equal_in_every_field():
    doc = Cleaner().clean(lines("Skip to content", EN[0], "Share this story", EN[1], EN[0])).document
    doc.paragraphs[1].features["note"] = {"nested": [1, 2]}
    back = pickle.loads(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == doc
    assert [vars(p) for p in back.paragraphs] == [vars(p) for p in doc.paragraphs]


def test_a_document_without_paragraphs_and_one_pickled_the_old_way_load_too():
    empty = Document("e", "")
    assert pickle.loads(pickle.dumps(empty)) == empty
    old = Document("o", "abc", [Paragraph("abc", 0, 3)])
    state = dict(old.__dict__)  # what the default pickling stored before paragraphs went by columns
    revived = Document.__new__(Document)
    revived.__setstate__(state)
    assert revived == old


def test_equal_removals_are_one_object_but_1_and_1_point_0_stay_apart():
    step = Step()
    first = step.removal("why", "rule", similarity=1.0)
    assert step.removal("why", "rule", similarity=1.0) is first
    as_int = step.removal("why", "rule", similarity=1)
    assert as_int.evidence == (("similarity", 1),) and isinstance(as_int.evidence[0][1], int)


def test_a_distinct_mark_gives_the_removal_a_shared_mark_gives():
    step = Step()
    doc = Document("d", "a b", [Paragraph("a", 0, 1), Paragraph("b", 2, 3)])
    step.mark(doc, doc.paragraphs[0], "why", "rule", "detail", p_content=0.25, other=1)
    step.mark_distinct(doc, doc.paragraphs[1], "why", "rule", "detail", p_content=0.25, other=1)
    assert doc.paragraphs[1].removed == doc.paragraphs[0].removed
    assert doc.paragraphs[1].removed is not doc.paragraphs[0].removed
