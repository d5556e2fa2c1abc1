"""The audit trail: one JSON line per removed piece, saying where it was, who removed it and why."""

from __future__ import annotations

from prose import EN, lines

FIELDS = {"doc", "paragraph", "span", "step", "rule", "reason", "text"}
STORY = lines("Skip to content", EN[0], "Share this story", EN[1])


def test_audit_goes_to_the_output_folder_by_default(corpus, clean_run, jsonl):
    out, result = clean_run(corpus({"story.txt": STORY}))
    assert result.exit_code == 0, result.output
    records = jsonl(out / "cleaner-audit.jsonl")
    assert [(r["doc"], r["paragraph"], r["step"], r["rule"], r["text"]) for r in records] == [
        ("story.txt", 0, "rules", "nav-skip-link", "Skip to content"),
        ("story.txt", 2, "rules", "share-label", "Share this story"),
    ]
    for record in records:
        assert FIELDS <= set(record) and record["reason"]


def test_audit_option_puts_it_elsewhere(tmp_path, corpus, clean_run, jsonl):
    target = tmp_path / "logs" / "removed.jsonl"
    out, result = clean_run(corpus({"story.txt": STORY}), "--audit", target)
    assert result.exit_code == 0, result.output
    assert [r["rule"] for r in jsonl(target)] == ["nav-skip-link", "share-label"]
    assert not (out / "cleaner-audit.jsonl").exists()


def test_each_span_points_at_the_removed_text_in_the_input(corpus, clean_run, jsonl):
    src = corpus({"story.txt": STORY})
    out, _ = clean_run(src)
    text = (src / "story.txt").read_text(encoding="utf-8")
    for record in jsonl(out / "cleaner-audit.jsonl"):
        start, end = record["span"]
        assert text[start:end] == record["text"]


def test_a_document_removed_whole_has_a_record_without_a_paragraph_first(corpus, clean_run, jsonl):
    src = corpus({"story.txt": STORY})
    out, _ = clean_run(src, "--lang", "de")
    [record, *pieces] = jsonl(out / "cleaner-audit.jsonl")
    assert record["paragraph"] is None and record["span"] == [0, len(STORY)]
    assert (record["step"], record["rule"], record["reason"]) == ("language", "lang-filter", "language en not in de")
    assert all(p["paragraph"] is not None for p in pieces)


def test_a_document_with_nothing_left_says_why_each_paragraph_went(corpus, clean_run, jsonl):
    src = corpus({"menu.txt": lines("Skip to content", "Share this story", "Subscribe to our newsletter")})
    out, _ = clean_run(src)
    [record, *pieces] = jsonl(out / "cleaner-audit.jsonl")
    assert (record["paragraph"], record["reason"]) == (None, "nothing left after cleaning")
    assert [p["paragraph"] for p in pieces] == [0, 1, 2] and all(p["step"] and p["reason"] for p in pieces)


def test_audit_lines_are_plain_utf8_not_escaped(corpus, clean_run):
    out, _ = clean_run(corpus({"historia.txt": lines("Saltar al contenido", "El río crece cada año. " * 12)}))
    assert "Saltar al contenido" in (out / "cleaner-audit.jsonl").read_text(encoding="utf-8")


def test_manifest_has_one_line_per_input_document(corpus, clean_run, jsonl):
    src = corpus({"a.txt": STORY, "b.txt": lines("Share"), "c.txt": b"\x00binary"})
    out, _ = clean_run(src)
    manifest = {m["doc"]: m for m in jsonl(out / "cleaner-manifest.jsonl")}
    assert {doc: m["status"] for doc, m in manifest.items()} == {"a.txt": "written", "b.txt": "removed", "c.txt": "failed"}
    assert manifest["a.txt"]["output"] == "a.txt"
    assert (manifest["a.txt"]["paragraphs_kept"], manifest["a.txt"]["paragraphs_removed"]) == (2, 2)
    assert manifest["b.txt"]["reason"] == "nothing left after cleaning"


def test_a_cut_prefix_is_audited_with_the_text_it_removed(corpus, clean_run, jsonl):
    out, _ = clean_run(corpus({"story.txt": lines("date 2025-08-11 " + EN[0], EN[1])}))
    [record] = jsonl(out / "cleaner-audit.jsonl")
    assert (record["paragraph"], record["rule"], record["text"]) == (0, "meta-date-prefix", "date 2025-08-11")
    assert (out / "story.txt").read_text(encoding="utf-8") == f"{EN[0]}\n\n{EN[1]}\n"


def test_a_cut_prefix_span_is_exactly_the_removed_text(corpus, clean_run, jsonl):
    src = corpus({"story.txt": lines("date 2025-08-11 " + EN[0], EN[1])})
    out, _ = clean_run(src)
    [record] = jsonl(out / "cleaner-audit.jsonl")
    start, end = record["span"]
    assert (src / "story.txt").read_text(encoding="utf-8")[start:end] == record["text"]


def test_audit_lines_are_what_json_dumps_writes():
    import json

    from cleaner.audit import json_line

    record = {"doc": 'a "b"\\', "paragraph": None, "span": [0, 5], "text": "é\n\u2028\x00",
              "evidence": {"similarity": 0.1 + 0.2, "zero": -0.0, "big": 1e300, "flag": True, "none": None}}
    assert json_line(record) == json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"


def test_a_documents_audit_lines_are_its_records_as_json_lines():
    from cleaner import Cleaner
    from cleaner.audit import audit_lines, json_line, note_records, removal_records

    text = lines("Skip to content", 'Quote "this" \\ and é\u2028', EN[0], "Share this story", EN[1], EN[0], "42")
    for doc in (Cleaner().clean(text).document, Cleaner(langs="fr").clean(text).document):
        doc.meta["rule_timeouts"] = ["some-rule"]
        expected = "".join(map(json_line, note_records(doc) + removal_records(doc)))
        assert audit_lines(doc) == expected and expected.count("\n") >= 2
