"""The ALPR model's per-agency counts for ``by_agency`` (and through it ``by_state``): vector sums, no per-event work.

Per recorded day: reads and hotlist alerts per owner (the day's draws, summed), reads held at the day's end
(summed; the column is their mean over the recorded days, as the national ``storage.reads_held``), searches per searcher and scope
split into own and proxy lookups (one `np.bincount` each). At the end: audit records per owner, "searches
whose scope covered the owner's cameras" (none for an owner without cameras: a federal unit's own searches
count as covering its row, but it has no network to audit), from the per-searcher scope counts through the reach's categories
(`sim.model.alpr_reach.Reach.audit_counts`, the same product ``audit.records_per_owner_mean`` uses), overall
and for federal units' own searches, proxy lookups and out-of-state searchers; and federal reach by channel
(`sim.model.federal_channels`: units' channels from the AccessTable at start, proxies from the reach at the end); and the
same audit records split by the searcher's state (``audit.records_received_from``: agencies x searcher group,
group 0 the federal units, s + 1 state s; `received_by_group`: two sparse products, not one per state).
Column names and meanings: `sim.results.places.AGENCY_COLUMNS`. Rows are every owner (private networks
included: reads, hits, audit records received; their search columns are 0, they never search).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from sim.config.behavior_alpr import SEARCH_SCOPES
from sim.model.access import AccessTable
from sim.model.alpr_reach import N_CAT, OUT_STATE, Reach, category_parts
from sim.model.federal_channels import proxy_open, unit_channels
from sim.model.policy_effects import PolicyEffects
from sim.world.types import FEDERAL, STATE_POLICE, World, is_police

# Who ran a search, as an owner's audit tells them apart: local police and sheriffs, state police, federal
# units themselves, local officers for a federal unit (proxy lookups).
# (not "local", the scope of an agency's own cameras, nor "state": older audit_by_agency tables use both, read under
# these names by `sim.results.read`)
CHANNELS: tuple[str, ...] = ("local_police_sheriff", "state_police", "federal_own", "federal_proxy")
# by_agency's audit column of each channel, in CHANNELS order (`AgencyTally.columns`)
CHANNEL_COLUMNS: tuple[str, ...] = ("audit.records_received_local_police_sheriff", "audit.records_received_state_police",
                                    "audit.records_received_federal_own", "audit.records_received_proxy")


class AgencyTally:
    def __init__(self, world: World, effects: PolicyEffects, access: AccessTable, reasons: list[str]) -> None:
        """`reasons`: the audited reasons' names, in the order of the reason codes `add_searches` gets."""
        n = len(world.agencies)
        self.n = n
        self.n_s = world.agencies.n_searchers  # searchers: the rows before the private owners
        kind = np.asarray(world.agencies.kind)
        self.federal = kind == FEDERAL
        self.channel = np.where(self.federal, 2, np.where(kind == STATE_POLICE, 1, 0))  # CHANNELS of own searches
        # owners with a camera network, so an audit of its searches: a federal unit owns none, and its own searches
        # (which the reach counts as covering its own row) write no entry there
        self.has_network = np.asarray(world.agencies.cameras) > 0
        self.redaction = effects.audit_redaction  # owners see only their own officers' entries identified
        self.reasons = list(reasons)
        self.reads = np.zeros(n)
        self.hits = np.zeros(n)
        self.held = np.zeros(n)  # end-of-day reads held, summed over the recorded days
        self.days = 0  # recorded days
        # Searches are counted once, at the end (`runs`, `own_by_reason`): each day's searches are kept as one
        # integer code each (4 bytes a search: ~12 MB for both lists in a national 30-day run) and counted by
        # one np.bincount, instead of bincounts into ~0.5 million bins and float sums every day. The counts are
        # integers, so the whole-run count is the same float as the thirty daily counts added (every partial
        # sum is an integer below 2**53).
        self._search_codes: list[np.ndarray] = []  # ((proxy, searcher), scope, reason), as `add_searches`
        self._run_codes: list[np.ndarray] = []  # (row of `runs`, searcher), as `add_runs`
        self._counted: dict[str, np.ndarray] = {}  # the counts of the codes above, until more are added
        self.channels = unit_channels(world, access)
        self.runners = is_police(kind) & ~effects.proxy_refused  # agencies that run proxy lookups

    def add_reads(self, reads: np.ndarray, hits: np.ndarray, held: np.ndarray) -> None:
        """A recorded day's reads and hotlist alerts per owner, and the reads each holds at its end."""
        self.reads += reads
        self.hits += hits
        self.held += held
        self.days += 1

    def add_searches(self, searcher: np.ndarray, scope: np.ndarray, proxy: np.ndarray, reason: np.ndarray) -> None:
        """The day's recorded searches that ran (for proxies, `searcher` is the running agency)."""
        rows = np.asarray(proxy, dtype=np.int64) * self.n + searcher
        key = (rows * len(SEARCH_SCOPES) + scope) * len(self.reasons) + reason
        self._search_codes.append(key.astype(_code_dtype(2 * self.n * len(SEARCH_SCOPES) * len(self.reasons))))
        self._counted.clear()

    def add_runs(self, searcher: np.ndarray, proxy: np.ndarray, blocked: np.ndarray, warned: np.ndarray,
                 unseen_blocked: np.ndarray, unseen_warned: np.ndarray) -> None:
        """Every search of the day, blocked ones included (`add_searches` gets those that ran); `unseen_*`: bool
        per search, run for a purpose moderation blocks (warns about) that its audited reason hid
        (`sim.model.alpr_searches.SearchGenerator.unseen`)."""
        key = np.concatenate([np.asarray(proxy, dtype=np.int64) * self.n + searcher, 2 * self.n + searcher[blocked],
                              3 * self.n + searcher[warned], 4 * self.n + searcher[unseen_blocked],
                              5 * self.n + searcher[unseen_warned]])
        self._run_codes.append(key.astype(_code_dtype(6 * self.n)))
        self._counted.clear()

    def _count(self, name: str, codes: list[np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
        if name not in self._counted:
            size = int(np.prod(shape))
            flat = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64)
            self._counted[name] = np.bincount(flat, minlength=size).astype(float).reshape(shape)
        return self._counted[name]

    @property
    def runs(self) -> np.ndarray:
        """(6, searcher): every search run (moderation's blocked included) per searcher: own searches, proxy
        lookups, blocked, warned, unseen blocked, unseen warned."""
        return self._count("runs", self._run_codes, (6, self.n))

    @property
    def own_by_reason(self) -> np.ndarray:
        """(searcher, scope, audited reason): recorded own searches that ran."""
        return self._count("searches", self._search_codes, (2, self.n, len(SEARCH_SCOPES), len(self.reasons)))[0]

    @property
    def proxy_by_reason(self) -> np.ndarray:
        """(running agency, scope, audited reason): recorded proxy lookups that ran."""
        return self._count("searches", self._search_codes, (2, self.n, len(SEARCH_SCOPES), len(self.reasons)))[1]

    @property
    def own(self) -> np.ndarray:
        """(searcher, scope): recorded own searches."""
        return self.own_by_reason.sum(axis=2)

    @property
    def proxy(self) -> np.ndarray:
        """(running agency, scope): recorded proxy lookups."""
        return self.proxy_by_reason.sum(axis=2)

    def columns(self, reach: Reach) -> dict[str, np.ndarray]:
        ns = self.n_s
        federal, channel = self.federal[:ns], self.channel[:ns]
        mask = reach.mask[federal.astype(np.int64)].astype(float)  # (searchers, scope, N_CAT)

        def covered(by_scope: np.ndarray) -> np.ndarray:
            return np.einsum("ns,nsc->nc", by_scope[:ns], mask)

        def received(per_category: np.ndarray) -> np.ndarray:
            return reach.audit_counts(per_category) * self.has_network

        own, proxy = covered(self.own), covered(self.proxy)
        out_state = (category_parts(np.arange(N_CAT))[1] == OUT_STATE).astype(float)
        local = (~federal).astype(float)
        records = received(own + proxy)
        # the national audit.owner_entries_identified per owner: under redaction only the entries its own officers'
        # searches that ran (proxy lookups included) wrote in its own network's audit, else all it received
        ran = self.own.sum(axis=1) + self.proxy.sum(axis=1)
        identified = ran * self.has_network if self.redaction else records.copy()
        return {
            "alpr.reads": self.reads.copy(),
            "alpr.hotlist_hits": self.hits.copy(),
            # the national storage.reads_held's definition per owner: the mean of the daily end-of-day levels
            "storage.reads_held": self.held / max(self.days, 1),
            "alpr.searches": self.runs[0] + self.runs[1],
            "alpr.searches_federal_own": np.where(self.federal, self.runs[0], 0.0),
            "alpr.searches_federal_proxy": self.runs[1].copy(),
            "search.moderation.blocked": self.runs[2].copy(),
            "search.moderation.warned": self.runs[3].copy(),
            "search.moderation.unseen_blocked": self.runs[4].copy(),
            "search.moderation.unseen_warned": self.runs[5].copy(),
            "audit.records_received": records,
            "audit.owner_entries_identified": identified,
            CHANNEL_COLUMNS[0]: received(own * (channel == 0)[:, None]),
            CHANNEL_COLUMNS[1]: received(own * (channel == 1)[:, None]),
            CHANNEL_COLUMNS[2]: received(own * federal[:, None]),
            CHANNEL_COLUMNS[3]: received(proxy),
            "audit.records_received_out_of_state": received((own * local[:, None] + proxy) * out_state),
            "audit.records_received_from": received_by_group(reach, own + proxy) * self.has_network[:, None],
            **self.channels,
            # an agency without cameras has nothing a proxy lookup could reach (Austin TX PD read "open to proxy
            # lookups: yes" with no camera of its own)
            "federal.proxy_open": proxy_open(reach, self.runners) * self.has_network,
        }

    def by_reason(self, reach: Reach) -> dict[str, np.ndarray]:
        """The ``audit_by_agency`` rows (`sim.results.places.AUDIT_COLUMNS`): per owner, searcher channel and
        audited reason, the searches whose scope covered the owner (what its audit log would list), non-zero
        rows only, sorted by (agency, channel, reason)."""
        ns = self.n_s
        mask = reach.mask[self.federal[:ns].astype(np.int64)].astype(float)  # (searchers, scope, N_CAT)
        own = np.einsum("nsr,nsc->ncr", self.own_by_reason[:ns], mask)  # (searcher, category, reason)
        blocks = [received_matrix(reach, own * (self.channel[:ns] == ch)[:, None, None]) for ch in range(3)]
        blocks.append(received_matrix(reach, np.einsum("nsr,nsc->ncr", self.proxy_by_reason[:ns], mask)))
        counts = np.stack(blocks, axis=1) * self.has_network[:, None, None]  # (owner, channel, reason)
        agency, channel, reason = np.nonzero(counts)
        return {"agency": agency, "searcher": np.asarray(CHANNELS)[channel],
                "reason": np.asarray(self.reasons, dtype=object)[reason], "searches": counts[agency, channel, reason]}


def _code_dtype(size: int) -> type:
    """The smallest of int32/int64 that holds codes below `size` (int32 halves what the deferred codes keep)."""
    return np.int32 if size <= np.iinfo(np.int32).max else np.int64


def received_matrix(reach: Reach, per_searcher_category: np.ndarray) -> np.ndarray:
    """`Reach.audit_counts` for m columns at once: (searcher, N_CAT, m) counts -> (owner, m) audit records.

    The pool part's rows are per group: the searchers' counts are summed per group by one sparse product
    (not np.add.at), and every sum runs in scipy's sparse loops (no BLAS: same bytes on any thread count)."""
    n, k = reach.n_s, reach.k
    m = per_searcher_category.shape[2]
    z = np.repeat(per_searcher_category[:, :, None, :], reach.n_cls, axis=2).reshape(n, k * m)
    groups = sparse.csr_matrix((np.ones(n), (reach.row_group, np.arange(n))), shape=(reach.n_groups, n))
    zg = (groups @ z).reshape(reach.n_groups * k, m)
    return np.asarray(reach.pool_st.T @ zg + reach.delta_st.T @ z.reshape(n * k, m))


def received_by_group(reach: Reach, per_searcher_category: np.ndarray) -> np.ndarray:
    """(owner, searcher group) audit records: `Reach.audit_counts` with the searchers' groups kept apart.

    The per-searcher counts become a sparse (searcher x category x class, group) matrix with each row in its
    searcher's group's column, so the delta part is one sparse product; the pool part's rows already belong to
    a group (the pool is per group), so its columns are the groups' own sums.
    """
    n, k, groups = reach.n_s, reach.k, reach.n_groups
    z = np.repeat(per_searcher_category[:, :, None], reach.n_cls, axis=2).reshape(n, k)
    rows = np.arange(n * k)
    cols = np.repeat(reach.row_group, k)
    zs = sparse.csr_matrix((z.ravel(), (rows, cols)), shape=(n * k, groups))
    zg = np.zeros((groups, k))
    np.add.at(zg, reach.row_group, z)
    zp = sparse.csr_matrix((zg.ravel(), (np.arange(groups * k), np.repeat(np.arange(groups), k))),
                           shape=(groups * k, groups))
    return np.asarray((reach.pool_st.T @ zp + reach.delta_st.T @ zs).todense())
