"""Command line: a thin layer over the library."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TimeElapsedColumn
from rich.table import Table

from .api import Cleaner
from .decode import DecodeError
from .document import EmptyInput, Failure
from .explain import render
from .formats import MissingExtra
from .formats.base import KINDS
from .language import check_languages, language_codes
from .options import Options
from .reading import InputError, Source, read
from .resume import ResumeError
from .rulecheck import check_folder
from .rules import RuleError
from .runner import clean_corpus
from .summary import Summary

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Strip boilerplate from scraped web documents, with an audit of every removal.")
rules_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Work with rule files.")
app.add_typer(rules_app, name="rules")
err = Console(stderr=True)


class Engine(StrEnum):
    local = "local"
    dask = "dask"


class KeepCopy(StrEnum):
    first = "first"
    longest = "longest"


def _options(*, lang: str, rules: list[Path] | None, dedup_threshold: float, no_dedup: bool, no_rules: bool,
             no_context: bool, no_content: bool, no_repeated: bool, keep_foreign: bool, no_classifier: bool,
             classifier_threshold: float | None, min_good_share: float, html_fallback_share: float,
             keep_chrome: bool, no_page_threshold: bool, content_with_classifier: bool, second_opinions: bool,
             no_forum_threads: bool, no_lexical: bool, no_main_region: bool, no_record_grid: bool,
             no_repair_mojibake: bool, **more) -> Options:
    """Options from the chain's flags, which `clean` and `explain` share (`more`: fields of clean's own).

    Keyword-only, each named as the commands' parameter is: twenty flags, most of them bool,
    passed by position could be misordered without a sound."""
    langs = language_codes(lang.split(","))
    try:
        check_languages(langs)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--lang'") from None
    try:
        return Options(
            langs=langs, rules_dirs=tuple(rules or ()), dedup=not no_dedup, dedup_threshold=dedup_threshold,
            rules=not no_rules, context=not no_context, content=not no_content, repeated_lines=not no_repeated,
            foreign_paragraphs=not keep_foreign, classifier=not no_classifier, classifier_threshold=classifier_threshold,
            min_good_share=min_good_share, html_fallback_share=html_fallback_share, html_drop_chrome=not keep_chrome,
            classifier_page_threshold=not no_page_threshold, content_with_classifier=content_with_classifier,
            html_fast=not second_opinions, html_forum_threads=not no_forum_threads, classifier_lexical=not no_lexical,
            classifier_main_region=not no_main_region, record_grid=not no_record_grid,
            repair_mojibake=not no_repair_mojibake, **more,
        )
    except ValueError as exc:  # a value Options refuses (typer's ranges have no open end): said as the flag's
        field = str(exc).split()[0]  # its messages begin with the field's name, which is the flag's
        raise typer.BadParameter(str(exc), param_hint=f"'--{field.replace('_', '-')}'") from None


LANG = typer.Option("", "--lang", help="Keep only these languages, comma-separated ISO codes (en,es). Default: all.")
RULES = typer.Option(
    None, "--rules", help="Folder of rule files: a file named like a default one replaces it, others are added. Repeatable.",
)
THRESHOLD = typer.Option(0.8, "--dedup-threshold", min=0.0, max=1.0,
                         help="Jaccard similarity at which two paragraphs are near-duplicates (above 0, at most 1).")
NO_DEDUP = typer.Option(False, "--no-dedup", help="Keep duplicate paragraphs (within and across documents).")
NO_RULES = typer.Option(False, "--no-rules", help="Do not apply the boilerplate rules.")
NO_CONTEXT = typer.Option(False, "--no-context", help="Do not remove short lines between removed lines.")
NO_CONTENT = typer.Option(False, "--no-content", help="Do not classify paragraphs as content or boilerplate from their own evidence.")
CONTENT_WITH_CLASSIFIER = typer.Option(False, "--content-with-classifier",
                                       help="Run the content step after the trained classifier too (by default it "
                                            "stands in for the classifier only with --no-classifier).")
NO_CLASSIFIER = typer.Option(False, "--no-classifier", help="Do not use the trained paragraph classifier.")
CLASSIFIER_THRESHOLD = typer.Option(None, "--classifier-threshold", min=0.0, max=1.0,
                                    help="Remove a paragraph whose content probability is below this. Default: the model's own.")
NO_PAGE_THRESHOLD = typer.Option(False, "--no-page-threshold",
                                 help="Classifier: one fixed threshold instead of each page's own (the cut that "
                                      "maximises the page's expected F1).")
NO_LEXICAL = typer.Option(False, "--no-lexical", help="Classifier: leave out what a paragraph's words say (the "
                                                     "lexical score learned from the devset), judge its shape only.")
NO_MAIN_REGION = typer.Option(False, "--no-main-region", help="Classifier: judge each paragraph against the threshold "
                              "alone, also outside the page's main region (the stretch where keeping pays the most).")
NO_RECORD_GRID = typer.Option(False, "--no-record-grid", help="Do not keep a page's grid of priced records (a shop's "
                              "product names and prices) that the line-by-line steps removed.")
NO_REPAIR_MOJIBAKE = typer.Option(False, "--no-repair-mojibake", help="Leave mojibake as it is (UTF-8 that a site "
                                  "served as windows-1252: 'donât' for 'don’t'); by default it is put right.")
MIN_GOOD_SHARE = typer.Option(0.1, "--min-good-share", min=0.0, max=1.0,
                              help="Content step: good paragraphs holding less than this share of a page do not anchor a main region.")
FALLBACK_SHARE = typer.Option(Options.html_fallback_share, "--html-fallback-share", min=0.0, max=1.0,
                              help="HTML: when trafilatura keeps less than this share of the page's text "
                                   "(without nav, footer and comments), judge the whole page.")
KEEP_CHROME = typer.Option(False, "--keep-html-chrome", help="HTML judged by our chain: keep nav, footer, aside "
                                                               "and ARIA navigation landmarks instead of leaving them out.")
SECOND_OPINIONS = typer.Option(False, "--html-second-opinions", help="HTML: let trafilatura check its extraction "
                               "against readability and jusText (slower; by default our fallback and chain judge instead).")
NO_FORUM_THREADS = typer.Option(False, "--no-forum-threads", help="HTML: leave a forum thread to trafilatura, "
                                "which keeps its opening post only (by default our chain judges the whole thread).")
NO_REPEATED = typer.Option(False, "--no-repeated", help="Do not remove lines repeated across many pages of one site.")
KEEP_FOREIGN = typer.Option(False, "--keep-foreign-paragraphs",
                            help="With --lang, keep long paragraphs that are clearly in another language.")


@app.command()
def clean(
    input: Path = typer.Argument(..., help="A file, or a folder walked recursively (.txt .md .html .htm, .jsonl[.gz|.zst], "
                                           ".parquet, .warc[.gz]); '-' reads JSON lines from standard input."),
    output: Path = typer.Argument(..., help="A folder (rel/path/name.ext becomes rel/path/name.txt), a .jsonl (.jsonl.gz, "
                                            ".jsonl.zst: compressed) or .parquet file, or '-' for JSON lines on standard output."),
    lang: str = LANG,
    workers: int = typer.Option(0, "--workers", min=0, help="Worker processes. Default (0): all cores."),
    rules: list[Path] = RULES,
    dedup_threshold: float = THRESHOLD,
    no_dedup: bool = NO_DEDUP,
    no_rules: bool = NO_RULES,
    no_context: bool = NO_CONTEXT,
    no_content: bool = NO_CONTENT,
    no_classifier: bool = NO_CLASSIFIER,
    classifier_threshold: float = CLASSIFIER_THRESHOLD,
    no_page_threshold: bool = NO_PAGE_THRESHOLD,
    content_with_classifier: bool = CONTENT_WITH_CLASSIFIER,
    no_lexical: bool = NO_LEXICAL,
    no_main_region: bool = NO_MAIN_REGION,
    no_record_grid: bool = NO_RECORD_GRID,
    no_repair_mojibake: bool = NO_REPAIR_MOJIBAKE,
    min_good_share: float = MIN_GOOD_SHARE,
    html_fallback_share: float = FALLBACK_SHARE,
    keep_chrome: bool = KEEP_CHROME,
    second_opinions: bool = SECOND_OPINIONS,
    no_forum_threads: bool = NO_FORUM_THREADS,
    no_repeated: bool = NO_REPEATED,
    keep_foreign: bool = KEEP_FOREIGN,
    audit: Path = typer.Option(None, "--audit", help="Where to write the audit (JSON lines; compressed when "
                                                     "named .gz or .zst). Default: OUTPUT/cleaner-audit.jsonl (OUTPUT.audit.jsonl "
                                                     "beside a file, NAME.audit.jsonl.gz beside NAME.gz; none for '-')."),
    manifest: Path = typer.Option(None, "--manifest", help="Where to write the run manifest (compressed when "
                                                           "named .gz or .zst). Default: OUTPUT/cleaner-manifest.jsonl "
                                                           "(OUTPUT.manifest.jsonl beside a file, NAME.manifest.jsonl.gz "
                                                           "beside NAME.gz; none for '-')."),
    keep: KeepCopy = typer.Option(KeepCopy.first, "--keep", help="Which copy of near-duplicate paragraphs to keep."),
    index: Path = typer.Option(None, "--index", help="Index of kept paragraphs, read before and saved after the run, so a "
                                                   "later run removes duplicates of them. Default: OUTPUT/cleaner-dedup-index.npz "
                                                   "(OUTPUT.dedup-index.npz beside a file; none for '-')."),
    no_dedup_boilerplate: bool = typer.Option(False, "--no-dedup-boilerplate", help="Keep one copy of paragraphs found in "
                                              "many documents instead of removing them all as boilerplate."),
    text_field: str = typer.Option("text", "--text-field", help="JSON lines / Parquet field holding the text."),
    id_field: str = typer.Option("id", "--id-field", help="JSON lines / Parquet field holding the document id."),
    html_timeout: float = typer.Option(30.0, "--html-timeout", min=0, help="Seconds HTML extraction may take per page (0: no limit)."),
    resume: bool = typer.Option(False, "--resume", help="Finish the work of an interrupted run into the same OUTPUT."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="Where documents are cleaned: a local process pool, or a "
                                  "Dask cluster (pip install 'cleaner[dask]'). Same output either way."),
    scheduler: str = typer.Option(None, "--scheduler", help="With --engine dask: the address of a running scheduler "
                                  "(e.g. tcp://host:8786). Default: a local cluster of --workers processes."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary."),
) -> None:
    """Clean every document under INPUT into OUTPUT. Exit code 1 if any document failed."""
    if scheduler and engine != Engine.dask:
        raise typer.BadParameter("goes with --engine dask (without it the run would not use the cluster)",
                                 param_hint="'--scheduler'")
    for flag, field in (("--text-field", text_field), ("--id-field", id_field)):
        if not field:  # every record would fail alone, after the whole run
            raise typer.BadParameter("needs a field name, not an empty one", param_hint=f"'{flag}'")
    for flag, path in (("--audit", audit), ("--manifest", manifest)):
        if path == Path("-"):  # it would be a file named '-' here, or mixed into an output on standard output
            raise typer.BadParameter("needs a file: standard output is for the cleaned documents", param_hint=f"'{flag}'")
    options = _options(lang=lang, rules=rules, dedup_threshold=dedup_threshold, no_dedup=no_dedup, no_rules=no_rules,
                       no_context=no_context, no_content=no_content, no_repeated=no_repeated, keep_foreign=keep_foreign,
                       no_classifier=no_classifier, classifier_threshold=classifier_threshold,
                       min_good_share=min_good_share, html_fallback_share=html_fallback_share, keep_chrome=keep_chrome,
                       no_page_threshold=no_page_threshold, content_with_classifier=content_with_classifier,
                       second_opinions=second_opinions, no_forum_threads=no_forum_threads, no_lexical=no_lexical,
                       no_main_region=no_main_region, no_record_grid=no_record_grid,
                       no_repair_mojibake=no_repair_mojibake, text_field=text_field, id_field=id_field, html_timeout=html_timeout)
    options = options.with_(dedup_keep=keep.value, dedup_index=index,
                            **({"dedup_boilerplate_docs": 0} if no_dedup_boilerplate else {}))
    show = not quiet and err.is_terminal
    try:
        with _stop_on_sigterm(), Progress("[progress.description]{task.description}", BarColumn(), TimeElapsedColumn(),
                      console=err, disable=not show) as bar:
            task = bar.add_task("cleaning", total=None)
            summary = clean_corpus(str(input), str(output), options, workers or os.cpu_count(), audit,
                                   progress=lambda done, total: bar.update(task, description=f"cleaning {done / 1e6:.0f} MB"),
                                   resume=resume, manifest_path=manifest, engine=engine.value, scheduler=scheduler)
    except (InputError, RuleError, ResumeError, MissingExtra) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True, highlight=False)
        raise typer.Exit(2) from None
    except BrokenPipeError:  # standard output's reader went away (| head): its audit and manifest were discarded
        raise _reader_gone() from None
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (Terminated)
        if Path("-") not in (input, output):  # standard input and output cannot be resumed
            what = "terminated" if isinstance(exc, Terminated) else "interrupted"
            err.print(f"{what}: the same command with --resume finishes the run", highlight=False)
        raise typer.Exit(STOPPED_BY_SIGTERM if isinstance(exc, Terminated) else 130) from None
    except (BrokenProcessPool, OSError) as exc:  # not the documents' fault: exit 1 would say they failed
        why = "a worker process died (killed, out of memory?)" if isinstance(exc, BrokenProcessPool) else str(exc)
        resumable = "; the same command with --resume finishes it" if Path("-") not in (input, output) else ""
        err.print(f"[red]error:[/red] the run stopped: {escape(why)}{resumable}", soft_wrap=True, highlight=False)
        raise typer.Exit(3) from None
    if not quiet:
        _print_summary(summary)
        for name, why in summary.empty_inputs:
            err.print(f"[yellow]empty input:[/yellow] {escape(name)}: {escape(why)}", highlight=False)
        for name, why in summary.skipped_inputs:
            err.print(f"[yellow]skipped:[/yellow] {escape(name)}: {escape(why)}", highlight=False, soft_wrap=True)
    if not summary.documents_in and not summary.empty_inputs and not summary.skipped_inputs:  # a folder without a file of a known kind
        suffixes = " ".join(suffix for suffix, _ in KINDS)
        err.print(f"[yellow]warning:[/yellow] no input files under {escape(str(input))} (inputs end in {suffixes}; "
                  "hidden files are skipped)", highlight=False, soft_wrap=True)
    for doc_id, error in summary.failures:
        err.print(f"[red]failed:[/red] {escape(doc_id)}: {escape(error)}")
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def explain(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The document to explain."),
    lang: str = LANG,
    rules: list[Path] = RULES,
    dedup_threshold: float = THRESHOLD,
    no_dedup: bool = NO_DEDUP,
    no_rules: bool = NO_RULES,
    no_context: bool = NO_CONTEXT,
    no_content: bool = NO_CONTENT,
    no_classifier: bool = NO_CLASSIFIER,
    classifier_threshold: float = CLASSIFIER_THRESHOLD,
    no_page_threshold: bool = NO_PAGE_THRESHOLD,
    content_with_classifier: bool = CONTENT_WITH_CLASSIFIER,
    no_lexical: bool = NO_LEXICAL,
    no_main_region: bool = NO_MAIN_REGION,
    no_record_grid: bool = NO_RECORD_GRID,
    no_repair_mojibake: bool = NO_REPAIR_MOJIBAKE,
    min_good_share: float = MIN_GOOD_SHARE,
    html_fallback_share: float = FALLBACK_SHARE,
    keep_chrome: bool = KEEP_CHROME,
    second_opinions: bool = SECOND_OPINIONS,
    no_forum_threads: bool = NO_FORUM_THREADS,
    no_repeated: bool = NO_REPEATED,
    keep_foreign: bool = KEEP_FOREIGN,
) -> None:
    """Show FILE with every removed paragraph marked, and the step, rule and evidence behind it."""
    options = _options(lang=lang, rules=rules, dedup_threshold=dedup_threshold, no_dedup=no_dedup, no_rules=no_rules,
                       no_context=no_context, no_content=no_content, no_repeated=no_repeated, keep_foreign=keep_foreign,
                       no_classifier=no_classifier, classifier_threshold=classifier_threshold,
                       min_good_share=min_good_share, html_fallback_share=html_fallback_share, keep_chrome=keep_chrome,
                       no_page_threshold=no_page_threshold, content_with_classifier=content_with_classifier,
                       second_opinions=second_opinions, no_forum_threads=no_forum_threads, no_lexical=no_lexical,
                       no_main_region=no_main_region, no_record_grid=no_record_grid,
                       no_repair_mojibake=no_repair_mojibake)
    try:
        cleaner = Cleaner(options)
    except RuleError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    console = _PipedConsole()
    source = Source(file, file.name)
    failed = False
    try:
        items = list(read(source, options))
    except (DecodeError, OSError) as exc:
        items = [Failure(file.name, str(exc))]
    except MissingExtra as exc:  # the file's format needs a package that is not installed
        err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True, highlight=False)
        raise typer.Exit(2) from None
    try:
        for item in items:
            if isinstance(item, EmptyInput):
                err.print(f"{escape(file.name)} holds no documents: {escape(item.reason)}", highlight=False)
                continue
            if not hasattr(item, "paragraphs"):
                err.print(f"[red]failed:[/red] {escape(item.id)}: {escape(item.error)}")
                failed = True
                continue
            render(cleaner.clean(item).document, console)
        sys.stdout.flush()
    except BrokenPipeError:  # explain FILE | head
        raise _reader_gone() from None
    raise typer.Exit(1 if failed else 0)


@rules_app.command("check")
def rules_check(folder: Path = typer.Argument(..., help="A folder of rule files (*.yaml).")) -> None:
    """Validate every rule file in FOLDER: YAML syntax, keys, patterns, duplicate ids, runaway backtracking.
    Exit code 0 when all are good, 1 otherwise."""
    loaded, problems = check_folder(folder)
    for problem in problems:
        err.print(f"[red]error:[/red] {problem}", highlight=False, soft_wrap=True)
    err.print(f"{len(loaded)} rule(s) good, {len(problems)} problem(s)")
    raise typer.Exit(1 if problems else 0)


class Terminated(KeyboardInterrupt):
    """SIGTERM (kill, systemd, a batch system's time limit): the run stops as on Ctrl-C, its state
    kept for --resume. A KeyboardInterrupt, so that it passes every `except Exception` as Ctrl-C does."""


STOPPED_BY_SIGTERM = 143  # 128 + SIGTERM, what the shell reports for a process SIGTERM ended


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM raises Terminated in the run, as SIGINT raises KeyboardInterrupt: without this it ended
    the process at once, silent, with no word that --resume would finish the run."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return

    def terminate(signum, frame):
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


STOPPED_BY_SIGPIPE = 141  # 128 + SIGPIPE: what the shell reports for cat or grep when their reader goes away


def _reader_gone() -> typer.Exit:
    """Standard output's reader went away (`cleaner ... | head`): stop quietly, as cat and grep do,
    whom SIGPIPE ends (exit status 141), rather than print an error no one asked for. Exit 1, what
    Python's documentation suggests, would say here that documents failed. Standard output then
    points at /dev/null: what is left in its buffer must not fail again when Python flushes it."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # a standard output of no file descriptor (a test's): nothing to flush
        pass
    return typer.Exit(STOPPED_BY_SIGPIPE)


class _PipedConsole(Console):
    def on_broken_pipe(self) -> None:
        """rich's own exits 1, which would say that the document failed: the command's handling instead."""
        raise BrokenPipeError


def _print_summary(s: Summary) -> None:
    table = Table(title="cleaner: summary", show_header=False)
    table.add_row("documents in", str(s.documents_in))
    table.add_row("written", str(s.written))
    table.add_row("removed whole", str(s.removed))
    table.add_row("failed", str(s.failed))
    if s.empty_inputs:
        table.add_row("empty inputs", f"{len(s.empty_inputs)} (files holding no documents)")
    if s.skipped_inputs:
        table.add_row("skipped", f"{len(s.skipped_inputs)} (files or folders not read, each named below)")
    table.add_row("languages", ", ".join(f"{k} {v}" for k, v in s.languages.most_common(10)))
    table.add_row("time", f"{s.seconds:.1f} s, {s.bytes_in / 1e6:.1f} MB, {s.megabytes_per_second:.2f} MB/s, "
                          f"{s.documents_in / s.seconds if s.seconds else 0:.0f} docs/s")
    err.print(table)
    reasons = Table(title="removed paragraphs by step / rule")
    reasons.add_column("step")
    reasons.add_column("rule")
    reasons.add_column("paragraphs", justify="right")
    reasons.add_column("characters", justify="right")
    for (step, rule), n in sorted(s.paragraphs_removed.items(), key=lambda kv: (-kv[1], kv[0])):
        reasons.add_row(step, rule, str(n), str(s.chars_removed[(step, rule)]))
    for reason, n in s.documents_removed.most_common():
        reasons.add_row("(whole document)", reason, str(n), "")
    err.print(reasons)
    for (step, rule), n in sorted(s.paragraphs_kept_back.items()):
        err.print(f"{step} / {rule}: kept {n} paragraphs that an earlier step had removed (in the audit: \"kept\": true)")


def main() -> None:
    app(prog_name="cleaner")


if __name__ == "__main__":
    sys.exit(main())
