"""Context: a short line between two removed lines goes with them; a short line next to prose stays."""

from __future__ import annotations

from prose import EN, lines

from cleaner import Cleaner


def without_content(**options) -> Cleaner:
    """The content classifier would remove short lines on its own; switch it off to see context alone."""
    return Cleaner(content=False, classifier=False, dedup=False, repeated_lines=False, **options)


def test_a_short_line_between_two_removed_lines_is_removed():
    result = without_content().clean(lines(EN[0], "Share this story", "Our friends at the mill", "Facebook", EN[1]))
    assert result.text == f"{EN[0]}\n\n{EN[1]}"
    record = next(r for r in result.removals if r["text"] == "Our friends at the mill")
    assert (record["step"], record["rule"]) == ("context", "sandwiched")
    assert record["evidence"] == {"before": "share-label", "after": "share-network-name"}


def test_a_run_of_up_to_three_short_lines_goes_together():
    middle = ["Garden tools", "Spring sale", "Opening hours"]
    result = without_content().clean(lines(EN[0], "Skip to content", *middle, "Back to top", EN[1]))
    assert result.text == f"{EN[0]}\n\n{EN[1]}"


def test_a_longer_run_of_short_lines_is_left_alone():
    middle = ["Garden tools", "Spring sale", "Opening hours", "Gift cards"]
    result = without_content().clean(lines(EN[0], "Skip to content", *middle, "Back to top", EN[1]))
    assert all(line in result.text for line in middle)


def test_a_short_line_with_prose_on_one_side_stays():
    result = without_content().clean(lines(EN[0], "Share this story", "Our friends at the mill", EN[1]))
    assert "Our friends at the mill" in result.text


def test_a_long_line_between_two_removed_lines_stays():
    sentence = "The mill reopened its doors to visitors on the first Sunday of the month."
    result = without_content().clean(lines(EN[0], "Share this story", sentence, "Facebook", EN[1]))
    assert sentence in result.text


def test_no_context_keeps_the_sandwiched_line():
    result = without_content(context=False).clean(lines(EN[0], "Share this story", "Our friends at the mill", "Facebook", EN[1]))
    assert "Our friends at the mill" in result.text
