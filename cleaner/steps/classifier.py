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

A page in a language the lexical model knows (cleaner.lexical: the log-odds of content given
a paragraph's words, learned from the devset's training pages; English only there) is judged
by a classifier trained with that score as one more first-stage feature
(models/paragraphs-lexical.json); other pages, and every page with `lexical=False`, by the
classifier without it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import lexical as lexical_model
from ..document import Document
from ..features import paragraph_features
from ..model import MODEL_PATH, load
from ..textstats import is_prose, words
from .base import Step


class ParagraphClassifier(Step):
    name = "classifier"

    def __init__(self, threshold: float | None = None, model_path: Path = MODEL_PATH,
                 judge_extracted: bool = False, top: int = 3, prose_threshold: float = 0.1,
                 page_threshold: bool = True, page_alpha: float = 0.7, page_max: float = 0.5,
                 lexical: bool = True, lexical_path: Path = lexical_model.LEXICAL_PATH,
                 lexical_model_path: Path = lexical_model.LEXICAL_MODEL_PATH):
        self.model = load(Path(model_path))
        self.lexical_model = load(Path(lexical_model_path)) if lexical else None
        self.lexical = lexical_model.load(Path(lexical_path)) if lexical else None
        self.lexical_info = self.lexical_model.meta["lexical"] if lexical else {"languages": []}
        self.threshold = self.model.threshold if threshold is None else threshold
        # an explicit threshold is a fixed one
        self.page_threshold, self.page_alpha, self.page_max = page_threshold and threshold is None, page_alpha, page_max
        self.prose_threshold = min(prose_threshold, self.threshold)
        self.judge_extracted, self.top = judge_extracted, top

    def apply(self, doc: Document) -> None:
        if doc.meta.get("extractor") == "trafilatura" and not self.judge_extracted:
            return  # trafilatura has already chosen the main content from the DOM
        paragraphs = doc.paragraphs
        if not any(p.removed is None for p in paragraphs):
            return
        x = paragraph_features(doc)
        model = self.model
        if doc.lang in self.lexical_info["languages"]:
            model = self.lexical_model
            score = self.lexical_info["intercept"] + lexical_model.scores(self.lexical, [p.text for p in paragraphs])
            x = np.hstack((x, score[:, None].astype(x.dtype)))
        chars = np.array([len(p.text) for p in paragraphs], dtype=float)
        removed = np.array([p.removed is not None for p in paragraphs])
        stacked = model.first_stage(x, chars, removed)
        prob = model.second.probability(stacked)
        threshold, how = self.threshold, ""
        if self.page_threshold:
            weight = np.array([len(words(p.text)) + 1.0 for p in paragraphs])
            threshold = min(expected_f1_threshold(prob[~removed], weight[~removed], self.page_alpha), self.page_max)
            how = "page "
        judged = [i for i, p in enumerate(paragraphs) if p.removed is None and prob[i] < threshold
                  and (prob[i] < self.prose_threshold or not is_prose(p.text, doc.lang))]
        if not judged:
            return
        own, _ = model.first.contributions(x[judged])
        context, _ = model.second.contributions(stacked[judged])
        first, second = model.first.names, model.second.names
        skip = second.index("p")  # the first stage's score: explained by its own features instead
        context[:, skip] = 0.0
        for row, i in enumerate(judged):
            detail = "own: " + _against(first, x[i], own[row], self.top)
            if (neighbours := _against(second, stacked[i], context[row], 2)):
                detail += "; context: " + neighbours
            self.mark(doc, paragraphs[i], f"classified as boilerplate (p={prob[i]:.2f} < {how}threshold {threshold:.2f})",
                      "classifier", detail, p_content=round(float(prob[i]), 3))


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


def _against(names: tuple[str, ...], values: np.ndarray, contrib: np.ndarray, top: int) -> str:
    """The features that pushed the score towards boilerplate the most: name=value (contribution)."""
    order = np.argsort(contrib)[:top]
    return ", ".join(f"{names[f]}={values[f]:.2f} ({contrib[f]:+.2f})" for f in order if contrib[f] < 0)
