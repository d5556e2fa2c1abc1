"""Content/boilerplate quality on the development set, per page type (or per language).

    python benchmarks/quality.py PATH/TO/devset [--html] [--no-content ...] [--sample N]
                                 [--split train|held-out] [--set NAME=VALUE ...] [--multilingual]

Runs the whole chain (the same code as `cleaner clean`) over the devset's raw text (or its HTML
with --html), then scores the output against the gold main text with the devset's metric:
bag-of-words precision, recall and F1 over lower-cased word tokens, averaged over pages.
Every `--no-X` switch of the CLI is accepted, to measure one mechanism at a time; `--set` sets
any other field of cleaner.options.Options (`--set min_good_share=0.2`). `--split` scores only
the pages the paragraph classifier was trained on (`train`) or only the others (`held-out`).

`--multilingual` builds pages instead, from the devset's sentences in 75 languages (lang/*.txt):
paragraphs of sentences of one language under a title, between menus made of short fragments
of the same language's sentences, share buttons, a language-neutral footer and a cookie notice
from a small multilingual set; the gold is the title and the paragraphs. P/R/F1 per language.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

from cleaner.options import Options
from cleaner.runner import clean_corpus
from cleaner.training import in_training_split, page_prf

SWITCHES = ("rules", "context", "classifier", "content", "repeated_lines", "dedup", "record_grid")


def pages(devset: Path, html: bool, sample: int, split: str = "") -> list[dict]:
    records = [json.loads(line) for line in (devset / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    if html:
        records = [r for r in records if r.get("html")]
    if split:
        records = [r for r in records if in_training_split(r["id"]) == (split == "train")]
    return records[:sample] if sample else records


SHARE = ("Facebook", "Twitter", "WhatsApp", "LinkedIn", "Pinterest", "Telegram", "VK", "E-mail", "RSS")
COOKIES = (
    "This website uses cookies to improve your experience. Accept",
    "Diese Website verwendet Cookies. Mehr erfahren | Akzeptieren",
    "Ce site utilise des cookies pour améliorer votre expérience. J'accepte",
    "Este sitio web utiliza cookies para mejorar su experiencia. Aceptar",
    "Questo sito utilizza i cookie. Accetta",
    "Deze website maakt gebruik van cookies. Akkoord",
    "Ta strona używa plików cookie. Zgadzam się",
    "Этот сайт использует файлы cookie. Принять",
    "Bu web sitesi çerezleri kullanır. Kabul et",
    "本网站使用cookie。接受",
)


def multilingual_pages(devset: Path, per_language: int, seed: int = 7) -> list[dict]:
    """Synthetic pages in every language of lang/: (id, lang, text, gold); the same every run."""
    import random

    out = []
    for path in sorted((devset / "lang").glob("*.txt")):
        lang = path.stem
        sentences = [s.strip() for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]
        rng = random.Random(f"{seed}-{lang}")

        def fragment(words: int, rng=rng, sentences=sentences) -> str:
            return _fragment(rng, sentences, words)

        def menu(n: int, bullet: str, rng=rng) -> list[str]:
            return [bullet + _capital(fragment(rng.choice((1, 1, 2, 3)))) for _ in range(n)]

        for k in range(per_language):
            title = fragment(rng.randint(4, 8))
            body = []
            for _ in range(rng.randint(3, 6)):
                body.append(" ".join(rng.choice(sentences) for _ in range(rng.randint(2, 5))))
            lines = (menu(rng.randint(5, 10), rng.choice(("", "* ", "• ")))
                     + [" | ".join(_capital(fragment(1)) for _ in range(4)), title]
                     + [f"{fragment(2)} · {rng.randint(1, 28)}.{rng.randint(1, 12)}.20{rng.randint(10, 25)}"]
                     + body[:2] + [rng.choice(SHARE) for _ in range(rng.randint(2, 5))] + body[2:]
                     + [fragment(rng.randint(2, 4)) for _ in range(rng.randint(3, 6))]
                     + menu(rng.randint(4, 8), "") + [f"© 20{rng.randint(10, 25)} {fragment(2)}", rng.choice(COOKIES)])
            out.append({"id": f"{lang}-{k}", "page_type": lang, "text": "\n".join(lines),
                        "gold_text": "\n\n".join([title, *body])})
    return out


def score(records: list[dict], devset: Path, out: Path) -> dict[str, list[tuple[float, float, float]]]:
    by_type: dict[str, list[tuple[float, float, float]]] = collections.defaultdict(list)
    for rec in records:
        pred_path = out / f"{rec['id']}.txt"
        pred = pred_path.read_text(encoding="utf-8") if pred_path.exists() else ""
        result = page_prf(pred, (devset / rec["gold"]).read_text(encoding="utf-8"))
        if result is not None:
            by_type[rec["page_type"]].append(result)
    return by_type


def mean(rows: list[tuple[float, float, float]], i: int) -> float:
    return sum(r[i] for r in rows) / len(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("devset", type=Path)
    ap.add_argument("--html", action="store_true", help="clean the HTML pages instead of the raw text")
    ap.add_argument("--sample", type=int, default=0, help="only the first N pages of the manifest")
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--split", choices=("train", "held-out"), help="only the classifier's training pages, or only the others")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="any other option of cleaner.options.Options")
    ap.add_argument("--multilingual", type=int, nargs="?", const=4, default=0, metavar="PAGES",
                    help="synthetic pages from lang/*.txt instead, PAGES per language (default 4)")
    for name in SWITCHES:
        ap.add_argument(f"--no-{name.replace('_lines', '').replace('_', '-')}", dest=name, action="store_false")
    a = ap.parse_args()
    settings = {k: _value(v) for k, v in (item.split("=", 1) for item in a.set)}
    options = Options(**{name: getattr(a, name) for name in SWITCHES}, **settings)
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp, "in"), Path(tmp, "out")
        src.mkdir()
        if a.multilingual:
            records = multilingual_pages(a.devset, a.multilingual)
            for rec in records:
                (src / f"{rec['id']}.txt").write_text(rec["text"], encoding="utf-8")
                rec["gold"] = str(Path(tmp, f"{rec['id']}.gold"))
                Path(rec["gold"]).write_text(rec.pop("gold_text"), encoding="utf-8")
        else:
            records = pages(a.devset, a.html, a.sample, a.split or "")
            for rec in records:
                kind = "html" if a.html else "raw"
                original = a.devset / (rec[kind] if kind in rec and isinstance(rec[kind], str) else f"{kind}/{rec['id']}.txt")
                (src / original.name).symlink_to(original.resolve())
        started = time.perf_counter()
        clean_corpus(src, out, options, workers=a.workers or None)
        elapsed = time.perf_counter() - started
        by_type = score(records, a.devset, out)
    rows = [r for rs in by_type.values() for r in rs]
    off = [f"--no-{n}" for n in SWITCHES if not getattr(a, n)] + [f"--set {x}" for x in a.set]
    what = "multilingual" if a.multilingual else "html" if a.html else "plain text"
    split = f" ({a.split} split)" if a.split else ""
    print(f"devset {what}{split}, {len(rows)} pages, options: {' '.join(off) or 'defaults'}, {elapsed:.1f} s")
    print(f"{'language' if a.multilingual else 'page type':<15}{'pages':>6}{'P':>7}{'R':>7}{'F1':>7}")
    for t in sorted(by_type):
        rs = by_type[t]
        print(f"{t:<15}{len(rs):>6}{mean(rs, 0):>7.3f}{mean(rs, 1):>7.3f}{mean(rs, 2):>7.3f}")
    print(f"{'all':<15}{len(rows):>6}{mean(rows, 0):>7.3f}{mean(rows, 1):>7.3f}{mean(rows, 2):>7.3f}")
    return 0


def _fragment(rng, sentences: list[str], words: int) -> str:
    tokens = rng.choice(sentences).split()
    if len(tokens) <= 1:  # a script without spaces: a few characters
        text = tokens[0] if tokens else "?"
        start = rng.randrange(max(1, len(text) - 4))
        return text[start:start + 2 + words]
    start = rng.randrange(max(1, len(tokens) - words))
    return " ".join(tokens[start:start + words]).strip(".,;:!?()\"'«»“”")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _value(text: str):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"true": True, "false": False, "none": None}.get(text.lower(), text)


if __name__ == "__main__":
    sys.exit(main())
