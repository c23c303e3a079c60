"""Plans without the solver: a greedy construction and a local search.

The lexicographic stages (`solving.stages`) start HiGHS from these plans (`warm_start`) and
fall back on them when a stage's run ends without a plan of its own (`stand_in`). They work
on a small mutable picture of a plan (who sits in which role, who owns what) and keep every
rule of `orgplan.model` as they go; the plan handed out is then checked row by row against
the PuLP problem itself (`violations`), stage floors included: a plan from here is feasible
for the model as it stands, or it is not handed out at all.

* `greedy_plan(model)`: seats the fixed roles, then one seat at a time, the one whose best
  bundle of uncovered work (highest priority first, within capacity, breadth and product
  focus) covers the most hours x priority for what it uses (per seat, per money, per share
  of budget and headcount: each rule is tried), then a local search on coverage (fit and
  cost break ties). None when no plan meets the hard limits (say coverage is required and
  work is left over).
* `improve(model, values, stage)`: a local search for one stage's objective under the
  floors the problem already holds (rows `keep_coverage`, `keep_quality`). Moves: give a
  responsibility to another seated person (`reassign`); exchange two (`exchange`); move or
  exchange a product line's block of work between two seats (`shift`, which single moves
  cannot do past a full product-focus limit); hand a seat's work to an unseated person,
  cheaper in the cost stage, or to the same person in another role, or spread it over the
  others and drop the seat (`replace`); cover uncovered work by moving one of the
  receiver's to a third person (`eject`); open a seat (`open_seat`); empty one or two seats
  and cover their work again on the others and on new seats, then win back the quality
  lost (`rebuild`). Best move per element, passes until none helps. The cost stage
  descends at a falling price of quality, so that the quality floor's slack goes first to
  the moves that save most per unit given up. Large models then get iterated local
  search: seeded random rebuilds of the best plan, each followed by a descent. Everything
  stops at a time budget; the result is repeatable when the search ends before it.
* `violations(model, values)`: every row of the problem (and every bound and integrality)
  that the values break; empty for a feasible plan.

Modules, bottom first: `check` (rows, `violations`, `value_of`), `data` (the model
flattened), `state` (the plan being searched), `goal` (a stage's key and floors),
`convert` (values to a state and back), `placing` (uncovered work to seats), `budget`
(the clock and Ctrl-C), `search` (the loop), `moves` (one function a move), `construct`
(the greedy), `improving` (descents and kicks), `warm` (the hook into the stages).
"""

from orgplan.heuristics.check import ROW_TOLERANCE, Values, value_of, violations
from orgplan.heuristics.construct import greedy_plan
from orgplan.heuristics.improving import improve
from orgplan.heuristics.warm import Start, stand_in, warm_start

__all__ = [
    "ROW_TOLERANCE",
    "Start",
    "Values",
    "greedy_plan",
    "improve",
    "stand_in",
    "value_of",
    "violations",
    "warm_start",
]
