"""Reading scenario files: YAML/JSON with line numbers, and the candidates file beside it.

`load_scenario` returns a validated `Scenario` or raises `ScenarioError` carrying every
problem of the file at once, each located as `FILE:LINE: path: message`; `read_scenario`
also tells how the candidates file was read (`pools.py` reads it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from orgplan.errors import Problem, ScenarioError
from orgplan.scenario import decisions as decided
from orgplan.scenario.decisions import Origin, Sourced
from orgplan.scenario.format import (
    DEFAULT_SKILLS,
    Candidate,
    CandidatesSource,
    Decisions,
    Scenario,
)
from orgplan.scenario.inputs import SCENARIO_CAP, InputError, read_capped, utf8_text
from orgplan.scenario.pools import CANDIDATE_COLUMNS, Pool, PoolInfo, read_pool
from orgplan.scenario.source import Loc, SourceMap, did_you_mean, format_loc
from orgplan.scenario.validation import cross_check
from orgplan.text import excerpt

__all__ = [
    "CANDIDATE_COLUMNS",
    "Loaded",
    "PoolInfo",
    "load_scenario",
    "parse_scenario",
    "pydantic_problems",
    "read_decisions",
    "read_scenario",
    "read_yaml",
]


# ---- YAML with line numbers -----------------------------------------------------------


# libyaml's parser is several times faster than the pure-Python one (a 160-person
# scenario loads in milliseconds); both are safe loaders.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[valid-type,misc]
    """A safe loader whose construction we drive ourselves to keep lines, and which stops
    composing a file that holds more nodes than any scenario (before it fills memory)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.nodes = 0

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """The tag of a node being composed (called once per scalar, list and mapping)."""
        self.nodes += 1
        if self.nodes > 2 * MAX_YAML_VALUES + 1:  # a value per key, and the keys
            raise _TooLarge(f"holds more than {MAX_YAML_VALUES:,} values; not a scenario")
        return super().resolve(kind, value, implicit)


# PyYAML follows YAML 1.1, where `1e5` (no dot) is text; users and YAML 1.2 mean a number.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)

# YAML 1.1 also reads `007` as octal 7 and `1:30` as 90; such a value is an id or a label,
# never a level or an amount, so it is kept as the text the user wrote.
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)")

# Aliases can expand a small file into a huge (or endless) tree: cap the values built.
MAX_YAML_VALUES = 250_000

# YAML 1.1 reads `2001-12-14` as a date; no key of the format is a date, and a name or an
# id written so is the text written.
_AS_WRITTEN = {"tag:yaml.org,2002:timestamp"}


class _Walker:
    """Builds Python values from a composed YAML node, recording lines and duplicate keys."""

    def __init__(self, loader: _Loader, source: SourceMap, problems: list[Problem]) -> None:
        self.loader = loader
        self.source = source
        self.problems = problems
        self.active: set[int] = set()  # nodes being built: an alias back to one is a cycle
        self.merged: dict[int, int] = {}  # mapping node -> how many leading pairs are merged
        self.count = 0

    def walk(self, node: yaml.Node, loc: Loc) -> Any:
        self.source.lines.setdefault(loc, node.start_mark.line + 1)
        self.count += 1
        if self.count > MAX_YAML_VALUES:
            raise _TooLarge(
                f"expands to more than {MAX_YAML_VALUES:,} values (aliases?); not a scenario"
            )
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if id(node) in self.active:
            self.problems.append(
                self.source.problem(loc, "an alias may not refer to a value that contains it")
            )
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode) and node.tag == "tag:yaml.org,2002:map":
                return self.mapping(node, loc)
            if isinstance(node, yaml.SequenceNode) and node.tag == "tag:yaml.org,2002:seq":
                return [self.walk(item, (*loc, i)) for i, item in enumerate(node.value)]
            # Other tags (!!set, !!omap, or unknown ones, which the safe loader refuses).
            return self.loader.construct_object(node, deep=True)
        finally:
            self.active.discard(id(node))

    def scalar(self, node: yaml.ScalarNode) -> Any:
        """A scalar's value; one YAML 1.1 would misread (`007`, `1:30`, a date) as written."""
        if node.tag in _AS_WRITTEN:
            return node.value
        if node.tag == "tag:yaml.org,2002:int" and not _PLAIN_INT.fullmatch(node.value):
            return node.value
        return self.loader.construct_object(node, deep=True)

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[Any, Any]:
        if id(node) not in self.merged:
            # `<<: *anchor` merges: flatten_mapping puts the merged pairs first, and the
            # file's own keys may override them (they are not duplicates). The count is
            # kept per node because an alias walks the same, already flattened, node again.
            own = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
            self.loader.flatten_mapping(node)
            self.merged[id(node)] = len(node.value) - own
        merged = self.merged[id(node)]
        result: dict[Any, Any] = {}
        seen: set[Any] = set()
        for number, (key_node, value_node) in enumerate(node.value):
            if isinstance(key_node, yaml.ScalarNode):
                key = self.scalar(key_node)
            else:
                key = self.loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                self.problems.append(
                    self.source.problem(
                        loc, f"a mapping key must be text, got {type(key).__name__}"
                    )
                )
                continue
            part: Any = key  # a YAML key may be a number or a bool; a location holds it as is
            key_loc: Loc = (*loc, part)
            if number >= merged and key in seen:
                first = self.source.lines.get(key_loc, 0)
                self.problems.append(
                    Problem(
                        self.source.file,
                        key_node.start_mark.line + 1,
                        format_loc(key_loc),
                        f"duplicate key (first given on line {first})",
                    )
                )
                continue
            if number >= merged:
                seen.add(key)
            self.source.lines[key_loc] = key_node.start_mark.line + 1
            result[key] = self.walk(value_node, key_loc)
        return result


class _TooLarge(Exception):
    """The file holds, or expands (through aliases) into, more values than any scenario."""


def read_yaml(text: str, source: SourceMap) -> tuple[Any, list[Problem]]:
    """Parse YAML (or JSON) text into plain values, with lines recorded in `source`."""
    problems: list[Problem] = []
    try:
        # The reader checks the characters as it is built: a NUL byte fails here already.
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        return None, [_unreadable(text, exc, source)]
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(source.file, 1, "", "the file is empty: expected a scenario")]
        return _Walker(loader, source, problems).walk(node, ()), problems
    except RecursionError:
        return None, [Problem(source.file, 1, "", "nests too deeply to be a scenario")]
    except _TooLarge as exc:
        return None, [Problem(source.file, 1, "", str(exc))]
    except yaml.reader.ReaderError as exc:
        return None, [_unreadable(text, exc, source)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "malformed"
        return None, [Problem(source.file, line, "", f"not valid YAML: {what}")]
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, [Problem(source.file, 1, "", f"not valid YAML: {first}")]
    finally:
        if "loader" in locals():
            loader.dispose()


def _unreadable(text: str, exc: yaml.reader.ReaderError, source: SourceMap) -> Problem:
    """A character YAML does not allow (a control character, a NUL byte)."""
    line = text[: max(exc.position, 0)].count("\n") + 1
    return Problem(
        source.file,
        line,
        "",
        f"not valid YAML: character #x{exc.character:04x} is not allowed "
        "(a control character: is this a text file?)",
    )


# ---- pydantic errors in the user's words ----------------------------------------------


def _shown(value: Any) -> str:
    """How a found value is named in a message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value; quote it if you meant text)"
    if isinstance(value, str):
        return f"'{excerpt(value)}' (text)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value)


_EXPECTED = {
    "string_type": "text",
    "float_type": "a number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "dict_type": "a mapping",
    "tuple_type": "a list",
    "list_type": "a list",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "finite_number": "a finite number",
}


_POOL_SHAPES = "a file's path (text) or a mapping {path, sheet, header_row, columns, extra_columns}"

# Fields that take either of two shapes: a message names both.
_SHAPES: dict[tuple[str, str], str] = {
    ("Structure", "roles"): "a list of role ids or a mapping of role id to seats",
    ("Scenario", "candidates_file"): _POOL_SHAPES,
}


def _message(err: Any, model: type[BaseModel]) -> tuple[Loc, str]:
    """One pydantic error as (location, message) in the format of the contract."""
    kind = err["type"]
    loc: Loc = tuple(err["loc"])
    ctx = err.get("ctx") or {}
    got = err.get("input")
    if kind == "missing" and loc and isinstance(loc[-1], int):
        return loc[:-1], f"must have exactly {loc[-1] + 1} items, got {loc[-1]}"
    if kind == "missing":
        return loc, "is required, got nothing"
    if kind == "extra_forbidden":
        parent, key = loc[:-1], loc[-1]
        hint = did_you_mean(str(key), _allowed_keys(model, parent))
        return loc, f"unknown key '{key}'{hint}"
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        op = {
            "greater_than": ">",
            "greater_than_equal": ">=",
            "less_than": "<",
            "less_than_equal": "<=",
        }[kind]
        bound = next(iter(ctx.values()))
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        return loc, f"must be {op} {bound}, got {_shown(got)}"
    if kind == "string_too_short" or (kind == "too_short" and isinstance(got, str)):
        return loc, "must not be empty, got ''"
    if kind == "too_short":
        return loc, f"must have at least {ctx.get('min_length', 1)} item(s), got none"
    if kind == "string_too_short":
        return loc, "must not be empty, got ''"
    if kind == "literal_error":
        return loc, f"must be one of {ctx.get('expected')}, got {_shown(got)}"
    if kind in {"tuple_type"} and loc and loc[-1] == "between":
        return loc, f"must be a list of two responsibility ids, got {_shown(got)}"
    if kind == "too_long" and loc and loc[-1] == "between":
        return loc, f"must have exactly {ctx.get('max_length', 2)} items, got {_count(got)}"
    if kind == "too_long":
        return loc, f"must have at most {ctx.get('max_length')} item(s), got {_count(got)}"
    if kind == "value_error":  # raised by our own validators, worded as messages
        return loc, f"{ctx.get('error', err['msg'])}, got {_shown(got)}"
    if kind in _EXPECTED:
        return loc, f"must be {_shape(model, loc) or _EXPECTED[kind]}, got {_shown(got)}"
    return loc, f"{err['msg'].lower()}, got {_shown(got)}"


def _count(value: Any) -> str:
    """How many items a found collection has, for messages."""
    return str(len(value)) if isinstance(value, list | tuple | dict) else _shown(value)


def _sized(value: Any) -> bool:
    """Whether a collection has items (pydantic also calls one short when its items fail)."""
    return isinstance(value, list | tuple | dict) and len(value) > 0


def _shape(model: type[BaseModel], loc: Loc) -> str | None:
    """Both shapes a field may take, when it takes two (a list or a mapping, ...)."""
    owner = _model_at(model, loc[:-1])
    if owner is None or not loc or not isinstance(loc[-1], str):
        return None
    return _SHAPES.get((owner.__name__, loc[-1]))


def _allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys a model accepts at `loc` (for did-you-mean hints)."""
    current = _model_at(model, loc)
    return list(current.model_fields) if current is not None else []


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model whose fields are the keys at `loc`, or None (a mapping of ids, a list)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            # inside a mapping keyed by ids (roles.PM ...): the id is not a field
            continue
        fld = current.model_fields.get(str(part))
        if fld is None:
            continue
        current = _model_in(fld.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside an annotation like `tuple[Role, ...] | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    meta = getattr(annotation, "__origin__", None)
    if meta is not None:
        return _model_in(meta)
    return None


def pydantic_problems(
    exc: ValidationError, model: type[BaseModel], source: SourceMap, prefix: Loc = ()
) -> list[Problem]:
    """Every error of a pydantic validation, located in the source file."""
    out = []
    for err in exc.errors():
        if err["type"] == "too_short" and _sized(err.get("input")):
            continue  # its items failed: they are reported one by one
        loc, message = _message(err, model)
        loc = tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))
        out.append(source.problem((*prefix, *loc), message))
    return out


# ---- the whole file ---------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """A loaded scenario, how its candidates file was read (None without one), and its
    own decisions with where each was given."""

    scenario: Scenario
    pool: PoolInfo | None = None
    decisions: Sourced = Sourced()


def read_scenario(path: str | Path) -> Loaded:
    """Load and validate a scenario file, telling how its candidates file was read.

    Only a regular file of at most `SCENARIO_CAP` bytes is read (a device, a pipe or a
    directory is refused before reading). Raises `ScenarioError` listing every problem.
    """
    path = Path(path)
    text, shown = _read_text(path, "a scenario")
    return _parse(text, shown, path.parent)


def _read_text(path: Path, what: str) -> tuple[str, str]:
    """The text of `path` (`what` it is, for the message) and its name in messages;
    `ScenarioError` for a file that is not a regular one, too big, or not text."""
    shown = str(path)
    try:
        return utf8_text(read_capped(path, SCENARIO_CAP, what)), shown
    except InputError as exc:
        raise ScenarioError([Problem(shown, exc.line, "", exc.message)]) from None


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file (YAML or JSON) into an immutable `Scenario`.

    Candidates from `candidates_file` (CSV or XLSX, relative to the scenario) are merged
    after the inline `candidates`. Raises `ScenarioError` listing every problem found.
    """
    return read_scenario(path).scenario


def parse_scenario(text: str, shown: str = "<scenario>", base_dir: Path | None = None) -> Scenario:
    """Validate scenario text; `shown` names the file in messages."""
    return _parse(text, shown, base_dir).scenario


def _parse(text: str, shown: str, base_dir: Path | None) -> Loaded:
    source = SourceMap(shown)
    data, problems = read_yaml(text, source)
    if data is None and problems:
        raise ScenarioError(problems)
    if not isinstance(data, dict):
        raise ScenarioError(
            [Problem(shown, 1, "", f"must be a mapping of scenario keys, got {_shown(data)}")]
        )
    if "candidates" not in data and "candidates_file" not in data:
        problems.append(
            source.problem(("candidates",), "is required when no candidates_file is given")
        )
    spec = _pool_spec(data.get("candidates_file"), source, problems)
    pool = _read_pool(spec, data, base_dir, source, problems) if spec is not None else None
    file_rows = pool.rows if pool is not None else []
    file_source = pool.source if pool is not None else None
    unknown = pool.unknown_defaults if pool is not None else []
    problems.extend(cross_check(data, file_rows, source, file_source, unknown))

    # Candidates from the file are validated one by one, so each problem names its row.
    file_candidates: list[Candidate] = []
    for index, row in enumerate(file_rows):
        try:
            file_candidates.append(Candidate.model_validate(row))
        except ValidationError as exc:
            assert file_source is not None
            problems.extend(pydantic_problems(exc, Candidate, file_source, (index,)))

    try:  # candidates_file is checked above, in the words of its two forms
        scenario = Scenario.model_validate(
            {k: v for k, v in data.items() if k != "candidates_file"}
        )
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, Scenario, source))
        raise ScenarioError(problems) from None
    if problems:
        raise ScenarioError(problems)
    scenario = scenario.model_copy(
        update={"candidates_file": spec, "candidates": (*scenario.candidates, *file_candidates)}
    )
    # The decisions are checked against the whole scenario, once it is valid.
    where = {
        str(c["id"]): Origin(shown, source.line(("candidates", i)), f"candidates[{i}]")
        for i, c in enumerate(data.get("candidates") or [])
        if isinstance(c, dict) and "id" in c
    }
    if file_source is not None:
        where.update(
            {
                str(row.get("id")): Origin(file_source.file, file_source.line((i,)), "row")
                for i, row in enumerate(file_rows)
            }
        )
    own = decided.section(scenario.decisions, source.line, shown)
    own = Sourced(own.decisions, own.origins, where)
    problems = decided.check(scenario, own)
    if problems:
        raise ScenarioError(problems)
    return Loaded(scenario, pool.info if pool is not None else None, own)


def read_decisions(path: str | Path) -> Sourced:
    """A decisions file (YAML or JSON): the keys of a scenario's `decisions` section, at
    the top or under `decisions:`. Types are checked here; against a scenario by
    `decisions.check` once merged. Raises `ScenarioError` listing every problem."""
    text, shown = _read_text(Path(path), "a decisions file")
    source = SourceMap(shown)
    data, problems = read_yaml(text, source)
    if data is None and problems:
        raise ScenarioError(problems)
    prefix: Loc = ()
    if isinstance(data, dict) and list(data) == ["decisions"]:
        prefix, data = ("decisions",), data["decisions"]
    if not isinstance(data, dict):
        expected = "a mapping of place, exclude, assign and keep_together"
        raise ScenarioError([Problem(shown, 1, "", f"must be {expected}, got {_shown(data)}")])
    try:
        found = Decisions.model_validate(data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, Decisions, source, prefix))
        raise ScenarioError(problems) from None
    if problems:
        raise ScenarioError(problems)
    sourced = decided.section(found, lambda loc: source.line((*prefix, *loc[1:])), shown)
    if not prefix:  # the fields are at the top: name them so
        sourced = Sourced(
            found,
            {
                key: Origin(o.file, o.line, o.path.removeprefix("decisions."))
                for key, o in sourced.origins.items()
            },
        )
    return sourced


def _pool_spec(
    value: Any, source: SourceMap, problems: list[Problem]
) -> str | CandidatesSource | None:
    """`candidates_file` as given (a path, or a mapping), or None (a problem reported)."""
    at: Loc = ("candidates_file",)
    if value is None:
        return None
    if isinstance(value, str):
        if value.strip():
            return value
        problems.append(source.problem(at, f"must name a file, got {_shown(value)}"))
    elif isinstance(value, dict):
        try:
            return CandidatesSource.model_validate(value)
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, CandidatesSource, source, at))
    else:
        problems.append(source.problem(at, f"must be {_POOL_SHAPES}, got {_shown(value)}"))
    return None


def _read_pool(
    spec: str | CandidatesSource,
    data: dict[str, Any],
    base_dir: Path | None,
    source: SourceMap,
    problems: list[Problem],
) -> Pool:
    """The candidates file's rows, read with the scenario's skills as columns."""
    skills = data.get("skills")
    names = tuple(str(s) for s in skills) if isinstance(skills, list) else ()
    path = spec.path if isinstance(spec, CandidatesSource) else spec
    return read_pool(
        (base_dir or Path(".")) / path, spec, names or DEFAULT_SKILLS, source, problems
    )
