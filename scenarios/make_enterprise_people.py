"""Generate scenarios/enterprise-people.csv, the candidate pool of scenarios/enterprise.yaml.

The pool is synthetic but shaped like a real one: internal movers (employee numbers with
leading zeros, which must stay text) and external applicants, typical levels by
background with individual variation, assessed skills left blank where nobody assessed
them (the background fills them), role preferences, a few part-timers, two incumbent PMs
fixed in the seat and a few people excluded. Seeded, so the file is reproducible:

    python scenarios/make_enterprise_people.py          # rewrites the CSV
    python scenarios/make_enterprise_people.py --check  # exit 1 if the CSV is stale
"""

from __future__ import annotations

import csv
import io
import random
import sys
from pathlib import Path

from orgplan.scenario.format import DEFAULT_SKILLS
from orgplan.scenario.loading import CANDIDATE_COLUMNS

SEED = 2027
OUT = Path(__file__).with_name("enterprise-people.csv")

SKILLS = (*DEFAULT_SKILLS, "regulatory")

# Typical levels (the built-in table, plus the scenario's own backgrounds and regulatory).
TYPICAL: dict[str, tuple[int, ...]] = {
    "qa_tester": (2, 2, 2, 1, 4, 3, 3, 1, 1, 1),
    "software_engineer": (2, 2, 3, 1, 5, 2, 3, 1, 1, 1),
    "sales_engineer": (3, 4, 3, 3, 4, 3, 3, 3, 4, 2),
    "business_analyst": (3, 4, 3, 4, 3, 3, 3, 2, 2, 2),
    "sales": (3, 5, 3, 3, 1, 3, 3, 5, 5, 1),
    "marketing": (3, 5, 3, 3, 1, 3, 3, 2, 3, 1),
    "customer_support": (3, 4, 2, 2, 3, 5, 3, 2, 2, 2),
    "consultant": (3, 4, 4, 4, 2, 3, 4, 3, 3, 2),
    "project_manager": (2, 4, 3, 2, 2, 3, 3, 3, 1, 1),
    "product_manager": (4, 4, 4, 4, 3, 3, 4, 3, 2, 2),
    "compliance_officer": (4, 4, 3, 3, 2, 3, 4, 3, 1, 5),
    "risk_analyst": (4, 3, 4, 4, 3, 2, 4, 2, 1, 4),
}

# How many of each background, and the seats they would consider (most wanted first).
MIX: dict[str, tuple[int, tuple[str, ...]]] = {
    "software_engineer": (28, ("TPM", "SolutionSpecialist")),
    "qa_tester": (14, ("TPM", "Analyst")),
    "business_analyst": (20, ("Analyst", "PM", "PMM")),
    "sales_engineer": (12, ("SolutionSpecialist", "PMM", "TPM")),
    "sales": (10, ("PMM", "SolutionSpecialist")),
    "marketing": (14, ("PMM", "PM")),
    "customer_support": (14, ("Analyst", "PMM", "PM")),
    "consultant": (10, ("PM", "Analyst", "PMM")),
    "project_manager": (16, ("TPM", "PM")),
    "product_manager": (14, ("PM", "TPM", "PMM")),
    "compliance_officer": (6, ("Analyst", "PM")),
    "risk_analyst": (6, ("Analyst", "PM")),
}

BASE_COST = {
    "software_engineer": 168000,
    "qa_tester": 118000,
    "business_analyst": 128000,
    "sales_engineer": 162000,
    "sales": 150000,
    "marketing": 140000,
    "customer_support": 92000,
    "consultant": 175000,
    "project_manager": 135000,
    "product_manager": 182000,
    "compliance_officer": 145000,
    "risk_analyst": 150000,
}

FIRST = (
    "Aisha Ben Carla Dmitri Elena Farid Greta Hiro Ines Jonas Kemi Lars Mei Nikolai Olga "
    "Pablo Quinn Rosa Sanjay Tara Umar Vera Wen Xavier Yara Zoltan Amara Bruno Chloe Dev "
    "Emre Fatima Gustav Hana Ivo Jana Kofi Leila Mateo Noor Oskar Priya Rafael Sina Tomas"
).split()
LAST = (
    "Adeyemi Berg Castillo Dubois Eriksen Fischer Garcia Haddad Ivanova Jensen Kowalski "
    "Lindqvist Moreau Nakamura Okafor Petrov Quintero Rossi Schmidt Tanaka Uddin Varga "
    "Weber Xu Yilmaz Zhang Almeida Novak Kaur Murphy"
).split()

COLUMNS = (*CANDIDATE_COLUMNS, *SKILLS)


def _clamp(level: int) -> int:
    return max(0, min(5, level))


def people(seed: int = SEED) -> list[dict[str, str]]:
    """The rows of the pool, as CSV cells."""
    rng = random.Random(seed)
    names = [f"{f} {last}" for f in FIRST for last in LAST]
    rng.shuffle(names)
    rows: list[dict[str, str]] = []
    employee_numbers = rng.sample(range(1000, 9999), 200)
    for background, (count, seats) in MIX.items():
        for _ in range(count):
            internal = rng.random() < 0.62
            number = len(rows)
            row = {
                "id": (f"{employee_numbers[number]:06d}" if internal else f"A-{3000 + number}"),
                "name": names[number],
                "background": background,
                "internal": "yes" if internal else "no",
                "fixed_role": "",
                "exclude": "",
            }
            # Assessed skills: about three in five, within a level of the typical one.
            for skill, typical in zip(SKILLS, TYPICAL[background], strict=True):
                assessed = rng.random() < 0.6
                row[skill] = str(_clamp(typical + rng.choice((-1, 0, 0, 1)))) if assessed else ""
            cost = BASE_COST[background] * rng.uniform(0.85, 1.2) * (0.95 if internal else 1.0)
            row["cost"] = str(int(round(cost, -3)))  # whole thousands
            row["availability"] = rng.choices(("1", "0.8", "0.5"), weights=(90, 6, 4))[0]
            wanted = [seats[0], *(s for s in seats[1:] if rng.random() < 0.3)]
            row["roles"] = ";".join(wanted)
            rows.append(row)
    # The incumbent PM stays in the seat; she meets the PM floors by assessment.
    incumbents = [
        r for r in rows if r["background"] == "product_manager" and r["internal"] == "yes"
    ]
    for row in incumbents[:1]:
        row.update(
            fixed_role="PM",
            roles="PM",
            domain="5",
            decision_making="4",
            business="4",
            availability="1",
        )
    # A few applicants withdrew; they stay on file, excluded.
    for row in rng.sample([r for r in rows if r["internal"] == "no"], 4):
        row["exclude"] = "yes"
    return rows


def csv_text(rows: list[dict[str, str]]) -> str:
    """The rows as CSV text with the format's column names."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    text = csv_text(people())
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is stale: run python {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(text.splitlines()) - 1} people)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
