"""Input text made safe to show (`orgplan.text`) and the small words around figures
(`orgplan.formatting`: counts, articles, the structure a plan was solved under)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orgplan.errors import Problem
from orgplan.formatting import article, counted, structure_phrase
from orgplan.reports.console import problem_line
from orgplan.text import EXCERPT, clipped, excerpt, json_printable, printable

# What must never reach a terminal raw: C0 (but newline where allowed), DEL, C1,
# surrogates, bidirectional overrides and isolates, line and paragraph separators.
UNSAFE = (
    [chr(c) for c in range(0x20) if c != 0x0A]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + ["\ud800", "\udfff", "\u202a", "\u202e", "\u2066", "\u2069", "\u2028", "\u2029"]
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain", "plain"),
        ("a\x1b[31mred", "a\\x1b[31mred"),
        (
            "\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07",
            "\\x1b]8;;https://evil.example/\\x07click\\x1b]8;;\\x07",
        ),
        ("two\nlines", "two\\nlines"),
        ("tab\there", "tab\\there"),
        ("csi\x9b2J", "csi\\x9b2J"),
        ("del\x7f", "del\\x7f"),
        ("evil\u202egnp.exe", "evil\\u202egnp.exe"),
        ("line\u2028sep", "line\\u2028sep"),
        ("lone\udcff", "lone\\udcff"),
        # text that is only unusual stays as it is
        ("[link=https://evil.example/x]click[/link]", "[link=https://evil.example/x]click[/link]"),
        ("Zoë 名前 👩‍💻 می‌خواهم", "Zoë 名前 👩‍💻 می‌خواهم"),
        ("C:\\Users\\x", "C:\\Users\\x"),
    ],
)
def test_printable_escapes_what_a_terminal_would_act_on(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_printable_keeps_line_breaks_only_when_asked() -> None:
    assert printable("a\nb\x1b", newlines=True) == "a\nb\\x1b"
    assert printable("a\nb") == "a\\nb"


@pytest.mark.parametrize("char", UNSAFE)
def test_no_unsafe_character_survives(char: str) -> None:
    assert char not in printable(f"a{char}b")
    assert char not in excerpt(f"a{char}b" * 40)
    assert char not in clipped(f"got '{char}' (text){char}")


@given(st.text())
def test_escaping_twice_changes_nothing(text: str) -> None:
    once = printable(text)
    assert printable(once) == once
    assert not any(c in once for c in UNSAFE)


def test_excerpt_cuts_long_text_with_an_ellipsis() -> None:
    assert excerpt("x" * 60) == "x" * 60
    assert excerpt("x" * 61) == "x" * 59 + "…"
    assert len(excerpt("y" * 10_000)) == EXCERPT
    assert excerpt("abcdef", 4) == "abc…"


def test_an_excerpt_never_cuts_an_escape_in_two() -> None:
    shown = excerpt("\x1b" * 30)  # each ESC is four characters once escaped
    assert shown == "\\x1b" * 14 + "…"
    assert excerpt(shown) == shown


@given(st.text(), st.integers(min_value=2, max_value=80))
def test_an_excerpt_is_short_and_its_own_excerpt(text: str, limit: int) -> None:
    cut = excerpt(text, limit)
    assert len(cut) <= limit
    assert excerpt(cut, limit) == cut
    assert cut == printable(text) or cut.endswith("…")


def test_clipped_cuts_each_quoted_value_and_keeps_the_words_around() -> None:
    long = "secret " * 100
    line = clipped(f"unknown column '{long}' (not a field or skill); did you mean 'name'?")
    assert line == (
        f"unknown column '{excerpt(long)}' (not a field or skill); did you mean 'name'?"
    )
    # an apostrophe inside a word opens no quote
    text = "must meet the role's floor 3 (an open-requisition hire must be able to hold the seat)"
    assert clipped(text) == text


def test_clipped_caps_the_whole_line() -> None:
    assert len(clipped("word " * 1000)) == 8 * EXCERPT


def test_a_problem_line_is_one_line_with_short_excerpts() -> None:
    value = "\x1b[2J" + "A" * 500  # 7 characters once escaped, then 52 of the A: 59 and …
    problem = Problem("s\x1b.yaml", 3, "roles.PM\n.cost", f"must be a number, got '{value}' (text)")
    line = problem_line(problem)
    assert "\n" not in line and "\x1b" not in line
    assert line == (
        f"s\\x1b.yaml:3: roles.PM\\n.cost: must be a number, got '\\x1b[2J{'A' * 52}…' (text)"
    )
    assert problem_line(Problem("s.yaml", 0, "", "the file is empty")) == (
        "s.yaml: the file is empty"
    )


def test_json_printable_keeps_the_value_and_escapes_the_rest() -> None:
    data = {"name": "a\x1b\x9b\x7f\u202e\u2028b", "n": 1}
    text = json.dumps(data, ensure_ascii=False, indent=2)
    safe = json_printable(text)
    assert json.loads(safe) == data
    assert not any(c in safe for c in UNSAFE)
    assert "\n" in safe  # the layout stays


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Analyst", "an"),
        ("Engineer", "an"),
        ("PM", "a"),
        ("TPM", "a"),
        ("PMM", "a"),
        ("SRE", "an"),
        ("MBA", "an"),
        ("UX", "a"),
        ("SolutionSpecialist", "a"),
        ("user", "a"),
        ("hour", "an"),
        ("", "a"),
    ],
)
def test_article(word: str, expected: str) -> None:
    assert article(word) == expected


def test_counted() -> None:
    assert counted(1, "seat") == "1 seat"
    assert counted(0, "seat") == "0 seats"
    assert counted(2, "open req") == "2 open reqs"
    assert counted(1, "eligible person", "eligible people") == "1 eligible person"
    assert counted(3, "eligible person", "eligible people") == "3 eligible people"
    assert counted(1.0, "level") == "1 level"
    assert counted(1.5, "level") == "1.5 levels"


def test_structure_phrase() -> None:
    assert structure_phrase("pm_pmm") == "structure pm_pmm"
    assert structure_phrase(None) == "all roles, no structure"
    assert structure_phrase("all roles") == "all roles, no structure"
