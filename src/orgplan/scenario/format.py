"""The scenario: typed, immutable models of format v1 (see docs/scenario-format.md).

The pydantic models here check types, ranges and unknown keys of one file. Checks that
span the file (references between sections, duplicate ids) live in `validation.py`, and
reading files (YAML with line numbers, candidate CSV/XLSX) in `loading.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
)

DEFAULT_SKILLS: tuple[str, ...] = (
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

# The built-in backgrounds of docs/scenario-format.md ("Backgrounds"), in DEFAULT_SKILLS order.
_BACKGROUND_ROWS: dict[str, tuple[int, ...]] = {
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
BUILTIN_BACKGROUNDS: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        name: MappingProxyType(dict(zip(DEFAULT_SKILLS, map(float, row), strict=True)))
        for name, row in _BACKGROUND_ROWS.items()
    }
)


def _text(value: Any) -> Any:
    """Accept numbers where text is meant (YAML reads `id: 007` as 7); refuse booleans."""
    if isinstance(value, bool):
        return value  # left for pydantic to refuse: `name: no` is a YAML 1.1 trap
    if isinstance(value, int | float):
        return str(value)
    return value


def _as_tuple(value: Any) -> Any:
    """YAML gives lists; the scenario keeps tuples so that it stays immutable."""
    return tuple(value) if isinstance(value, list) else value


def _freeze(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


def _thaw(value: Mapping[str, Any]) -> dict[str, Any]:
    """A frozen mapping as a plain dict, inner mappings too: a dump must pickle (compare's
    workers), and pydantic leaves a read-only mapping inside a returned dict as it is."""
    return {k: _thaw(v) if isinstance(v, Mapping) else v for k, v in value.items()}


def _empty() -> Any:
    """The default of an omitted mapping: empty and read-only."""
    return MappingProxyType({})


Text = Annotated[str, BeforeValidator(_text), Field(min_length=1)]
Level = Annotated[float, Field(ge=0, le=5)]
Levels = Annotated[
    dict[str, Level],
    AfterValidator(_freeze),
    PlainSerializer(_thaw, return_type=dict),
]
# Text about a person the plan does not use (a pool's extra columns: manager, location,
# notes): kept for the reports, header -> cell.
Details = Annotated[
    dict[Text, Text],
    AfterValidator(_freeze),
    PlainSerializer(_thaw, return_type=dict),
]
# Bounds on magnitudes no real scenario has (docs/scenario-format.md, "Ranges"): far beyond
# any team in any currency, well inside what HiGHS and CBC handle exactly (HiGHS refuses a
# coefficient of 1e15 and reads 1e20 as infinite). tests/test_magnitudes.py solves plans
# with every value at its bound.
MAX_COST = 10**12  # a seat's annual cost: a trillion, in currencies of many digits too
MAX_BUDGET = 10**15  # a team's annual cost: a thousand seats at MAX_COST
MAX_HOURS = 168  # hours in a week
MIN_HOURS = 0.01  # less than a minute a week
MAX_PRIORITY = 1000  # priorities are weights relative to each other: 1000 to 1 either way
MIN_PRIORITY = 0.001
MAX_COUPLING = 1000  # a handoff cost, in hours x fit: more than six full-time pieces of work
MAX_OPEN_REQS = 1000  # per role; each one is a person the model may seat
MAX_COUNT = 100_000  # headcount, seats per role, responsibilities or products per seat

MAX_PERIODS = 120  # periods in a horizon: thirty years of quarters
MAX_PERIOD_MONTHS = 120

Money = Annotated[float, Field(ge=0, le=MAX_COST)]
Periods = Annotated[int, Field(ge=0, le=MAX_PERIODS)]
Budget = Annotated[float, Field(ge=0, le=MAX_BUDGET)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Breadth = Annotated[int, Field(ge=1, le=MAX_COUNT)]
Names = Annotated[tuple[Text, ...], BeforeValidator(_as_tuple)]


class Model(BaseModel):
    """Base: strict types, unknown keys refused, instances immutable."""

    # allow_inf_nan: YAML's `.inf`/`.nan` are never a meaningful cost, level or hours.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Role(Model):
    """A kind of seat: Product Manager, Technical PM, ..."""

    title: Text | None = None
    cost: Money
    capacity: float = Field(default=40.0, gt=0, le=MAX_HOURS)
    max_responsibilities: Breadth | None = None
    floors: Levels = Field(default_factory=_empty)
    open_reqs: int = Field(default=0, ge=0, le=MAX_OPEN_REQS)
    hire_profile: Levels | None = None
    # time (format 1.1): periods from opening a requisition to the hire's first day;
    # periods at policy.ramp_capacity after anyone starts in the role; one-off
    # recruiting cost of a requisition
    time_to_hire: Periods = 0
    ramp_up: Periods = 0
    hire_cost: Money = 0.0

    def profile(self) -> Mapping[str, float]:
        """Skills assumed for an open-requisition hire: hire_profile, else the floors."""
        return self.floors if self.hire_profile is None else self.hire_profile


class Responsibility(Model):
    """A piece of product work, owned by exactly one seat or left uncovered."""

    id: Text
    name: Text | None = None
    product: Text | None = None
    hours: float = Field(ge=MIN_HOURS, le=MAX_HOURS)
    needs: Levels = Field(default_factory=_empty)
    roles: Names | None = None
    priority: float = Field(default=1.0, ge=MIN_PRIORITY, le=MAX_PRIORITY)
    # when the work exists (format 1.1), periods of the horizon; None: every period
    periods: Annotated[tuple[Text, ...], BeforeValidator(_as_tuple), Field(min_length=1)] | None = (
        None
    )

    @property
    def label(self) -> str:
        """The name shown in reports."""
        return self.name or self.id


class Coupling(Model):
    """Two responsibilities that suffer when split between people."""

    between: Annotated[tuple[Text, Text], BeforeValidator(_as_tuple)]
    cost: float = Field(default=1.0, gt=0, le=MAX_COUPLING)


class Candidate(Model):
    """A person who could take a seat: an internal mover or an external applicant."""

    id: Text
    name: Text | None = None
    background: Text | None = None
    skills: Levels = Field(default_factory=_empty)
    cost: Money | None = None
    availability: float = Field(default=1.0, gt=0, le=1)
    internal: bool = False
    roles: Names | None = None
    fixed_role: Text | None = None
    exclude: bool = False
    details: Details = Field(default_factory=_empty)
    # time (format 1.1): first period the person can start; one-off cost of replacing an
    # internal mover; the role's ramp_up overridden for this person
    available_from: Text | None = None
    backfill_cost: Money = 0.0
    ramp_up: Periods | None = None

    @property
    def label(self) -> str:
        """The name shown in reports."""
        return self.name or self.id


class Development(Model):
    """Train instead of hire (a project extension of format 1.1, with a horizon only): a
    candidate one level short in a skill may be planned into it from period index
    `periods_per_level` on, at a one-off `cost_per_level` per skill grown."""

    periods_per_level: int = Field(ge=1, le=MAX_PERIODS)
    cost_per_level: Money


class Policy(Model):
    """Team-wide limits."""

    budget: Budget | None = None
    max_headcount: Count | None = None
    max_skill_gap: float = Field(default=1.0, ge=0, le=5)
    coverage: Literal["best_effort", "required"] = "best_effort"
    max_products_per_seat: Breadth | None = None
    # time (format 1.1): people starting a seat in one period; share of capacity while
    # ramping up; cap on the horizon's total spend, one-off costs included
    max_hires_per_period: Breadth | None = None
    ramp_capacity: float = Field(default=0.5, ge=0, le=1)
    spend_budget: Budget | None = None
    # project extensions of format 1.1: the quality cost of one change of owner between
    # periods; growing a skill by one level instead of hiring (off when absent)
    handoff_cost: float = Field(default=1.0, gt=0, le=MAX_COUPLING)
    development: Development | None = None


class Horizon(Model):
    """Periods to plan over (format 1.1), in order; each `period_months` long."""

    periods: Annotated[
        tuple[Text, ...], BeforeValidator(_as_tuple), Field(min_length=1, max_length=MAX_PERIODS)
    ]
    period_months: float = Field(default=3.0, gt=0, le=MAX_PERIOD_MONTHS)


def _role_caps(value: Any) -> Any:
    """A list of roles means no per-role cap."""
    if isinstance(value, list | tuple):
        if not all(isinstance(role, str | int | float) for role in value):
            # a nested list or mapping cannot name a role (nor be a key)
            raise ValueError("must be a list of role ids or a mapping of role id to seats")
        return {role: None for role in value}
    return value


RoleCaps = Annotated[
    dict[Text, Count | None],
    BeforeValidator(_role_caps),
    AfterValidator(_freeze),
    PlainSerializer(_thaw, return_type=dict),
]


class Structure(Model):
    """A team shape: which roles, how many seats of each, and limits it overrides.

    A key left out inherits the scenario's value; `null` lifts the limit.
    """

    roles: RoleCaps
    max_responsibilities: Breadth | None = None
    budget: Budget | None = None
    max_headcount: Count | None = None

    def overrides(self, key: str) -> bool:
        """Whether the file set `key` (to a value or to null) for this structure."""
        return key in self.model_fields_set


def _some_text(value: str) -> str:
    """A path: blank text names no file."""
    if not value.strip():
        raise ValueError("must name a file")
    return value


def _sheet(value: Any) -> Any:
    """A sheet: its name, or its number counted from 1."""
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise ValueError("must be a sheet's name or its number (1 for the first sheet)")


PoolPath = Annotated[
    str, Field(strict=True, json_schema_extra={"pattern": r"\S"}), AfterValidator(_some_text)
]


class CandidatesSource(Model):
    """A candidates file and how to read it: the sheet, the header's row, the columns."""

    path: PoolPath
    sheet: Annotated[
        str | int,
        PlainValidator(
            _sheet,
            json_schema_input_type=Annotated[str, Field(pattern=r"\S")]
            | Annotated[int, Field(ge=1)],
        ),
    ] = 1
    header_row: int = Field(default=1, ge=1)
    columns: Annotated[
        dict[Text, Text | None],
        AfterValidator(_freeze),
        PlainSerializer(_thaw, return_type=dict),
    ] = Field(default_factory=_empty)
    extra_columns: Names = ()


IdMap = Annotated[
    dict[Text, Text],
    AfterValidator(_freeze),
    PlainSerializer(_thaw, return_type=dict),
]
Group = Annotated[tuple[Text, ...], BeforeValidator(_as_tuple), Field(min_length=2)]


class Decisions(Model):
    """Calls the plan must respect (format 1.1): hard limits a reviewer sets.

    `place`: candidate -> role they must hold; `exclude`: candidates never placed;
    `assign`: responsibility -> the candidate who must own it; `keep_together`: groups
    of responsibilities owned by one person, or all uncovered.
    """

    place: IdMap = Field(default_factory=_empty)
    exclude: Names = ()
    assign: IdMap = Field(default_factory=_empty)
    keep_together: Annotated[tuple[Group, ...], BeforeValidator(_as_tuple)] = ()

    def __bool__(self) -> bool:
        return bool(self.place or self.exclude or self.assign or self.keep_together)

    def __reduce__(self) -> Any:
        """Pickled as its JSON (a plan goes back from compare's worker processes; the
        read-only mappings inside do not pickle)."""
        return (Decisions.model_validate, (self.to_json(),))

    def groups(self) -> list[tuple[str, ...]]:
        """The `keep_together` groups with those that share a responsibility merged (kept
        together is transitive), each in the order first given, in the order given."""
        merged: list[list[str]] = []
        for group in self.keep_together:
            members = list(dict.fromkeys(group))
            touching = [i for i, g in enumerate(merged) if set(g) & set(members)]
            if not touching:
                merged.append(members)
                continue
            combined = [x for i in touching for x in merged[i]]
            merged[touching[0]] = list(dict.fromkeys([*combined, *members]))
            for i in reversed(touching[1:]):
                del merged[i]
        return [tuple(g) for g in merged]

    def to_json(self) -> dict[str, Any]:
        """The decisions as the plan JSON records them (every kind, maybe empty)."""
        return {
            "place": dict(self.place),
            "exclude": list(self.exclude),
            "assign": dict(self.assign),
            "keep_together": [list(g) for g in self.keep_together],
        }


class Scenario(Model):
    """A whole scenario file, candidates from `candidates_file` included."""

    name: Text
    description: str | None = None
    currency: Text = "USD"
    skills: Names = DEFAULT_SKILLS
    roles: Annotated[
        dict[Text, Role],
        Field(min_length=1),
        AfterValidator(_freeze),
        PlainSerializer(_thaw, return_type=dict),
    ]
    responsibilities: Annotated[tuple[Responsibility, ...], BeforeValidator(_as_tuple)] = Field(
        min_length=1
    )
    couplings: Annotated[tuple[Coupling, ...], BeforeValidator(_as_tuple)] = ()
    backgrounds: Annotated[
        dict[Text, Levels],
        AfterValidator(_freeze),
        PlainSerializer(_thaw, return_type=dict),
    ] = Field(default_factory=_empty)
    candidates: Annotated[tuple[Candidate, ...], BeforeValidator(_as_tuple)] = ()
    candidates_file: PoolPath | CandidatesSource | None = None
    policy: Policy = Policy()
    structures: Annotated[
        dict[Text, Structure],
        AfterValidator(_freeze),
        PlainSerializer(_thaw, return_type=dict),
    ] = Field(default_factory=_empty)
    decisions: Decisions = Field(default_factory=Decisions)
    horizon: Horizon | None = None

    # ---- lookups used throughout the planner -------------------------------------------

    def all_backgrounds(self) -> Mapping[str, Mapping[str, float]]:
        """The built-in backgrounds with this file's additions and overrides on top."""
        merged: dict[str, dict[str, float]] = {k: dict(v) for k, v in BUILTIN_BACKGROUNDS.items()}
        for name, levels in self.backgrounds.items():
            merged.setdefault(name, {}).update(levels)
        return {k: MappingProxyType(v) for k, v in merged.items()}

    def responsibility(self, rid: str) -> Responsibility:
        """The responsibility with id `rid`."""
        for resp in self.responsibilities:
            if resp.id == rid:
                return resp
        raise KeyError(rid)

    def candidate(self, cid: str) -> Candidate:
        """The candidate with id `cid`."""
        for cand in self.candidates:
            if cand.id == cid:
                return cand
        raise KeyError(cid)

    def period_labels(self) -> tuple[str, ...]:
        """The horizon's periods; one unnamed period without a horizon."""
        return self.horizon.periods if self.horizon is not None else ("",)

    def all_structures(self) -> dict[str, Structure]:
        """The file's structures, with the built-in `superhero` unless the file defines one."""
        found = dict(self.structures)
        if "superhero" not in found:
            first_role = next(iter(self.roles))
            superhero = Structure.model_validate(
                {"roles": {first_role: 1}, "max_responsibilities": None}
            )
            found = {"superhero": superhero, **found}
        return found
