"""What the search reads of a model, flattened once into plain lists and dicts."""

from __future__ import annotations

from collections import defaultdict

from orgplan.model import TeamModel, capacity, seat_cost


class Data:
    """A model's people, work, seats and limits as plain lists and dicts, by index."""

    def __init__(self, model: TeamModel) -> None:
        pool, limits, scenario = model.pool, model.limits, model.scenario
        self.model = model
        resps = pool.resps
        self.n = len(resps)
        self.hours = [r.hours for r in resps]
        self.weight = [r.hours * r.priority for r in resps]
        self.product = [r.product for r in resps]
        self.roles: dict[int, tuple[str, ...]] = {
            pi: tuple(r for r in roles if (pi, r) in model.seat)
            for pi, roles in pool.seat_roles.items()
        }
        self.cost = {(pi, r): seat_cost(model, pi, r) for pi, r in model.seat}
        self.cap = {(pi, r): capacity(scenario, pool.people[pi], r) for pi, r in model.seat}
        self.breadth = {r: limits.breadth.get(r) for r in limits.roles}
        self.role_caps = {r: limits.role_caps.get(r) for r in limits.roles}
        self.headcount = limits.max_headcount
        self.budget = limits.budget
        self.max_products = limits.max_products
        self.required = limits.coverage_required
        self._read_ownership(model)
        self._read_couplings(model)
        # a typical seat's cost per hour it can hold: the money one unit of quality is
        # roughly worth (fit hours are what seats are bought for)
        rates = sorted(self.cost[key] / self.cap[key] for key in self.cost if self.cap[key] > 0)
        self.price_scale = rates[len(rates) // 2] if rates else 1.0
        self._read_people(model)
        # product lines behind the focus variables (as products_per_seat names them)
        self.focus_lines: dict[int, list[str]] = {}
        if self.max_products is not None:
            for pi, owned in self.can_own.items():
                lines = sorted({self.product[ji] for ji in owned} - {None}, key=str)
                if len(lines) > self.max_products:
                    self.focus_lines[pi] = [str(g) for g in lines]

    def _read_ownership(self, model: TeamModel) -> None:
        """Who may own what, in which roles, with what fit; each person's work ranked."""
        pool = model.pool
        resps = pool.resps
        self.own_roles: dict[tuple[int, int], frozenset[str]] = {}
        self.fitq: dict[tuple[int, int], float] = {}
        self.owners: list[list[int]] = [[] for _ in resps]
        self.can_own: dict[int, list[int]] = defaultdict(list)
        for pi, ji in model.own:
            self.own_roles[pi, ji] = frozenset(
                r for r in pool.ownable[pi, ji] if (pi, r) in model.seat
            )
            self.fitq[pi, ji] = resps[ji].hours * pool.fit[pi, ji]
            self.owners[ji].append(pi)
            self.can_own[pi].append(ji)
        # each person's work, most valuable first (priority, then hours, then fit)
        self.order: dict[int, list[int]] = {
            pi: sorted(
                owned,
                key=lambda ji, pi=pi: (  # type: ignore[misc]
                    -resps[ji].priority,
                    -resps[ji].hours,
                    -self.fitq[pi, ji],
                    ji,
                ),
            )
            for pi, owned in self.can_own.items()
        }

    def _read_couplings(self, model: TeamModel) -> None:
        """The couplings by index, and each responsibility's partners and couplings."""
        resps = model.pool.resps
        index = {r.id: ji for ji, r in enumerate(resps)}
        self.couplings: list[tuple[int, int, float]] = []
        self.coupled: list[list[tuple[int, float]]] = [[] for _ in resps]
        self.coupling_ids: list[list[int]] = [[] for _ in resps]
        for ci, coupling in enumerate(model.scenario.couplings):
            a, b = (index[x] for x in coupling.between)
            self.couplings.append((a, b, coupling.cost))
            self.coupling_ids[a].append(ci)
            if b != a:
                self.coupling_ids[b].append(ci)
            self.coupled[a].append((b, coupling.cost))
            if b != a:
                self.coupled[b].append((a, coupling.cost))
        self.handoff_total = sum(c for _a, _b, c in self.couplings)

    def _read_people(self, model: TeamModel) -> None:
        """Fixed roles (and whether one cannot be met), and chains of open requisitions."""
        pool = model.pool
        self.fixed: dict[int, str] = {}
        self.impossible = False
        for pi, person in enumerate(pool.people):
            for role in {person.fixed_role, person.placed} - {None}:
                if (pi, role) in model.seat and self.fixed.get(pi, role) == role:
                    self.fixed[pi] = str(role)
                else:
                    self.impossible = True
        # the decisions on work: who must own what, and the groups owned as one
        decisions = model.scenario.decisions
        index = {r.id: ji for ji, r in enumerate(pool.resps)}
        person_of = {p.candidate: pi for pi, p in enumerate(pool.people) if p.candidate}
        self.pinned: dict[int, int] = {}
        for rid, cid in decisions.assign.items():
            ji, owner = index[rid], person_of.get(cid)
            if owner is None or (owner, ji) not in model.own:
                self.impossible = True
            else:
                self.pinned[ji] = owner
        self.groups: list[tuple[int, ...]] = [
            tuple(index[rid] for rid in group) for group in decisions.groups()
        ]
        # identical open requisitions of a role, in the order the model ranks them
        self.chains: dict[str, list[int]] = defaultdict(list)
        for pi, person in enumerate(pool.people):
            if person.open_req and pi in pool.seat_roles:
                self.chains[person.roles[0]].append(pi)
        self.twin_of: dict[int, int] = {}  # an open requisition -> the first of its chain
        self.chain_of: dict[int, list[int]] = {}
        for chain in self.chains.values():
            for pi in chain:
                self.twin_of[pi] = chain[0]
                self.chain_of[pi] = chain
