"""Sheriffs against local police in the shipped data: which per-type differences rise above sampling noise.

The model pools local police and sheriffs for some behaviour (their sharing degree, and until 2026-12-06 their
search rates). This module reads the two shipped snapshots by agency type and says, for each figure, whether the
sheriffs differ from local police by more than sampling noise:

- 2026-04 (data/flock_2026, `sim.world.flock_2026_data.read_nodes`): the portals' ``type`` ``so`` (sheriffs, 111)
  and ``pd`` (police departments, 776; the 19 school portals are left out), their ``connectionCount`` (agencies each
  shares with or receives from) and 30-day ``searches`` (`sim.calibration.portals.portal_searches_by_type`); and
  the organisations without a portal (active, not junk), whose ``connectionCount`` counts the portals whose lists
  name them (both directions: it cannot tell granting from receiving);
- 2024-04 (data/private_eyes, N&O): organisations typed by name (`sim.world.agency_names.parse_kind`): the 308
  portals with a 30-day search count (29 sheriffs, 279 local police), and the
  sharing lists of the 224 listing agencies (23 sheriffs, 201 local police): out-degree, share of edges in the
  owner's state, agencies sharing with >= 95% of their state's listed agencies, and in-degree (listing agencies
  that share with each recipient).

How noise is judged (`bootstrap`): each type's agencies are resampled with replacement (`BOOT` times, a fixed seed)
and the statistic's sheriff-minus-police difference recomputed; a difference is "beyond noise" when the central 95%
of those differences excludes 0. Shares (of agencies with no search, with >= 1,000 connections, sharing statewide)
take Newcombe's hybrid-score interval instead (`share_difference`), which holds at a share of 0. For search rates
the statistics are the parameters the model draws from (`behavior.searches.per_agency_30d_median`,
``per_agency_sigma``, ``per_agency_zero_share``: the zero-inflated lognormal of `sim.calibration.fit`, compared on
the log scale for the median); where only the median differs, `sim.calibration.fit.fit_by_type` fits one median
per type with a common log-sd and zero share.

Units: agencies; searches per agency per 30 days; shares in [0, 1]; log-sd in natural-log units.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from sim.calibration.fit import fit_by_type, fit_lognormal
from sim.calibration.portals import NODE_TYPES, PORTAL_TYPES, portal_searches_by_type
from sim.world.agency_names import parse_kind, parse_state
from sim.world.flock_2026_data import SHIPPED as FLOCK_2026
from sim.world.flock_2026_data import read_nodes
from sim.world.private_eyes import SHIPPED as PRIVATE_EYES
from sim.world.private_eyes import read_portal_data
from sim.world.types import AGENCY_TYPES

BOOT = 2000  # bootstrap resamples
SEED = 20240426  # the 2024 snapshot's date: a fixed stream for the bootstrap (no model draw uses it)
Z95 = 1.959964
STATEWIDE_AT = 0.95  # as `shipped_figures.statewide_sharers_2024`'s reading behind world.sharing.statewide_share


@dataclass(frozen=True)
class Difference:
    """A statistic for sheriffs and local police, their difference and its bootstrap 95% interval."""

    name: str
    sheriff: float
    police: float
    low: float  # 2.5% of the bootstrap differences (sheriff - police)
    high: float  # 97.5%

    @property
    def diff(self) -> float:
        return self.sheriff - self.police

    @property
    def beyond_noise(self) -> bool:
        return self.low > 0 or self.high < 0


def bootstrap(name: str, sheriff: np.ndarray, police: np.ndarray, stat: Callable[[np.ndarray], float],
              boot: int = BOOT, seed: int = SEED) -> Difference:
    """`stat` of each group and the 95% interval of its difference over `boot` resamples of each group."""
    rng = np.random.default_rng(seed)
    a, b = np.asarray(sheriff, dtype=float), np.asarray(police, dtype=float)
    d = np.array([stat(a[rng.integers(0, len(a), len(a))]) - stat(b[rng.integers(0, len(b), len(b))])
                  for _ in range(boot)])
    low, high = np.percentile(d, [2.5, 97.5])
    return Difference(name, stat(a), stat(b), float(low), float(high))


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a share k / n."""
    p = k / n
    centre, half = (p + z * z / (2 * n)) / (1 + z * z / n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def share_difference(name: str, sheriff: np.ndarray, police: np.ndarray) -> Difference:
    """Shares of True in two groups and Newcombe's hybrid-score 95% interval of their difference (a bootstrap fails
    at a share of 0: 0 of 29 resamples to 0 every time)."""
    k1, n1, k2, n2 = int(np.sum(sheriff)), len(sheriff), int(np.sum(police)), len(police)
    p1, p2 = k1 / n1, k2 / n2
    (l1, u1), (l2, u2) = wilson(k1, n1), wilson(k2, n2)
    d = p1 - p2
    return Difference(name, p1, p2, d - math.hypot(p1 - l1, u2 - p2), d + math.hypot(u1 - p1, p2 - l2))


def quantile(q: float) -> Callable[[np.ndarray], float]:
    return lambda x: float(np.quantile(x, q))


def log_fit_median(x: np.ndarray) -> float:
    return math.log(fit_lognormal(x).median)


def fit_sigma(x: np.ndarray) -> float:
    return fit_lognormal(x).sigma


@lru_cache(maxsize=1)
def connections_2026() -> dict[str, np.ndarray]:
    """Type -> ``connectionCount`` of the 2026 portals of that type (``so`` / ``pd``), and ``<type>_listed`` -> that
    of the active organisations of that type without a portal (the portals whose lists name them)."""
    n = read_nodes(FLOCK_2026)
    out: dict[str, np.ndarray] = {}
    for t, code in NODE_TYPES.items():
        out[t] = n.connections[n.portal & (n.type == code)].astype(float)
        out[f"{t}_listed"] = n.connections[~n.portal & ~n.inactive & ~n.junk & (n.type == code)].astype(float)
    return out


@lru_cache(maxsize=1)
def sharing_lists_2024() -> dict[str, dict[str, np.ndarray]]:
    """Type -> per listing agency of that type: ``out_degree``, ``in_state`` (edges to its own state's agencies),
    ``statewide`` (1.0 if it shares with >= `STATEWIDE_AT` of its state's listed agencies); and per recipient of
    that type: ``in_degree`` (listing agencies sharing with it). Agencies without a state in their name are left
    out of ``in_state`` and ``statewide``."""
    data = read_portal_data(PRIVATE_EYES)
    kind = {aid: AGENCY_TYPES[parse_kind(name)] for aid, name in data.names.items()}
    state = {aid: parse_state(name) for aid, name in data.names.items()}
    out: defaultdict[int, set[int]] = defaultdict(set)
    into: defaultdict[int, set[int]] = defaultdict(set)
    listed: defaultdict[str, set[int]] = defaultdict(set)
    for src, ext in data.edges:
        out[src].add(ext)
        into[ext].add(src)
        for aid in (src, ext):
            if state[aid]:
                listed[state[aid]].add(aid)
    res: dict[str, dict[str, list[float]]] = {t: defaultdict(list) for t in PORTAL_TYPES}
    for src, ext in out.items():
        if kind[src] not in res:
            continue
        r = res[kind[src]]
        r["out_degree"].append(len(ext))
        if state[src]:
            own = listed[state[src]] - {src}
            k = sum(1 for e in ext if state[e] == state[src])
            r["in_state"].append(k / len(ext))
            r["statewide"].append(float(bool(own) and k >= STATEWIDE_AT * len(own)))
    for ext, srcs in into.items():
        if kind[ext] in res:
            res[kind[ext]]["in_degree"].append(len(srcs))
    return {t: {k: np.array(v) for k, v in r.items()} for t, r in res.items()}


def search_differences(by_type: dict[str, np.ndarray], boot: int = BOOT) -> list[Difference]:
    """Sheriffs against local police: the searches' fitted parameters (`sim.calibration.fit`) and two quantiles."""
    a, b = by_type["sheriff"], by_type["local_police"]
    return [bootstrap("log median (lognormal fit)", a, b, log_fit_median, boot),
            bootstrap("log-sd (lognormal fit)", a, b, fit_sigma, boot),
            share_difference("zero share", a <= 0, b <= 0),
            bootstrap("median", a, b, quantile(0.5), boot),
            bootstrap("p75", a, b, quantile(0.75), boot)]


def connection_differences(by_type: dict[str, np.ndarray], key: str = "", boot: int = BOOT) -> list[Difference]:
    """Sheriffs against police departments: ``connectionCount`` of the portals (`key` "") or of the organisations
    without a portal (`key` "_listed")."""
    a, b = by_type[f"sheriff{key}"], by_type[f"local_police{key}"]
    rows = [bootstrap("log(1 + connections), mean", a, b, lambda x: float(np.log1p(x).mean()), boot),
            bootstrap("median", a, b, quantile(0.5), boot), bootstrap("p90", a, b, quantile(0.9), boot)]
    if not key:
        rows.append(share_difference("share >= 1,000", a >= 1000, b >= 1000))
    return rows


def sharing_differences(lists: dict[str, dict[str, np.ndarray]], boot: int = BOOT) -> list[Difference]:
    """Sheriffs against local police in the 2024 sharing lists."""
    s, p = lists["sheriff"], lists["local_police"]
    return [bootstrap("out-degree, log mean", s["out_degree"], p["out_degree"], lambda x: float(np.log(x).mean()),
                      boot),
            bootstrap("out-degree, median", s["out_degree"], p["out_degree"], quantile(0.5), boot),
            bootstrap("in-state share of edges, mean", s["in_state"], p["in_state"], lambda x: float(x.mean()), boot),
            share_difference(f"share sharing with >= {STATEWIDE_AT:.0%} of their state", s["statewide"] > 0,
                             p["statewide"] > 0),
            bootstrap("in-degree, mean", s["in_degree"], p["in_degree"], lambda x: float(x.mean()), boot),
            bootstrap("in-degree, median", s["in_degree"], p["in_degree"], quantile(0.5), boot)]


def _q(x: np.ndarray) -> str:
    return " / ".join(f"{v:,.1f}".replace(".0", "") for v in np.quantile(x, [0.25, 0.5, 0.75, 0.9]))


def _n(x: float, sign: str = "") -> str:
    """A figure as the report prints it: whole (thousands separated) from 10 up or when it is whole, else 3 decimals."""
    return f"{x:{sign},.3f}" if abs(x) < 10 and not float(x).is_integer() else f"{x:{sign},.0f}"


def _rows(title: str, rows: list[Difference]) -> list[str]:
    out = [title]
    for d in rows:
        verdict = "BEYOND NOISE" if d.beyond_noise else "within noise"
        out.append(f"  {d.name}: sheriffs {_n(d.sheriff)}, local police {_n(d.police)}; difference {_n(d.diff, '+')} "
                   f"[{_n(d.low, '+')}, {_n(d.high, '+')}] ({verdict})")
    return out


def report_lines(boot: int = BOOT) -> list[str]:
    """What `python -m sim.calibration.shipped_figures` prints for sheriffs against local police (`boot` resamples)."""
    lines: list[str] = []
    conn = connections_2026()
    for t in PORTAL_TYPES:
        c = conn[t]
        lines.append(f"2026 portals, {t}: {len(c)}; connectionCount p25/median/p75/p90 {_q(c)}; "
                     f">= 1,000 {np.mean(c >= 1000):.1%}; without a portal: {len(conn[t + '_listed']):,}, "
                     f"{_q(conn[t + '_listed'])}")
    lines += _rows("2026 portals' connectionCount, sheriffs - police departments", connection_differences(conn, boot=boot))
    lines += _rows("2026 organisations without a portal, connectionCount",
                   connection_differences(conn, "_listed", boot))
    lists = sharing_lists_2024()
    for t in PORTAL_TYPES:
        r = lists[t]
        lines.append(f"2024 lists, {t}: {len(r['out_degree'])} listing agencies, out-degree p25/median/p75/p90 "
                     f"{_q(r['out_degree'])}; in-degree of {len(r['in_degree']):,} recipients, mean "
                     f"{r['in_degree'].mean():.1f}")
    lines += _rows("2024 sharing lists", sharing_differences(lists, boot))
    for period in ("2024", "2026"):
        by_type = portal_searches_by_type(period)
        for t in PORTAL_TYPES:
            x = by_type[t]
            f = fit_lognormal(x)
            lines.append(f"{period} portals' searches per 30 days, {t}: {len(x)}; p25/median/p75/p90 {_q(x)}; mean "
                         f"{x.mean():,.0f}; none {np.mean(x <= 0):.1%}; own fit median {f.median:,.1f}, log-sd "
                         f"{f.sigma:.2f}")
        lines += _rows(f"{period} searches per 30 days", search_differences(by_type, boot))
        fit = fit_by_type(by_type)
        lines.append(f"  one median per type (common log-sd {fit.sigma:.3f}, zero share {fit.zero_share:.4f}): "
                     + ", ".join(f"{t} {m:,.1f}" for t, m in fit.median.items()))
    return lines
