"""Validation: one case per rule, asserting the exact message and line a user sees."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BASE, DELETE, line_of, make_scenario

Problems = Callable[..., list[str]]

BACKGROUNDS = (
    "qa_tester, software_engineer, sales_engineer, business_analyst, sales, marketing, "
    "customer_support, consultant, project_manager, product_manager"
)
SKILLS = (
    "domain, communication, decision_making, business, technical, empathy, judgement, "
    "negotiation, sales"
)


def resps(**changes: object) -> list[dict[str, object]]:
    """The base responsibilities with keys of the first one changed."""
    items = [dict(r) for r in BASE["responsibilities"]]
    items[0].update(changes)
    return items


def cands(**changes: object) -> list[dict[str, object]]:
    """The base candidates with keys of the first one changed."""
    items = [dict(c) for c in BASE["candidates"]]
    items[0].update(changes)
    return items


def test_the_base_scenario_is_valid(problems: Problems) -> None:
    assert problems(make_scenario()) == []


# ---- the file itself -------------------------------------------------------------------


def test_empty_file(problems: Problems) -> None:
    assert problems("") == ["s.yaml:1: the file is empty: expected a scenario"]
    assert problems("# nothing but a comment\n") == [
        "s.yaml:1: the file is empty: expected a scenario"
    ]


def test_not_yaml(problems: Problems) -> None:
    text = "name: x\nroles: {PM: {cost: 1}\nresponsibilities: []\n"
    (found,) = problems(text)
    # The rest of the message is the YAML library's (libyaml's or PyYAML's wording).
    assert found.startswith("s.yaml:3: not valid YAML: ")
    assert "'}'" in found


def test_not_a_mapping(problems: Problems) -> None:
    assert problems("- a\n- b\n") == ["s.yaml:1: must be a mapping of scenario keys, got a list"]
    assert problems("just words\n") == [
        "s.yaml:1: must be a mapping of scenario keys, got 'just words' (text)"
    ]


def test_control_characters(problems: Problems) -> None:
    assert problems("name: x\n\x01bad\n") == [
        "s.yaml:2: not valid YAML: character #x0001 is not allowed (a control character: is "
        "this a text file?)"
    ]


def test_not_utf8(problems: Problems) -> None:
    assert problems(b"name: \xff\xfe\n") == [
        "s.yaml:1: is not UTF-8 text: byte 0xff at column 7 (invalid start byte); save the "
        "file as UTF-8"
    ]
    assert problems(b"name: x\ndescription: caf\xe9\n") == [
        "s.yaml:2: is not UTF-8 text: byte 0xe9 at column 17 (invalid continuation byte); "
        "save the file as UTF-8"
    ]


def test_file_not_found(
    problems: Problems, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orgplan.errors import ScenarioError
    from orgplan.scenario.loading import load_scenario

    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError) as caught:
        load_scenario("missing.yaml")
    assert str(caught.value) == "missing.yaml: file not found"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "is a directory, expected a file"),
        (lambda p: os.mkfifo(p), "is a named pipe (FIFO), not a regular file"),
        (lambda p: p.symlink_to("/dev/zero"), "is a character device, not a regular file"),
    ],
)
def test_only_regular_files_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Callable[[Path], None], message: str
) -> None:
    from orgplan.errors import ScenarioError
    from orgplan.scenario.loading import load_scenario

    make(tmp_path / "s.yaml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError) as caught:  # at once: a FIFO never blocks the open
        load_scenario("s.yaml")
    assert str(caught.value) == f"s.yaml: {message}"


def test_a_scenario_over_the_size_cap_is_not_read(
    problems: Problems, monkeypatch: pytest.MonkeyPatch
) -> None:
    import orgplan.scenario.inputs as inputs

    read = []
    real = os.read
    monkeypatch.setattr(inputs.os, "read", lambda fd, n: read.append(n) or real(fd, n))
    monkeypatch.setattr("orgplan.scenario.loading.SCENARIO_CAP", 1000)
    text = make_scenario(description="x" * 2000)
    assert problems(text) == [
        f"s.yaml: is {len(text):,} bytes, more than the 1,000 bytes a scenario may have"
    ]
    assert read == []  # refused on its size alone


def test_a_file_growing_past_the_cap_is_read_no_further(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import orgplan.scenario.inputs as inputs

    path = tmp_path / "s.yaml"
    path.write_bytes(b"x" * 5000)
    small = os.stat_result((*os.stat(path)[:6], 10, *os.stat(path)[7:]))  # st_size: 10
    monkeypatch.setattr(inputs.os, "fstat", lambda fd: small)
    read: list[int] = []
    real = os.read
    monkeypatch.setattr(inputs.os, "read", lambda fd, n: read.append(n) or real(fd, n))
    with pytest.raises(inputs.InputError) as caught:
        inputs.read_capped(path, 1000, "a scenario")
    assert caught.value.message == "is more than the 1,000 bytes a scenario may have"
    assert sum(read) == 1001


def test_unsafe_tags_are_refused(problems: Problems) -> None:
    assert problems("name: !!python/object/apply:os.system [ls]\n") == [
        "s.yaml:1: not valid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'"
    ]


def test_duplicate_yaml_key(problems: Problems) -> None:
    text = make_scenario() + "name: Again\n"
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'name: Again')}: name: duplicate key (first given on line 1)"
    ]


def test_duplicate_nested_yaml_key(problems: Problems) -> None:
    text = make_scenario(policy={"budget": 1}) + "  budget: 2\n"
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'budget: 2')}: policy.budget: duplicate key "
        f"(first given on line {line_of(text, 'budget: 1')})"
    ]


def test_recursive_alias(problems: Problems) -> None:
    text = make_scenario() + "description: &x [*x]\n"
    found = problems(text)
    assert (
        f"s.yaml:{line_of(text, '&x')}: description[0]: "
        "an alias may not refer to a value that contains it" in found
    )


def test_alias_bomb(problems: Problems) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]")
    assert problems("\n".join(lines) + "\n") == [
        "s.yaml:1: expands to more than 250,000 values (aliases?); not a scenario"
    ]


def test_deep_nesting(problems: Problems) -> None:
    (found,) = problems("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert found in (
        "s.yaml:1: nests too deeply to be a scenario",  # PyYAML: Python's recursion limit
        "s.yaml:1: not valid YAML: exceeded maximum nesting depth",  # libyaml's own limit
    )


# ---- keys: missing, unknown ----------------------------------------------------------


def test_missing_required_keys(problems: Problems) -> None:
    text = make_scenario(name=DELETE, responsibilities=[{"id": "a"}])
    assert problems(text) == [
        "s.yaml:1: name: is required, got nothing",
        f"s.yaml:{line_of(text, '- id: a')}: responsibilities[0].hours: is required, got nothing",
    ]


def test_missing_candidates(problems: Problems) -> None:
    assert problems(make_scenario(candidates=DELETE)) == [
        "s.yaml:1: candidates: is required when no candidates_file is given"
    ]


def test_unknown_top_level_key_with_hint(problems: Problems) -> None:
    text = make_scenario(polcy={"budget": 1})
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'polcy')}: polcy: unknown key 'polcy' (did you mean 'policy'?)"
    ]


def test_unknown_nested_key_with_hint(problems: Problems) -> None:
    text = make_scenario(roles={"PM": {"cost": 1, "capcity": 30}})
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'capcity')}: roles.PM.capcity: unknown key 'capcity' "
        "(did you mean 'capacity'?)"
    ]


def test_unknown_key_in_a_list_item_with_hint(problems: Problems) -> None:
    text = make_scenario(candidates=cands(availabilty=0.5))
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'availabilty')}: candidates[0].availabilty: unknown key "
        "'availabilty' (did you mean 'availability'?)"
    ]


def test_unknown_key_without_a_close_match(problems: Problems) -> None:
    text = make_scenario(policy={"zzz": 1})
    assert problems(text) == [f"s.yaml:{line_of(text, 'zzz')}: policy.zzz: unknown key 'zzz'"]


# ---- types ---------------------------------------------------------------------------


def test_wrong_type_number(problems: Problems) -> None:
    text = make_scenario(responsibilities=resps(hours="lots"))
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'hours: lots')}: responsibilities[0].hours: "
        "must be a number, got 'lots' (text)"
    ]


def test_wrong_type_whole_number(problems: Problems) -> None:
    text = make_scenario(policy={"max_headcount": 2.5})
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'max_headcount')}: policy.max_headcount: "
        "must be a whole number, got 2.5"
    ]


def test_wrong_type_yes_no_for_text(problems: Problems) -> None:
    text = make_scenario(candidates=cands(name=False))
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'name: false')}: candidates[0].name: must be text, "
        "got false (a yes/no value; quote it if you meant text)"
    ]


def test_wrong_type_boolean(problems: Problems) -> None:
    text = make_scenario(candidates=cands(internal="maybe"))
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'internal')}: candidates[0].internal: "
        "must be true or false, got 'maybe' (text)"
    ]


def test_wrong_type_mapping_and_list(problems: Problems) -> None:
    text = make_scenario(roles=["PM"], candidates={"ana": 1})
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'roles:')}: roles: must be a mapping, got a list",
        f"s.yaml:{line_of(text, 'candidates:')}: candidates: must be a list, got a mapping",
    ]


def test_wrong_choice(problems: Problems) -> None:
    text = make_scenario(policy={"coverage": "all"})
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'coverage')}: policy.coverage: "
        "must be one of 'best_effort' or 'required', got 'all' (text)"
    ]


def test_empty_text(problems: Problems) -> None:
    text = make_scenario(name="")
    assert problems(text) == ["s.yaml:1: name: must not be empty, got ''"]


def test_empty_required_list(problems: Problems) -> None:
    text = make_scenario(responsibilities=[])
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'responsibilities')}: responsibilities: "
        "must have at least 1 item(s), got none"
    ]


def test_infinite_and_nan_numbers(problems: Problems) -> None:
    text = make_scenario(roles={"PM": {"cost": "INF"}}).replace("INF", ".inf")
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'cost: .inf')}: roles.PM.cost: must be a finite number, got inf"
    ]


# ---- ranges --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        ("needs", 7, "must be <= 5, got 7"),
        ("needs", -1, "must be >= 0, got -1"),
    ],
)
def test_levels_are_0_to_5_in_needs(
    problems: Problems, where: str, value: int, message: str
) -> None:
    text = make_scenario(responsibilities=resps(needs={"domain": value}))
    assert problems(text) == [
        f"s.yaml:{line_of(text, f'domain: {value}')}: responsibilities[0].needs.domain: {message}"
    ]


def test_levels_are_0_to_5_in_floors_profiles_skills_backgrounds(problems: Problems) -> None:
    text = make_scenario(
        roles={"PM": {"cost": 1, "floors": {"domain": 6}, "hire_profile": {"domain": 9}}},
        candidates=cands(skills={"business": 5.5}),
        backgrounds={"founder": {"sales": -2}},
    )
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'domain: 6')}: roles.PM.floors.domain: must be <= 5, got 6",
        f"s.yaml:{line_of(text, 'domain: 9')}: roles.PM.hire_profile.domain: must be <= 5, got 9",
        f"s.yaml:{line_of(text, 'business: 5.5')}: candidates[0].skills.business: "
        "must be <= 5, got 5.5",
        f"s.yaml:{line_of(text, 'sales: -2')}: backgrounds.founder.sales: must be >= 0, got -2",
    ]


def test_hours_must_be_positive(problems: Problems) -> None:
    text = make_scenario(responsibilities=resps(hours=-2))
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'hours: -2')}: responsibilities[0].hours: must be >= 0.01, got -2"
    ]


def test_availability_range(problems: Problems) -> None:
    text = make_scenario(candidates=cands(availability=1.5))
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'availability')}: candidates[0].availability: must be <= 1, got 1.5"
    ]


def test_other_ranges(problems: Problems) -> None:
    text = make_scenario(
        roles={"PM": {"cost": -1, "capacity": 0, "open_reqs": -1, "max_responsibilities": 0}},
        policy={"budget": -5, "max_skill_gap": 6},
        couplings=[{"between": ["roadmap", "backlog"], "cost": 0}],
        structures={"s": {"roles": {"PM": -1}}},
    )
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'cost: -1')}: roles.PM.cost: must be >= 0, got -1",
        f"s.yaml:{line_of(text, 'capacity: 0')}: roles.PM.capacity: must be > 0, got 0",
        f"s.yaml:{line_of(text, 'open_reqs')}: roles.PM.open_reqs: must be >= 0, got -1",
        f"s.yaml:{line_of(text, 'max_responsibilities')}: roles.PM.max_responsibilities: "
        "must be >= 1, got 0",
        f"s.yaml:{line_of(text, 'budget')}: policy.budget: must be >= 0, got -5",
        f"s.yaml:{line_of(text, 'max_skill_gap')}: policy.max_skill_gap: must be <= 5, got 6",
        f"s.yaml:{line_of(text, 'cost: 0')}: couplings[0].cost: must be > 0, got 0",
        f"s.yaml:{line_of(text, 'PM: -1')}: structures.s.roles.PM: must be >= 0, got -1",
    ]


# ---- bounds on magnitudes no real scenario has ----------------------------------------


def written(text: str, sentinel: object, literal: str) -> str:
    """`text` with the number `sentinel` written as the user wrote it (`1e14`, `1e308`)."""
    assert text.count(f": {sentinel}\n") == 1, sentinel
    return text.replace(f": {sentinel}\n", f": {literal}\n")


@pytest.mark.parametrize(
    ("overrides", "literal", "path", "message"),
    [
        # the magnitudes of the issue: each crashed or misled the solver before
        (
            {"responsibilities": resps(priority=987)},
            "1e14",
            "responsibilities[0].priority",
            "must be <= 1000, got 100000000000000.0",
        ),
        (
            {"couplings": [{"between": ["roadmap", "backlog"], "cost": 987}]},
            "1e15",
            "couplings[0].cost",
            "must be <= 1000, got 1000000000000000.0",
        ),
        (
            {"roles": {"PM": {"cost": 987}}},
            "1e308",
            "roles.PM.cost",
            "must be <= 1000000000000, got 1e+308",
        ),
        (
            {"roles": {"PM": {"cost": 987}}},
            "1e20",
            "roles.PM.cost",
            "must be <= 1000000000000, got 1e+20",
        ),
        (
            {"roles": {"PM": {"cost": 1, "open_reqs": 987}}},
            "100000",
            "roles.PM.open_reqs",
            "must be <= 1000, got 100000",
        ),
        # tiny ones: hours x priority underflowed to 0 and divided by zero
        (
            {"responsibilities": resps(priority=987)},
            "1e-300",
            "responsibilities[0].priority",
            "must be >= 0.001, got 1e-300",
        ),
        (
            {"responsibilities": resps(hours=987)},
            "0.001",
            "responsibilities[0].hours",
            "must be >= 0.01, got 0.001",
        ),
    ],
)
def test_magnitudes_that_broke_the_solver_are_refused(
    problems: Problems, overrides: dict[str, object], literal: str, path: str, message: str
) -> None:
    text = written(make_scenario(**overrides), 987, literal)
    assert problems(text) == [f"s.yaml:{line_of(text, literal)}: {path}: {message}"]


def test_every_bound_is_refused_with_its_line(problems: Problems) -> None:
    text = make_scenario(
        roles={
            "PM": {"cost": 1, "capacity": 169, "max_responsibilities": 100_001, "open_reqs": 1001},
            "TPM": {"cost": 1},
        },
        responsibilities=resps(hours=168.5, priority=1000.5),
        couplings=[{"between": ["roadmap", "backlog"], "cost": 1000.5}],
        candidates=cands(cost=1_000_000_000_001),
        policy={
            "budget": 1_000_000_000_000_001,
            "max_headcount": 100_001,
            "max_products_per_seat": 100_001,
        },
        structures={
            "s": {
                "roles": {"PM": 100_001},
                "max_responsibilities": 100_001,
                "budget": 2_000_000_000_000_000,
                "max_headcount": 100_002,
            }
        },
    )

    def at(needle: str, path: str, message: str, nth: int = 1) -> str:
        return f"s.yaml:{line_of(text, needle, nth)}: {path}: {message}"

    assert problems(text) == [
        at("capacity: 169", "roles.PM.capacity", "must be <= 168, got 169"),
        at(
            "max_responsibilities: 100001",
            "roles.PM.max_responsibilities",
            "must be <= 100000, got 100001",
        ),
        at("open_reqs: 1001", "roles.PM.open_reqs", "must be <= 1000, got 1001"),
        at("hours: 168.5", "responsibilities[0].hours", "must be <= 168, got 168.5"),
        at("priority: 1000.5", "responsibilities[0].priority", "must be <= 1000, got 1000.5"),
        at(
            "cost: 1000000000001",
            "candidates[0].cost",
            "must be <= 1000000000000, got 1000000000001",
        ),
        at("cost: 1000.5", "couplings[0].cost", "must be <= 1000, got 1000.5"),
        at(
            "budget: 1000000000000001",
            "policy.budget",
            "must be <= 1000000000000000, got 1000000000000001",
        ),
        at("max_headcount: 100001", "policy.max_headcount", "must be <= 100000, got 100001"),
        at(
            "max_products_per_seat: 100001",
            "policy.max_products_per_seat",
            "must be <= 100000, got 100001",
        ),
        at("PM: 100001", "structures.s.roles.PM", "must be <= 100000, got 100001"),
        at(
            "max_responsibilities: 100001",
            "structures.s.max_responsibilities",
            "must be <= 100000, got 100001",
            nth=2,
        ),
        at(
            "budget: 2000000000000000",
            "structures.s.budget",
            "must be <= 1000000000000000, got 2000000000000000",
        ),
        at("max_headcount: 100002", "structures.s.max_headcount", "must be <= 100000, got 100002"),
    ]


def test_values_at_their_bounds_are_valid(problems: Problems) -> None:
    text = make_scenario(
        roles={
            "PM": {
                "cost": 1_000_000_000_000,
                "capacity": 168,
                "max_responsibilities": 100_000,
                "open_reqs": 1000,
            },
            "TPM": {"cost": 0},
        },
        responsibilities=[
            {"id": "roadmap", "hours": 0.01, "priority": 0.001},
            {"id": "backlog", "hours": 168, "priority": 1000},
        ],
        couplings=[{"between": ["roadmap", "backlog"], "cost": 1000}],
        candidates=cands(cost=1_000_000_000_000),
        policy={"budget": 1_000_000_000_000_000, "max_headcount": 100_000},
        structures={"s": {"roles": {"PM": 100_000}, "budget": 0, "max_headcount": 0}},
    )
    assert problems(text) == []


# ---- duplicates ----------------------------------------------------------------------


def test_duplicate_responsibility_id(problems: Problems) -> None:
    text = make_scenario(responsibilities=resps(id="backlog"))
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'id: backlog', 2)}: responsibilities[1].id: "
        f"duplicate responsibility id 'backlog' (first on line {line_of(text, 'id: backlog')})"
    ]


def test_duplicate_candidate_id(problems: Problems) -> None:
    text = make_scenario(candidates=cands(id="ben"))
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'id: ben', 2)}: candidates[1].id: "
        f"duplicate candidate id 'ben' (first on line {line_of(text, 'id: ben')})"
    ]


def test_duplicate_skill(problems: Problems) -> None:
    skills = ["domain", "business", "technical", "decision_making", "business"]
    text = make_scenario(skills=skills)
    assert problems(text) == [
        f"s.yaml:{line_of(text, '- business', 2)}: skills[4]: duplicate skill 'business'"
    ]


def test_duplicate_coupling(problems: Problems) -> None:
    couplings = [{"between": ["roadmap", "backlog"]}, {"between": ["backlog", "roadmap"]}]
    text = make_scenario(couplings=couplings)
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'between', 2)}: couplings[1].between: backlog and roadmap are "
        f"already coupled on line {line_of(text, 'between')}; give one coupling with the total cost"
    ]


# ---- references ----------------------------------------------------------------------


def test_unknown_role_in_responsibility_roles(problems: Problems) -> None:
    text = make_scenario(responsibilities=resps(roles=["PM", "PMX"]))
    assert problems(text) == [
        f"s.yaml:{line_of(text, '- PMX')}: responsibilities[0].roles[1]: unknown role 'PMX' "
        "(did you mean 'PM'?); expected one of: PM, TPM"
    ]


def test_unknown_role_in_candidate_roles(problems: Problems) -> None:
    text = make_scenario(candidates=cands(roles=["Designer"]))
    assert problems(text) == [
        f"s.yaml:{line_of(text, '- Designer')}: candidates[0].roles[0]: unknown role "
        "'Designer'; expected one of: PM, TPM"
    ]


def test_unknown_fixed_role(problems: Problems) -> None:
    text = make_scenario(candidates=cands(fixed_role="PMM"))
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'fixed_role')}: candidates[0].fixed_role: unknown role 'PMM' "
        "(did you mean 'PM'?); expected one of: PM, TPM"
    ]


def test_unknown_role_in_structures(problems: Problems) -> None:
    structures = {"a": {"roles": ["PM", "PMM"]}, "b": {"roles": {"Analyst": 1}}}
    text = make_scenario(structures=structures)
    assert problems(text) == [
        f"s.yaml:{line_of(text, '- PMM')}: structures.a.roles[1]: unknown role 'PMM' "
        "(did you mean 'PM'?); expected one of: PM, TPM",
        f"s.yaml:{line_of(text, 'Analyst: 1')}: structures.b.roles.Analyst: unknown role "
        "'Analyst'; expected one of: PM, TPM",
    ]


def test_structure_roles_of_the_wrong_shape(problems: Problems) -> None:
    text = make_scenario(structures={"s": {"roles": ["PM", ["TPM"]]}})
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'structures:') + 2}: structures.s.roles: must be a list of "
        "role ids or a mapping of role id to seats, got a list"
    ]
    for value, shown in [("PM", "'PM' (text)"), (3, "3"), (None, "nothing (null)")]:
        text = make_scenario(structures={"s": {"roles": value}})
        assert problems(text) == [
            f"s.yaml:{line_of(text, 'structures:') + 2}: structures.s.roles: must be a list of "
            f"role ids or a mapping of role id to seats, got {shown}"
        ]


def test_unknown_skill_in_needs(problems: Problems) -> None:
    text = make_scenario(responsibilities=resps(needs={"bussiness": 3}))
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'bussiness')}: responsibilities[0].needs.bussiness: "
        f"unknown skill 'bussiness' (did you mean 'business'?); expected one of: {SKILLS}"
    ]


def test_unknown_skill_in_floors_profile_candidate_and_background(problems: Problems) -> None:
    text = make_scenario(
        roles={"PM": {"cost": 1, "floors": {"charisma": 3}, "hire_profile": {"charisma": 3}}},
        candidates=cands(skills={"tecnical": 4}),
        backgrounds={"founder": {"salse": 5}},
    )
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'charisma')}: roles.PM.floors.charisma: unknown skill "
        f"'charisma'; expected one of: {SKILLS}",
        f"s.yaml:{line_of(text, 'charisma', 2)}: roles.PM.hire_profile.charisma: unknown skill "
        f"'charisma'; expected one of: {SKILLS}",
        f"s.yaml:{line_of(text, 'tecnical')}: candidates[0].skills.tecnical: unknown skill "
        f"'tecnical' (did you mean 'technical'?); expected one of: {SKILLS}",
        f"s.yaml:{line_of(text, 'salse')}: backgrounds.founder.salse: unknown skill 'salse' "
        f"(did you mean 'sales'?); expected one of: {SKILLS}",
    ]


def test_unknown_background(problems: Problems) -> None:
    text = make_scenario(candidates=cands(background="qa"))
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'background: qa')}: candidates[0].background: unknown "
        f"background 'qa'; expected one of: {BACKGROUNDS}"
    ]


def test_a_background_of_the_file_is_known(problems: Problems) -> None:
    text = make_scenario(
        backgrounds={"founder": {"sales": 5}}, candidates=cands(background="founder")
    )
    assert problems(text) == []


def test_unknown_responsibility_in_coupling(problems: Problems) -> None:
    text = make_scenario(couplings=[{"between": ["roadmap", "pricng"]}])
    assert problems(text) == [
        f"s.yaml:{line_of(text, '- pricng')}: couplings[0].between[1]: unknown responsibility "
        "'pricng' (did you mean 'pricing'?); expected one of: roadmap, backlog, pricing"
    ]


def test_self_coupling(problems: Problems) -> None:
    text = make_scenario(couplings=[{"between": ["pricing", "pricing"]}])
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'between')}: couplings[0].between: must name two different "
        "responsibilities, got 'pricing' coupled with itself"
    ]


def test_coupling_of_three(problems: Problems) -> None:
    text = make_scenario(couplings=[{"between": ["roadmap", "backlog", "pricing"]}])
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'between')}: couplings[0].between: must have exactly 2 items, got 3"
    ]


def test_coupling_of_one(problems: Problems) -> None:
    text = make_scenario(couplings=[{"between": ["roadmap"]}])
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'between')}: couplings[0].between: must have exactly 2 items, got 1"
    ]


def test_fixed_role_outside_the_candidates_roles(problems: Problems) -> None:
    text = make_scenario(candidates=cands(roles=["PM"], fixed_role="TPM"))
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'fixed_role')}: candidates[0].fixed_role: must be one of the "
        "candidate's roles ['PM'], got 'TPM'"
    ]


def test_fixed_role_and_exclude(problems: Problems) -> None:
    text = make_scenario(candidates=cands(fixed_role="PM", exclude=True))
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'exclude')}: candidates[0].exclude: cannot be true for a "
        "candidate with a fixed_role (must be placed and never placed), got true"
    ]


def test_hire_profile_below_the_floors(problems: Problems) -> None:
    text = make_scenario(
        roles={"PM": {"cost": 1, "floors": {"domain": 3}, "hire_profile": {"domain": 2}}}
    )
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'domain: 2')}: roles.PM.hire_profile.domain: must meet the "
        "role's floor 3 (an open-requisition hire must be able to hold the seat), got 2"
    ]


def test_every_problem_in_one_run_in_line_order(problems: Problems) -> None:
    text = make_scenario(
        roles={"PM": {"cost": -1}},
        responsibilities=resps(hours=0, roles=["XX"]),
        candidates=cands(background="nope"),
    )
    found = problems(text)
    assert len(found) == 4
    lines = [int(p.split(":")[1]) for p in found]
    assert lines == sorted(lines)


# ---- candidate files -----------------------------------------------------------------


def _with_file(name: object) -> str:
    return make_scenario(candidates=DELETE, candidates_file=name)


def test_missing_candidates_file(problems: Problems) -> None:
    text = _with_file("people.csv")
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'candidates_file')}: candidates_file: people.csv: file not found"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            42,
            "must be a file's path (text) or a mapping {path, sheet, header_row, columns, "
            "extra_columns}, got 42",
        ),
        ("   ", "must name a file, got '   ' (text)"),
        (
            ["a.csv"],
            "must be a file's path (text) or a mapping {path, sheet, header_row, "
            "columns, extra_columns}, got a list",
        ),
        (
            True,
            "must be a file's path (text) or a mapping {path, sheet, header_row, columns, "
            "extra_columns}, got true (a yes/no value; quote it if you meant text)",
        ),
    ],
)
def test_candidates_file_that_names_no_file(
    problems: Problems, value: object, message: str
) -> None:
    text = _with_file(value)
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'candidates_file')}: candidates_file: {message}"
    ]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: os.mkfifo(p), "is a named pipe (FIFO), not a regular file"),
        (lambda p: p.symlink_to("/dev/zero"), "is a character device, not a regular file"),
    ],
)
def test_candidates_file_must_be_a_regular_file(
    problems: Problems, tmp_path: Path, make: Callable[[Path], None], message: str
) -> None:
    make(tmp_path / "people.csv")
    text = _with_file("people.csv")
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'candidates_file')}: candidates_file: people.csv: {message}"
    ]


def test_candidates_file_over_the_caps(
    problems: Problems, write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    size = write("id\n" + "".join(f"p{i}\n" for i in range(300)), "people.csv").stat().st_size
    text = _with_file("people.csv")
    monkeypatch.setattr("orgplan.scenario.pools.MAX_ROWS", 100)
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'candidates_file')}: candidates_file: people.csv has more "
        "than 100 rows: not a pool to plan from"
    ]
    monkeypatch.setattr("orgplan.scenario.pools.POOL_CAP", 1000)
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'candidates_file')}: candidates_file: people.csv: is {size:,} "
        "bytes, more than the 1,000 bytes a candidates file may have"
    ]


def test_candidates_file_is_a_directory(problems: Problems, tmp_path: Path) -> None:
    (tmp_path / "pool.csv").mkdir()
    text = _with_file("pool.csv")
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'candidates_file')}: candidates_file: pool.csv: is a directory, "
        "expected a file"
    ]


def test_candidates_file_of_another_kind(problems: Problems, write: Callable[..., Path]) -> None:
    write("{}", "people.json")
    text = _with_file("people.json")
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'candidates_file')}: candidates_file: must name a .csv or "
        ".xlsx file, got 'people.json'"
    ]


def test_unreadable_xlsx(problems: Problems, write: Callable[..., Path]) -> None:
    write(b"this is not a workbook", "people.xlsx")
    text = _with_file("people.xlsx")
    (found,) = problems(text)
    assert found.startswith(
        f"s.yaml:{line_of(text, 'candidates_file')}: candidates_file: cannot read people.xlsx "
        "as xlsx: "
    )


def test_empty_csv(problems: Problems, write: Callable[..., Path]) -> None:
    write("", "people.csv")
    text = _with_file("people.csv")
    assert problems(text) == [
        f"s.yaml:{line_of(text, 'candidates_file')}: candidates_file: people.csv is empty: "
        "expected a header row and one row per candidate"
    ]


def test_bad_csv_rows_name_file_and_row(problems: Problems, write: Callable[..., Path]) -> None:
    write(
        "id,name,availability,internal,roles,domain,background\n"
        "a,Ann,1,yes,PM,3,\n"
        "b,Bob,full,maybe,PMX,7,qa\n"
        "a,Again,,,,,\n",
        "people.csv",
    )
    assert problems(_with_file("people.csv")) == [
        "people.csv:3: availability: must be a number, got 'full' (text)",
        f"people.csv:3: background: unknown background 'qa'; expected one of: {BACKGROUNDS}",
        "people.csv:3: domain: must be <= 5, got 7",
        "people.csv:3: internal: must be true or false, got 'maybe' (text)",
        "people.csv:3: roles[0]: unknown role 'PMX' (did you mean 'PM'?); expected one of: PM, TPM",
        "people.csv:4: id: duplicate candidate id 'a' (first on line 2)",
    ]


def test_unknown_csv_column_with_hint(problems: Problems, write: Callable[..., Path]) -> None:
    write("id,technicl\na,3\n", "people.csv")
    assert problems(_with_file("people.csv")) == [
        "people.csv:1: column 'technicl': unknown column (not a field or skill) "
        "(did you mean 'technical'?)"
    ]


def test_csv_without_id_column(problems: Problems, write: Callable[..., Path]) -> None:
    write("name\nAnn\n", "people.csv")
    assert problems(_with_file("people.csv")) == [
        "people.csv:1: column 'id': is required, got no such column (map yours under "
        "candidates_file's columns, e.g. {'Staff no': id})"
    ]


def test_csv_decimal_comma_is_refused(problems: Problems, write: Callable[..., Path]) -> None:
    write('id,availability\na,"0,5"\n', "people.csv")
    assert problems(_with_file("people.csv")) == [
        "people.csv:2: availability: must be a number, got '0,5' (text)"
    ]


def test_csv_id_also_inline(problems: Problems, write: Callable[..., Path]) -> None:
    write("id\nana\n", "people.csv")
    text = make_scenario(candidates_file="people.csv")
    assert problems(text) == [
        f"people.csv:2: id: duplicate candidate id 'ana' (also in the scenario, line "
        f"{line_of(text, 'id: ana')})"
    ]


def test_xlsx_bad_row(problems: Problems, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "availability"])
    sheet.append(["a", 1])
    sheet.append(["b", 3])
    book.save(tmp_path / "people.xlsx")
    assert problems(_with_file("people.xlsx")) == [
        "people.xlsx:3: availability: must be <= 1, got 3"
    ]
