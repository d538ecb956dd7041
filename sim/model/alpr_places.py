"""The ALPR model's per-agency counts for ``by_agency`` (and through it ``by_state``): vector sums, no per-event work.

Per recorded day: reads and hotlist alerts per owner (the day's draws, summed), searches per searcher and scope
split into own and proxy lookups (one `np.bincount` each). At the end: audit records per owner, "searches
whose scope covered the owner's cameras", from the per-searcher scope counts through the reach's categories
(`sim.model.alpr_reach.Reach.audit_counts`, the same product ``audit.records_per_owner_mean`` uses), overall
and for federal units' own searches, proxy lookups and out-of-state searchers; and federal reach by channel
(`sim.model.federal_channels`: units' channels from the AccessTable at start, proxies from the reach at the end); and the
same audit records split by the searcher's state (``audit.records_received_from``: agencies x searcher group,
group 0 the federal units, s + 1 state s; `received_by_group`: two sparse products, not one per state).
Column names and meanings: `sim.results.places.AGENCY_COLUMNS`.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from sim.model.access import AccessTable
from sim.model.alpr_reach import N_CAT, OUT_STATE, SCOPES, Reach, category_parts
from sim.model.federal_channels import proxy_open, unit_channels
from sim.model.policy_effects import PolicyEffects
from sim.world.types import FEDERAL, World


class AgencyTally:
    def __init__(self, world: World, effects: PolicyEffects, access: AccessTable) -> None:
        n = len(world.agencies)
        self.n = n
        self.federal = np.asarray(world.agencies.kind) == FEDERAL
        self.reads = np.zeros(n)
        self.hits = np.zeros(n)
        self.own = np.zeros((n, len(SCOPES)))  # recorded own searches per searcher and scope
        self.proxy = np.zeros((n, len(SCOPES)))  # recorded proxy lookups per running agency and scope
        self.channels = unit_channels(world, access)
        self.runners = ~self.federal & ~effects.proxy_refused  # agencies that run proxy lookups

    def add_reads(self, reads: np.ndarray, hits: np.ndarray) -> None:
        self.reads += reads
        self.hits += hits

    def add_searches(self, searcher: np.ndarray, scope: np.ndarray, proxy: np.ndarray) -> None:
        key = searcher * len(SCOPES) + scope
        size = self.own.size
        self.own += np.bincount(key[~proxy], minlength=size).reshape(self.own.shape)
        self.proxy += np.bincount(key[proxy], minlength=size).reshape(self.proxy.shape)

    def columns(self, reach: Reach) -> dict[str, np.ndarray]:
        mask = reach.mask[self.federal.astype(np.int64)].astype(float)  # (n, scope, N_CAT)

        def covered(by_scope: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
            counts = np.einsum("ns,nsc->nc", by_scope, mask)
            if rows is not None:
                counts = counts * rows[:, None]
            return counts

        own, proxy = covered(self.own), covered(self.proxy)
        out_state = (category_parts(np.arange(N_CAT))[1] == OUT_STATE).astype(float)
        local = (~self.federal).astype(float)
        runs = self.own.sum(axis=1) + self.proxy.sum(axis=1)
        return {
            "alpr.reads": self.reads.copy(),
            "alpr.hotlist_hits": self.hits.copy(),
            "alpr.searches": runs,
            "alpr.searches_federal_direct": np.where(self.federal, self.own.sum(axis=1), 0.0),
            "alpr.searches_federal_proxy": self.proxy.sum(axis=1),
            "audit.records_received": reach.audit_counts(own + proxy),
            "audit.records_received_federal": reach.audit_counts(own * self.federal[:, None]),
            "audit.records_received_proxy": reach.audit_counts(proxy),
            "audit.records_received_out_of_state": reach.audit_counts((own * local[:, None] + proxy) * out_state),
            "audit.records_received_from": received_by_group(reach, own + proxy),
            **self.channels,
            "federal.proxy_open": proxy_open(reach, self.runners),
        }


def received_by_group(reach: Reach, per_searcher_category: np.ndarray) -> np.ndarray:
    """(owner, searcher group) audit records: `Reach.audit_counts` with the searchers' groups kept apart.

    The per-searcher counts become a sparse (searcher x category x class, group) matrix with each row in its
    searcher's group's column, so the delta part is one sparse product; the pool part's rows already belong to
    a group (the pool is per group), so its columns are the groups' own sums.
    """
    n, k, groups = reach.n, reach.k, reach.n_groups
    z = np.repeat(per_searcher_category[:, :, None], reach.n_cls, axis=2).reshape(n, k)
    rows = np.arange(n * k)
    cols = np.repeat(reach.group, k)
    zs = sparse.csr_matrix((z.ravel(), (rows, cols)), shape=(n * k, groups))
    zg = np.zeros((groups, k))
    np.add.at(zg, reach.group, z)
    zp = sparse.csr_matrix((zg.ravel(), (np.arange(groups * k), np.repeat(np.arange(groups), k))),
                           shape=(groups * k, groups))
    return np.asarray((reach.pool_st.T @ zp + reach.delta_st.T @ zs).todense())
