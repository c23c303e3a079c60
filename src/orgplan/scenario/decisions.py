"""Decisions with where each came from: merged from several sources, checked against the
scenario (docs/scenario-format.md, "Decisions").

A decision may come from the scenario's own `decisions` section, a decisions file
(`--decisions FILE`, YAML or a reviewed workbook), or a command-line flag (`--place`,
`--exclude`, `--assign`). Each entry keeps its `Origin`, so that a contradiction names
both sides and where each was given. `merge` lays the sources given on the command line
over the scenario's own (one decision per candidate and per responsibility; the groups
add up) and refuses contradictions between them; `check` refuses decisions that contradict
each other or the rest of the scenario (unknown ids, a candidate both placed and excluded,
an `assign` to someone not eligible for that work, more work than any seat holds).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from orgplan.errors import Problem
from orgplan.formatting import article, hours
from orgplan.scenario.format import Candidate, Decisions, Responsibility, Scenario
from orgplan.scenario.levels import EPS, candidate_levels, is_eligible, meets_floors
from orgplan.scenario.source import did_you_mean

# A decision's key: ("place", candidate), ("exclude", candidate), ("assign", responsibility)
# or ("keep_together", member, member, ...).
Key = tuple[str, ...]

COMMAND_LINE = "command line"


@dataclass(frozen=True)
class Origin:
    """Where one decision (or a candidate) was given: a file and line, and the field
    (`decisions.place.raj`, `--place raj=TPM`, `Team!P5`)."""

    file: str
    line: int
    path: str

    def problem(self, message: str) -> Problem:
        """A problem located here."""
        return Problem(self.file, self.line, self.path, message)

    def shown(self, beside: Origin | None = None) -> str:
        """How a message given at `beside` names this place: `line 12 (decisions.place.raj)`
        in the same file, else with the file (`--place raj=TPM` on the command line)."""
        if self.file == COMMAND_LINE:
            return self.path
        if beside is not None and beside.file == self.file:
            return f"{self.path}, line {self.line}" if self.line else self.path
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{self.path} in {where}" if self.path else where


@dataclass(frozen=True)
class Sourced:
    """Decisions and the origin of each; `candidates`: where each candidate is defined
    (for a contradiction with the candidate's own fixed_role, exclude or roles)."""

    decisions: Decisions = Decisions()
    origins: Mapping[Key, Origin] = field(default_factory=lambda: MappingProxyType({}))
    candidates: Mapping[str, Origin] = field(default_factory=lambda: MappingProxyType({}))

    def origin(self, key: Key) -> Origin:
        """Where the decision `key` was given (the decisions section when unknown)."""
        return self.origins.get(key) or Origin("<decisions>", 0, ".".join(key))


def group_key(group: Iterable[str]) -> Key:
    """The key of a keep_together group."""
    return ("keep_together", *group)


# ---- sources ----------------------------------------------------------------------------


def from_flags(
    place: Sequence[str] = (), exclude: Sequence[str] = (), assign: Sequence[str] = ()
) -> tuple[Sourced, list[Problem]]:
    """The decisions of `--place ID=ROLE`, `--exclude ID` and `--assign RESP=ID`, and the
    problems of the flags that are not of that shape."""
    problems: list[Problem] = []
    origins: dict[Key, Origin] = {}
    places: dict[str, str] = {}
    assigns: dict[str, str] = {}
    excluded: list[str] = []

    def pair(flag: str, value: str, shape: str) -> tuple[str, str] | None:
        origin = Origin(COMMAND_LINE, 0, f"{flag} {value}")
        left, sep, right = value.partition("=")
        if not sep or not left.strip() or not right.strip() or "=" in right:
            problems.append(origin.problem(f"must be {shape}, got '{value}'"))
            return None
        return left.strip(), right.strip()

    for value in place:
        found = pair("--place", value, "CANDIDATE=ROLE, e.g. raj=TPM")
        if found is not None:
            _given(places, origins, "place", found, Origin(COMMAND_LINE, 0, f"--place {value}"))
            problems.extend(_twice(places, origins, "place", found, value, "--place"))
    for value in assign:
        found = pair("--assign", value, "RESPONSIBILITY=CANDIDATE, e.g. pricing=maya")
        if found is not None:
            _given(assigns, origins, "assign", found, Origin(COMMAND_LINE, 0, f"--assign {value}"))
            problems.extend(_twice(assigns, origins, "assign", found, value, "--assign"))
    for value in exclude:
        cid = value.strip()
        if not cid:
            problems.append(Origin(COMMAND_LINE, 0, "--exclude").problem("must name a candidate"))
            continue
        if cid not in excluded:
            excluded.append(cid)
            origins["exclude", cid] = Origin(COMMAND_LINE, 0, f"--exclude {value}")
    decisions = Decisions.model_validate(
        {"place": places, "exclude": excluded, "assign": assigns}, strict=False
    )
    return Sourced(decisions, MappingProxyType(origins)), problems


def _given(
    into: dict[str, str], origins: dict[Key, Origin], kind: str, found: tuple[str, str], at: Origin
) -> None:
    key, value = found
    if key not in into:
        into[key] = value
        origins[kind, key] = at


def _twice(
    into: dict[str, str],
    origins: dict[Key, Origin],
    kind: str,
    found: tuple[str, str],
    value: str,
    flag: str,
) -> list[Problem]:
    """A flag that gives its key a second, different value."""
    key, new = found
    if into[key] == new:
        return []
    here = Origin(COMMAND_LINE, 0, f"{flag} {value}")
    return [here.problem(_clash(kind, key, new, into[key], origins[kind, key], here))]


def _clash(kind: str, key: str, new: str, old: str, other: Origin, here: Origin) -> str:
    """Two sources that decide one thing two ways."""
    what = "placed as" if kind == "place" else "assigned to"
    quote = "" if kind == "place" else "'"
    return (
        f"'{key}' is {what} {quote}{new}{quote} here and {what} {quote}{old}{quote} by "
        f"{other.shown(here)}: give one decision"
    )


def section(decisions: Decisions, line: Any, file: str) -> Sourced:
    """The decisions of a scenario's own `decisions` section, located by `line(loc)`."""
    origins: dict[Key, Origin] = {}

    def at(*loc: str | int) -> Origin:
        path = "decisions" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)
        return Origin(file, line(("decisions", *loc)), path)

    for cid in decisions.place:
        origins["place", cid] = at("place", cid)
    for i, cid in enumerate(decisions.exclude):
        origins.setdefault(("exclude", cid), at("exclude", i))
    for rid in decisions.assign:
        origins["assign", rid] = at("assign", rid)
    for i, group in enumerate(decisions.keep_together):
        origins.setdefault(group_key(group), at("keep_together", i))
    return Sourced(decisions, MappingProxyType(origins))


# ---- merging ----------------------------------------------------------------------------


def merge(base: Sourced, extras: Sequence[Sourced]) -> tuple[Sourced, list[Problem]]:
    """`extras` (decision files and flags, in order) laid over `base` (the scenario's own
    section): a decision about a candidate (placed or excluded) or a responsibility
    (assigned) replaces the base's about the same one; groups add up. Two extras that
    decide one thing two ways are a problem each (both sides named)."""
    problems: list[Problem] = []
    who: dict[str, tuple[Key, str, Origin]] = {}  # candidate -> its decision, value, origin
    owners: dict[str, tuple[str, Origin]] = {}
    groups: dict[Key, Origin] = {}
    for extra in extras:
        d = extra.decisions
        for cid, role in d.place.items():
            _claim(who, cid, ("place", cid), role, extra.origin(("place", cid)), problems)
        for cid in d.exclude:
            _claim(who, cid, ("exclude", cid), "", extra.origin(("exclude", cid)), problems)
        for rid, cid in d.assign.items():
            here = extra.origin(("assign", rid))
            if rid in owners and owners[rid][0] != cid:
                old, other = owners[rid]
                problems.append(here.problem(_clash("assign", rid, cid, old, other, here)))
            owners.setdefault(rid, (cid, here))
        for group in d.keep_together:
            groups.setdefault(group_key(group), extra.origin(group_key(group)))
    b = base.decisions
    origins: dict[Key, Origin] = {}
    place: dict[str, str] = {}
    exclude: list[str] = []
    for cid, role in b.place.items():
        if cid not in who:
            place[cid] = role
            origins["place", cid] = base.origin(("place", cid))
    for cid in b.exclude:
        if cid not in who:
            exclude.append(cid)
            origins["exclude", cid] = base.origin(("exclude", cid))
    for cid, (key, role, origin) in who.items():
        if key[0] == "place":
            place[cid] = role
        else:
            exclude.append(cid)
        origins[key] = origin
    assign = {rid: cid for rid, cid in b.assign.items() if rid not in owners}
    origins.update({("assign", rid): base.origin(("assign", rid)) for rid in assign})
    for rid, (cid, origin) in owners.items():
        assign[rid] = cid
        origins["assign", rid] = origin
    together: list[tuple[str, ...]] = []
    for group in b.keep_together:
        if group not in together:
            together.append(group)
            origins.setdefault(group_key(group), base.origin(group_key(group)))
    for key, origin in groups.items():
        if key[1:] not in together:
            together.append(key[1:])
            origins[key] = origin
    decisions = Decisions.model_validate(
        {"place": place, "exclude": exclude, "assign": assign, "keep_together": together},
        strict=False,
    )
    return Sourced(decisions, MappingProxyType(origins), base.candidates), problems


def _claim(
    who: dict[str, tuple[Key, str, Origin]],
    cid: str,
    key: Key,
    role: str,
    here: Origin,
    problems: list[Problem],
) -> None:
    """One source's decision about candidate `cid`; a different one of an earlier source
    is a problem."""
    if cid not in who:
        who[cid] = (key, role, here)
        return
    old_key, old_role, other = who[cid]
    if (old_key[0], old_role) == (key[0], role):
        return
    problems.append(
        here.problem(
            f"'{cid}' is {_about(key, role)} here and {_about(old_key, old_role)} by "
            f"{other.shown(here)}: give one decision"
        )
    )


def _about(key: Key, role: str) -> str:
    return f"placed as {role}" if key[0] == "place" else "excluded"


# ---- checking ---------------------------------------------------------------------------


def unknown(what: str, value: str, choices: Sequence[str]) -> str:
    """`unknown role 'TMP' (did you mean 'TPM'?); expected one of: PM, TPM`."""
    choices = list(dict.fromkeys(choices))
    shown = ", ".join(choices) if len(choices) <= 12 else f"{len(choices)} defined"
    return f"unknown {what} '{value}'{did_you_mean(value, choices)}; expected one of: {shown}"


class _Check:
    """Every problem of one set of decisions against one scenario."""

    def __init__(self, scenario: Scenario, sourced: Sourced) -> None:
        self.scenario = scenario
        self.sourced = sourced
        self.d = sourced.decisions
        self.cands = {c.id: c for c in scenario.candidates}
        self.resps = {r.id: r for r in scenario.responsibilities}
        self.problems: list[Problem] = []

    def at(self, key: Key) -> Origin:
        return self.sourced.origin(key)

    def add(self, key: Key, message: str) -> None:
        self.problems.append(self.at(key).problem(message))

    def where(self, cid: str, beside: Key) -> str:
        """Where candidate `cid` is defined, as a message at `beside` names it."""
        origin = self.sourced.candidates.get(cid)
        return f" ({origin.shown(self.at(beside))})" if origin is not None else ""

    def known(self, key: Key, value: str, choices: Mapping[str, Any], what: str) -> bool:
        if value in choices:
            return True
        self.add(key, unknown(what, value, list(choices)))
        return False

    def run(self) -> list[Problem]:
        d, roles = self.d, self.scenario.roles
        places = {
            cid: role
            for cid, role in d.place.items()
            if self.known(("place", cid), cid, self.cands, "candidate")
            and self.known(("place", cid), role, roles, "role")
        }
        excluded = [
            cid for cid in d.exclude if self.known(("exclude", cid), cid, self.cands, "candidate")
        ]
        assigns = {
            rid: cid
            for rid, cid in d.assign.items()
            if self.known(("assign", rid), rid, self.resps, "responsibility")
            and self.known(("assign", rid), cid, self.cands, "candidate")
        }
        groups = [g for g in d.keep_together if self.group_ok(g)]
        for cid, role in places.items():
            self.check_place(cid, role, cid in excluded)
        for cid in excluded:
            fixed = self.cands[cid].fixed_role
            if fixed is not None:
                self.add(
                    ("exclude", cid),
                    f"'{cid}' is excluded here, but has fixed_role {fixed}"
                    f"{self.where(cid, ('exclude', cid))}: drop one of the two",
                )
        for rid, cid in assigns.items():
            self.check_assign(rid, cid, places.get(cid), cid in excluded)
        self.check_groups(groups, assigns)
        self.check_loads(places, assigns, groups, excluded)
        return self.problems

    def group_ok(self, group: tuple[str, ...]) -> bool:
        key = group_key(group)
        ok = all([self.known(key, rid, self.resps, "responsibility") for rid in group])
        twice = [rid for rid in dict.fromkeys(group) if group.count(rid) > 1]
        if twice:
            self.add(key, f"must name different responsibilities, got '{twice[0]}' twice")
            return False
        return ok

    def check_place(self, cid: str, role: str, excluded: bool) -> None:
        key: Key = ("place", cid)
        cand = self.cands[cid]
        if excluded:
            self.add(
                ("exclude", cid),
                f"'{cid}' is excluded here and placed as {role} by "
                f"{self.at(key).shown(self.at(('exclude', cid)))}: keep one of the two",
            )
        if cand.exclude:
            self.add(
                key,
                f"'{cid}' is placed as {role} here, but the candidate has exclude: true"
                f"{self.where(cid, key)}",
            )
        if cand.fixed_role is not None and cand.fixed_role != role:
            self.add(
                key,
                f"'{cid}' is placed as {role} here, but has fixed_role {cand.fixed_role}"
                f"{self.where(cid, key)}",
            )
        if cand.roles is not None and role not in cand.roles:
            self.add(
                key,
                f"'{cid}' is placed as {role} here, but takes only {', '.join(cand.roles)}"
                f"{self.where(cid, key)}",
            )
            return
        floors = self.scenario.roles[role].floors
        levels = candidate_levels(cand, self.scenario)
        if not meets_floors(levels, floors):
            self.add(
                key,
                f"'{cid}' is placed as {role} here, but misses the floors of {role}: "
                + _short(levels, floors, 0.0),
            )

    def holdable(self, cand: Candidate, placed: str | None) -> list[str]:
        """The roles `cand` could hold (their decided role alone when placed)."""
        if placed is not None:
            return [placed]
        levels = candidate_levels(cand, self.scenario)
        wanted = cand.roles if cand.roles is not None else tuple(self.scenario.roles)
        return [
            r
            for r in self.scenario.roles
            if r in wanted and meets_floors(levels, self.scenario.roles[r].floors)
        ]

    def owner_problem(self, rid: str, cid: str, placed: str | None, via: str = "") -> str | None:
        """Why `cid` cannot own `rid` at all (skills or seats), or None."""
        cand, resp = self.cands[cid], self.resps[rid]
        levels = candidate_levels(cand, self.scenario)
        gap = self.scenario.policy.max_skill_gap
        if not is_eligible(levels, resp.needs, gap):
            return (
                f"'{cid}' is not eligible for '{rid}'{via}: {_short(levels, resp.needs, gap)} "
                f"(max_skill_gap {gap:g})"
            )
        allowed = resp.roles if resp.roles is not None else tuple(self.scenario.roles)
        holdable = self.holdable(cand, placed)
        if not any(r in allowed for r in holdable):
            if placed is not None:
                held = f"is placed as {placed} by {self.at(('place', cid)).shown()}"
            elif holdable:
                held = f"can hold only {' or '.join(holdable)}"
            else:
                held = "can hold no seat (meets the floors of no role they take)"
            seat = f"{article(allowed[0])} {' or '.join(allowed)} seat" if allowed else "no seat"
            return f"'{rid}' may only be owned from {seat}{via}, and '{cid}' {held}"
        return None

    def check_assign(self, rid: str, cid: str, placed: str | None, excluded: bool) -> None:
        key: Key = ("assign", rid)
        cand = self.cands[cid]
        if excluded or cand.exclude:
            other = (
                self.at(("exclude", cid)).shown(self.at(key))
                if excluded
                else f"exclude: true{self.where(cid, key)}"
            )
            self.add(key, f"'{rid}' is assigned to '{cid}' here, who is excluded by {other}")
            return
        found = self.owner_problem(rid, cid, placed) or self.late_start(rid, cid)
        if found is not None:
            self.add(key, f"'{rid}' is assigned to '{cid}' here, but {found}")

    def late_start(self, rid: str, cid: str) -> str | None:
        """An assigned owner holds the work in every period it exists, so they must be
        able to start by its first period: why `cid` cannot, or None."""
        labels = self.scenario.period_labels()
        start = self.cands[cid].available_from
        if self.scenario.horizon is None or start is None or start not in labels:
            return None
        first = next((t for t, x in enumerate(labels) if _exists(self.resps[rid], x)), None)
        if first is None or labels.index(start) <= first:
            return None
        return (
            f"'{rid}' exists from {labels[first]} and '{cid}' is available only from "
            f"{start}{self.where(cid, ('assign', rid))}"
        )

    def check_groups(self, groups: list[tuple[str, ...]], assigns: Mapping[str, str]) -> None:
        for group in groups:
            key = group_key(group)
            owners = {rid: assigns[rid] for rid in group if rid in assigns}
            if len(set(owners.values())) > 1:
                (a, x), (b, y) = list(owners.items())[:2]
                if x == y:
                    b, y = next((r, c) for r, c in owners.items() if c != x)
                self.add(
                    key,
                    f"keeps {', '.join(group)} together, but '{a}' is assigned to '{x}' "
                    f"({self.at(('assign', a)).shown(self.at(key))}) and '{b}' to '{y}' "
                    f"({self.at(('assign', b)).shown(self.at(key))})",
                )

    def check_loads(
        self,
        places: Mapping[str, str],
        assigns: Mapping[str, str],
        groups: list[tuple[str, ...]],
        excluded: list[str],
    ) -> None:
        """The work each candidate must own (assigned, and kept with what is assigned):
        they can own each piece, and some seat of theirs holds it all."""
        of: dict[str, list[str]] = {}
        for rid, cid in assigns.items():
            if cid in excluded or self.cands[cid].exclude:
                continue
            of.setdefault(cid, []).append(rid)
        for cid, owned in of.items():
            work = list(owned)
            for group in groups:
                if set(group) & set(owned):
                    for rid in group:
                        if rid not in work and rid not in assigns:
                            work.append(rid)
                            via = f" (kept together with '{next(iter(set(group) & set(owned)))}')"
                            found = self.owner_problem(rid, cid, places.get(cid), via)
                            if found is not None:
                                self.add(
                                    group_key(group),
                                    f"keeps '{rid}' with work assigned to '{cid}', but {found}",
                                )
            # the load of the busiest period (work of different periods does not add up)
            loads = [
                (sum(self.resps[rid].hours for rid in work if _exists(self.resps[rid], t)), t)
                for t in self.scenario.period_labels()
            ]
            total, busiest = max(loads, key=lambda load: load[0])
            when = f" in {busiest}" if self.scenario.horizon is not None else ""
            held = [rid for rid in work if _exists(self.resps[rid], busiest)]
            cand = self.cands[cid]
            caps = [
                self.scenario.roles[r].capacity * cand.availability
                for r in self.holdable(cand, places.get(cid))
                if all(_allows(self.resps[rid], r) for rid in work)
            ]
            if caps and total > max(caps) + EPS:
                last = ("assign", owned[-1])
                self.add(
                    last,
                    f"'{cid}' must own {', '.join(held)} ({hours(total, 'h/week')}{when}), "
                    "more than "
                    f"the {hours(max(caps), 'h/week')} of any seat they may hold",
                )


def _exists(resp: Responsibility, period: str) -> bool:
    """Whether `resp` exists in the period labelled `period` (every period by default)."""
    return resp.periods is None or period in resp.periods


def _allows(resp: Responsibility, role: str) -> bool:
    return resp.roles is None or role in resp.roles


def _short(levels: Mapping[str, float], needs: Mapping[str, float], gap: float) -> str:
    """`negotiation 1 (needs 3)` for every need missed by more than `gap`."""
    return ", ".join(
        f"{skill} {levels.get(skill, 0.0):g} (needs {need:g})"
        for skill, need in needs.items()
        if levels.get(skill, 0.0) + EPS < need - gap
    )


def check(scenario: Scenario, sourced: Sourced) -> list[Problem]:
    """Every problem of `sourced`'s decisions against `scenario`."""
    if not sourced.decisions:
        return []
    return _Check(scenario, sourced).run()
