"""Train the paragraph classifier on half of the devset and report on the other half.

    python benchmarks/train_classifier.py PATH/TO/devset --no-lexical   # cleaner/models/paragraphs.json
    python benchmarks/train_classifier.py PATH/TO/devset                # paragraphs-lexical.json, lexical.npy
                                          [--out PATH] [--trees 100] [--depth 4] [--threshold 0.4]
                                          [--page-bins N]

Each page goes through the steps that run before the content step (language, rules, context),
then every paragraph gets the features of cleaner.features and a label from the gold text
(cleaner.training explains how). Pages whose id hashes even are the training part; the
others are only scored. A third of the training pages is added a second time without stop
lists, so that the model also knows what to do in a language for which none is known, and
another third cropped to its content (plus 0-2 lines), so that it does not learn that every
text opens with navigation.
With the lexical score (cleaner.lexical), the first stage has one more feature: the log-odds
of content given the paragraph's words, from a logistic regression over hashed words fitted on
the training pages (out of fold, by site, for the training pages themselves); that model is
used for pages in the languages the regression has enough training pages of.
The report gives, for both parts and for the held-out pages of sites with no training page,
the devset metric (bag-of-words P/R/F1 averaged over pages) of: the text left by rules and
context, that text filtered by the classifier, and the labels themselves (the ceiling for a
line classifier).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from cleaner import lexical
from cleaner.chain import run_steps
from cleaner.features import CONTEXT, NAMES, PAGE_WIDE, context_features, paragraph_features
from cleaner.model import MODEL_PATH, from_dict, paragraph_model
from cleaner.options import Options
from cleaner.reading import from_text
from cleaner.rules import load_rules
from cleaner.steps import BoilerplateRules, DetectLanguage, SandwichedLines
from cleaner.training import GoldIndex, fit_trees, in_training_split, page_prf, tokens


def before_content(options: Options) -> list:
    return [DetectLanguage(options.lang_min_letters, engine=options.lang_engine),
            BoilerplateRules(load_rules(options.rules_dirs)), SandwichedLines()]


def page_data(devset: Path, rec: dict, steps: list, use_stopwords: bool = True, crop: bool = False) -> dict:
    raw = (devset / rec["raw"]).read_text(encoding="utf-8")
    gold = (devset / rec["gold"]).read_text(encoding="utf-8")
    if crop:
        raw = cropped(raw, GoldIndex(gold), rec["id"])
    doc = from_text(raw, rec["id"])
    run_steps(steps, doc)
    index = GoldIndex(gold)
    x = paragraph_features(doc, use_stopwords)
    y = np.array([index.label(p.text) for p in doc.paragraphs])
    n_words = np.array([len(tokens(p.text)) for p in doc.paragraphs], dtype=float)
    removed = np.array([p.removed is not None for p in doc.paragraphs], dtype=bool)
    return {"id": rec["id"], "type": rec["page_type"], "x": x, "y": y, "words": n_words, "removed": removed,
            "texts": [p.text for p in doc.paragraphs], "gold": gold, "stopwords": use_stopwords, "lang": doc.lang}


def cropped(raw: str, gold: GoldIndex, page_id: str) -> str:
    """The page from (about) its first to its last content line: text someone has already half cleaned.

    Without such pages the model learns that a page always opens with navigation, and a text
    that starts with its first sentence loses it.
    """
    lines = [line for line in raw.splitlines() if line.strip()]
    content = [i for i, line in enumerate(lines) if gold.label(line)]
    if not content:
        return raw
    margin = hashlib.blake2b(page_id.encode()).digest()[3] % 3
    return "\n".join(lines[max(0, content[0] - margin): content[-1] + 1 + margin]) + "\n"


def weights(page: dict) -> np.ndarray:
    """Each page weighs the same in total, and inside it a paragraph weighs by its words (as the metric does)."""
    w = page["words"] + 1.0
    return w / w.sum() * len(w) ** 0.5


def report(pages: list[dict], keep: list[np.ndarray], title: str) -> dict:
    by_type: dict[str, list] = collections.defaultdict(list)
    for page, k in zip(pages, keep, strict=True):
        pred = "\n".join(t for t, kk in zip(page["texts"], k, strict=True) if kk)
        result = page_prf(pred, page["gold"])
        if result is not None:
            by_type[page["type"]].append(result)
    rows = [r for rs in by_type.values() for r in rs]
    summary = {t: round(float(np.mean([r[2] for r in rs])), 3) for t, rs in sorted(by_type.items())}
    p, r, f = (float(np.mean([row[i] for row in rows])) for i in range(3))
    print(f"  {title:<34} P {p:.3f} R {r:.3f} F1 {f:.3f}   " + " ".join(f"{t[:4]} {v:.3f}" for t, v in summary.items()))
    return {"P": p, "R": r, "F1": f, **summary}


def chars(page: dict) -> np.ndarray:
    return np.array([len(t) for t in page["texts"]], dtype=float)


def stack(page: dict, prob: np.ndarray) -> np.ndarray:
    return np.hstack((page["x"], context_features(prob, chars(page), page["removed"])))


def fit(pages: list[dict], xs: list[np.ndarray] | None, names: tuple[str, ...], settings: dict) -> dict:
    """Trees over the paragraphs the classifier will judge (not those rules or context removed)."""
    xs = xs or [p["x"] for p in pages]
    x = np.concatenate([xx[~p["removed"]] for xx, p in zip(xs, pages, strict=True)])
    y = np.concatenate([p["y"][~p["removed"]] for p in pages])
    w = np.concatenate([weights(p)[~p["removed"]] for p in pages])
    return fit_trees(x, y, w, names, **settings)


def two_stages(fit_pages: list[dict], names: tuple[str, ...], settings: dict) -> tuple[dict, dict]:
    """The first stage, and the second, which learns from first-stage probabilities the model did not
    see the labels of: two folds of the training pages, each predicted by a first stage trained on the other."""
    first = fit(fit_pages, None, names, settings)
    fold = {p["id"]: hashlib.blake2b(p["id"].encode()).digest()[2] % 2 for p in fit_pages}
    oof: dict[int, np.ndarray] = {}
    for k in (0, 1):
        inside = [p for p in fit_pages if fold[p["id"]] != k]
        model_k = from_dict(fit(inside, None, names, settings))
        for i, p in enumerate(fit_pages):
            if fold[p["id"]] == k:
                oof[i] = model_k.probability(p["x"])
    stacked = [stack(p, oof[i]) for i, p in enumerate(fit_pages)]
    return first, fit(fit_pages, stacked, names + CONTEXT, settings)


LEXICAL = ("lexical",)


def lexical_rows(pages: list[dict]) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray, np.ndarray]:
    """The paragraphs the classifier judges, as the lexical model's design matrix, labels and weights."""
    texts = [t for p in pages for t, r in zip(p["texts"], p["removed"], strict=True) if not r]
    y = np.concatenate([p["y"][~p["removed"]] for p in pages])
    w = np.concatenate([weights(p)[~p["removed"]] for p in pages])
    return lexical.design(texts), y, w


def add_lexical(train: list[dict], extra: list[dict], test: list[dict], hosts: dict[str, str], folds: int,
                l2: float, min_pages: int) -> dict:
    """Append the lexical score to every page's features; returns the model fitted on all training pages.

    The model knows the languages of at least `min_pages` training pages (pages in others are
    judged by the model without the score); a page in another language, or added again without
    stop lists, gets 0: no evidence either way. A training page gets the score of a model
    fitted without its site (folds by host), so that the trees learn how far the score is to be
    trusted on a site it has never seen.
    """
    counts = collections.Counter(p["lang"] for p in train)
    languages = sorted(lang for lang, n in counts.items() if n >= min_pages)
    known = [p for p in train if p["lang"] in languages]
    fold = {p["id"]: hashlib.blake2b(hosts[p["id"]].encode()).digest()[0] % folds for p in known}
    oof: dict[str, tuple[np.ndarray, float]] = {}
    for k in range(folds):
        fitted = lexical.fit(*lexical_rows([p for p in known if fold[p["id"]] != k]), l2=l2)
        oof.update({p["id"]: fitted for p in known if fold[p["id"]] == k})
    coef, intercept = lexical.fit(*lexical_rows(known), l2=l2)
    for p in train + extra + test:
        column = np.zeros(len(p["texts"]))
        if p["stopwords"] and p["lang"] in languages:
            c, b = oof.get(p["id"], (coef, intercept))
            column = b + lexical.scores(c, p["texts"])
        p["x"] = np.hstack((p["x"], column[:, None].astype(p["x"].dtype)))
    return {"coef": coef, "intercept": round(float(intercept), 6), "languages": languages, "bits": lexical.BITS,
            "l2": l2, "folds": folds}


def load_pages(devset: Path, records: list[dict], cache: Path | None) -> tuple[list[dict], list[dict]]:
    """Every page's features and labels, and the training pages added again (from `cache` when it exists)."""
    import pickle

    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    steps = before_content(Options())
    pages = [page_data(devset, rec, steps) for rec in records]
    # a third of the training pages again, as if no stop list were known for their language,
    # and another third cropped to its content
    third = {rec["id"]: hashlib.blake2b(rec["id"].encode()).digest()[1] % 3 for rec in records}
    extra = [page_data(devset, rec, steps, use_stopwords=False) for rec in records
             if in_training_split(rec["id"]) and third[rec["id"]] == 0]
    extra += [page_data(devset, rec, steps, crop=True) for rec in records
              if in_training_split(rec["id"]) and third[rec["id"]] == 1]
    if cache:
        cache.write_bytes(pickle.dumps((pages, extra)))
    return pages, extra


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("devset", type=Path)
    ap.add_argument("--out", type=Path, help=f"default: {MODEL_PATH.name}, or {lexical.LEXICAL_MODEL_PATH.name} with the lexical score")
    ap.add_argument("--trees", type=int, default=100)
    ap.add_argument("--depth", type=int, default=4)
    ap.add_argument("--learning-rate", type=float, default=0.1)
    ap.add_argument("--threshold", type=float, default=0.4)
    ap.add_argument("--page-bins", type=int, default=0,
                    help="split the page-wide features (cleaner.features.PAGE_WIDE) at no more than N values; 0: 32, as any other")
    ap.add_argument("--cache", type=Path, help="pickle of the computed features, reused when it exists")
    ap.add_argument("--lexical-out", type=Path, default=lexical.LEXICAL_PATH)
    ap.add_argument("--no-lexical", dest="lexical", action="store_false", help="without the lexical score column")
    ap.add_argument("--lexical-l2", type=float, default=3e-6)
    ap.add_argument("--lexical-folds", type=int, default=5)
    ap.add_argument("--lexical-min-pages", type=int, default=50, help="languages the lexical model knows: of this many training pages")
    a = ap.parse_args()
    a.out = a.out or (lexical.LEXICAL_MODEL_PATH if a.lexical else MODEL_PATH)
    started = time.perf_counter()
    records = [json.loads(line) for line in (a.devset / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    pages, extra = load_pages(a.devset, records, a.cache)
    print(f"features for {len(pages)} pages in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    train = [p for p in pages if in_training_split(p["id"])]
    test = [p for p in pages if not in_training_split(p["id"])]
    names = NAMES
    hosts = {rec["id"]: urlparse(rec.get("url") or "").netloc or rec["id"] for rec in records}
    if a.lexical:
        started = time.perf_counter()
        lex = add_lexical(train, extra, test, hosts, a.lexical_folds, a.lexical_l2, a.lexical_min_pages)
        names = NAMES + LEXICAL
        print(f"lexical model ({a.lexical_folds} folds + 1) in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    fit_pages = train + extra
    started = time.perf_counter()
    settings = {"trees": a.trees, "depth": a.depth, "learning_rate": a.learning_rate,
                "coarse": {name: a.page_bins for name in PAGE_WIDE} if a.page_bins else None}
    first, second = two_stages(fit_pages, names, settings)
    data = {"first": first, "second": second, "threshold": a.threshold,
            "trained_on": f"devset pages with an even blake2b(id) first byte: {len(train)} pages "
                          f"(+{len(extra)} again, without stop lists or cropped)"}
    if a.lexical:
        data["lexical"] = {k: v for k, v in lex.items() if k != "coef"}
    print(f"4 fits of {a.trees} trees of depth {a.depth} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    model = paragraph_model(data)
    results = {}
    seen = {hosts[p["id"]] for p in train}
    new_sites = [p for p in test if hosts[p["id"]] not in seen]
    for name, part in (("train", train), ("held-out", test), ("held-out, sites not in train", new_sites)):
        print(f"{name}: {len(part)} pages")
        base = [~p["removed"] for p in part]
        one = [model.first.probability(p["x"]) for p in part]
        two = [model.probability(p["x"], chars(p), p["removed"]) for p in part]
        results[name] = {
            "rules+context": report(part, base, "rules + context"),
            "first": report(part, [b & (q >= a.threshold) for b, q in zip(base, one, strict=True)],
                            f"+ first stage (p >= {a.threshold})"),
            "labels": report(part, [b & (p["y"] > 0) for b, p in zip(base, part, strict=True)], "+ gold labels (ceiling)"),
        }
        for t in (0.3, 0.4, 0.5, 0.6):
            results[name][f"second@{t}"] = report(part, [b & (q >= t) for b, q in zip(base, two, strict=True)],
                                                  f"+ second stage (p >= {t})")
    data["report"] = results
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {a.out} ({a.out.stat().st_size / 1024:.0f} KB)", file=sys.stderr)
    if a.lexical:
        np.save(a.lexical_out, lex["coef"].astype(np.float16))
        print(f"wrote {a.lexical_out} ({a.lexical_out.stat().st_size / 1024:.0f} KB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
