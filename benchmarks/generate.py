"""Seeded generator of realistic orgplan scenarios for the benchmarks.

A scenario here is what an enterprise product organisation would write (format v1 of
docs/scenario-format.md):

- roles PM, TPM, PMM, Analyst (and SolutionSpecialist from size M on) with floors, costs,
  capacities, breadth caps, open requisitions and hire profiles;
- product lines, each with ~15 responsibilities drawn from the templates below (the list of
  docs/scenario-format.md ("Backgrounds")), with hours and priorities that vary by line;
- couplings inside each product line (pricing-positioning, roadmap-business case,
  backlog-release planning, ...);
- candidates from the built-in backgrounds with individual variation (seniority and noise
  per skill, written as `skills` overrides of the background), costs by background and
  seniority, availability 1.0 / 0.8 / 0.5, internal movers and external applicants, and
  some role preferences;
- a budget and a headcount cap that bind: about 75% and 85% of what covering all the work
  with no limit would take (estimated from hours, breadth caps and the pool's median cost).

Everything is drawn from `random.Random(seed)`: the same size and seed give the same
scenario, byte for byte.

    python benchmarks/generate.py --size M --seed 1 --out /tmp/bench   # YAML + CSV
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orgplan.scenario.format import DEFAULT_SKILLS as SKILLS

# (responsibilities, candidates) per size, as in issue 6.
SIZES: dict[str, tuple[int, int]] = {
    "S": (15, 10),
    "M": (60, 150),
    "L": (150, 500),
    "XL": (300, 1000),
}

PER_LINE = 15  # responsibilities per product line


@dataclass(frozen=True)
class Template:
    """A kind of product work, replicated over product lines."""

    id: str
    name: str
    hours: tuple[int, int]
    needs: dict[str, int]
    roles: tuple[str, ...]
    priority: float
    core: bool = False  # every product line has it


TEMPLATES: tuple[Template, ...] = (
    Template(
        "market_research",
        "Market research and sizing",
        (4, 8),
        {"business": 3, "domain": 3},
        ("Analyst", "PM"),
        2,
    ),
    Template(
        "competitive_analysis",
        "Competitive analysis",
        (2, 5),
        {"business": 3, "domain": 3, "communication": 3},
        ("Analyst", "PMM", "PM"),
        1,
    ),
    Template(
        "customer_discovery",
        "Customer discovery interviews",
        (3, 6),
        {"empathy": 4, "communication": 4, "domain": 3},
        ("PM", "PMM"),
        2,
    ),
    Template(
        "roadmap",
        "Roadmap and prioritisation",
        (6, 10),
        {"decision_making": 4, "domain": 4, "judgement": 4, "business": 3},
        ("PM",),
        3,
        True,
    ),
    Template(
        "business_case",
        "Business case",
        (3, 6),
        {"business": 4, "judgement": 3, "domain": 3},
        ("PM", "Analyst"),
        2,
        True,
    ),
    Template(
        "pricing",
        "Pricing and packaging",
        (3, 6),
        {"business": 4, "negotiation": 3, "judgement": 3},
        ("PM", "PMM"),
        3,
        True,
    ),
    Template(
        "positioning",
        "Positioning and messaging",
        (3, 6),
        {"communication": 4, "domain": 3, "business": 3},
        ("PMM", "PM"),
        2,
        True,
    ),
    Template(
        "launch_planning",
        "Launch planning",
        (3, 6),
        {"communication": 4, "decision_making": 3},
        ("PMM", "PM"),
        2,
    ),
    Template(
        "sales_enablement",
        "Sales enablement",
        (3, 6),
        {"communication": 4, "sales": 3, "domain": 3},
        ("PMM", "SolutionSpecialist"),
        2,
    ),
    Template(
        "analyst_relations",
        "Analyst relations",
        (1, 3),
        {"communication": 4, "domain": 3, "negotiation": 2},
        ("PMM",),
        1,
    ),
    Template(
        "win_loss",
        "Win/loss analysis",
        (2, 4),
        {"business": 3, "empathy": 3, "communication": 3},
        ("Analyst", "PMM"),
        1,
    ),
    Template(
        "requirements",
        "Requirements with engineering",
        (5, 8),
        {"technical": 4, "communication": 3, "domain": 3},
        ("TPM", "PM"),
        3,
        True,
    ),
    Template(
        "backlog",
        "Backlog and sprint participation",
        (6, 10),
        {"technical": 3, "decision_making": 3, "communication": 3},
        ("TPM",),
        3,
        True,
    ),
    Template(
        "architecture",
        "Architecture trade-offs",
        (2, 5),
        {"technical": 5, "judgement": 3},
        ("TPM",),
        2,
    ),
    Template(
        "apis",
        "API and platform decisions",
        (2, 5),
        {"technical": 4, "decision_making": 3, "business": 2},
        ("TPM",),
        2,
    ),
    Template(
        "release_planning",
        "Release planning",
        (3, 6),
        {"decision_making": 3, "technical": 3, "communication": 3},
        ("TPM", "PM"),
        2,
        True,
    ),
    Template(
        "metrics",
        "Metrics and dashboards",
        (2, 5),
        {"technical": 3, "business": 3},
        ("Analyst", "TPM"),
        1,
    ),
    Template(
        "presales_demos",
        "Pre-sales demos",
        (2, 6),
        {"sales": 4, "technical": 3, "communication": 4},
        ("SolutionSpecialist", "PMM"),
        1,
    ),
)

# (a, b, handoff cost): work that suffers when split, inside one product line.
COUPLINGS: tuple[tuple[str, str, int], ...] = (
    ("pricing", "positioning", 3),
    ("roadmap", "business_case", 2),
    ("backlog", "release_planning", 2),
    ("requirements", "backlog", 1),
    ("market_research", "competitive_analysis", 1),
    ("launch_planning", "sales_enablement", 1),
)

ROLES: dict[str, dict[str, Any]] = {
    "PM": {
        "title": "Product Manager",
        "cost": 165000,
        "capacity": 40,
        "max_responsibilities": 6,
        "floors": {"domain": 3, "decision_making": 3, "business": 3, "judgement": 3},
        "hire_profile": {
            "domain": 4,
            "communication": 4,
            "decision_making": 4,
            "business": 4,
            "technical": 3,
            "empathy": 3,
            "judgement": 4,
            "negotiation": 3,
        },
    },
    "TPM": {
        "title": "Technical Product Manager",
        "cost": 170000,
        "capacity": 40,
        "max_responsibilities": 6,
        "floors": {"technical": 4, "decision_making": 3},
        "hire_profile": {
            "domain": 3,
            "communication": 3,
            "decision_making": 4,
            "business": 2,
            "technical": 5,
            "judgement": 3,
        },
    },
    "PMM": {
        "title": "Product Marketing Manager",
        "cost": 150000,
        "capacity": 40,
        "max_responsibilities": 6,
        "floors": {"communication": 4, "business": 3, "domain": 3},
        "hire_profile": {
            "domain": 4,
            "communication": 5,
            "decision_making": 3,
            "business": 4,
            "empathy": 3,
            "negotiation": 3,
            "sales": 3,
        },
    },
    "Analyst": {
        "title": "Product Analyst",
        "cost": 120000,
        "capacity": 40,
        "max_responsibilities": 8,
        "floors": {"business": 3, "technical": 2},
        "hire_profile": {
            "domain": 3,
            "communication": 3,
            "business": 4,
            "technical": 3,
            "empathy": 3,
            "judgement": 3,
        },
    },
    "SolutionSpecialist": {
        "title": "Solution Specialist",
        "cost": 140000,
        "capacity": 40,
        "max_responsibilities": 5,
        "floors": {"technical": 3, "sales": 3, "communication": 3},
        "hire_profile": {"domain": 3, "communication": 4, "technical": 4, "sales": 4},
    },
}

# The built-in backgrounds (docs/scenario-format.md, in SKILLS order), how common each is in a
# pool, its typical annual cost, the skills its seniors are strongest in, and the roles its
# people tend to ask for.
BACKGROUNDS: dict[str, tuple[tuple[int, ...], float, int, tuple[str, ...], tuple[str, ...]]] = {
    "qa_tester": (
        (2, 2, 2, 1, 4, 3, 3, 1, 1),
        0.08,
        105000,
        ("technical", "judgement"),
        ("TPM", "Analyst"),
    ),
    "software_engineer": (
        (2, 2, 3, 1, 5, 2, 3, 1, 1),
        0.16,
        150000,
        ("decision_making", "domain"),
        ("TPM",),
    ),
    "sales_engineer": (
        (3, 4, 3, 3, 4, 3, 3, 3, 4),
        0.08,
        145000,
        ("technical", "sales"),
        ("SolutionSpecialist", "TPM", "PMM"),
    ),
    "business_analyst": (
        (3, 4, 3, 4, 3, 3, 3, 2, 2),
        0.12,
        115000,
        ("business", "domain"),
        ("Analyst", "PM"),
    ),
    "sales": (
        (3, 5, 3, 3, 1, 3, 3, 5, 5),
        0.09,
        130000,
        ("business", "domain"),
        ("PMM", "SolutionSpecialist"),
    ),
    "marketing": ((3, 5, 3, 3, 1, 3, 3, 2, 3), 0.10, 120000, ("business", "domain"), ("PMM",)),
    "customer_support": (
        (3, 4, 2, 2, 3, 5, 3, 2, 2),
        0.08,
        90000,
        ("domain", "technical"),
        ("Analyst", "PMM"),
    ),
    "consultant": (
        (3, 4, 4, 4, 2, 3, 4, 3, 3),
        0.08,
        160000,
        ("business", "judgement"),
        ("PM", "Analyst"),
    ),
    "project_manager": (
        (2, 4, 3, 2, 2, 3, 3, 3, 1),
        0.10,
        120000,
        ("decision_making", "technical"),
        ("TPM", "PM"),
    ),
    "product_manager": (
        (4, 4, 4, 4, 3, 3, 4, 3, 2),
        0.11,
        160000,
        ("judgement", "domain"),
        ("PM", "PMM"),
    ),
}

SENIORITY = (("junior", 0.30, -1, 0.80), ("mid", 0.45, 0, 1.0), ("senior", 0.25, 1, 1.25))

FIRST = (
    "Ana",
    "Ben",
    "Chen",
    "Dara",
    "Elif",
    "Femi",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kai",
    "Lena",
    "Marta",
    "Nils",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
)
LAST = (
    "Ruiz",
    "Okafor",
    "Nakamura",
    "Schmidt",
    "Kowalski",
    "Haddad",
    "Silva",
    "Novak",
    "Larsen",
    "Moreau",
    "Singh",
    "Costa",
    "Ivanova",
    "Brennan",
    "Yilmaz",
    "Tanaka",
    "Dubois",
    "Andersen",
    "Mensah",
    "Rossi",
)

LINES = (
    "Payments",
    "Identity",
    "Analytics",
    "Mobile",
    "Billing",
    "Search",
    "Messaging",
    "Marketplace",
    "Security",
    "Data Platform",
    "Integrations",
    "Onboarding",
    "Reporting",
    "Compliance",
    "Checkout",
    "Loyalty",
    "Logistics",
    "Scheduling",
    "Insights",
    "Storage",
    "Notifications",
    "Catalog",
    "Partner Portal",
    "Developer Tools",
)

BUDGET_SHARE = 0.75  # budget: this share of what an unconstrained cover would cost
HEADCOUNT_SHARE = 0.85  # max_headcount: this share of the seats it would need


def _clip(level: int) -> int:
    return max(0, min(5, level))


def _pick(rng: random.Random, weighted: list[tuple[Any, float]]) -> Any:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def _lines(rng: random.Random, n_resps: int) -> list[str]:
    count = max(1, math.ceil(n_resps / PER_LINE))
    names = list(LINES)
    out = []
    for i in range(count):
        base = names[i % len(names)]
        out.append(base if i < len(names) else f"{base} {i // len(names) + 1}")
    return out


def _roles(with_specialist: bool, n_lines: int) -> dict[str, dict[str, Any]]:
    roles: dict[str, dict[str, Any]] = {}
    for rid, spec in ROLES.items():
        if rid == "SolutionSpecialist" and not with_specialist:
            continue
        role = {k: (dict(v) if isinstance(v, dict) else v) for k, v in spec.items()}
        # identical open requisitions: about one per three product lines and role
        role["open_reqs"] = 0 if rid == "Analyst" and n_lines == 1 else max(1, n_lines // 3)
        roles[rid] = role
    return roles


def _responsibilities(
    rng: random.Random, n_resps: int, lines: list[str], roles: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    resps: list[dict[str, Any]] = []
    couplings: list[dict[str, Any]] = []
    core = [t for t in TEMPLATES if t.core]
    extra = [t for t in TEMPLATES if not t.core]
    for index, line in enumerate(lines):
        left = n_resps - len(resps)
        take = min(PER_LINE, left) if index == len(lines) - 1 else PER_LINE
        chosen = core + rng.sample(extra, max(0, take - len(core)))
        chosen = [t for t in TEMPLATES if t in chosen][:take]
        # some lines are more technical, some more commercial
        tilt = rng.choice(("technical", "business", "communication", None))
        ids: set[str] = set()
        for t in chosen:
            needs = dict(t.needs)
            if tilt in needs and rng.random() < 0.5:
                needs[tilt] = min(5, needs[tilt] + 1)
            if rng.random() < 0.2:
                skill = rng.choice(sorted(needs))
                needs[skill] = max(1, min(5, needs[skill] + rng.choice((-1, 1))))
            allowed = [r for r in t.roles if r in roles]
            priority = t.priority
            if rng.random() < 0.2:
                priority = max(1, priority + rng.choice((-1, 1)))
            slug = f"l{index + 1:02d}_{t.id}"
            ids.add(t.id)
            resps.append(
                {
                    "id": slug,
                    "name": f"{t.name} ({line})",
                    "product": line,
                    "hours": rng.randint(*t.hours),
                    "needs": needs,
                    "roles": allowed,
                    "priority": priority,
                }
            )
        for a, b, cost in COUPLINGS:
            if a in ids and b in ids:
                couplings.append(
                    {"between": [f"l{index + 1:02d}_{a}", f"l{index + 1:02d}_{b}"], "cost": cost}
                )
    return resps, couplings


@dataclass(frozen=True)
class Family:
    """How a family of generated pools varies: per-skill noise, costs, availability."""

    noise: float  # chance that a skill moves from the background's level
    steps: tuple[int, ...]  # how far it moves
    cost_spread: tuple[float, float]  # individual cost factor range
    availability: tuple[tuple[float, float], ...]  # (availability, weight)


FAMILIES: dict[str, Family] = {
    # the pools every earlier benchmark ran on
    "base": Family(0.25, (-1, 1), (0.92, 1.08), ((1.0, 0.80), (0.8, 0.12), (0.5, 0.08))),
    # a second family, not tuned to: skills spread twice as often and up to two levels,
    # costs spread +-20%, more part-time people (and its own seeds)
    "spread": Family(
        0.5, (-2, -1, 1, 2), (0.8, 1.2), ((1.0, 0.60), (0.8, 0.20), (0.6, 0.12), (0.5, 0.08))
    ),
}


def _candidate(
    rng: random.Random, number: int, roles: dict[str, Any], family: Family = FAMILIES["base"]
) -> dict[str, Any]:
    background = _pick(rng, [(name, spec[1]) for name, spec in BACKGROUNDS.items()])
    typical, _share, base_cost, strengths, likes = BACKGROUNDS[background]
    _label, _w, shift, cost_factor = _pick(rng, [(s, s[1]) for s in SENIORITY])
    levels = dict(zip(SKILLS, typical, strict=True))
    for skill in strengths:
        levels[skill] = _clip(levels[skill] + shift)
    for skill in SKILLS:
        if rng.random() < family.noise:
            levels[skill] = _clip(levels[skill] + rng.choice(family.steps))
    overrides = {s: lvl for s, lvl in levels.items() if lvl != typical[SKILLS.index(s)]}
    internal = rng.random() < 0.45
    cost = base_cost * cost_factor * rng.uniform(*family.cost_spread) * (0.95 if internal else 1.0)
    availability = _pick(rng, list(family.availability))
    cand: dict[str, Any] = {
        "id": f"c{number:04d}",
        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "background": background,
    }
    if overrides:
        cand["skills"] = overrides
    cand["cost"] = int(round(cost, -3))
    if availability != 1.0:
        cand["availability"] = availability
    cand["internal"] = internal
    if rng.random() < 0.35:
        wanted = [r for r in likes if r in roles]
        if wanted:
            cand["roles"] = wanted[: rng.randint(1, min(2, len(wanted)))]
    return cand


def unconstrained_need(resps: list[dict[str, Any]], roles: dict[str, Any]) -> int:
    """Seats an unconstrained cover needs, estimated from hours and breadth caps by role.

    Each responsibility is charged to its first allowed role; a role needs enough seats
    for its hours at 85% utilisation and for its count under the breadth cap.
    """
    hours: dict[str, float] = {}
    count: dict[str, int] = {}
    for resp in resps:
        role = resp["roles"][0]
        hours[role] = hours.get(role, 0.0) + resp["hours"]
        count[role] = count.get(role, 0) + 1
    seats = 0
    for role, total in hours.items():
        cap = roles[role].get("max_responsibilities") or count[role]
        by_hours = math.ceil(total / (0.85 * roles[role]["capacity"]))
        seats += max(by_hours, math.ceil(count[role] / cap))
    return seats


def generate(size: str | tuple[int, int], seed: int = 1, family: str = "base") -> dict[str, Any]:
    """The scenario data (format v1, plain dicts and lists) of `size` ("S".."XL" or a
    (responsibilities, candidates) pair), deterministic per `seed` and `family`."""
    n_resps, n_cands = SIZES[size] if isinstance(size, str) else size
    label = size if isinstance(size, str) else f"{n_resps}x{n_cands}"
    kind = FAMILIES[family]
    prefix = "orgplan-bench" if family == "base" else f"orgplan-{family}"
    rng = random.Random(f"{prefix}:{label}:{n_resps}:{n_cands}:{seed}")
    lines = _lines(rng, n_resps)
    roles = _roles(with_specialist=len(lines) >= 3, n_lines=len(lines))
    resps, couplings = _responsibilities(rng, n_resps, lines, roles)
    candidates = [_candidate(rng, i + 1, roles, kind) for i in range(n_cands)]

    need = unconstrained_need(resps, roles)
    median_cost = statistics.median(c["cost"] for c in candidates)
    policy = {
        "budget": int(round(BUDGET_SHARE * need * median_cost, -3)),
        "max_headcount": max(1, math.floor(HEADCOUNT_SHARE * need)),
        "max_skill_gap": 1,
        "coverage": "best_effort",
    }
    return {
        "name": f"Benchmark {label} (seed {seed})",
        "description": (
            f"{len(resps)} responsibilities over {len(lines)} product line(s), "
            f"{len(candidates)} candidates; generated by benchmarks/generate.py"
        ),
        "currency": "USD",
        "roles": roles,
        "responsibilities": resps,
        "couplings": couplings,
        "candidates": candidates,
        "policy": policy,
    }


def to_scenario(data: dict[str, Any]) -> Any:
    """The data as a validated, immutable `orgplan.scenario.Scenario`."""
    from orgplan.scenario.format import Scenario

    return Scenario.model_validate(data)


def scenario(size: str | tuple[int, int], seed: int = 1, family: str = "base") -> Any:
    """`generate` then `to_scenario`."""
    return to_scenario(generate(size, seed, family))


CSV_COLUMNS = ("id", "name", "background", "cost", "availability", "internal", "roles")


def write(data: dict[str, Any], directory: Path, stem: str, csv_candidates: bool = True) -> Path:
    """Write the scenario as `<stem>.yaml` (and its pool as `<stem>-people.csv`)."""
    import yaml

    directory.mkdir(parents=True, exist_ok=True)
    body = dict(data)
    if csv_candidates:
        people = directory / f"{stem}-people.csv"
        with people.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow((*CSV_COLUMNS, *SKILLS))
            for cand in body.pop("candidates"):
                skills = cand.get("skills", {})
                writer.writerow(
                    (
                        cand["id"],
                        cand["name"],
                        cand["background"],
                        cand["cost"],
                        cand.get("availability", 1.0),
                        "true" if cand["internal"] else "false",
                        ";".join(cand.get("roles", [])),
                        *(skills.get(s, "") for s in SKILLS),
                    )
                )
        body["candidates_file"] = people.name
    path = directory / f"{stem}.yaml"
    header = "# Generated by benchmarks/generate.py: do not edit, re-generate.\n"
    path.write_text(header + yaml.safe_dump(body, sort_keys=False, width=100), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="S", help="S, M, L, XL or RxC (e.g. 100x200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/scenarios"))
    parser.add_argument("--inline", action="store_true", help="candidates inline, no CSV")
    parser.add_argument("--family", default="base", choices=sorted(FAMILIES), help="pool family")
    args = parser.parse_args(argv)
    size: str | tuple[int, int] = args.size
    if args.size not in SIZES:
        r, c = args.size.lower().split("x")
        size = (int(r), int(c))
    data = generate(size, args.seed, args.family)
    stem = f"bench-{args.size}-seed{args.seed}"
    if args.family != "base":
        stem += f"-{args.family}"
    path = write(data, args.out, stem, csv_candidates=not args.inline)
    from orgplan.scenario.loading import load_scenario

    loaded = load_scenario(path)  # the written files must load as any user's would
    print(
        f"wrote {path}: {len(loaded.responsibilities)} responsibilities, "
        f"{len(loaded.candidates)} candidates, {len(loaded.couplings)} couplings, "
        f"budget {loaded.policy.budget:,.0f}, max_headcount {loaded.policy.max_headcount}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
