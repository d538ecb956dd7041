"""Where the real-geography world's agency positions are approximate, from how the lists geocoded them.

Each node of the 2026 lists is a point FlockHopper geocoded (``Nodes.geocode``, its ``geocodeMethod``): a city or
town of the agency's name ("place", 3,712 nodes), a county ("county", 1,014), Google's answer ("google", 1,399),
or, approximately, a place named like the agency's county or township ("place_variant", 279: 249 of the 1,261
sheriffs, e.g. Austin County TX SO at the city of Austin, whose county seat is Bellville; Alachua County FL SO at
Alachua, not Gainesville; Fairfax County VA PD at the city of Fairfax) or one point for a whole state ("state",
19). The world keeps every point as it is: nothing shipped gives a county's or township's position (the states
file holds state polygons only; the OSM cameras a sheriff's name operates stand about as far from its point for the
24 place-variant sheriffs that have any as for the 66 county-geocoded ones, median 15.0 against 15.4 km, though p90
149 against 31 km: a few far off, too few to place the rest). The states file
allows one check, a point outside its own state's polygon: 18 of the world's agencies, every one a coastal or
border place the simplified polygons miss (Alameda CA, Nahant MA, Jupiter Inlet Colony FL; Carter Lake IA, west of
the Missouri; Seekonk MA on the Rhode Island line; Saint Croix Falls MN PD, whose city is Wisconsin's, on the line),
so it flags nothing and is not made.

`approximate_locations` gives per agency a short reason ("" where nothing is known to be wrong), which
`fedsim world --focus-agency` prints and the world notes count. Positions matter where distance does: the OSM
cameras an agency takes by the nearest rule (within ``world.flock.nearest_radius_m``), where its added cameras
and people stand (``world.alpr.placement_radius_m``), and the cameras "around" it in a city's brief.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from sim.world.types import AGENCY_TYPES

PLACE_VARIANT = ("location approximate: geocoded to the city or town named like its county or township, not the "
                 "county or township itself (FlockHopper geocodeMethod place_variant; the data hold no county or "
                 "township positions)")
WHOLE_STATE = ("location approximate: geocoded to one point for its whole state (FlockHopper geocodeMethod state), "
               "not to its city or county")


def approximate_locations(geocode: np.ndarray) -> np.ndarray:
    """Per agency (``geocode``: its node's, "" for units the world adds), why its position is approximate, or ""."""
    out = np.full(len(geocode), "", dtype=object)
    out[geocode == "place_variant"] = PLACE_VARIANT
    out[geocode == "state"] = WHOLE_STATE
    return out


def locations_note(location: np.ndarray, kind: np.ndarray) -> str:
    """The world note counting approximate positions by reason and agency type."""
    def by_type(mask: np.ndarray) -> str:
        counts = Counter(AGENCY_TYPES[k] for k in kind[mask])
        return ", ".join(f"{n:,} {t}" for t, n in counts.most_common()) or "none"

    variant, whole = location == PLACE_VARIANT, location == WHOLE_STATE
    return (f"flock-2026 locations: {int(variant.sum()):,} agencies geocoded to a city or town named like their county "
            f"or township ({by_type(variant)}), {int(whole.sum()):,} to one point for their state ({by_type(whole)}); "
            "positions kept as the lists give them (no county positions in the data); fedsim world --focus-agency says "
            "so for each")
