"""Reading scenario files: YAML/JSON with line numbers, candidate pools from CSV or XLSX.

`load_scenario` returns a validated `Scenario` or raises `ScenarioError` carrying every
problem of the file at once, each located as `FILE:LINE: path: message`.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from orgplan.errors import Problem, ScenarioError
from orgplan.scenario.format import Candidate, Scenario
from orgplan.scenario.source import Loc, RowSourceMap, SourceMap, did_you_mean, format_loc
from orgplan.scenario.validation import cross_check

CANDIDATE_COLUMNS = (
    "id",
    "name",
    "background",
    "cost",
    "availability",
    "internal",
    "roles",
    "fixed_role",
    "exclude",
)


# ---- YAML with line numbers -----------------------------------------------------------


# libyaml's parser is several times faster than the pure-Python one (a 160-person
# scenario loads in milliseconds); both are safe loaders.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[valid-type,misc]
    """A safe loader whose construction we drive ourselves to keep lines."""


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
            raise _TooLarge
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:int" and not _PLAIN_INT.fullmatch(node.value):
                return node.value
            return self.loader.construct_object(node, deep=True)
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
    """The file expands (through aliases) into more values than any scenario needs."""


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
    except _TooLarge:
        message = f"expands to more than {MAX_YAML_VALUES:,} values (aliases?); not a scenario"
        return None, [Problem(source.file, 1, "", message)]
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
        return f"'{value}' (text)"
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
    if kind == "too_long":
        return loc, f"must have exactly {ctx.get('max_length', 2)} items, got {_count(got)}"
    if kind == "value_error":  # raised by our own validators, worded as messages
        return loc, f"{ctx.get('error', err['msg'])}, got {_shown(got)}"
    if kind in _EXPECTED:
        return loc, f"must be {_EXPECTED[kind]}, got {_shown(got)}"
    return loc, f"{err['msg'].lower()}, got {_shown(got)}"


def _count(value: Any) -> str:
    """How many items a found collection has, for messages."""
    return str(len(value)) if isinstance(value, list | tuple | dict) else _shown(value)


def _sized(value: Any) -> bool:
    """Whether a collection has items (pydantic also calls one short when its items fail)."""
    return isinstance(value, list | tuple | dict) and len(value) > 0


def _allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys a model accepts at `loc` (for did-you-mean hints)."""
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
        return list(current.model_fields)
    return []


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


# ---- candidate pools in CSV or XLSX ---------------------------------------------------


def read_candidates_file(
    path: Path,
    skills: tuple[str, ...],
    problems: list[Problem],
    scenario_source: SourceMap,
) -> tuple[list[dict[str, Any]], SourceMap]:
    """Rows of a candidates CSV/XLSX as candidate mappings; problems name file and row.

    A file that cannot be opened at all is reported at the scenario's `candidates_file`.
    """
    source = RowSourceMap(str(path))
    frame = _read_frame(path, problems, scenario_source)
    if frame is None:
        return [], source
    frame.columns = [str(c).strip() for c in frame.columns]
    known = set(CANDIDATE_COLUMNS) | set(skills)
    if not _check_columns(list(frame.columns), known, str(path), problems):
        return [], source
    records = frame.to_dict(orient="records")
    return _candidate_rows(records, skills, known, source), source


def _read_frame(path: Path, problems: list[Problem], scenario_source: SourceMap) -> Any:
    """The file as a frame of text cells, or None (the problem reported) if unreadable."""
    import pandas as pd

    shown = str(path)
    suffix = path.suffix.lower()
    at_key = ("candidates_file",)
    try:
        if suffix in {".xlsx", ".xlsm"}:
            return pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
        if suffix in {".csv", ".txt", ""}:
            return pd.read_csv(
                path,
                dtype=str,
                encoding="utf-8-sig",  # spreadsheet programs often write a byte-order mark
                keep_default_na=False,
                skipinitialspace=True,
                skip_blank_lines=False,
            )
        message = f"must name a .csv or .xlsx file, got '{path.name}'"
    except FileNotFoundError:
        message = f"file not found: {shown}"
    except IsADirectoryError:
        message = f"is a directory, not a file: {shown}"
    except Exception as exc:  # pandas raises many types for unreadable files
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        message = f"cannot read {shown} as {suffix[1:] or 'csv'}: {first}"
    problems.append(scenario_source.problem(at_key, message))
    return None


def _check_columns(
    columns: list[str], known: set[str], shown: str, problems: list[Problem]
) -> bool:
    """Report unknown columns; False when the required `id` column is missing."""
    for col in columns:
        if col not in known:
            hint = did_you_mean(col, sorted(known))
            problems.append(
                Problem(shown, 1, f"column '{col}'", f"unknown column (not a field or skill){hint}")
            )
    if "id" not in columns:
        problems.append(Problem(shown, 1, "column 'id'", "is required, got no such column"))
        return False
    return True


def _candidate_rows(
    records: list[dict[Any, Any]],
    skills: tuple[str, ...],
    known: set[str],
    source: RowSourceMap,
) -> list[dict[str, Any]]:
    """The non-blank records as candidate mappings, each cell's line kept in `source`."""
    rows: list[dict[str, Any]] = []
    for offset, record in enumerate(records):
        if all(str(v).strip() == "" for v in record.values()):
            continue  # a blank row (kept by the reader so that line numbers stay true)
        line = offset + 2  # the header is line 1
        index = len(rows)
        source.lines[(index,)] = line
        row: dict[str, Any] = {}
        levels: dict[str, Any] = {}
        for key, raw in record.items():
            col = str(key)
            value = str(raw).strip()
            if value == "" or col not in known:
                continue
            source.lines[(index, col)] = line
            if col in skills:
                levels[col] = _number(value)
            elif col == "roles":
                row["roles"] = [r.strip() for r in value.split(";") if r.strip()]
            elif col in {"cost", "availability"}:
                row[col] = _number(value)
            elif col in {"internal", "exclude"}:
                row[col] = _boolean(value)
            else:
                row[col] = value
        if levels:
            row["skills"] = levels
            source.lines[(index, "skills")] = line
        rows.append(row)
    return rows


_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def _number(text: str) -> Any:
    """A cell as a number when it reads as one, else the text (for pydantic to refuse).

    `140,000` is read with a thousands separator; `3,5` (a decimal comma) is refused.
    """
    try:
        value = float(text.replace(",", "")) if _THOUSANDS.fullmatch(text) else float(text)
    except ValueError:
        return text
    if math.isnan(value):
        return text
    return int(value) if value.is_integer() else value


_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}


def _boolean(text: str) -> Any:
    """A cell as true/false when it reads as one, else the text (for pydantic to refuse)."""
    low = text.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    return text


# ---- the whole file ---------------------------------------------------------------------


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file (YAML or JSON) into an immutable `Scenario`.

    Candidates from `candidates_file` (CSV or XLSX, relative to the scenario) are merged
    after the inline `candidates`. Raises `ScenarioError` listing every problem found.
    """
    path = Path(path)
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError([Problem(shown, 0, "", "file not found")]) from None
    except IsADirectoryError:
        raise ScenarioError([Problem(shown, 0, "", "is a directory, expected a file")]) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError([Problem(shown, 0, "", f"is not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(shown, 0, "", f"cannot be read: {exc.strerror}")]) from None
    return parse_scenario(text, shown, base_dir=path.parent)


def parse_scenario(text: str, shown: str = "<scenario>", base_dir: Path | None = None) -> Scenario:
    """Validate scenario text; `shown` names the file in messages."""
    source = SourceMap(shown)
    data, problems = read_yaml(text, source)
    if data is None and problems:
        raise ScenarioError(problems)
    if not isinstance(data, dict):
        raise ScenarioError(
            [Problem(shown, 1, "", f"must be a mapping of scenario keys, got {_shown(data)}")]
        )

    file_rows: list[dict[str, Any]] = []
    file_source: SourceMap | None = None
    cfile = data.get("candidates_file")
    if isinstance(cfile, str) and cfile.strip():
        skills = data.get("skills")
        skill_names = tuple(str(s) for s in skills) if isinstance(skills, list) else None
        from orgplan.scenario.format import DEFAULT_SKILLS

        cpath = (base_dir or Path(".")) / cfile
        file_rows, file_source = read_candidates_file(
            cpath, skill_names or DEFAULT_SKILLS, problems, source
        )

    inline = data.get("candidates")
    if "candidates" not in data and "candidates_file" not in data:
        problems.append(
            source.problem(("candidates",), "is required when no candidates_file is given")
        )

    problems.extend(cross_check(data, file_rows, source, file_source))

    # Candidates from the file are validated one by one, so each problem names its row.
    file_candidates: list[Candidate] = []
    if file_source is not None:
        for index, row in enumerate(file_rows):
            try:
                file_candidates.append(Candidate.model_validate(row))
            except ValidationError as exc:
                problems.extend(pydantic_problems(exc, Candidate, file_source, (index,)))

    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, Scenario, source))
        raise ScenarioError(problems) from None
    if problems:
        raise ScenarioError(problems)
    if file_candidates:
        merged = (*(scenario.candidates if isinstance(inline, list) else ()), *file_candidates)
        scenario = scenario.model_copy(update={"candidates": merged})
    return scenario
