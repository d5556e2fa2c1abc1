"""The command line: where outputs go, what stops a run before it writes, exit codes, help, explain."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
import typer
from conftest import ENV
from prose import EN, lines
from typer.testing import CliRunner

from cleaner.cli import app


def files_under(folder) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_outputs_mirror_inputs_with_the_last_extension_replaced_by_txt(corpus, clean_run):
    src = corpus({"top.md": lines(EN[0]), "news/2025/ferry.html": f"<html><body><article><p>{EN[1]}</p></article></body></html>",
                  "news/report.v2.txt": lines(EN[2]), "news/old.htm": f"<html><body><p>{EN[3]}</p></body></html>"})
    out, result = clean_run(src)
    assert result.exit_code == 0, result.output
    assert files_under(out) == ["cleaner-audit.jsonl", "cleaner-dedup-index.npz", "cleaner-manifest.jsonl", "news/2025/ferry.txt",
                                "news/old.txt", "news/report.v2.txt", "top.txt"]


def test_files_of_other_kinds_and_hidden_files_are_not_inputs(corpus, clean_run):
    src = corpus({"story.txt": lines(EN[0]), "notes.docx": "binary-ish", ".draft.txt": lines(EN[1]),
                  ".cache/page.txt": lines(EN[2])})
    out, result = clean_run(src)
    assert result.exit_code == 0, result.output
    assert files_under(out) == ["cleaner-audit.jsonl", "cleaner-dedup-index.npz", "cleaner-manifest.jsonl", "story.txt"]


def test_a_single_file_can_be_the_input(corpus, clean_run):
    src = corpus({"story.md": lines("Skip to content", EN[0])})
    out, result = clean_run(src / "story.md")
    assert result.exit_code == 0, result.output
    assert (out / "story.txt").read_text(encoding="utf-8") == EN[0] + "\n"


def test_colliding_inputs_are_reported_before_anything_is_written(corpus, clean_run):
    src = corpus({"a.txt": lines(EN[0]), "a.html": f"<html><body><p>{EN[1]}</p></body></html>", "b.txt": lines(EN[2])})
    out, result = clean_run(src)
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "a.html" in message and "a.txt" in message and "collide" in message
    assert not out.exists()


def test_a_missing_input_exits_2_without_output(tmp_path, clean_run):
    out, result = clean_run(tmp_path / "nowhere")
    assert result.exit_code == 2
    assert not out.exists()


def test_a_failed_document_makes_the_exit_code_1_and_the_others_are_written(corpus, clean_run):
    src = corpus({"a.txt": lines(EN[0]), "b.txt": b"\x00\x01\x02 not text", "c.txt": lines(EN[1])})
    out, result = clean_run(src)
    assert result.exit_code == 1
    assert "failed: b.txt" in result.output
    assert (out / "a.txt").exists() and (out / "c.txt").exists() and not (out / "b.txt").exists()


def test_a_failed_document_is_named_as_it_is_even_with_brackets(corpus, clean_run):
    src = corpus({"notes [draft].txt": b"\x00\x01\x02 not text"})
    out, result = clean_run(src)
    assert result.exit_code == 1
    assert "notes [draft].txt" in result.output


def test_a_clean_run_exits_0(corpus, clean_run):
    out, result = clean_run(corpus({"a.txt": lines(EN[0])}))
    assert result.exit_code == 0, result.output


def _options(command: str) -> list[str]:
    click_command = typer.main.get_command(app).commands[command]
    return [opt for param in click_command.params for opt in param.opts if opt.startswith("--")]


@pytest.mark.parametrize("command", ["clean", "explain"])
def test_help_mentions_every_option(cli, command):
    result = cli(command, "--help", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert len(_options(command)) >= 9
    for option in _options(command):
        assert option in result.output, option


def test_clean_help_covers_the_readme_options(cli):
    result = cli("clean", "--help", env={"COLUMNS": "200"})
    for option in ("--lang", "--workers", "--rules", "--dedup-threshold", "--no-dedup", "--no-rules", "--no-context",
                   "--no-content", "--no-classifier", "--no-repeated", "--audit", "--quiet"):
        assert option in result.output, option


def test_the_readme_synopsis_of_clean_names_every_option_it_has():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    synopsis = readme[readme.index("cleaner clean INPUT OUTPUT"):readme.index("cleaner rules check DIR")]
    assert sorted(set(re.findall(r"\[(--[a-z-]+)", synopsis))) == sorted(_options("clean"))


def test_help_at_80_columns_shows_every_option_in_full(cli):
    result = cli("clean", "--help", env={"COLUMNS": "80"})
    for option in _options("clean"):
        assert option in result.output, option


def test_explain_prints_each_removed_piece_with_step_rule_and_reason(corpus, cli):
    src = corpus({"story.txt": lines("Skip to content", EN[0], "Share this story", EN[1], EN[0])})
    result = cli("explain", src / "story.txt", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "rules/nav-skip-link: skip link for screen readers and keyboards" in result.output
    assert "rules/share-label: social or share widget" in result.output
    assert "dedup/dedup-doc: duplicate paragraph in the document (duplicate of ¶1, J=1.00)" in result.output
    assert "2 of 5 paragraphs kept" in result.output


def test_explain_shows_a_document_removed_whole(corpus, cli):
    src = corpus({"story.txt": lines(EN[0], EN[1])})
    result = cli("explain", src / "story.txt", "--lang", "es", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "REMOVED WHOLE by language/lang-filter: language en not in es" in result.output


def test_explain_of_a_binary_file_says_it_failed(corpus, cli):
    src = corpus({"blob.txt": b"\x00\x00\x00\x00"})
    result = cli("explain", src / "blob.txt")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "binary" in result.output


def test_explain_of_a_bad_json_line_says_it_failed_and_exits_1(corpus, cli):
    src = corpus({"records.jsonl": json.dumps({"text": EN[0]}) + "\n{not json\n"})
    result = cli("explain", src / "records.jsonl", env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "failed: records.jsonl:2: not valid JSON" in result.output


def test_explain_of_a_file_with_no_records_says_so_and_exits_0(corpus, cli):
    src = corpus({"records.jsonl": "\n\n"})
    result = cli("explain", src / "records.jsonl", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "records.jsonl holds no documents: no JSON lines record" in result.output


def test_the_summary_names_each_input_file_that_held_no_documents(corpus, cli, tmp_path):
    src = corpus({"a.txt": lines(EN[0]), "feed.jsonl": "", "more.jsonl": "\n"})
    result = cli("clean", src, tmp_path / "out", "--workers", "1", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "empty inputs  │ 2" in result.output
    assert "empty input: feed.jsonl: 0 bytes" in result.output
    assert "empty input: more.jsonl: no JSON lines record" in result.output


@pytest.mark.parametrize(("output", "more", "problem"), [
    ("taken", [], "taken is a file, and a folder output was asked for"),
    ("taken/out", [], "taken/out cannot be made: taken is a file"),
    ("taken/out.jsonl", [], "taken/out.jsonl cannot be made: taken is a file"),
    ("folder.jsonl", [], "folder.jsonl is a folder, and a file is to be written there"),
    ("out", ["--audit", "folder.jsonl"], "folder.jsonl is a folder, and a file is to be written there"),
    ("out", ["--manifest", "taken/m.jsonl"], "taken/m.jsonl cannot be made: taken is a file"),
    ("out", ["--index", "folder.jsonl"], "folder.jsonl is a folder, and a file is to be written there"),
])
def test_an_output_that_cannot_be_written_is_refused_before_the_run(corpus, clean_run, tmp_path, monkeypatch,
                                                                      output, more, problem):
    src = corpus({"a.txt": lines(EN[0])})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken").write_text("a file of the user's\n")
    (tmp_path / "folder.jsonl").mkdir()
    _, result = clean_run(src, *more, out=output)
    assert result.exit_code == 2, result.output
    assert problem in " ".join(result.output.split()) and "nothing was written" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.jsonl", "in", "taken"]
    assert (tmp_path / "taken").read_text() == "a file of the user's\n" and not any((tmp_path / "folder.jsonl").iterdir())


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc, where no folder can be made")
@pytest.mark.parametrize("output", ["/proc/cleaner-out", "/proc/cleaner-out.jsonl"])
def test_an_output_where_nothing_can_be_made_is_bad_input_not_a_run_to_resume(corpus, clean_run, output):
    _, result = clean_run(corpus({"a.txt": lines(EN[0])}), out=output)
    assert result.exit_code == 2, result.output  # exit 3 would say "stopped: --resume finishes it", which cannot
    said = " ".join(result.output.split())
    assert "error: cannot" in said and "/proc/" in said and "--resume" not in said


def test_a_scheduler_without_the_dask_engine_is_a_usage_error(corpus, clean_run):
    out, result = clean_run(corpus({"a.txt": lines(EN[0])}), "--scheduler", "tcp://host:8786")
    assert result.exit_code == 2
    assert "Invalid value for '--scheduler': goes with --engine dask" in " ".join(result.output.split())
    assert not out.exists()


@pytest.mark.parametrize("flag", ["--audit", "--manifest"])
def test_an_audit_or_manifest_to_standard_output_is_refused_not_written_to_a_file_named_dash(corpus, clean_run,
                                                                                          monkeypatch, tmp_path, flag):
    monkeypatch.chdir(tmp_path)
    out, result = clean_run(corpus({"a.txt": lines(EN[0])}), flag, "-")
    assert result.exit_code == 2
    assert f"Invalid value for '{flag}': needs a file" in " ".join(result.output.split())
    assert not out.exists() and not (tmp_path / "-").exists()


@pytest.mark.parametrize("flag", ["--text-field", "--id-field"])
def test_an_empty_field_name_is_a_usage_error_not_a_failure_per_record(corpus, clean_run, flag):
    out, result = clean_run(corpus({"feed.jsonl": json.dumps({"id": "a", "text": EN[0]}) + "\n"}), flag, "")
    assert result.exit_code == 2
    assert f"Invalid value for '{flag}': needs a field name" in " ".join(result.output.split())
    assert not out.exists()


def test_a_folder_without_input_files_is_a_warning_naming_it(corpus, clean_run):
    src = corpus({"data.json": '{"text": "not read: .json is not an input"}\n', ".hidden.txt": lines(EN[0])})
    out, result = clean_run(src)
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert f"warning: no input files under {src} (inputs end in " in said
    assert all(suffix in said for suffix in (".txt", ".html", ".jsonl.zst", ".parquet", ".warc.gz"))


def test_a_folder_with_only_empty_inputs_gets_no_such_warning(corpus, clean_run):
    out, result = clean_run(corpus({"feed.jsonl": ""}))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


@pytest.mark.parametrize("output", ["out.json.gz", "out.txt", "out.json"])
def test_an_output_named_like_a_file_cleaner_does_not_write_is_refused_not_made_a_folder(corpus, clean_run, tmp_path,
                                                                                         output):
    _, result = clean_run(corpus({"a.txt": lines(EN[0])}), out=tmp_path / output)
    assert result.exit_code == 2
    assert "is named like a file but would be made a folder" in " ".join(result.output.split())
    assert not (tmp_path / output).exists()


def test_an_existing_folder_named_like_a_file_is_still_an_output_folder(corpus, clean_run, tmp_path):
    (tmp_path / "site.html").mkdir()
    out, result = clean_run(corpus({"a.txt": lines(EN[0])}), out=tmp_path / "site.html")
    assert result.exit_code == 0, result.output
    assert (out / "a.txt").exists()


def test_explain_of_a_format_whose_package_is_missing_names_the_extra(corpus, cli, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = corpus({})
    pq.write_table(pa.table({"text": [EN[0]]}), src / "rows.parquet")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as where it is not installed
    result = cli("explain", src / "rows.parquet", env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "error: Parquet input needs the 'pyarrow' package: pip install 'cleaner[parquet]'" in result.output


def test_rules_that_name_a_file_are_refused_as_not_a_folder(corpus, clean_run):
    src = corpus({"a.txt": lines(EN[0]), "house.yaml": "family: house\nrules: []\n"})
    out, result = clean_run(src / "a.txt", "--rules", src / "house.yaml")
    assert result.exit_code == 2
    assert "house.yaml: not a folder (--rules takes a folder of rule files)" in " ".join(result.output.split())
    assert not out.exists()


def _stopped_by(monkeypatch, exc: BaseException) -> None:
    import cleaner.cli

    def run(*args, **kwargs):
        raise exc

    monkeypatch.setattr(cleaner.cli, "clean_corpus", run)


@pytest.mark.parametrize(("source", "hint"), [("folder", True), ("-", False)])
def test_an_interrupted_run_says_how_to_finish_it_unless_it_read_standard_input(corpus, clean_run, monkeypatch,
                                                                               source, hint):
    _stopped_by(monkeypatch, KeyboardInterrupt())
    _, result = clean_run(corpus({"a.txt": lines(EN[0])}) if source == "folder" else "-")
    assert result.exit_code == 130
    assert ("interrupted: the same command with --resume finishes the run" in result.output) == hint


@pytest.mark.parametrize(("stop", "said"), [
    (BrokenProcessPool("A process in the process pool was terminated abruptly"), "a worker process died"),
    (OSError(28, "No space left on device"), "[Errno 28] No space left on device"),
])
def test_a_run_stopped_by_its_machine_exits_3_not_1_and_says_how_to_finish_it(corpus, clean_run, monkeypatch,
                                                                              stop, said):
    _stopped_by(monkeypatch, stop)
    _, result = clean_run(corpus({"a.txt": lines(EN[0])}))
    assert result.exit_code == 3  # 1 would say that documents failed and the rest is done
    message = " ".join(result.output.split())
    assert f"error: the run stopped: {said}" in message and "--resume finishes it" in message


def test_a_folder_that_cannot_be_listed_is_refused_not_passed_over(corpus, clean_run, monkeypatch):
    import os

    src = corpus({"a.txt": lines(EN[0]), "locked/b.txt": lines(EN[1]), ".hidden/c.txt": lines(EN[2])})
    listing = os.scandir

    def scandir(path="."):  # as for a user without read permission on the folder (the tests run as root)
        if isinstance(path, str | os.PathLike) and os.path.basename(path) in ("locked", ".hidden"):
            raise PermissionError(13, "Permission denied", path)
        return listing(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out, result = clean_run(src)
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert f"cannot list these folders, and their documents would be lost; nothing was written: {src / 'locked'}: " \
           "Permission denied" in message
    assert ".hidden" not in message  # hidden folders are not inputs: never listed
    assert not out.exists()


@pytest.mark.parametrize("name", ["records.json", "records.json.gz", "table.csv"])
def test_a_single_input_in_a_data_format_cleaner_does_not_read_is_refused_not_read_as_text(corpus, clean_run, name):
    src = corpus({name: json.dumps({"text": EN[0]}) + "\n"})
    out, result = clean_run(src / name)
    assert result.exit_code == 2
    assert "is not a format cleaner reads (JSON lines: .jsonl" in " ".join(result.output.split())
    assert not out.exists()


def test_a_single_input_of_no_known_suffix_is_read_as_plain_text(corpus, clean_run):
    out, result = clean_run(corpus({"NOTES": lines(EN[0])}) / "NOTES")
    assert result.exit_code == 0, result.output
    assert (out / "NOTES.txt").read_text(encoding="utf-8") == EN[0] + "\n"


def _read_one_line_then_hang_up(*args: object) -> subprocess.CompletedProcess:
    """`cleaner ARGS | head -1`: the reader of standard output goes away after one line."""
    run = subprocess.Popen([sys.executable, "-m", "cleaner.cli", *map(str, args)], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=ENV)
    first = run.stdout.readline()
    run.stdout.close()
    stderr = run.stderr.read()
    run.wait(timeout=120)
    return subprocess.CompletedProcess(args, run.returncode, first, stderr)


def _many_records(path: Path, n: int = 3000) -> Path:
    path.write_text("".join(json.dumps({"id": str(i), "text": f"{EN[0]} {i}"}) + "\n" for i in range(n)))
    return path


def test_clean_to_a_pipe_closed_early_stops_quietly_with_141_and_leaves_no_side_files(tmp_path):
    src = _many_records(tmp_path / "big.jsonl")
    run = _read_one_line_then_hang_up("clean", src, "-", "-q", "--workers", "1", "--no-dedup", "--no-classifier",
                                      "--audit", tmp_path / "a.jsonl", "--manifest", tmp_path / "m.jsonl")
    assert json.loads(run.stdout)["id"] == "0"
    assert (run.returncode, run.stderr.decode()) == (141, "")  # as cat or grep, ended by SIGPIPE: 128 + 13
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl"]  # no manifest of documents no one read


def test_explain_to_a_pipe_closed_early_stops_quietly_with_141(tmp_path):
    src = _many_records(tmp_path / "big.jsonl", 300)
    run = _read_one_line_then_hang_up("explain", src, "--no-classifier")
    assert run.stdout and (run.returncode, run.stderr.decode()) == (141, "")


TERM_AT = """
import multiprocessing, os, signal, sys
if "fork" in multiprocessing.get_all_start_methods():
    multiprocessing.set_start_method("fork", force=True)
import cleaner.resume
from cleaner.cli import main
calls, real = [0], cleaner.resume.RunState.save
def save(self, *args):
    calls[0] += 1
    if calls[0] == 2:
        os.kill(os.getpid(), signal.SIGTERM) if sys.argv[1] == "run" else os.killpg(0, signal.SIGTERM)
    return real(self, *args)
cleaner.resume.RunState.save = save
sys.argv = ["cleaner", *sys.argv[2:]]
main()
"""


@pytest.mark.parametrize("whom", ["run", "group"])  # kill PID; systemd, or kill -TERM -PGID: workers too
def test_sigterm_stops_a_run_as_ctrl_c_does_it_says_how_to_finish_and_resume_does(tmp_path, whom):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(200):  # four batches
        (src / f"{i:03d}.txt").write_text(f"{EN[0]} {i}")
    flags = ["--workers", "2", "-q", "--no-classifier", "--no-dedup"]
    run = subprocess.run([sys.executable, "-c", TERM_AT, whom, "clean", src, tmp_path / "out", *flags],
                         capture_output=True, env=ENV, timeout=120, start_new_session=True)
    assert run.returncode == 143, run.stderr.decode()[-2000:]
    assert "the same command with --resume finishes the run" in " ".join(run.stderr.decode().split())
    assert (tmp_path / "out" / ".cleaner-state").is_dir()
    assert CliRunner().invoke(app, [str(a) for a in ("clean", src, tmp_path / "out", "--resume", *flags)]).exit_code == 0
    assert len(list((tmp_path / "out").glob("*.txt"))) == 200
