"""The ALPR federation in one simulation: reads, alerts, searches across the sharing graph, audit, exposure.

`AlprModel` is a component of `sim.model.simulation.simulate`. One SimPy process runs a step at the start
of every simulated day: it draws the day's plate reads per owner-hour (`sim.model.alpr_reads`), updates
storage under retention and the ingest load, draws the day's searches (`sim.model.alpr_searches`), gives
each its reach from the sharing graph and policy (`sim.model.alpr_reach`, built on
`sim.model.access.AccessTable`), writes audit and flow records (`sim.model.alpr_flows`) and moves the
tracked vehicles (`sim.model.alpr_exposure`). Billions of reads a month are never events; searches are:
each day's searches are fed to the platform's search queue (a `ServerPool` on the SimPy clock;
service time = ``platform.search.service_time`` x the search type's ``type_cost`` + ``per_million_reads_s`` x
reads scanned / 1e6), which
turns them into a chain of arrival events, so a search costs one arrival event and one completion event.

Results (``behavior.searches.results_per_million_reads``, assumption) are Poisson on the reads scanned
(stream ``searches.results``). Every search writes one audit record (searcher, owners touched, reason,
case number, time, scope); the model keeps them as counts: records per day, and per owner agency the
number of records that touched its network. Metrics are declared in `sim.model.alpr_metrics` (docs/metrics.md);
nothing is recorded during warm-up. Units: seconds, days, reads.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from sim.config.behavior_alpr import SEARCH_SCOPES, SEARCH_TYPES
from sim.model.access import AccessTable
from sim.model.alpr_exposure import ExposureModel
from sim.model.alpr_flows import add_day, flow_rows
from sim.model.alpr_metrics import METRICS
from sim.model.alpr_places import CHANNEL_COLUMNS, CHANNELS, AgencyTally
from sim.model.alpr_reach import Reach
from sim.model.alpr_reads import Reads, agency_log_sd
from sim.model.alpr_scan import ScanTables
from sim.model.alpr_search_stats import SearchStats
from sim.model.alpr_searches import NATIONAL, SearchGenerator
from sim.model.alpr_state_flows import StateFlows
from sim.model.component import Component
from sim.model.context import DAY_S, SimContext, weekday
from sim.model.platform import ServerPool, ServiceSampler
from sim.world.types import FEDERAL, LOCAL, SHERIFF


class AlprModel(Component):
    """The ALPR federation's reads, searches, audit and exposure, a day at a time on the run's SimPy clock."""

    metrics = METRICS

    def __init__(self, ctx: SimContext) -> None:
        super().__init__(ctx)
        sc = ctx.scenario
        world = ctx.world
        fx = ctx.effects
        self.reads = Reads(world, sc.behavior.alpr, fx.alpr_retention_days, ctx.platform.ingest.capacity_reads_per_s,
                           ctx.streams)
        self.searches = SearchGenerator(world, sc.behavior.searches, fx, ctx.streams)
        access = AccessTable(world, fx)
        self.reach = Reach(world, access, self.reads.retention, tuple(self.searches.windows), fx.national_lookup,
                           fx.federal_lookup, fx.federal_admitted)
        # per-agency counts for by_agency and audit_by_agency (sim.model.alpr_places), by audited reason
        reasons = self.searches.reasons if fx.search_reason_required else ["unspecified"]
        self.tally = AgencyTally(world, fx, access, reasons)
        del access
        self.scope_mask = self.reach.mask.reshape(-1, self.reach.mask.shape[-1])  # [federal * 3 + scope, N_CAT]
        covers = self.scope_mask.T.astype(float)
        self.scope_networks = self.reach.networks @ covers  # [searcher, federal * 3 + scope]
        self.scope_cameras = self.reach.cameras @ covers
        # per search and category, each day: the categories the reach's window tables keep
        self.scan = ScanTables(self.scope_mask, self.reach.networks > 0, self.reach.layout)
        self.reach.prefill(self.reads.window(min(self.reads.length, self.reach.max_window)))
        self.exposure = ExposureModel(world, sc.behavior.exposure, self.reach, self.reads.camera_mult,
                                      self.reads.retention, ctx.streams)
        self.sampler = ServiceSampler(ctx.platform.search.service_time, ctx.streams.get("searches.service"))
        self.per_million_s = ctx.platform.search.per_million_reads_s
        self.type_cost = np.array([ctx.platform.search.cost_of(t) for t in SEARCH_TYPES])  # base-time multiplier per type
        self.results_per_read = sc.behavior.searches.results_per_million_reads / 1e6
        self.results_rng = ctx.streams.get("searches.results")
        self.queue = ServerPool(ctx.env, ctx.platform.search.workers, record_from=ctx.warmup_s)
        self.reason_required = fx.search_reason_required
        self.read_cum = np.concatenate([[0.0], np.cumsum(self.reads.profile)])
        self.kind = np.asarray(world.agencies.kind, dtype=np.int64)
        self.has_cam = np.asarray(world.agencies.cameras) > 0
        self.state = np.asarray(world.agencies.state, dtype=np.int16)
        self.state_flows = StateFlows(self.reach, self.kind, self.has_cam, self.reads.owner_rate)  # flows_by_state (whole run)
        self.federal_category = fx.federal_category
        self.redaction = fx.audit_redaction
        self.stats = SearchStats(self.searches.reasons)  # purposes: why each search was run
        self.samples: dict[str, list[np.ndarray]] = {k: [] for k in ("networks", "cameras", "scanned", "results",
                                                                       "national_networks")}
        self.ingest_util: list[np.ndarray] = []
        self.backlog_peak = 0.0

    @property
    def per_agency(self) -> np.ndarray:
        """Recorded searches per agency, proxies excluded (calibration): `tally.runs[0]`, counted once at the end
        (it was a second daily bincount of the same searches; integer counts in float64, so the same values)."""
        return self.tally.runs[0]

    @property
    def proxy_per_agency(self) -> np.ndarray:
        """Proxy lookups run per agency: `tally.runs[1]` (see `per_agency`)."""
        return self.tally.runs[1]

    def start(self) -> None:
        self.ctx.env.process(self._run())

    def _run(self) -> Generator[simpy.Event, None, None]:
        run = self.ctx.scenario.run
        for d in range(run.warmup_days + run.days):
            with self.ctx.bulk():
                self._day(d - run.warmup_days, d)
            yield self.ctx.env.timeout(DAY_S)

    def _day(self, day: int, sim_day: int) -> None:
        """Recorded day `day` (< 0 in warm-up), simulated day `sim_day` (counted from the start, warm-up included)."""
        m = self.ctx.metrics
        r = self.reads.draw_day()
        windows = self.reach.push(r.reads)
        self.exposure.day(day)
        if day >= 0:
            m.count("alpr.reads", day, float(r.reads.sum()))
            self.tally.add_reads(r.reads, r.hits_by_owner, r.held_by_owner)
            m.count("alpr.misreads", day, r.misreads)
            m.count("alpr.hotlist_hits", day, r.hits)
            m.count("alpr.alerts_false", day, r.false_alerts)
            m.count("alpr.alerts_true", day, r.hits - r.false_alerts)
            m.count("alpr.stops", day, r.stops)
            m.level("storage.reads_held", day, r.held)
            m.level("ingest.utilization_peak", day, float(r.ingest_util.max()))
            m.level("ingest.utilization_mean", day, float(r.ingest_util.mean()))
            self.ingest_util.append(r.ingest_util)
            self.backlog_peak = max(self.backlog_peak, r.backlog_peak)
            self.stats.count_day(weekday(sim_day))
        self._searches(day, sim_day, *windows)

    def _searches(self, day: int, sim_day: int, a_w: np.ndarray, b_w: np.ndarray) -> None:
        b = self.searches.day(sim_day)
        if not len(b):
            return
        t0 = sim_day * DAY_S
        s = b.searcher
        hour = np.minimum((b.t // 3600).astype(np.int64), 23)
        frac = self.read_cum[hour] + (b.t / 3600 - hour) * self.reads.profile[hour]
        fed_scope = self.reach.federal[s] * len(SEARCH_SCOPES) + b.scope
        # The (searches, N_CAT) tables are built in flow-row order (searcher type, proxies last; stable), which
        # makes each row of the day's flow table one block (`add_day`); `o` maps that order to the batch's.
        kind_s = self.kind[s]  # the searchers' types (used four times)
        o = np.argsort(flow_rows(kind_s, b.proxy), kind="stable")
        s_o = s[o]
        # Reads scanned per category: A + f B of the search's window, rows of the (window x searcher) tables,
        # within the categories its scope covers (`sim.model.alpr_scan`; per_cat, touched valid for this day).
        row = self.reach.window_index[b.window[o]] * a_w.shape[1] + s_o
        per_cat, scanned_o, touched = self.scan.day(a_w.reshape(-1, a_w.shape[-1]), b_w.reshape(-1, b_w.shape[-1]),
                                                    row, frac[o], fed_scope[o], b.blocked[o], s_o)
        scanned = np.empty_like(scanned_o)
        scanned[o] = scanned_o
        run = ~b.blocked  # a search refused by moderation reaches nothing
        # (searcher, federal * 3 + scope) cells by flat index: one 1-D take each instead of a 2-D fancy index
        cell = s * self.scope_networks.shape[1] + fed_scope
        networks = self.scope_networks.take(cell) * run
        cameras = self.scope_cameras.take(cell) * run
        results = self.results_rng.poisson(scanned * self.results_per_read)
        service = self.sampler.draw(len(b)) * self.type_cost[b.type] + self.per_million_s * scanned / 1e6
        self.queue.feed(t0 + b.t, service)
        if day < 0:
            return
        m = self.ctx.metrics
        fed = kind_s == FEDERAL
        m.count("alpr.searches", day, len(b))
        # Counts of bool arrays by np.count_nonzero (a popcount; `.sum()` first casts every bool to an int64):
        # the same integers, ~1/10 of the time on a day's ~50,000 searches.
        fed_direct = int(np.count_nonzero(fed & ~b.proxy))
        m.count("alpr.searches_federal_own", day, fed_direct)
        m.count("alpr.searches_federal_proxy", day, int(np.count_nonzero(b.proxy)))
        m.count("audit.records", day, len(b))
        m.count("audit.owner_entries", day, float(networks.sum()))
        m.count("search.results", day, float(results.sum()))
        m.count("search.case_numbers", day, int(np.count_nonzero(b.case)))
        for i, n_s in enumerate(np.bincount(b.scope, minlength=len(SEARCH_SCOPES)).tolist()):
            m.count(f"search.scope.{SEARCH_SCOPES[i]}", day, n_s)
        for i, n_t in enumerate(np.bincount(b.type, minlength=len(SEARCH_TYPES)).tolist()):
            m.count(f"search.type.{SEARCH_TYPES[i]}", day, n_t)
        if self.reason_required:
            for i, n_r in enumerate(np.bincount(b.reason, minlength=len(self.searches.reasons)).tolist()):
                m.count(f"search.reason.{self.searches.reasons[i]}", day, n_r)
        else:
            m.count("search.reason.unspecified", day, len(b))
        own = float(np.count_nonzero(self.has_cam[s] & run))  # entries in the searcher's own network audit
        m.count("audit.owner_entries_identified", day, own if self.redaction else float(networks.sum()))
        m.count("search.moderation.blocked", day, int(np.count_nonzero(b.blocked)))
        m.count("search.moderation.warned", day, int(np.count_nonzero(b.warned)))
        unseen_blocked, unseen_warned = self.searches.unseen(b)
        self.tally.add_runs(s, b.proxy, b.blocked, b.warned, unseen_blocked, unseen_warned)
        m.count("search.moderation.unseen_blocked", day, int(np.count_nonzero(unseen_blocked)))
        m.count("search.moderation.unseen_warned", day, int(np.count_nonzero(unseen_warned)))
        m.count("search.purpose.immigration", day, int(np.count_nonzero(b.purpose == self.searches.proxy_reason)))
        m.count("search.scope_downgraded", day, int(np.count_nonzero(b.downgraded)))
        m.count("alpr.searches_federal_labelled", day, fed_direct if self.federal_category else 0)
        reason = b.reason[run] if self.reason_required else np.zeros(int(np.count_nonzero(run)), dtype=np.int64)
        self.tally.add_searches(s[run], b.scope[run], b.proxy[run], reason)  # a blocked search touches no network
        for key, val in (("networks", networks), ("cameras", cameras), ("scanned", scanned), ("results", results)):
            self.samples[key].append(val.astype(np.float64))
        self.samples["national_networks"].append(networks[(b.scope == NATIONAL) & ~fed].astype(np.float64))
        self.stats.add(kind_s, b.scope, networks, cameras, b.proxy, hour, b.purpose, self.state[s],
                       weekday(sim_day), b.window)
        results_o = results[o].astype(float)
        add_day(self.ctx.flows, day, kind_s[o], per_cat, scanned_o, touched, results_o, b.proxy[o], self.reach.layout.cols)
        per_read = np.divide(results_o, scanned_o, out=np.zeros(len(scanned_o)), where=scanned_o > 0)
        self.state_flows.add_day(s_o, per_read, per_cat, b.proxy[o], b.window[o], b.scope[o])

    def finish(self) -> None:
        ctx = self.ctx
        m = ctx.metrics
        days = ctx.scenario.run.days
        cat = {k: (np.concatenate(v) if v else np.zeros(0)) for k, v in self.samples.items()}

        def mean(x: np.ndarray) -> float:
            return float(x.mean()) if len(x) else 0.0

        def pct(x: np.ndarray, q: float) -> float:
            return float(np.percentile(x, q)) if len(x) else 0.0

        m.total("search.networks_touched_mean", mean(cat["networks"]))
        qs = (50, 90, 95)  # one call: one partition of the run's samples for the three (the same values)
        at = np.percentile(cat["networks"], qs).tolist() if len(cat["networks"]) else [0.0] * len(qs)
        for q, v in zip(qs, at, strict=True):
            m.total(f"search.networks_touched_p{q}", float(v))
        m.total("search.networks_touched_national_mean", mean(cat["national_networks"]))
        m.total("search.cameras_touched_mean", mean(cat["cameras"]))
        m.total("search.cameras_touched_p95", pct(cat["cameras"], 95))
        m.total("search.reads_scanned_mean", mean(cat["scanned"]))
        m.total("search.reads_scanned_p95", pct(cat["scanned"], 95))
        m.total("search.results_mean", mean(cat["results"]))
        for name, value in self.queue.stats("search", ctx.horizon_s).items():
            m.total(name, value)
        held = m.daily.get("storage.reads_held")
        m.total("storage.reads_held", float(held.mean()) if held is not None else 0.0)
        util = np.concatenate(self.ingest_util) if self.ingest_util else np.zeros(1)
        m.total("ingest.utilization_peak", float(util.max()))
        m.total("ingest.utilization_mean", float(util.mean()))
        m.total("ingest.backlog_peak_reads", self.backlog_peak)
        reads = m.get_total("alpr.reads") if "alpr.reads" in m.daily else 0.0
        n_cams = max(len(ctx.world.cameras), 1)
        m.total("alpr.reads_per_camera_day", reads / (n_cams * days))
        m.total("alpr.hotlist_hit_share", m.get_total("alpr.hotlist_hits") / reads if reads else 0.0)
        portal_types = (self.kind == LOCAL) | (self.kind == SHERIFF)  # the types that publish portals
        m.total("alpr.reads_per_camera_day_log_sd",
                agency_log_sd(self.tally.reads, ctx.world.agencies.cameras, self.tally.days, portal_types))
        for name, value in self.stats.totals(self.kind, self.per_agency, days).items():
            m.total(name, value)
        columns = self.tally.columns(self.reach)  # by_agency; its per-channel audit columns, in CHANNELS order
        self.audit_by_channel = np.stack([columns[c] for c in CHANNEL_COLUMNS])  # (channel, owner)
        audit = self.audit_by_channel.sum(axis=0)

        def per_owner(records: np.ndarray) -> float:  # mean over the owners with cameras (an audit of their own)
            return float(records[self.has_cam].mean()) if self.has_cam.any() else 0.0

        for c, name in enumerate(CHANNELS):
            m.total(f"audit.records_per_owner_mean.{name}", per_owner(self.audit_by_channel[c]))
        m.total("audit.records_per_owner_mean", per_owner(audit))
        m.total("audit.records_per_owner_out_of_state_mean", per_owner(columns["audit.records_received_out_of_state"]))
        for q in (50, 90):
            m.total(f"audit.records_per_owner_p{q}", pct(audit[self.has_cam], q))
        m.total("audit.records_per_owner_max", float(audit.max()) if len(audit) else 0.0)
        for name, value in self.exposure.results(days).items():
            m.total(name, value)
        ctx.by_agency.update(columns)
        ctx.by_agency.update(self.searches.rate_columns(len(ctx.world.agencies)))  # the rate each agency searched at
        ctx.by_agency.update(self.reads.rate_columns(ctx.world.agencies.cameras))  # which rule set its read rate
        ctx.audit_by_agency.update(self.tally.by_reason(self.reach))
        ctx.flows_by_state.update(self.state_flows.table(self.tally.own, self.tally.proxy))

