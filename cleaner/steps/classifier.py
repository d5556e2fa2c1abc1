"""Content or boilerplate by a small trained model over each paragraph's and its neighbours' features.

The model (cleaner/models/paragraphs.json, trained by benchmarks/train_classifier.py on half of
the devset) gives each paragraph a probability of being main content; one below the threshold
is removed, with the features that pushed it down the most as its evidence. Running prose (what
jusText calls good: long, with the stop-word density of its language) needs a lower probability,
`prose_threshold`, to go: the devset loses little by it (about 0.002 F1 held-out), and pages
unlike the devset's (a short note, a page that is all text) keep their text.

The threshold can be the page's own (`page_threshold`): the devset's metric is an F1 per page,
and which cut maximises a page's F1 depends on the page. Taking the probabilities as the
chances that paragraphs are content, the expected F1 of keeping the k most probable ones is
about 2 * sum(p w over the k) / (sum(w over the k) + alpha * sum(p w over all)), w a
paragraph's words; the cut that maximises it is the page's threshold. The best cut sits near
half the F1 it reaches (Lipton et al. 2014): a page whose content the model is sure of drops
its uncertain lines, a page where it is unsure of everything keeps more of them rather than
lose what content it has. `alpha` below 1 trusts the model's total of content less than its
ranking; it is a property of the model, not of any wording, and it helps alike on the pages
the model was trained on and on the others. The cut never goes above `page_max` (0.5): a
paragraph more likely content than not, a title above sure prose for one, is not given up
for the sake of a page's figure.

A page's main content is mostly one stretch (`main_region`): the stretch of paragraphs where
keeping pays the most, the sum of (p - threshold) * (words + 1) being largest there. A paragraph
outside it stays only when the model is sure of it (`region_keep`), running prose included: an
order form, a shipping policy or a seller's blurb before or after a product's description
reads like text, but the page's content is elsewhere. The stretch is bridged over anything
its content outweighs, so an article interrupted by an advert stays whole, and widened to the
kept paragraphs that touch it. Nothing about it is learned, and the training half of the
devset gains as much as the held-out one (held-out F1 0.837 -> 0.842, all pages 0.855 -> 0.863).

A page in a language the lexical model knows (cleaner.lexical: the log-odds of content given
a paragraph's words, learned from the devset's training pages; English only there) is judged
by a classifier trained with that score as one more first-stage feature
(models/paragraphs-lexical.json); other pages, and every page with `lexical=False`, by the
classifier without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import lexical as lexical_model
from ..document import Document
from ..features import PageWords, context_features, paragraph_features
from ..model import MODEL_PATH, ParagraphModel, load
from ..textstats import is_prose
from .base import Step


@dataclass(frozen=True)
class Scores:
    """A page's features, the second stage's input, where both stages' walks through their trees
    end (kept: the explanations of the removed paragraphs read them again) and the probabilities."""

    model: ParagraphModel  # the shape-only model, or the one that also reads the lexical score
    words: np.ndarray  # per paragraph: how many words it has
    x: np.ndarray
    stacked: np.ndarray
    first: np.ndarray  # (rows, trees), see TreeModel.leaves
    second: np.ndarray
    probability: np.ndarray

    @classmethod
    def of(cls, model: ParagraphModel, words: np.ndarray, x: np.ndarray, chars: np.ndarray,
           removed: np.ndarray) -> Scores:
        """Only the paragraphs still kept are scored: a removed one's first-stage probability is 0
        in its neighbours' context (context_features), and nothing reads its own scores (0 here)."""
        kept = np.flatnonzero(~removed)
        first = np.zeros((len(x), model.first.feature.shape[0]), dtype=np.int64)
        first[kept] = model.first.leaves(x[kept])
        p = np.zeros(len(x))
        p[kept] = model.first.probability_of(first[kept])
        stacked = np.hstack((x, context_features(p, chars, removed)))
        second = np.zeros((len(x), model.second.feature.shape[0]), dtype=np.int64)
        second[kept] = model.second.leaves(stacked[kept])
        probability = np.zeros(len(x))
        probability[kept] = model.second.probability_of(second[kept])
        return cls(model, words, x, stacked, first, second, probability)

    def rows(self, index: list[int]) -> Scores:
        return Scores(self.model, self.words[index], self.x[index], self.stacked[index], self.first[index],
                      self.second[index], self.probability[index])


class ParagraphClassifier(Step):
    name = "classifier"

    def __init__(self, threshold: float | None = None, model_path: Path = MODEL_PATH,
                 judge_extracted: bool = False, top: int = 3, prose_threshold: float = 0.1,
                 page_threshold: bool = True, page_alpha: float = 0.7, page_max: float = 0.5,
                 lexical: bool = True, lexical_path: Path = lexical_model.LEXICAL_PATH,
                 lexical_model_path: Path = lexical_model.LEXICAL_MODEL_PATH, lexical_min_stop: float = 0.25,
                 main_region: bool = True, region_keep: float = 0.6):
        self.model = load(Path(model_path))
        self.lexical_model = load(Path(lexical_model_path)) if lexical else None
        self.lexical = lexical_model.load(Path(lexical_path)) if lexical else None
        self.lexical_info = self.lexical_model.meta["lexical"] if lexical else {"languages": []}
        self.lexical_min_stop = lexical_min_stop
        self.threshold = self.model.threshold if threshold is None else threshold
        # an explicit threshold is a fixed one
        self.page_threshold, self.page_alpha, self.page_max = page_threshold and threshold is None, page_alpha, page_max
        self.prose_threshold = min(prose_threshold, self.threshold)
        self.judge_extracted, self.top = judge_extracted, top
        self.main_region, self.region_keep = main_region, region_keep

    def apply(self, doc: Document) -> None:
        if doc.meta.get("extractor") == "trafilatura" and not self.judge_extracted:
            return  # trafilatura has already chosen the main content from the DOM
        paragraphs = doc.paragraphs
        if not any(p.removed is None for p in paragraphs):
            return
        scores = self.scores(doc)
        threshold, how = self.page_cut(doc, scores.probability, scores.words)
        judged = self.judged(doc, scores.probability, threshold)
        outside, (start, end) = self.outside(doc, scores.probability, threshold, judged, scores.words)
        prob = scores.probability.tolist()  # Python floats: the same values, formatted faster than numpy's
        below = f"{how}threshold {threshold:.2f}"
        reasons = {i: f"classified as boilerplate (p={prob[i]:.2f} < {below})" for i in judged}
        region = f"outside the page's main region ¶{start}-{end}"
        reasons.update({i: f"{region} (p={prob[i]:.2f} < {self.region_keep:.2f})" for i in outside})
        if not reasons:
            return
        order = sorted(reasons)
        for i, detail in zip(order, self.explanations(scores.rows(order)), strict=True):
            self.mark_distinct(doc, paragraphs[i], reasons[i], "classifier" if i not in outside else "classifier-region",
                               detail, p_content=round(prob[i], 3))

    def scores(self, doc: Document) -> Scores:
        """The shape-only model's scores, or, in a language the lexical model was trained on, the
        scores of the model that also reads what the paragraph's words say."""
        chars = np.array([len(p.text) for p in doc.paragraphs], dtype=float)
        removed = np.array([p.removed is not None for p in doc.paragraphs])
        page = PageWords.of(doc)  # read once: for the features, and whether the stop list fits
        x, model = paragraph_features(doc, page=page), self.model
        if doc.lang in self.lexical_info["languages"] and page.stoplist_fits(self.lexical_min_stop):
            model = self.lexical_model
            kept = np.flatnonzero(~removed)  # the others are not scored (see Scores.of)
            score = np.zeros(len(x))
            score[kept] = self.lexical_info["intercept"] + lexical_model.scores(
                self.lexical, [doc.paragraphs[i].text for i in kept.tolist()])
            x = np.hstack((x, score[:, None].astype(x.dtype)))
        return Scores.of(model, page.word_counts, x, chars, removed)

    def page_cut(self, doc: Document, prob: np.ndarray, words: np.ndarray | None = None) -> tuple[float, str]:
        """(threshold, "page " or ""): the page's own cut when `page_threshold`, else the fixed one;
        `words`: how many words each paragraph has, when the caller has counted them (Scores.words)."""
        if not self.page_threshold:
            return self.threshold, ""
        kept = np.array([p.removed is None for p in doc.paragraphs])
        weight = (PageWords.of(doc).word_counts if words is None else words) + 1.0
        return min(expected_f1_threshold(prob[kept], weight[kept], self.page_alpha), self.page_max), "page "

    def judged(self, doc: Document, prob: np.ndarray, threshold: float) -> list[int]:
        """The paragraphs to remove: still kept, improbable, and not running prose unless very improbable."""
        return [i for i, (p, content) in enumerate(zip(doc.paragraphs, prob.tolist(), strict=True))
                if p.removed is None and content < threshold
                and (content < self.prose_threshold or not is_prose(p.text, doc.lang))]

    def outside(self, doc: Document, prob: np.ndarray, threshold: float,
                judged: list[int], words: np.ndarray | None = None) -> tuple[set[int], tuple[int, int]]:
        """The paragraphs the threshold keeps outside the page's main region that the model is not sure
        of, and the region (first, last); `words` as for `page_cut`."""
        if not self.main_region:
            return set(), (0, len(prob) - 1)
        words = PageWords.of(doc).word_counts if words is None else words
        judging = np.array([p.removed is None for p in doc.paragraphs])  # those an earlier step removed count for nothing
        score = np.where(judging, (prob - threshold) * (words + 1.0), 0.0)
        start, end = main_region(score)
        if score[start:end + 1].sum() <= 0:  # nothing above the cut (a fixed threshold): no region to be outside of
            return set(), (0, len(prob) - 1)
        kept = judging.copy()
        kept[judged] = False
        # widened over the kept paragraphs that touch it: one at the threshold adds nothing to the sum
        # but is no less content than its neighbour, and what lies beyond a removed paragraph is another stretch
        touching = kept | ~judging
        while start > 0 and touching[start - 1]:
            start -= 1
        while end + 1 < len(prob) and touching[end + 1]:
            end += 1
        index = np.arange(len(prob))
        outside = kept & ((index < start) | (index > end)) & (prob < self.region_keep)
        return set(np.flatnonzero(outside).tolist()), (start, end)

    def explanations(self, scores: Scores) -> list[str]:
        """For each row, the features that pushed it towards boilerplate: its own, then its context."""
        model = scores.model
        own, _ = model.first.contributions_of(scores.first)
        context, _ = model.second.contributions_of(scores.second)
        second = model.second.names
        context[:, second.index("p")] = 0.0  # the first stage's score: explained by its own features instead
        own_parts = _against(model.first.names, scores.x, own, self.top)
        context_parts = _against(second, scores.stacked, context, 2)
        return [f"own: {mine}; context: {theirs}" if theirs else f"own: {mine}"
                for mine, theirs in zip(own_parts, context_parts, strict=True)]


def expected_f1_threshold(prob: np.ndarray, weight: np.ndarray, alpha: float = 1.0) -> float:
    """The probability at or above which keeping a page's paragraphs maximises its expected F1.

    Keeping the k most probable paragraphs expects sum(p w) of them to be content, out of
    sum(p w) over the page; F1 ~ 2 * kept content / (kept + content), maximised over k.
    """
    if not len(prob):
        return 1.0
    order = np.argsort(-prob, kind="stable")
    p, w = prob[order], weight[order]
    f1 = 2 * np.cumsum(p * w) / (np.cumsum(w) + alpha * float((p * w).sum()))
    return float(p[int(np.argmax(f1))])


def main_region(score: np.ndarray) -> tuple[int, int]:
    """(first, last) of the stretch of paragraphs whose scores add up to the most (the first such)."""
    if not len(score):
        return 0, -1
    prefix = np.concatenate(([0.0], np.cumsum(score)))
    lowest = np.minimum.accumulate(prefix[:-1])  # for a stretch ending at j, the best start's prefix
    end = int(np.argmax(prefix[1:] - lowest))
    return int(np.argmin(prefix[:end + 1])), end


def _against(names: tuple[str, ...], values: np.ndarray, contrib: np.ndarray, top: int) -> list[str]:
    """Per row, the features that pushed the score towards boilerplate the most: name=value (contribution).

    The `top` most negative contributions of each row, the negative ones only, formatted in one
    pass over the page's rows and then joined row by row.
    """
    order = np.argsort(contrib, axis=1)[:, :top]
    pushed = np.take_along_axis(contrib, order, axis=1)
    shown = np.take_along_axis(values, order, axis=1)
    against = pushed < 0  # in each row, a run from its start: the order is ascending
    items = [f"{names[f]}={v:.2f} ({c:+.2f})"
             for f, v, c in zip(order[against].tolist(), shown[against].tolist(), pushed[against].tolist(), strict=True)]
    out, start = [], 0
    for count in against.sum(axis=1).tolist():
        out.append(", ".join(items[start:start + count]))
        start += count
    return out
