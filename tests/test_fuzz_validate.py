"""`orgplan validate` on random and mutated files: exit 0 or 2, never a traceback.

The mutations start from the example scenarios (and the starter of `init`): keys deleted,
list items duplicated, values replaced by values of other types, keys misspelt, lines of
the text deleted, duplicated or garbled, the candidates CSV garbled too; plus random text
and random bytes.
"""

from __future__ import annotations

import copy
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import SCENARIOS
from orgplan.cli import app
from orgplan.jobs.init import starter_text

SEEDS: dict[str, str] = {
    **{p.name: p.read_text(encoding="utf-8") for p in sorted(SCENARIOS.glob("*.yaml"))},
    "starter.yaml": starter_text(),
}
# Parsed once: parsing the larger seeds took longer than validating them. `mutate` copies.
SEED_DATA: dict[str, Any] = {name: yaml.safe_load(text) for name, text in SEEDS.items()}
PEOPLE_CSV = (SCENARIOS / "enterprise-people.csv").read_text(encoding="utf-8")

# ORGPLAN_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_validate.py digs deeper than CI does.
EXAMPLES = int(os.environ.get("ORGPLAN_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def validate(path: Path) -> None:
    """Run `orgplan validate` in-process; a crash fails the test with its traceback."""
    result = CliRunner().invoke(app, ["validate", str(path)], catch_exceptions=False)
    assert result.exit_code in (0, 2), (result.exit_code, result.output)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.stderr.strip(), "exit 2 without a message"
        assert result.stderr.splitlines()[-1].endswith("nothing was solved")


# ---- values and mutations ----------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["PM", "TPM", "domain", "roadmap", "qa_tester", "007", "NA", "", "yes"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


def node_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every value inside `node` (not the root)."""
    found: list[tuple[Any, ...]] = []
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in items:
        found.append((*prefix, key))
        found.extend(node_paths(child, (*prefix, key)))
    return found


def mutate(data: Any, draw: st.DataObject) -> Any:
    """Apply one structural mutation at a random place of `data` (a copy is returned)."""
    data = copy.deepcopy(data)
    paths = node_paths(data)
    if not paths:
        return draw.draw(values)
    path = draw.draw(st.sampled_from(paths))
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    key = path[-1]
    action = draw.draw(st.sampled_from(["delete", "duplicate", "retype", "rename"]))
    if action == "delete":
        del parent[key]
    elif action == "duplicate" and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(parent[key]))
    elif action == "rename" and isinstance(parent, dict):
        new = draw.draw(
            st.sampled_from([str(key)[:-1], f"{key}s", str(key).upper(), "roles", "id"])
        )
        parent[new] = parent.pop(key)
    else:
        parent[key] = draw.draw(values)
    return data


def mutate_text(text: str, draw: st.DataObject) -> str:
    """Delete, duplicate or garble one line of `text`."""
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    i = draw.draw(st.integers(0, len(lines) - 1))
    action = draw.draw(st.sampled_from(["delete", "duplicate", "garble", "indent"]))
    if action == "delete":
        del lines[i]
    elif action == "duplicate":
        lines.insert(i, lines[i])
    elif action == "indent":
        lines[i] = "  " + lines[i]
    else:
        at = draw.draw(st.integers(0, len(lines[i])))
        junk = draw.draw(st.text(alphabet=":-[]{}&*!|>'\"#%@` \t\n0aZ", max_size=4))
        lines[i] = lines[i][:at] + junk + lines[i][at:]
    return "".join(lines)


def _seed_dir(workdir: Path) -> Path:
    """A folder with the enterprise pool beside the scenarios (its candidates_file)."""
    if not (workdir / "enterprise-people.csv").exists():
        shutil.copy(SCENARIOS / "enterprise-people.csv", workdir / "enterprise-people.csv")
    return workdir


# ---- the tests ---------------------------------------------------------------------------


@FUZZ
@given(name=st.sampled_from(sorted(SEEDS)), data=st.data())
def test_structurally_mutated_scenarios(workdir: Path, name: str, data: st.DataObject) -> None:
    scenario = SEED_DATA[name]
    for _ in range(data.draw(st.integers(1, 4))):
        scenario = mutate(scenario, data)  # a mutated copy: the seed stays as parsed
    path = _seed_dir(workdir) / name
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False), "utf-8")
    validate(path)


@FUZZ
@given(name=st.sampled_from(sorted(SEEDS)), data=st.data())
def test_textually_mutated_scenarios(workdir: Path, name: str, data: st.DataObject) -> None:
    text = SEEDS[name]
    for _ in range(data.draw(st.integers(1, 4))):
        text = mutate_text(text, data)
    path = _seed_dir(workdir) / name
    path.write_text(text, "utf-8")
    validate(path)


@FUZZ
@given(data=st.data())
def test_mutated_candidates_csv(workdir: Path, data: st.DataObject) -> None:
    folder = workdir / "csv"
    folder.mkdir(exist_ok=True)
    text = PEOPLE_CSV
    for _ in range(data.draw(st.integers(1, 4))):
        text = mutate_text(text, data)
    (folder / "enterprise-people.csv").write_text(text, "utf-8")
    (folder / "enterprise.yaml").write_text(SEEDS["enterprise.yaml"], "utf-8")
    validate(folder / "enterprise.yaml")


@FUZZ
@given(text=st.text(max_size=300))
def test_random_text(workdir: Path, text: str) -> None:
    path = workdir / "random.yaml"
    path.write_text(text, "utf-8")
    validate(path)


@FUZZ
@given(blob=st.binary(max_size=300))
def test_random_bytes(workdir: Path, blob: bytes) -> None:
    path = workdir / "random.yaml"
    path.write_bytes(blob)
    validate(path)


@settings(FUZZ, max_examples=max(EXAMPLES // 3, 1))  # each example reads two files with pandas
@given(blob=st.binary(max_size=300))
def test_random_bytes_as_candidates_file(workdir: Path, blob: bytes) -> None:
    folder = workdir / "bytes"
    folder.mkdir(exist_ok=True)
    (folder / "people.xlsx").write_bytes(blob)
    (folder / "people.csv").write_bytes(blob)
    for pool in ("people.xlsx", "people.csv"):
        scenario = copy.deepcopy(SEED_DATA["saas.yaml"])
        del scenario["candidates"]
        scenario["candidates_file"] = pool
        (folder / "s.yaml").write_text(yaml.safe_dump(scenario), "utf-8")
        validate(folder / "s.yaml")
