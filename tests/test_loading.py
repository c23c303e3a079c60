"""Loading: every key of format v1 gives the right typed value, and its default when left out."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType

import openpyxl
import pydantic
import pytest

from conftest import DELETE, make_data, make_scenario, to_yaml
from orgplan.scenario.format import BUILTIN_BACKGROUNDS, DEFAULT_SKILLS, Scenario
from orgplan.scenario.loading import parse_scenario

Load = Callable[..., Scenario]


# ---- top level -----------------------------------------------------------------------


def test_name_description_currency(load: Load) -> None:
    s = load(make_scenario(description="Series B", currency="EUR"))
    assert (s.name, s.description, s.currency) == ("Test team", "Series B", "EUR")


def test_defaults_of_optional_top_level_keys(load: Load) -> None:
    s = load(make_scenario())
    assert s.description is None
    assert s.currency == "USD"
    assert s.skills == DEFAULT_SKILLS
    assert s.couplings == ()
    assert dict(s.backgrounds) == {}
    assert s.candidates_file is None
    assert dict(s.structures) == {}


def test_default_skills_are_the_nine_of_the_domain() -> None:
    assert DEFAULT_SKILLS == (
        "domain",
        "communication",
        "decision_making",
        "business",
        "technical",
        "empathy",
        "judgement",
        "negotiation",
        "sales",
    )


def test_custom_skills(load: Load) -> None:
    skills = ["domain", "business", "technical", "decision_making", "regulatory"]
    s = load(make_scenario(skills=skills))
    assert s.skills == tuple(skills)


def test_json_is_accepted(load: Load) -> None:
    s = load(json.dumps(make_data()), "s.json")
    assert s.name == "Test team"
    assert [r.id for r in s.responsibilities] == ["roadmap", "backlog", "pricing"]


# ---- roles ---------------------------------------------------------------------------


def test_role_keys(load: Load) -> None:
    role = {
        "title": "Product Manager",
        "cost": 165000,
        "capacity": 36,
        "max_responsibilities": 6,
        "floors": {"domain": 3, "business": 3},
        "open_reqs": 2,
        "hire_profile": {"domain": 4, "business": 4},
    }
    s = load(make_scenario(roles={"PM": role}))
    pm = s.roles["PM"]
    assert pm.title == "Product Manager"
    assert pm.cost == 165000.0 and isinstance(pm.cost, float)
    assert pm.capacity == 36.0
    assert pm.max_responsibilities == 6
    assert dict(pm.floors) == {"domain": 3.0, "business": 3.0}
    assert pm.open_reqs == 2
    assert pm.hire_profile is not None and dict(pm.hire_profile) == {"domain": 4, "business": 4}
    assert dict(pm.profile()) == {"domain": 4, "business": 4}


def test_role_defaults(load: Load) -> None:
    s = load(make_scenario(roles={"PM": {"cost": 100}}))
    pm = s.roles["PM"]
    assert pm.title is None
    assert pm.capacity == 40.0
    assert pm.max_responsibilities is None
    assert dict(pm.floors) == {}
    assert pm.open_reqs == 0
    assert pm.hire_profile is None


def test_hire_profile_defaults_to_the_floors(load: Load) -> None:
    s = load(make_scenario())
    assert dict(s.roles["PM"].profile()) == {"domain": 3, "business": 3}


def test_roles_keep_file_order(load: Load) -> None:
    roles = {r: {"cost": 1} for r in ("TPM", "PM", "Analyst")}
    assert list(load(make_scenario(roles=roles)).roles) == ["TPM", "PM", "Analyst"]


# ---- responsibilities and couplings --------------------------------------------------


def test_responsibility_keys(load: Load) -> None:
    resp = {
        "id": "pricing",
        "name": "Pricing and packaging",
        "product": "Core",
        "hours": 6.5,
        "needs": {"business": 4, "negotiation": 3},
        "roles": ["PM", "TPM"],
        "priority": 2,
    }
    s = load(make_scenario(responsibilities=[resp]))
    (r,) = s.responsibilities
    assert (r.id, r.name, r.product, r.hours) == ("pricing", "Pricing and packaging", "Core", 6.5)
    assert dict(r.needs) == {"business": 4, "negotiation": 3}
    assert r.roles == ("PM", "TPM")
    assert r.priority == 2.0
    assert r.label == "Pricing and packaging"


def test_responsibility_defaults(load: Load) -> None:
    s = load(make_scenario(responsibilities=[{"id": "x", "hours": 1}]))
    (r,) = s.responsibilities
    assert r.name is None and r.label == "x"
    assert r.product is None
    assert dict(r.needs) == {}
    assert r.roles is None
    assert r.priority == 1.0


def test_coupling_keys_and_default_cost(load: Load) -> None:
    couplings = [
        {"between": ["roadmap", "pricing"], "cost": 3},
        {"between": ["roadmap", "backlog"]},
    ]
    s = load(make_scenario(couplings=couplings))
    assert [(c.between, c.cost) for c in s.couplings] == [
        (("roadmap", "pricing"), 3.0),
        (("roadmap", "backlog"), 1.0),
    ]


def test_responsibility_lookup(load: Load) -> None:
    s = load(make_scenario())
    assert s.responsibility("backlog").hours == 10
    with pytest.raises(KeyError):
        s.responsibility("nope")


# ---- candidates ----------------------------------------------------------------------


def test_candidate_keys(load: Load) -> None:
    cand = {
        "id": "ana",
        "name": "Ana Ruiz",
        "background": "business_analyst",
        "skills": {"business": 4, "domain": 4},
        "cost": 140000,
        "availability": 0.8,
        "internal": True,
        "roles": ["PM", "TPM"],
        "fixed_role": "PM",
        "exclude": False,
    }
    (c,) = load(make_scenario(candidates=[cand])).candidates
    assert (c.id, c.name, c.label, c.background) == (
        "ana",
        "Ana Ruiz",
        "Ana Ruiz",
        "business_analyst",
    )
    assert dict(c.skills) == {"business": 4, "domain": 4}
    assert (c.cost, c.availability, c.internal) == (140000, 0.8, True)
    assert c.roles == ("PM", "TPM")
    assert (c.fixed_role, c.exclude) == ("PM", False)


def test_candidate_defaults(load: Load) -> None:
    (c,) = load(make_scenario(candidates=[{"id": "x"}])).candidates
    assert c.name is None and c.label == "x"
    assert c.background is None
    assert dict(c.skills) == {}
    assert c.cost is None
    assert c.availability == 1.0
    assert c.internal is False
    assert c.roles is None
    assert c.fixed_role is None
    assert c.exclude is False


def test_empty_candidate_list_is_allowed(load: Load) -> None:
    assert load(make_scenario(candidates=[])).candidates == ()


@pytest.mark.parametrize(
    ("written", "kept"),
    [("007", "007"), ("12", "12"), ("0x1F", "0x1F"), ("1:30", "1:30"), ("'007'", "007")],
)
def test_ids_written_as_numbers_are_kept_as_the_text_written(
    load: Load, written: str, kept: str
) -> None:
    text = make_scenario(candidates=[{"id": "PLACEHOLDER"}]).replace("PLACEHOLDER", written)
    assert load(text).candidates[0].id == kept


def test_dates_are_read_as_the_text_written(load: Load) -> None:
    text = make_scenario(
        name="PLACEHOLDER_NAME",
        description="PLACEHOLDER_DESCRIPTION",
        candidates=[{"id": "PLACEHOLDER_ID", "name": "PLACEHOLDER_STAMP"}],
        structures={"PLACEHOLDER_KEY": {"roles": ["PM"]}},
    )
    for placeholder, written in [
        ("PLACEHOLDER_NAME", "2001-12-14"),
        ("PLACEHOLDER_DESCRIPTION", "2027-01-01"),
        ("PLACEHOLDER_ID", "2001-12-14"),
        ("PLACEHOLDER_STAMP", "2001-12-14 21:59:43.10 -5"),
        ("PLACEHOLDER_KEY", "2027-03-01"),
    ]:
        text = text.replace(placeholder, written)
    s = load(text)
    assert (s.name, s.description) == ("2001-12-14", "2027-01-01")
    assert (s.candidates[0].id, s.candidates[0].name) == ("2001-12-14", "2001-12-14 21:59:43.10 -5")
    assert list(s.structures) == ["2027-03-01"]


def test_a_date_where_a_number_is_meant_is_refused_as_text(
    write: Callable[..., Path], tmp_path: Path
) -> None:
    from orgplan.errors import ScenarioError
    from orgplan.scenario.loading import load_scenario

    text = make_scenario(roles={"PM": {"cost": "PLACEHOLDER"}}).replace("PLACEHOLDER", "2027-01-01")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write(text))
    assert [p.message for p in caught.value.problems] == [
        "must be a number, got '2027-01-01' (text)"
    ]


def test_a_large_file_is_refused_while_it_is_composed(
    write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from orgplan.errors import ScenarioError
    from orgplan.scenario import loading

    monkeypatch.setattr(loading, "MAX_YAML_VALUES", 100)
    seen: list[int] = []
    real = loading._Walker.walk
    monkeypatch.setattr(loading._Walker, "walk", lambda *a: seen.append(1) or real(*a))
    text = make_scenario(backgrounds={f"b{i}": {"domain": 1} for i in range(1000)})
    with pytest.raises(ScenarioError) as caught:
        loading.load_scenario(write(text))
    assert str(caught.value).endswith("s.yaml:1: holds more than 100 values; not a scenario")
    assert seen == []  # stopped before any value was built


def test_exponent_without_a_dot_is_a_number(load: Load) -> None:
    text = make_scenario(roles={"PM": {"cost": "PLACEHOLDER"}}).replace("PLACEHOLDER", "1.5e5")
    assert load(text).roles["PM"].cost == 150000
    text = make_scenario(roles={"PM": {"cost": "PLACEHOLDER"}}).replace("PLACEHOLDER", "2e5")
    assert load(text).roles["PM"].cost == 200000


# ---- backgrounds ---------------------------------------------------------------------

DOMAIN_MD_BACKGROUNDS = {
    "qa_tester": (2, 2, 2, 1, 4, 3, 3, 1, 1),
    "software_engineer": (2, 2, 3, 1, 5, 2, 3, 1, 1),
    "sales_engineer": (3, 4, 3, 3, 4, 3, 3, 3, 4),
    "business_analyst": (3, 4, 3, 4, 3, 3, 3, 2, 2),
    "sales": (3, 5, 3, 3, 1, 3, 3, 5, 5),
    "marketing": (3, 5, 3, 3, 1, 3, 3, 2, 3),
    "customer_support": (3, 4, 2, 2, 3, 5, 3, 2, 2),
    "consultant": (3, 4, 4, 4, 2, 3, 4, 3, 3),
    "project_manager": (2, 4, 3, 2, 2, 3, 3, 3, 1),
    "product_manager": (4, 4, 4, 4, 3, 3, 4, 3, 2),
}


def test_builtin_backgrounds_are_the_table_of_domain_md() -> None:
    assert {
        name: tuple(levels[s] for s in DEFAULT_SKILLS)
        for name, levels in BUILTIN_BACKGROUNDS.items()
    } == DOMAIN_MD_BACKGROUNDS


def test_backgrounds_add_to_and_override_the_builtin_table(load: Load) -> None:
    s = load(make_scenario(backgrounds={"qa_tester": {"domain": 4}, "founder": {"sales": 5}}))
    assert dict(s.backgrounds) == {"qa_tester": {"domain": 4}, "founder": {"sales": 5}}
    merged = s.all_backgrounds()
    assert merged["qa_tester"]["domain"] == 4  # overridden
    assert merged["qa_tester"]["technical"] == 4  # kept from the built-in row
    assert dict(merged["founder"]) == {"sales": 5}
    assert set(BUILTIN_BACKGROUNDS) < set(merged)
    assert BUILTIN_BACKGROUNDS["qa_tester"]["domain"] == 2  # the built-in table is untouched


# ---- policy --------------------------------------------------------------------------


def test_policy_keys(load: Load) -> None:
    policy = {
        "budget": 900000,
        "max_headcount": 7,
        "max_skill_gap": 0.5,
        "coverage": "required",
        "max_products_per_seat": 2,
    }
    p = load(make_scenario(policy=policy)).policy
    assert (p.budget, p.max_headcount, p.max_skill_gap) == (900000, 7, 0.5)
    assert (p.coverage, p.max_products_per_seat) == ("required", 2)


def test_policy_defaults(load: Load) -> None:
    for text in (make_scenario(), make_scenario(policy={})):
        p = load(text).policy
        assert p.budget is None
        assert p.max_headcount is None
        assert p.max_skill_gap == 1.0
        assert p.coverage == "best_effort"
        assert p.max_products_per_seat is None


# ---- structures ----------------------------------------------------------------------


def test_structure_mapping_and_list_forms(load: Load) -> None:
    structures = {"pm_only": {"roles": {"PM": 2}}, "full": {"roles": ["PM", "TPM"]}}
    s = load(make_scenario(structures=structures))
    assert dict(s.structures["pm_only"].roles) == {"PM": 2}
    assert dict(s.structures["full"].roles) == {"PM": None, "TPM": None}


def test_structure_overrides_and_null_lifting_a_limit(load: Load) -> None:
    structures = {
        "lean": {"roles": {"PM": 1, "TPM": None}, "budget": 300000, "max_headcount": 2},
        "broad": {"roles": ["PM"], "max_responsibilities": None},
        "plain": {"roles": ["PM"]},
    }
    s = load(make_scenario(structures=structures))
    lean, broad, plain = (s.structures[k] for k in ("lean", "broad", "plain"))
    assert dict(lean.roles) == {"PM": 1, "TPM": None}
    assert (lean.budget, lean.max_headcount) == (300000, 2)
    assert lean.overrides("budget") and not lean.overrides("max_responsibilities")
    assert broad.max_responsibilities is None and broad.overrides("max_responsibilities")
    assert not plain.overrides("budget") and not plain.overrides("max_responsibilities")


def test_superhero_is_built_in_first_role_one_seat_no_breadth_cap(load: Load) -> None:
    roles = {"TPM": {"cost": 1}, "PM": {"cost": 2}}
    s = load(make_scenario(roles=roles, structures={"full": {"roles": ["PM", "TPM"]}}))
    assert list(s.all_structures()) == ["superhero", "full"]
    hero = s.all_structures()["superhero"]
    assert dict(hero.roles) == {"TPM": 1}
    assert hero.max_responsibilities is None and hero.overrides("max_responsibilities")
    assert "superhero" not in s.structures  # built in, not written in the file


def test_a_file_may_define_its_own_superhero(load: Load) -> None:
    s = load(make_scenario(structures={"superhero": {"roles": {"PM": 1}, "budget": 1}}))
    assert s.all_structures()["superhero"].budget == 1
    assert list(s.all_structures()) == ["superhero"]


# ---- immutability --------------------------------------------------------------------


def test_scenario_is_immutable(load: Load) -> None:
    s = load(make_scenario(policy={"budget": 1}))
    with pytest.raises(pydantic.ValidationError):
        s.name = "other"  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        s.policy.budget = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.roles["X"] = s.roles["PM"]  # type: ignore[index]
    with pytest.raises(TypeError):
        s.roles["PM"].floors["domain"] = 5  # type: ignore[index]
    assert isinstance(s.roles, MappingProxyType)
    assert isinstance(s.responsibilities, tuple)


def test_parse_scenario_without_a_file() -> None:
    s = parse_scenario(make_scenario(), "inline")
    assert s.name == "Test team"


def test_merge_keys_are_resolved(load: Load) -> None:
    text = make_scenario(responsibilities=DELETE) + (
        "responsibilities:\n- &d {id: a, hours: 3, roles: [PM]}\n- <<: *d\n  id: b\n"
    )
    s = load(text)
    assert [(r.id, r.hours, r.roles) for r in s.responsibilities] == [
        ("a", 3, ("PM",)),
        ("b", 3, ("PM",)),
    ]


# ---- candidate pools from files --------------------------------------------------------

CSV = """\
id,name,background,cost,availability,internal,roles,fixed_role,exclude,domain,technical
007,NA,qa_tester,"140,000",0.5,yes,PM; TPM,,,4,
008,Bo Lind,,,,,,,,,5
A-9,Cy,software_engineer,120000,1,no,TPM,TPM,no,,
"""


def _pool_scenario(file: object) -> str:
    return make_scenario(candidates=DELETE, candidates_file=file)


def test_csv_pool(load: Load, write: Callable[..., Path]) -> None:
    write(CSV, "people.csv")
    s = load(_pool_scenario("people.csv"))
    a, b, c = s.candidates
    assert a.id == "007"  # ids stay text: leading zeros kept
    assert a.name == "NA"  # "NA" is a name, not a missing value
    assert a.background == "qa_tester"
    assert a.cost == 140000 and a.availability == 0.5 and a.internal is True
    assert a.roles == ("PM", "TPM")  # ";"-separated
    assert dict(a.skills) == {"domain": 4}  # one column per skill; blank = not assessed
    assert b.id == "008" and b.name == "Bo Lind"
    assert (b.background, b.cost, b.roles, b.internal) == (None, None, None, False)
    assert dict(b.skills) == {"technical": 5}
    assert c.fixed_role == "TPM" and c.exclude is False and c.internal is False


def test_csv_pool_follows_inline_candidates(load: Load, write: Callable[..., Path]) -> None:
    write(CSV, "pool/people.csv")
    text = make_scenario(candidates_file="pool/people.csv")
    s = load(text)
    assert [c.id for c in s.candidates] == ["ana", "ben", "007", "008", "A-9"]
    assert s.candidates_file == "pool/people.csv"


def test_csv_path_is_relative_to_the_scenario_file(
    write: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orgplan.scenario.loading import load_scenario

    write(CSV, "sub/people.csv")
    path = write(_pool_scenario("people.csv"), "sub/s.yaml")
    monkeypatch.chdir(tmp_path.parent)
    assert len(load_scenario(path).candidates) == 3


def test_csv_blank_lines_are_skipped(load: Load, write: Callable[..., Path]) -> None:
    write("id,name\n\n007,NA\n\n008,Bo\n", "people.csv")
    assert [c.id for c in load(_pool_scenario("people.csv")).candidates] == ["007", "008"]


def test_csv_with_a_byte_order_mark(load: Load, write: Callable[..., Path]) -> None:
    write("\ufeffid,name\n007,NA\n".encode(), "people.csv")
    assert [(c.id, c.name) for c in load(_pool_scenario("people.csv")).candidates] == [
        ("007", "NA")
    ]


def test_xlsx_pool(load: Load, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        ["id", "name", "background", "cost", "availability", "internal", "roles", "domain"]
    )
    sheet.append(["007", "NA", "qa_tester", 140000, 0.5, True, "PM;TPM", 4])
    sheet.append([8, "Bo", None, None, None, "no", "TPM", None])
    book.save(tmp_path / "people.xlsx")
    a, b = load(_pool_scenario("people.xlsx")).candidates
    assert (a.id, a.name, a.background, a.cost, a.availability) == (
        "007",
        "NA",
        "qa_tester",
        140000,
        0.5,
    )
    assert a.internal is True and a.roles == ("PM", "TPM") and dict(a.skills) == {"domain": 4}
    assert (b.id, b.name, b.internal, b.roles, dict(b.skills)) == ("8", "Bo", False, ("TPM",), {})


def test_the_mapping_form_of_candidates_file_is_kept(
    load: Load, write: Callable[..., Path]
) -> None:
    from orgplan.scenario.format import CandidatesSource

    write("Title\n\nStaff no,Notes\nx,hi\n", "people.csv")
    spec = {"path": "people.csv", "header_row": 3, "columns": {"Staff no": "id"}}
    s = load(_pool_scenario(spec))
    assert [c.id for c in s.candidates] == ["x"]
    assert isinstance(s.candidates_file, CandidatesSource)
    assert (s.candidates_file.path, s.candidates_file.sheet, s.candidates_file.header_row) == (
        "people.csv",
        1,
        3,
    )
    assert dict(s.candidates_file.columns) == {"Staff no": "id"}
    assert s.candidates_file.extra_columns == ()
    assert Scenario.model_validate(s.model_dump()) == s  # the library round trip


def test_pool_only_in_file_needs_no_candidates_key(load: Load, write: Callable[..., Path]) -> None:
    write("id\nx\n", "people.csv")
    assert "candidates:" not in _pool_scenario("people.csv")
    assert [c.id for c in load(_pool_scenario("people.csv")).candidates] == ["x"]


def test_to_yaml_round_trip_of_the_factory() -> None:
    assert make_data()["name"] == "Test team"
    assert "name: Test team\n" in to_yaml(make_data())
