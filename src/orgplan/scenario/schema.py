"""The JSON Schema of scenario format v1, for editors (yaml-language-server) and tools.

It starts from `Scenario.model_json_schema()` and is adjusted to accept what a scenario
FILE may hold rather than what the models store: numbers where text is meant (`id: 12`),
a structure's `roles` as a list or a mapping, and either `candidates` or
`candidates_file`. Every key gets the one-line meaning of docs/scenario-format.md.
"""

from __future__ import annotations

from typing import Any

SCHEMA_FILENAME = "orgplan.schema.json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# (definition, key) -> hover text; `Scenario` is the top level. A test checks that every
# key of the models is described here, so a new key cannot ship undocumented.
DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("Scenario", "name"): "Name of the scenario, shown in reports (required).",
    ("Scenario", "description"): "Free text about the scenario.",
    ("Scenario", "currency"): "Currency of every cost; default USD.",
    ("Scenario", "skills"): "The skills assessed, levels 0-5; default: the nine of the domain.",
    ("Scenario", "roles"): "Kinds of seat, keyed by role id (at least one).",
    ("Scenario", "responsibilities"): "The product work to own (at least one).",
    ("Scenario", "couplings"): "Pairs of responsibilities that suffer when split between people.",
    ("Scenario", "backgrounds"): "Typical levels by background; adds to the built-in table.",
    ("Scenario", "candidates"): "People who could take a seat; optional with candidates_file.",
    ("Scenario", "candidates_file"): (
        "CSV or XLSX of candidates, relative to this file (or a mapping {path, sheet, "
        "header_row, columns, extra_columns}): columns id, name, background, cost, "
        "availability, internal, roles (';' or ','-separated), fixed_role, exclude, "
        "available_from, backfill_cost, ramp_up, one per skill; headers matched whatever "
        "their case and spacing."
    ),
    ("Scenario", "policy"): "Team-wide limits.",
    ("Scenario", "structures"): "Team shapes to compare; `superhero` is built in.",
    ("Scenario", "decisions"): "Calls the plan must respect: place, exclude, assign, "
    "keep_together (format 1.1).",
    ("Scenario", "horizon"): "Plan over periods instead of one snapshot: {periods, "
    "period_months} (format 1.1); default: one period.",
    ("Horizon", "periods"): "Labels of the periods, in order, each unique (at least one).",
    ("Horizon", "period_months"): "Months in one period; default 3 (quarters).",
    ("Decisions", "place"): "Candidate id -> the role they must hold a seat of.",
    ("Decisions", "exclude"): "Candidates never placed.",
    ("Decisions", "assign"): "Responsibility id -> the candidate who must own it.",
    ("Decisions", "keep_together"): "Groups of responsibilities owned by one person, or all "
    "uncovered.",
    ("Role", "title"): "Title shown in reports; default: the role id.",
    ("Role", "cost"): "Annual cost of an open requisition for this role (required).",
    ("Role", "capacity"): "Hours per week one full-time seat holds; default 40.",
    ("Role", "max_responsibilities"): "Breadth cap per seat; default: no cap.",
    ("Role", "floors"): "Minimum levels to hold this seat (no gap allowance).",
    ("Role", "open_reqs"): "How many new external hires may be opened; default 0.",
    ("Role", "hire_profile"): "Skills assumed for an open-requisition hire; default: the floors.",
    ("Role", "time_to_hire"): "Periods from opening an open requisition to the hire's first "
    "day; default 0.",
    ("Role", "ramp_up"): "Periods at policy.ramp_capacity after anyone starts in the role; "
    "default 0.",
    ("Role", "hire_cost"): "One-off recruiting cost of an open requisition; default 0.",
    ("Responsibility", "id"): "Unique id (required).",
    ("Responsibility", "name"): "Name shown in reports; default: the id.",
    ("Responsibility", "product"): "Product line (a label for reports and focus caps).",
    ("Responsibility", "hours"): "Hours per week, 0.01 to 168 (required).",
    ("Responsibility", "needs"): "Skill -> minimum level to own it (within max_skill_gap).",
    ("Responsibility", "roles"): "Seats that may own it; default: every role.",
    ("Responsibility", "priority"): "Weight when not all work can be covered; default 1.",
    ("Responsibility", "periods"): "Periods of the horizon when this work exists; default "
    "every period.",
    ("Coupling", "between"): "The two responsibility ids.",
    ("Coupling", "cost"): "Handoff cost when the two have different owners; default 1.",
    ("Candidate", "id"): "Unique id (required).",
    ("Candidate", "name"): "Name shown in reports; default: the id.",
    ("Candidate", "background"): "Fills the skills not given (built-in or `backgrounds`).",
    ("Candidate", "skills"): "Assessed levels; override the background's.",
    ("Candidate", "cost"): "Annual cost if placed; default: the role's cost.",
    ("Candidate", "availability"): "Full-time equivalent, 0 < a <= 1; default 1.",
    ("Candidate", "internal"): "An internal mover rather than an applicant; default false.",
    ("Candidate", "roles"): "Seats this person would take; default: every role.",
    ("Candidate", "fixed_role"): "Must be placed, in this role.",
    ("Candidate", "exclude"): "Never place this person; default false.",
    ("Candidate", "details"): "More about the person (header -> text), shown in the "
    "reports, not used by the plan.",
    ("Candidate", "available_from"): "First period of the horizon the person can start; "
    "default the first.",
    ("Candidate", "backfill_cost"): "One-off cost of replacing this person (an internal "
    "mover) if placed; default 0.",
    ("Candidate", "ramp_up"): "Overrides the role's ramp_up for this person.",
    ("CandidatesSource", "path"): "The CSV or XLSX file, relative to the scenario (required).",
    ("CandidatesSource", "sheet"): "XLSX: the sheet's name, or its number from 1; default 1.",
    ("CandidatesSource", "header_row"): "The row of the header (below a title row); default 1.",
    ("CandidatesSource", "columns"): (
        "The file's header -> a column (a candidate field or a skill), or null to ignore it."
    ),
    ("CandidatesSource", "extra_columns"): "Headers of more columns to keep as each "
    "candidate's details (shown in the reports, not used by the plan).",
    ("Policy", "budget"): "Cap on the total annual cost of the team; default none.",
    ("Policy", "max_headcount"): "Cap on seats filled; default none.",
    ("Policy", "max_skill_gap"): "Levels a need may be missed by and still own it; default 1.",
    ("Policy", "coverage"): "best_effort (default) or required (every responsibility owned).",
    ("Policy", "max_products_per_seat"): "Focus cap: product lines one seat may serve.",
    ("Policy", "max_hires_per_period"): "People starting a seat in one period; default none.",
    ("Policy", "ramp_capacity"): "Share of capacity while ramping up, 0 to 1; default 0.5.",
    ("Policy", "spend_budget"): "Cap on the horizon's total spend, one-off costs included; "
    "default none.",
    ("Policy", "handoff_cost"): "Quality cost of one change of owner between periods; default 1.",
    ("Policy", "development"): "Train instead of hire: {periods_per_level, cost_per_level}; "
    "off when absent.",
    ("Development", "periods_per_level"): "Periods to grow one skill by one level (required).",
    ("Development", "cost_per_level"): "One-off cost of growing one skill by one level (required).",
    ("Structure", "roles"): "Roles allowed: a list, or a mapping role -> max seats (null: no cap).",
    ("Structure", "max_responsibilities"): "Overrides every seat's breadth cap; null lifts it.",
    ("Structure", "budget"): "Overrides policy.budget; null lifts it.",
    ("Structure", "max_headcount"): "Overrides policy.max_headcount; null lifts it.",
}


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file."""
    from orgplan.scenario.format import Scenario

    schema = Scenario.model_json_schema(mode="validation")
    defs: dict[str, Any] = schema.setdefault("$defs", {})
    _accept_numbers_as_text(schema)

    for (where, key), text in DESCRIPTIONS.items():
        props = (schema if where == "Scenario" else defs[where])["properties"]
        props[key]["description"] = text
        props[key].pop("title", None)  # the key itself is the title; hover shows the text

    # A structure's roles: a list of role ids means no per-role cap.
    caps = defs["Structure"]["properties"]["roles"]
    mapping = {k: caps.pop(k) for k in list(caps) if k != "description"}
    caps["anyOf"] = [
        mapping,
        {"type": "array", "items": {"type": ["string", "number"], "minLength": 1}},
    ]

    # The models need one of the two sources of candidates; say so to the editor too.
    schema["anyOf"] = [{"required": ["candidates"]}, {"required": ["candidates_file"]}]

    return {
        "$schema": SCHEMA_DIALECT,
        "title": "orgplan scenario (format v1)",
        "description": (
            "A product-management team planning scenario for orgplan; "
            "see docs/scenario-format.md of the orgplan repository."
        ),
        **{k: v for k, v in schema.items() if k not in {"title", "description"}},
    }


def _accept_numbers_as_text(node: Any) -> None:
    """Let text fields take numbers too: the loader reads `id: 12` as the text '12'."""
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("minLength") == 1 and "enum" not in node:
            node["type"] = ["string", "number"]
        for value in node.values():
            _accept_numbers_as_text(value)
    elif isinstance(node, list):
        for value in node:
            _accept_numbers_as_text(value)
