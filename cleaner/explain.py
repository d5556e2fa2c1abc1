"""`cleaner explain`: the document with every removed piece marked in place."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from .document import Document


def render(doc: Document, console: Console) -> None:
    header = f"{doc.id}  language {doc.lang} ({doc.lang_confidence:.2f})"
    if doc.removed is not None:
        header += f"  REMOVED WHOLE by {doc.removed.step}/{doc.removed.rule}: {doc.removed.reason}"
    console.print(Text(header, style="bold"))
    kept = sum(1 for p in doc.paragraphs if p.removed is None)
    console.print(Text(f"{kept} of {len(doc.paragraphs)} paragraphs kept", style="dim"))
    for i, p in enumerate(doc.paragraphs):
        if p.removed is None:
            console.print(Text(f"  ¶{i:<3} ", style="green") + Text(p.text))
            if p.kept_by is not None:
                k = p.kept_by
                console.print(Text(f"        └ kept by {k.step}/{k.rule}: {k.reason} ["
                                   + ", ".join(f"{key}={v}" for key, v in k.evidence) + "]", style="cyan"))
            continue
        r = p.removed
        console.print(Text(f"- ¶{i:<3} ", style="red") + Text(p.text, style="strike dim"))
        why = f"        └ {r.step}/{r.rule}: {r.reason}"
        if r.detail:
            why += f" ({r.detail})"
        if r.evidence:
            why += "  [" + ", ".join(f"{k}={v}" for k, v in r.evidence) + "]"
        console.print(Text(why, style="yellow"))
