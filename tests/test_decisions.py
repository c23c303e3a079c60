"""Decisions (format 1.1): each kind's effect on a tiny scenario (a call the best plan
makes anyway, and one it must pay for), the checker and the heuristics keeping them, the
contradictions refused, the flags and files merged, the workbook round trip, and diff."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import Result

from checker import check_plan
from conftest import line_of, make_scenario
from orgplan.analysis.diff import diff_plans
from orgplan.heuristics import greedy_plan, violations
from orgplan.model import build_model, resolve_limits
from orgplan.scenario.format import Scenario
from solver_helpers import cand, infeasible_reasons, owner, placed, resp, scenario, solve_checked

ROLES = {"PM": {"cost": 100}, "TPM": {"cost": 150}}


def two(**decisions: Any) -> Scenario:
    """Work `a` (business 4) and `b` (technical 4); x fits a only, y both (a less well);
    x is the cheaper. Best plan without decisions: x owns a, y owns b."""
    return scenario(
        [resp("a", needs={"business": 4}), resp("b", needs={"technical": 4})],
        [
            cand("x", cost=50, skills={"business": 4, "technical": 1}),
            cand("y", cost=80, skills={"business": 3, "technical": 4}),
        ],
        roles=ROLES,
        **({"decisions": decisions} if decisions else {}),
    )


def one(**decisions: Any) -> Scenario:
    """One piece of work anyone may own; x costs 50, y 80: the best plan seats x as PM."""
    return scenario(
        [resp("a")],
        [cand("x", cost=50), cand("y", cost=80)],
        roles=ROLES,
        **({"decisions": decisions} if decisions else {}),
    )


# ---- each kind: its effect, free or paid for ---------------------------------------------


def test_without_decisions_the_tiny_plans_are_as_documented() -> None:
    plan = solve_checked(one())
    assert placed(plan) == {"x": "PM"} and plan.kpis.total_cost == 50
    plan = solve_checked(two())
    assert (owner(plan, "a"), owner(plan, "b")) == ("x", "y")
    assert plan.to_json()["decisions"] == {
        "place": {},
        "exclude": [],
        "assign": {},
        "keep_together": [],
    }


def test_place_the_plans_choice_changes_nothing() -> None:
    plan = solve_checked(one(place={"x": "PM"}))
    assert placed(plan) == {"x": "PM"} and plan.kpis.total_cost == 50
    assert plan.to_json()["decisions"]["place"] == {"x": "PM"}


def test_place_is_paid_for() -> None:
    plan = solve_checked(one(place={"y": "TPM"}))
    # y costs 80 in any role: seated as TPM, y owns the work alone (x would add 50)
    assert placed(plan) == {"y": "TPM"} and plan.kpis.total_cost == 80


def test_exclude_the_plans_choice_changes_nothing() -> None:
    plan = solve_checked(one(exclude=["y"]))
    assert placed(plan) == {"x": "PM"} and plan.kpis.total_cost == 50


def test_exclude_is_paid_for() -> None:
    plan = solve_checked(one(exclude=["x"]))
    assert placed(plan) == {"y": "PM"} and plan.kpis.total_cost == 80


def test_assign_the_plans_choice_changes_nothing() -> None:
    plan = solve_checked(two(assign={"a": "x"}))
    assert (owner(plan, "a"), owner(plan, "b")) == ("x", "y")
    assert plan.kpis.quality == pytest.approx(20)


def test_assign_is_paid_for() -> None:
    plan = solve_checked(two(assign={"a": "y"}))
    # y owns a at fit 3/4: quality 7.5 + 10 (y keeps b too: x would add nothing but cost)
    assert (owner(plan, "a"), owner(plan, "b")) == ("y", "y")
    assert plan.kpis.quality == pytest.approx(17.5) and plan.kpis.total_cost == 80


def test_keep_together_the_plans_choice_changes_nothing() -> None:
    scen = scenario(
        [resp("a"), resp("b")],
        [cand("x", cost=50)],
        roles=ROLES,
        decisions={"keep_together": [["a", "b"]]},
    )
    plan = solve_checked(scen)
    assert owner(plan, "a") == owner(plan, "b") == "x"


def test_keep_together_is_paid_for() -> None:
    plan = solve_checked(two(keep_together=[["a", "b"]]))
    # only y may own both: quality 17.5 instead of 20, one seat instead of two
    assert owner(plan, "a") == owner(plan, "b") == "y"
    assert plan.kpis.quality == pytest.approx(17.5) and plan.kpis.headcount == 1


def test_keep_together_leaves_both_uncovered_when_nobody_may_own_both() -> None:
    scen = scenario(
        [resp("a", needs={"business": 4}), resp("b", needs={"technical": 4})],
        [cand("x", skills={"business": 4}), cand("z", skills={"technical": 4})],
        roles=ROLES,
        decisions={"keep_together": [["a", "b"]]},
    )
    plan = solve_checked(scen)
    assert {u.responsibility for u in plan.uncovered} == {"a", "b"} and not plan.seats


def test_groups_that_share_work_are_one_group() -> None:
    scen = scenario(
        [resp("a"), resp("b"), resp("c")],
        [cand("x", cost=50), cand("y", cost=50)],
        roles={"PM": {"cost": 100, "capacity": 40, "max_responsibilities": 2}},
        decisions={"keep_together": [["a", "b"], ["b", "c"]]},
    )
    assert scen.decisions.groups() == [("a", "b", "c")]
    plan = solve_checked(scen)
    # three pieces kept together, breadth 2: all uncovered rather than split
    assert len(plan.uncovered) == 3


# ---- the checker and the heuristics keep them --------------------------------------------


@pytest.mark.parametrize(
    ("decided", "broken"),
    [
        (lambda: one(place={"y": "TPM"}), "y is placed as TPM by a decision but sits in []"),
        (lambda: one(exclude=["x"]), "x is excluded by a decision but sits in ['PM']"),
        (lambda: two(assign={"a": "y"}), "a is assigned to y by a decision but owned by x"),
        (lambda: two(keep_together=[["a", "b"]]), "['a', 'b'] are kept together by a decision"),
    ],
)
def test_the_checker_finds_a_plan_that_breaks_a_decision(
    decided: Callable[[], Scenario], broken: str
) -> None:
    scen = decided()
    undecided = scen.model_copy(update={"decisions": type(scen.decisions)()})
    from orgplan.solving.stages import solve

    plan = solve(undecided)
    with pytest.raises(AssertionError, match="breaks") as caught:
        check_plan(scen, plan)
    assert broken in str(caught.value)


@pytest.mark.parametrize(
    "decided",
    [
        lambda: one(place={"y": "TPM"}),
        lambda: one(exclude=["x"]),
        lambda: two(assign={"a": "y"}),
        lambda: two(keep_together=[["a", "b"]]),
        lambda: two(assign={"b": "y"}, keep_together=[["a", "b"]]),
    ],
)
def test_the_greedy_plan_keeps_the_decisions(decided: Callable[[], Scenario]) -> None:
    scen = decided()
    model = build_model(scen, resolve_limits(scen))
    values = greedy_plan(model)
    assert values is not None and violations(model, values) == []
    assert any(v > 0.5 for k, v in values.items() if k.startswith("seat_"))


def test_an_assignment_that_crowds_out_required_work_is_explained() -> None:
    scen = scenario(
        [
            resp("pricing", 34, name="Pricing", needs={"business": 4}),
            resp("positioning", 10, name="Positioning", needs={"business": 5}),
        ],
        [cand("maya", name="Maya", skills={"business": 5}), cand("raj", skills={"business": 3})],
        policy={"coverage": "required"},
        decisions={"assign": {"pricing": "maya"}},
    )
    reasons = infeasible_reasons(scen)
    assert (
        "coverage is required, but assigning 'Pricing' to Maya leaves no room for "
        "'Positioning' (10 h/week): Maya's 40 h are full (34 h assigned)"
    ) in reasons
    assert "drop the decision to assign pricing to maya" in reasons


def test_a_place_the_structure_has_no_seat_for_is_explained() -> None:
    scen = one(place={"y": "TPM"})
    reasons = infeasible_reasons(scen, "superhero")
    assert "y must be placed as TPM (a decision), but structure 'superhero' has no TPM seat" in (
        reasons
    )


# ---- contradictions, in the file ------------------------------------------------------------


def decided_text(**decisions: Any) -> str:
    return make_scenario(decisions=decisions)


def test_contradictions_name_both_sides(problems: Callable[..., list[str]]) -> None:
    text = decided_text(
        place={"ben": "TPM", "ana": "TPM", "zed": "PM"},
        exclude=["ben"],
        assign={"backlog": "ana", "pricing": "ben"},
        keep_together=[["backlog", "pricing"], ["roadmap", "roadmap"]],
    )
    at = {
        key: line_of(text, key)
        for key in ("ben: TPM", "ana: TPM", "zed", "- ben", "pricing: ben", "backlog: ana")
    }
    group, twice = line_of(text, "- - backlog"), line_of(text, "- - roadmap")
    assert problems(text) == [
        f"s.yaml:{at['ana: TPM']}: decisions.place.ana: 'ana' is placed as TPM here, but misses "
        "the floors of TPM: technical 3 (needs 4)",
        f"s.yaml:{at['zed']}: decisions.place.zed: unknown candidate 'zed'; expected one of: "
        "ana, ben",
        f"s.yaml:{at['- ben']}: decisions.exclude[0]: 'ben' is excluded here and placed as TPM "
        f"by decisions.place.ben, line {at['ben: TPM']}: keep one of the two",
        f"s.yaml:{at['pricing: ben']}: decisions.assign.pricing: 'pricing' is assigned to 'ben' "
        f"here, who is excluded by decisions.exclude[0], line {at['- ben']}",
        f"s.yaml:{group}: decisions.keep_together[0]: keeps backlog, pricing together, but "
        f"'backlog' is assigned to 'ana' (decisions.assign.backlog, line {at['backlog: ana']}) "
        f"and 'pricing' to 'ben' (decisions.assign.pricing, line {at['pricing: ben']})",
        f"s.yaml:{twice}: decisions.keep_together[1]: must name different responsibilities, "
        "got 'roadmap' twice",
    ]


def test_a_decision_against_the_candidate_names_the_candidate(
    problems: Callable[..., list[str]],
) -> None:
    candidates = [
        {"id": "ana", "background": "business_analyst", "roles": ["PM"]},
        {"id": "ben", "skills": {"technical": 5}, "fixed_role": "TPM"},
    ]
    text = make_scenario(
        candidates=candidates, decisions={"place": {"ana": "TPM"}, "exclude": ["ben"]}
    )
    first, second = line_of(text, "- id: ana"), line_of(text, "- id: ben")
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'ana: TPM')}: decisions.place.ana: 'ana' is placed as TPM "
        f"here, but takes only PM (candidates[0], line {first})",
        f"s.yaml:{line_of(text, '- ben')}: decisions.exclude[0]: 'ben' is excluded here, but "
        f"has fixed_role TPM (candidates[1], line {second}): drop one of the two",
    ]


def test_work_assigned_beyond_what_the_person_may_own(problems: Callable[..., list[str]]) -> None:
    responsibilities = [
        {"id": "roadmap", "hours": 30, "needs": {"domain": 3}, "roles": ["PM"]},
        {"id": "pricing", "hours": 20, "needs": {"business": 3}},
        {"id": "backlog", "hours": 10, "needs": {"technical": 4}},
    ]
    text = make_scenario(
        responsibilities=responsibilities,
        decisions={"assign": {"roadmap": "ana", "pricing": "ana", "backlog": "ben"}},
    )
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'pricing: ana')}: decisions.assign.pricing: 'ana' must own "
        "roadmap, pricing (50 h/week), more than the 40 h/week of any seat they may hold",
    ]
    text = make_scenario(decisions={"assign": {"roadmap": "ben"}})
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'roadmap: ben')}: decisions.assign.roadmap: 'roadmap' is "
        "assigned to 'ben' here, but 'ben' is not eligible for 'roadmap': domain 0 (needs 4) "
        "(max_skill_gap 1)",
    ]


# ---- from the command line and files --------------------------------------------------------


def plan_args(*more: str) -> list[str]:
    return ["plan", "s.yaml", "-o", "out.xlsx", "--json", "out.json", "--force", *more]


def test_flags_place_exclude_and_assign(
    run: Callable[..., Result], write: Callable[..., Path], tmp_path: Path
) -> None:
    write(make_scenario())
    result = run(*plan_args("--place", "ben=TPM", "--exclude", "ana", "--assign", "backlog=ben"))
    assert result.exit_code == 0, result.stderr
    data = json.loads((tmp_path / "out.json").read_text())
    assert data["decisions"] == {
        "place": {"ben": "TPM"},
        "exclude": ["ana"],
        "assign": {"backlog": "ben"},
        "keep_together": [],
    }
    assert [s["candidate"] for s in data["seats"] if s["candidate"]] == ["ben"]
    assert "Decisions respected: place ben as TPM; exclude ana; assign backlog to ben" in (
        result.stdout
    )


def test_flags_and_files_merge_and_clash(
    run: Callable[..., Result], write: Callable[..., Path], tmp_path: Path
) -> None:
    write(make_scenario(decisions={"place": {"ben": "TPM"}}))
    write("assign: {backlog: ben}\nexclude: [ana]\n", "d.yaml")
    result = run(*plan_args("--decisions", "d.yaml"))
    assert result.exit_code == 0, result.stderr
    decided = json.loads((tmp_path / "out.json").read_text())["decisions"]
    assert decided["place"] == {"ben": "TPM"} and decided["assign"] == {"backlog": "ben"}

    result = run(*plan_args("--decisions", "d.yaml", "--assign", "backlog=ana", "--place", "x"))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "command line: --assign backlog=ana: 'backlog' is assigned to 'ana' here and assigned "
        "to 'ben' by assign.backlog in d.yaml:1: give one decision",
        "command line: --place x: must be CANDIDATE=ROLE, e.g. raj=TPM, got 'x'",
        "2 problems in 1 file; nothing was solved",
    ]
    # the command line replaces the scenario's own decision about the same candidate
    result = run(*plan_args("--exclude", "ben", "--assign", "backlog=ben"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "command line: --assign backlog=ben: 'backlog' is assigned to 'ben' here, who is "
        "excluded by --exclude ben"
    )
    assert "Traceback" not in result.stderr


def test_a_malformed_decisions_file_is_located(
    run: Callable[..., Result], write: Callable[..., Path]
) -> None:
    write(make_scenario())
    write("decisions:\n  place: [ben]\n  exlude: [ana]\n", "d.yaml")
    result = run(*plan_args("--decisions", "d.yaml"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:2] == [
        "d.yaml:2: decisions.place: must be a mapping, got a list",
        "d.yaml:3: decisions.exlude: unknown key 'exlude' (did you mean 'exclude'?)",
    ]


# ---- the workbook round trip -------------------------------------------------------------------


def decision_cell(book: Any, sheet: str, id_header: str, key: str) -> Any:
    """The Decision cell of the row whose `id_header` column holds `key`."""
    ws = book[sheet]
    header = next(r for r in range(1, 10) if "Decision" in [c.value for c in ws[r]])
    names = [c.value for c in ws[header]]
    row = next(
        r
        for r in range(header + 1, ws.max_row + 1)
        if ws.cell(r, names.index(id_header) + 1).value == key
    )
    return ws.cell(row, names.index("Decision") + 1)


REVIEW = make_scenario(
    roles={"PM": {"cost": 150000, "floors": {"business": 3}}, "TPM": {"cost": 160000}},
    responsibilities=[
        {"id": "roadmap", "hours": 8, "needs": {"business": 3}},
        {"id": "backlog", "hours": 10, "needs": {"technical": 4}},
        {"id": "pricing", "hours": 4, "needs": {"business": 4}},
    ],
    candidates=[
        {"id": "ana", "background": "business_analyst", "cost": 100000},
        {"id": "ben", "skills": {"technical": 5, "business": 1}, "cost": 90000},
        {"id": "cleo", "skills": {"technical": 4, "business": 4}, "cost": 95000},
    ],
)


def first_plan(run: Callable[..., Result], write: Callable[..., Path], tmp_path: Path) -> Any:
    write(REVIEW)
    result = run("plan", "s.yaml", "-o", "plan.xlsx", "--json", "plan.json")
    assert result.exit_code == 0, result.stderr
    return json.loads((tmp_path / "plan.json").read_text())


def test_the_round_trip_through_a_saved_workbook(
    run: Callable[..., Result], write: Callable[..., Path], tmp_path: Path
) -> None:
    before = first_plan(run, write, tmp_path)
    seated = {s["candidate"]: s["role"] for s in before["seats"]}
    assert seated == {"cleo": "PM"}  # cleo alone covers everything, the cheapest way
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    assert decision_cell(book, "Team", "Candidate id", "cleo").value is None
    decision_cell(book, "Team", "Candidate id", "cleo").value = "keep"
    decision_cell(book, "Candidate fit", "Id", "ben").value = "place as TPM"
    decision_cell(book, "Candidate fit", "Id", "ana").value = "Exclude"
    decision_cell(book, "Assignments", "Id", "pricing").value = "lock"
    # what else a reviewer types changes nothing: the role of a kept seat comes from the plan
    book["Team"]["B5"].value = "TPM"
    book["Assignments"]["A5"].value = "a note"
    book.save(tmp_path / "reviewed.xlsx")

    result = run(*plan_args("--decisions", "reviewed.xlsx"))
    assert result.exit_code == 0, result.stderr
    after = json.loads((tmp_path / "out.json").read_text())
    assert after["decisions"] == {
        "place": {"cleo": "PM", "ben": "TPM"},
        "exclude": ["ana"],
        "assign": {"pricing": "cleo"},
        "keep_together": [],
    }
    assert {s["candidate"]: s["role"] for s in after["seats"]} == {"cleo": "PM", "ben": "TPM"}
    assert "Changes from the plan of reviewed.xlsx to this plan" in result.stdout
    assert "+ ben as TPM (TPM-1)" in result.stdout

    # the new workbook shows the decisions, so they survive the next round as they are
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert decision_cell(book, "Team", "Candidate id", "cleo").value == "keep"
    assert decision_cell(book, "Team", "Candidate id", "ben").value == "keep"
    assert decision_cell(book, "Candidate fit", "Id", "ana").value == "exclude"
    assert decision_cell(book, "Assignments", "Id", "pricing").value == "lock"
    assert book["orgplan"].sheet_state == "hidden"
    rules = book["Team"].data_validations.dataValidation
    assert [r.formula1 for r in rules] == ['"keep,remove"']
    result = run(
        "plan", "s.yaml", "--decisions", "out.xlsx", "-o", "again.xlsx", "--json", "again.json"
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads((tmp_path / "again.json").read_text())["decisions"] == after["decisions"]
    assert "Same seats, people and owners." in result.stdout


NOTES = make_scenario(
    roles={"PM": {"cost": 150000}},
    responsibilities=[
        {"id": "roadmap", "hours": 8, "needs": {"business": 3}},
        {"id": "backlog", "hours": 10, "needs": {"technical": 4}},
    ],
    candidates=[
        {"id": "cleo", "skills": {"technical": 3, "business": 3}, "cost": 90000},
        {"id": "dan", "skills": {"technical": 3, "business": 3}, "cost": 95000},
    ],
)


def development_row(book: Any, candidate: str, skill: str) -> dict[str, Any]:
    """The Development sheet's cells of the (candidate, skill) row, by header."""
    ws = book["Development"]
    ref = ws.tables["Development"].ref
    rows = list(ws[ref])
    names = [c.value for c in rows[0]]
    for row in rows[1:]:
        cells = dict(zip(names, row, strict=True))
        if cells["Candidate id"].value == candidate and cells["Skill"].value == skill:
            return cells
    raise AssertionError(f"no Development row of {candidate}, {skill}")


def test_development_notes_survive_the_round_trip_as_text(
    run: Callable[..., Result], write: Callable[..., Path], tmp_path: Path
) -> None:
    write(NOTES)
    result = run("plan", "s.yaml", "-o", "plan.xlsx", "--json", "plan.json")
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    row = development_row(book, "cleo", "technical")  # cleo (technical 3) owns backlog (4)
    assert [row[h].value for h in ("Action", "Owner", "Due")] == [None, None, None]
    formula = '=HYPERLINK("http://evil.example","coach")'
    row["Action"].value = formula
    row["Action"].data_type = "s"  # typed as text ('=...), as Excel saves it
    row["Owner"].value = "Maya (HR)"
    row["Due"].value = datetime(2027, 3, 31)  # Excel makes a typed date a date
    book.save(tmp_path / "reviewed.xlsx")

    result = run(*plan_args("--decisions", "reviewed.xlsx"))
    assert result.exit_code == 0, result.stderr
    after = json.loads((tmp_path / "out.json").read_text())
    assert after["decisions"] == {"place": {}, "exclude": [], "assign": {}, "keep_together": []}
    assert "development note" not in result.stdout
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    row = development_row(book, "cleo", "technical")
    assert [row[h].value for h in ("Action", "Owner", "Due")] == [
        formula,
        "Maya (HR)",
        "2027-03-31",
    ]
    assert all(row[h].data_type == "s" for h in ("Action", "Owner", "Due"))
    assert row["Action"].quotePrefix  # stays text when edited in Excel

    # the next round: cleo removed, her gap is gone with her; the note is reported dropped
    decision_cell(book, "Team", "Candidate id", "cleo").value = "remove"
    book.save(tmp_path / "reviewed-2.xlsx")
    result = run(
        "plan", "s.yaml", "--decisions", "reviewed-2.xlsx", "-o", "next.xlsx", "--json", "n.json"
    )
    assert result.exit_code == 0, result.stderr
    assert (
        "1 development note of reviewed-2.xlsx dropped: the person no longer has that gap in "
        "this plan\n"
        f"  - cleo, technical: action: {formula}; owner: Maya (HR); due: 2027-03-31\n"
    ) in result.stdout
    book = openpyxl.load_workbook(tmp_path / "next.xlsx")
    row = development_row(book, "dan", "technical")
    assert [row[h].value for h in ("Action", "Owner", "Due")] == [None, None, None]
    sheet = [c for r in book["Development"].iter_rows(values_only=True) for c in r]
    assert "Maya (HR)" not in sheet and "cleo" not in sheet


def test_a_workbook_edited_beyond_its_decisions_is_refused(
    run: Callable[..., Result], write: Callable[..., Path], tmp_path: Path
) -> None:
    first_plan(run, write, tmp_path)
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    cell = decision_cell(book, "Team", "Candidate id", "cleo")
    cell.value = "maybe"
    book["Assignments"]["C7"].value = "nothing"  # the id of a row, with a decision on it
    book["Assignments"]["M7"].value = "lock"
    book.save(tmp_path / "bad.xlsx")
    result = run(*plan_args("--decisions", "bad.xlsx"))
    assert result.exit_code == 2
    # sorted by file, line and place, as every problem list
    assert result.stderr.splitlines()[:2] == [
        "bad.xlsx: Assignments!M7: Decision: the row's id 'nothing' is no responsibility of "
        "the plan this workbook shows: the row was edited; undo the edit",
        f"bad.xlsx: Team!{cell.coordinate}: Decision: must be one of keep, remove or blank, "
        "got 'maybe'",
    ]

    del book["orgplan"]
    book.save(tmp_path / "bare.xlsx")
    result = run(*plan_args("--decisions", "bare.xlsx"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "bare.xlsx: has no (hidden) sheet 'orgplan': not a plan workbook of orgplan as "
        "written, or edited beyond recognition; review the workbook `orgplan plan` writes "
        "(only its Decision cells are read)"
    )


def test_a_workbook_of_another_scenario_is_refused(
    run: Callable[..., Result], write: Callable[..., Path], tmp_path: Path
) -> None:
    first_plan(run, write, tmp_path)
    write(make_scenario(name="Other team"), "other.yaml")
    result = run("plan", "other.yaml", "--decisions", "plan.xlsx", "-o", "o.xlsx")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "plan.xlsx: shows a plan of scenario 'Test team', not of 'Other team' (other.yaml); "
        "give the workbook of a plan of this scenario"
    )
    changed = yaml.safe_load(REVIEW)
    changed["roles"]["TPM"]["cost"] = 1
    write(yaml.safe_dump(changed), "s.yaml")
    result = run("plan", "s.yaml", "--decisions", "plan.xlsx", "-o", "o.xlsx")
    assert result.exit_code == 2
    assert result.stderr.startswith("plan.xlsx: was written from another version of s.yaml")


def test_a_reviewed_workbook_is_never_written_over(
    run: Callable[..., Result], write: Callable[..., Path], tmp_path: Path
) -> None:
    first_plan(run, write, tmp_path)
    result = run("plan", "s.yaml", "--decisions", "plan.xlsx", "-o", "plan.xlsx", "--force")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: plan.xlsx: is a decisions file; choose another output file"
    ]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_the_round_trip_through_libreoffice(
    run: Callable[..., Result], write: Callable[..., Path], tmp_path: Path
) -> None:
    first_plan(run, write, tmp_path)
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    decision_cell(book, "Candidate fit", "Id", "ben").value = "place as TPM"
    book.save(tmp_path / "marked.xlsx")
    out = tmp_path / "saved"
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(tmp_path / "marked.xlsx"),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    saved = out / "marked.xlsx"
    assert saved.exists(), "LibreOffice wrote no workbook"
    result = run(*plan_args("--decisions", str(saved)))
    assert result.exit_code == 0, result.stderr
    after = json.loads((tmp_path / "out.json").read_text())
    assert after["decisions"]["place"] == {"ben": "TPM"}


# ---- diff ---------------------------------------------------------------------------------


def hand_plan(seats: list[tuple[str, str, str | None]], owners: dict[str, str | None]) -> Any:
    """A plan JSON: seats as (seat, role, candidate), owners by responsibility (a seat)."""
    return {
        "format": "orgplan.plan/1",
        "scenario": "s",
        "structure": "all roles",
        "seats": [{"seat": s, "role": r, "candidate": c} for s, r, c in seats],
        "assignments": [
            {"responsibility": rid, "seat": seat} for rid, seat in owners.items() if seat
        ],
        "uncovered": [{"responsibility": rid} for rid, seat in owners.items() if not seat],
        "kpis": {"headcount": len(seats), "total_cost": 100 * len(seats), "coverage": 1.0},
    }


def test_diff_of_hand_built_plans() -> None:
    before = hand_plan(
        [("PM-1", "PM", "ana"), ("TPM-1", "TPM", "ben"), ("TPM-2", "TPM", None)],
        {"roadmap": "PM-1", "backlog": "TPM-1", "api": "TPM-2", "pricing": None},
    )
    after = hand_plan(
        [("PM-1", "PM", "ben"), ("PMM-1", "PMM", "cleo")],
        {"roadmap": "PM-1", "backlog": "PM-1", "api": None, "pricing": "PMM-1"},
    )
    diff = diff_plans(before, after).to_json()
    assert diff["seats_added"] == [
        {"holder": "cleo", "seat": "PMM-1", "role": "PMM", "candidate": "cleo"}
    ]
    assert diff["seats_removed"] == [
        {"holder": "ana", "seat": "PM-1", "role": "PM", "candidate": "ana"},
        {"holder": "TPM-2", "seat": "TPM-2", "role": "TPM", "candidate": None},
    ]
    assert diff["moved"] == [{"candidate": "ben", "from": "TPM", "to": "PM"}]
    assert diff["owners_changed"] == [
        {"responsibility": "roadmap", "from": "ana", "to": "ben"},
        {"responsibility": "api", "from": "TPM-2", "to": None},
        {"responsibility": "pricing", "from": None, "to": "cleo"},
    ]
    assert diff["kpis"]["before"]["headcount"] == 3 and diff["kpis"]["after"]["headcount"] == 2
    assert diff_plans(before, before).unchanged


def test_diff_command(
    run: Callable[..., Result], write: Callable[..., Path], tmp_path: Path
) -> None:
    before = hand_plan([("PM-1", "PM", "ana")], {"roadmap": "PM-1"})
    after = hand_plan([("PM-1", "PM", "ben")], {"roadmap": "PM-1"})
    write(json.dumps(before), "a.json")
    write(json.dumps(after), "b.json")
    result = run("diff", "a.json", "b.json", "--json", "d.json")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "Changes from a.json to b.json",
        "Seats",
        "  + ben as PM (PM-1)",
        "  - ana as PM (PM-1)",
    ]
    assert all(len(line) <= 80 for line in lines)
    written = json.loads((tmp_path / "d.json").read_text())
    assert written["format"] == "orgplan.diff/1"
    assert written["owners_changed"] == [{"responsibility": "roadmap", "from": "ana", "to": "ben"}]

    write('{"format": "orgplan.compare/1"}', "c.json")
    result = run("diff", "a.json", "c.json")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "c.json:1: format: must be 'orgplan.plan/1' (a plan JSON of `orgplan plan --json`), "
        'got "orgplan.compare/1"',
        "1 problem in 1 file; nothing was solved",
    ]
