"""Synthetic agencies: type, state, location, national-lookup opt-in and a draw for state-law compliance.

Counts by type come from `world.agencies` (>5,000 police agencies on Flock, press 2025). Local police
and sheriff offices are split over the scenario's states in proportion to population (2020 Census;
Hamilton's method, so the split is exact and deterministic); state police get one agency per state,
the most populous states first, then again by population if there are more than states. Only states
have state police: the District of Columbia (`sim.geo.states.NOT_STATES`) has none, its Metropolitan
Police being a local force, so `states: all` gives each of the 50 states one. Federal units (one node
each) sit in Washington, DC with state -1. Agencies are ordered local police, sheriffs, state police
(the population order of all the world's codes, Wyoming standing where DC would), federal units.

Flags, drawn with one uniform number per agency so that changing a share gives nested sets (common
random numbers across scenarios):
- ``national_lookup``: owner opted into Flock's national lookup with probability
  ``world.sharing.national_lookup_share`` (~75%, ACLU 2025). Federal units own no reads: False.
- ``compliance_draw``: the uniform number itself; the model's policy (`sim.model.policy_effects`) makes an
  agency honour its state's sharing law (and a federal firewall) when it is below
  ``policy.state_law_compliance`` (assumption; 71 California violations documented in 2023).

Synthetic agencies have no retention of their own (``retention_days`` 0): the policy's default applies.
"""

from __future__ import annotations

import numpy as np

from sim.config.world import World as WorldConfig
from sim.geo.states import BY_CODE, NOT_STATES, STATE_CODES
from sim.rng import Streams
from sim.world.geo import FEDERAL_SEAT, largest_remainder, points_in_states, to_latlon, to_xy
from sim.world.types import FEDERAL, LOCAL, SHERIFF, STATE_POLICE, Agencies

KIND_ABBREV = {LOCAL: "PD", SHERIFF: "SO", STATE_POLICE: "State Police"}


def _state_police_states(codes: list[str], count: int) -> list[str]:
    """The state of each of `count` state police agencies: one per state of `codes`, the most populous first,
    then again by population if `count` exceeds the states; none in a non-state (DC).

    Order: the population order of every code, a non-state's place among the first `count` going to the state it
    would have left out (Wyoming where DC stands). Before DC was left out, DC held that place and Wyoming had
    none; this order moved only that agency, every other one keeping its position and so the random draws made
    per agency in order.
    """
    order = sorted(codes, key=lambda c: -BY_CODE[c].population_m)
    chosen = [c for c in order if c not in NOT_STATES][:count]
    top = order[:count]
    left_out = [c for c in chosen if c not in top]
    first: list[str] = []
    for code in top:
        if code not in NOT_STATES:
            first.append(code)
        elif left_out:
            first.append(left_out.pop(0))
    rest = count - len(first)
    states = [c for c in codes if c not in NOT_STATES]
    if rest <= 0 or not states:
        return first
    pops = np.array([BY_CODE[c].population_m for c in states])
    extra = largest_remainder(rest, pops)
    return first + [c for c, k in zip(states, extra, strict=True) for _ in range(int(k))]


def synthetic_agencies(cfg: WorldConfig, streams: Streams) -> Agencies:
    """Agencies of a synthetic world (cameras are filled in by `sim.world.alpr`)."""
    codes = cfg.state_codes
    pops = np.array([BY_CODE[c].population_m for c in codes])
    names: list[str] = []
    kinds: list[np.ndarray] = []
    state_codes: list[str] = []
    for kind, count in ((LOCAL, cfg.agencies.local_police), (SHERIFF, cfg.agencies.sheriff)):
        per_state = largest_remainder(count, pops)
        for code, k in zip(codes, per_state, strict=True):
            names.extend(f"{code} {KIND_ABBREV[kind]} {i + 1:04d}" for i in range(int(k)))
            state_codes.extend([code] * int(k))
        kinds.append(np.full(count, kind, dtype=np.int8))
    sp_states = _state_police_states(codes, cfg.agencies.state_police)
    seen: dict[str, int] = {}
    for code in sp_states:
        seen[code] = seen.get(code, 0) + 1
        names.append(f"{code} State Police" + (f" {seen[code]}" if seen[code] > 1 else ""))
    state_codes.extend(sp_states)
    kinds.append(np.full(len(sp_states), STATE_POLICE, dtype=np.int8))
    code_index = {c: i for i, c in enumerate(STATE_CODES)}
    local_codes = sorted(set(state_codes), key=codes.index)
    local_pos = {c: i for i, c in enumerate(local_codes)}
    x, y = points_in_states(local_codes, np.array([local_pos[c] for c in state_codes], dtype=np.int64),
                            streams.get("world.agencies.location"))
    units = cfg.agencies.federal_units
    fx, fy = to_xy(np.full(len(units), FEDERAL_SEAT[0]), np.full(len(units), FEDERAL_SEAT[1]))
    x = np.concatenate([x, fx])
    y = np.concatenate([y, fy])
    lat, lon = to_latlon(x, y)
    kind = np.concatenate(kinds + [np.full(len(units), FEDERAL, dtype=np.int8)])
    state = np.array([code_index[c] for c in state_codes] + [-1] * len(units), dtype=np.int16)
    agencies = Agencies(
        name=np.array(names + list(units), dtype=object),
        kind=kind,
        state=state,
        lat=lat,
        lon=lon,
        x_m=x,
        y_m=y,
        national_lookup=np.zeros(len(kind), dtype=bool),
        compliance_draw=np.ones(len(kind)),
        cameras=np.zeros(len(kind), dtype=np.int32),
        retention_days=np.zeros(len(kind), dtype=np.int16),
        defaulted=np.zeros(len(kind), dtype=bool),
        unit=np.array([""] * (len(kind) - len(units)) + list(units), dtype=object),
    )
    draw_flags(agencies, cfg, streams)
    return agencies


def draw_flags(agencies: Agencies, cfg: WorldConfig, streams: Streams) -> None:
    """Set ``national_lookup`` and ``compliance_draw`` in place (federal units: False and 1.0)."""
    n = len(agencies)
    owner = agencies.kind != FEDERAL
    u_lookup = streams.get("world.agencies.national_lookup").uniform(size=n)
    u_comply = streams.get("world.agencies.compliance").uniform(size=n)
    agencies.national_lookup = owner & (u_lookup < cfg.sharing.national_lookup_share)
    agencies.compliance_draw = np.where(owner, u_comply, 1.0)
