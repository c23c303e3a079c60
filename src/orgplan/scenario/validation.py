"""Checks that span a scenario file: references between sections and duplicate ids.

They run on the raw parsed values, before (and whatever the outcome of) the typed
validation, so that one run reports every problem; values of the wrong shape are left to
the typed validation and skipped here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from orgplan.errors import Problem
from orgplan.scenario.decisions import unknown
from orgplan.scenario.format import BUILTIN_BACKGROUNDS, DEFAULT_SKILLS

if TYPE_CHECKING:
    from orgplan.scenario.source import Loc, SourceMap


def _names(value: Any) -> list[str]:
    """The text entries of a list (others are the typed validation's business)."""
    return [str(v) for v in value] if isinstance(value, list) else []


class _Checker:
    """Collects cross-reference problems of one file."""

    def __init__(self, data: dict[str, Any], source: SourceMap) -> None:
        self.data = data
        self.source = source
        self.problems: list[Problem] = []
        self.unknown_skills: set[str] = set()
        skills = data.get("skills")
        self.skills: list[str] | None = list(DEFAULT_SKILLS)
        if skills is not None:
            self.skills = _names(skills) if isinstance(skills, list) else None
        # None when the section itself is malformed: references to it are then not checked
        # (the typed validation reports the section), rather than all reported unknown.
        roles = data.get("roles")
        self.roles: list[str] | None = [str(r) for r in roles] if isinstance(roles, dict) else None
        resps = data.get("responsibilities")
        self.resp_ids: list[str] | None = (
            [str(r["id"]) for r in resps if isinstance(r, dict) and "id" in r]
            if isinstance(resps, list)
            else None
        )
        # The horizon's period labels; [] without a horizon, None when it is malformed.
        horizon = data.get("horizon")
        self.has_horizon = horizon is not None
        self.periods: list[str] | None = []
        if isinstance(horizon, dict):
            labels = horizon.get("periods")
            self.periods = _names(labels) if isinstance(labels, list) else None
        elif horizon is not None:
            self.periods = None
        backgrounds = data.get("backgrounds")
        extra = [str(b) for b in backgrounds] if isinstance(backgrounds, dict) else []
        self.backgrounds = [*BUILTIN_BACKGROUNDS, *extra]

    def add(self, loc: Loc, message: str, source: SourceMap | None = None) -> None:
        self.problems.append((source or self.source).problem(loc, message))

    def known(
        self,
        loc: Loc,
        value: Any,
        choices: list[str] | None,
        what: str,
        source: SourceMap | None = None,
    ) -> None:
        """`value` must be one of `choices`."""
        if value is None or isinstance(value, dict | list) or choices is None:
            return  # the value, or the section it refers to, has the wrong shape: typed errors
        if str(value) not in choices:
            if what == "skill":
                self.unknown_skills.add(str(value))
            # a duplicated id is reported elsewhere
            self.add(loc, unknown(what, str(value), choices), source)

    def skill_keys(self, loc: Loc, levels: Any, source: SourceMap | None = None) -> None:
        """Every key of a skill -> level mapping must be a skill of the file."""
        if isinstance(levels, dict):
            for skill in levels:
                self.known((*loc, skill), skill, self.skills, "skill", source)

    def role_refs(self, loc: Loc, roles: Any, source: SourceMap | None = None) -> None:
        if isinstance(roles, list):
            for i, role in enumerate(roles):
                self.known((*loc, i), role, self.roles, "role", source)

    def unique(self, loc: Loc, items: Any, what: str, source: SourceMap | None = None) -> None:
        """Ids in a list of mappings must be unique."""
        if not isinstance(items, list):
            return
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if isinstance(item, dict) and "id" in item:
                key = str(item["id"])
                if key in seen:
                    first = (source or self.source).line((*loc, seen[key]))
                    self.add(
                        (*loc, i, "id"),
                        f"duplicate {what} id '{key}' (first on line {first})",
                        source,
                    )
                else:
                    seen[key] = i

    def period_ref(self, loc: Loc, value: Any, key: str, source: SourceMap | None = None) -> None:
        """A period named by `key` must be one of the horizon's; without a horizon there
        is nothing to name (time keys that only tune the plan are left without effect)."""
        if not self.has_horizon:
            self.add(
                loc,
                "needs a horizon: the scenario has no horizon whose periods it could name; "
                f"add horizon.periods or drop {key}",
                source,
            )
            return
        self.known(loc, value, self.periods, "period", source)

    # ---- sections ---------------------------------------------------------------------

    def check_horizon(self) -> None:
        """The horizon's period labels are unique (each names one period)."""
        horizon = self.data.get("horizon")
        labels = horizon.get("periods") if isinstance(horizon, dict) else None
        if not isinstance(labels, list):
            return
        seen: dict[str, int] = {}
        for i, label in enumerate(labels):
            if isinstance(label, dict | list):
                continue
            if str(label) in seen:
                first = self.source.line(("horizon", "periods", seen[str(label)]))
                self.add(
                    ("horizon", "periods", i),
                    f"duplicate period '{label}' (first on line {first})",
                )
            seen.setdefault(str(label), i)

    def check_work_periods(self, loc: Loc, periods: Any) -> None:
        """A responsibility's `periods` name periods of the horizon, each once."""
        if not isinstance(periods, list) or not periods:
            return  # null: every period; an empty list or another shape: typed errors
        if not self.has_horizon:
            self.period_ref(loc, periods, "periods")
            return
        seen: set[str] = set()
        for i, label in enumerate(periods):
            self.known((*loc, i), label, self.periods, "period")
            if not isinstance(label, dict | list) and str(label) in seen:
                self.add((*loc, i), f"must name different periods, got '{label}' twice")
            seen.add(str(label))

    def check_skills(self) -> None:
        skills = self.data.get("skills")
        if isinstance(skills, list):
            seen: set[str] = set()
            for i, skill in enumerate(skills):
                if str(skill) in seen:
                    self.add(("skills", i), f"duplicate skill '{skill}'")
                seen.add(str(skill))

    def note_default_skills(self, also: Iterable[str]) -> None:
        """Once: a `skills` list replaces the defaults, which the file still uses."""
        used = self.unknown_skills | set(also)
        missing = [s for s in DEFAULT_SKILLS if s in used]
        if not missing or self.skills is None or self.data.get("skills") is None:
            return
        self.add(
            ("skills",),
            f"replaces the default skills, and the file still uses {len(missing)} of them "
            f"({', '.join(missing)}); add them to the list to keep them",
        )

    def check_roles(self) -> None:
        roles = self.data.get("roles")
        if not isinstance(roles, dict):
            return
        for rid, role in roles.items():
            if not isinstance(role, dict):
                continue
            self.skill_keys(("roles", rid, "floors"), role.get("floors"))
            profile = role.get("hire_profile")
            self.skill_keys(("roles", rid, "hire_profile"), profile)
            floors = role.get("floors")
            if isinstance(profile, dict) and isinstance(floors, dict):
                for skill, floor in floors.items():
                    has = profile.get(skill, 0)
                    if _num(has) is not None and _num(floor) is not None and has < floor:
                        self.add(
                            ("roles", rid, "hire_profile", skill),
                            f"must meet the role's floor {floor} (an open-requisition hire "
                            f"must be able to hold the seat), got {has}",
                        )

    def check_responsibilities(self) -> None:
        resps = self.data.get("responsibilities")
        self.unique(("responsibilities",), resps, "responsibility")
        for i, resp in enumerate(resps if isinstance(resps, list) else []):
            if not isinstance(resp, dict):
                continue
            self.skill_keys(("responsibilities", i, "needs"), resp.get("needs"))
            self.role_refs(("responsibilities", i, "roles"), resp.get("roles"))
            self.check_work_periods(("responsibilities", i, "periods"), resp.get("periods"))

    def check_couplings(self) -> None:
        couplings = self.data.get("couplings")
        seen: dict[frozenset[str], int] = {}
        for i, coupling in enumerate(couplings if isinstance(couplings, list) else []):
            if not isinstance(coupling, dict):
                continue
            between = coupling.get("between")
            if not isinstance(between, list) or len(between) != 2:
                continue
            for k, rid in enumerate(between):
                self.known(("couplings", i, "between", k), rid, self.resp_ids, "responsibility")
            a, b = (str(x) for x in between)
            if a == b:
                self.add(
                    ("couplings", i, "between"),
                    f"must name two different responsibilities, got '{a}' coupled with itself",
                )
                continue
            pair = frozenset((a, b))
            if pair in seen:
                first = self.source.line(("couplings", seen[pair]))
                self.add(
                    ("couplings", i, "between"),
                    f"{a} and {b} are already coupled on line {first}; give one coupling "
                    "with the total cost",
                )
            seen.setdefault(pair, i)

    def check_backgrounds(self) -> None:
        backgrounds = self.data.get("backgrounds")
        if isinstance(backgrounds, dict):
            for name, levels in backgrounds.items():
                self.skill_keys(("backgrounds", name), levels)

    def check_candidate(
        self, loc: Loc, cand: dict[str, Any], source: SourceMap | None = None
    ) -> None:
        self.known(
            (*loc, "background"), cand.get("background"), self.backgrounds, "background", source
        )
        self.skill_keys((*loc, "skills"), cand.get("skills"), source)
        roles = cand.get("roles")
        self.role_refs((*loc, "roles"), roles, source)
        start = cand.get("available_from")
        if start is not None and not isinstance(start, dict | list):
            self.period_ref((*loc, "available_from"), start, "available_from", source)
        fixed = cand.get("fixed_role")
        if fixed is not None:
            self.known((*loc, "fixed_role"), fixed, self.roles, "role", source)
            if (
                isinstance(roles, list)
                and self.roles is not None
                and str(fixed) in self.roles
                and str(fixed) not in [str(r) for r in roles]
            ):
                self.add(
                    (*loc, "fixed_role"),
                    f"must be one of the candidate's roles {[str(r) for r in roles]}, "
                    f"got '{fixed}'",
                    source,
                )
            if cand.get("exclude") is True:
                self.add(
                    (*loc, "exclude"),
                    "cannot be true for a candidate with a fixed_role (must be placed and "
                    "never placed), got true",
                    source,
                )

    def check_candidates(self, file_rows: list[dict[str, Any]], file_source: Any) -> None:
        inline = self.data.get("candidates")
        inline_list = inline if isinstance(inline, list) else []
        self.unique(("candidates",), inline_list, "candidate")
        ids: dict[str, str] = {}
        for i, cand in enumerate(inline_list):
            if isinstance(cand, dict):
                self.check_candidate(("candidates", i), cand)
                if "id" in cand:
                    ids.setdefault(str(cand["id"]), f"line {self.source.line(('candidates', i))}")
        if file_source is None:
            return
        self.unique((), file_rows, "candidate", file_source)
        for i, row in enumerate(file_rows):
            self.check_candidate((i,), row, file_source)
            rid = str(row.get("id"))
            if rid in ids and not ids[rid].startswith(file_source.file):
                self.add(
                    (i, "id"),
                    f"duplicate candidate id '{rid}' (also in the scenario, {ids[rid]})",
                    file_source,
                )

    def check_structures(self) -> None:
        structures = self.data.get("structures")
        if not isinstance(structures, dict):
            return
        for name, structure in structures.items():
            if not isinstance(structure, dict):
                continue
            roles = structure.get("roles")
            if isinstance(roles, dict):
                for role in roles:
                    self.known(("structures", name, "roles", role), role, self.roles, "role")
            else:
                self.role_refs(("structures", name, "roles"), roles)


def _num(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def cross_check(
    data: dict[str, Any],
    file_rows: list[dict[str, Any]],
    source: SourceMap,
    file_source: SourceMap | None,
    pool_skills: Iterable[str] = (),
) -> list[Problem]:
    """Every cross-reference problem of a parsed scenario and its candidate file rows;
    `pool_skills`: default skills the candidates file has columns for but `skills` lacks."""
    checker = _Checker(data, source)
    checker.check_skills()
    checker.check_horizon()
    checker.check_roles()
    checker.check_responsibilities()
    checker.check_couplings()
    checker.check_backgrounds()
    checker.check_candidates(file_rows, file_source)
    checker.check_structures()
    checker.note_default_skills(pool_skills)
    return checker.problems
