"""Who runs an OSM camera: the ``operator`` tag of data/flock_2026/cameras.csv.gz classified as private or not.

17,162 of the 61,768 mapped cameras carry an operator (ODbL; free text typed by mappers). `classify` sorts one
operator into four classes, by this rule, first match wins:

1. ``vendor``: a camera vendor or integrator (`VENDORS`: "Flock Safety", "Flock", Rekor, Vigilant Solutions,
   LiveView Technologies...). Not private: the vendor is named where the customer is not known.
2. ``private``, listed: a company whose name is in `COMPANIES` (retailers, malls, casinos, hospitals, logistics;
   spelling variants map to one name: "Lowes", "Lowe's Home Improvement" -> "Lowe's").
3. ``public``: a public body (`PUBLIC`: police, sheriff, "PD"/"SO" acronyms, city, county, town, state,
   department, DOT, turnpike, transit, authority, district, university, college, school, tribe...).
4. ``private``, by pattern (`PRIVATE`): an HOA or owners' body ("HOA", "association", "owners", "homeowners",
   condominiums, apartments, "landowner", "gated", "private") or a company form ("Inc", "LLC", "Corporation",
   "Company", "Properties", "Mall", "Casino", "Resort", "Hotel", "Club", "Markets", "Health"...).
5. ``unknown``: anything else (a bare place name such as "Eagan", "Unknown", a person's name).

Only ``private`` changes the world (`sim.world.flock_2026_private`); public, vendor and unknown operators stay
on the routes of `sim.world.flock_2026_cameras` (an agency by name, else the nearest). The `key` of a private
operator (its listed name, else its normalised text) names its networks. The lists are assumptions fitted to
nothing: they were written by reading the operators that tag >= 2 cameras (docs/world.md).
"""

from __future__ import annotations

import re
from functools import lru_cache

CLASSES: tuple[str, ...] = ("private", "public", "vendor", "unknown")


def norm(text: str) -> str:
    """Lower case, letters and digits only, single spaces: "[Lowe's]" -> "lowe s"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower().replace("’", "'")).split())


VENDORS = frozenset(norm(v) for v in (
    "Flock Safety", "Flock", "Flock Group Inc.", "[Flock Safety]", "Rekor", "Vigilant Solutions", "LiveView Technologies",
    "LiveView Technologies (LVT)", "ROCai", "oculens"))

# listed companies: display name -> spellings seen in the data (normalised by `norm`)
COMPANIES: dict[str, tuple[str, ...]] = {
    "Lowe's": ("Lowe's", "Lowes", "Lowe's Home Improvement", "Lowes Home Improvement", "Lowe's (retailer)",
               "Lowe's Companies, Inc", "Lowe's Home Improvement Live Oak", "Enter Lowes",
               "Lowes Home Improvement (Corporate Security"),
    "The Home Depot": ("The Home Depot", "Home Depot", "The Home Depo", "Home Depot (retailer)", "Home Deopt"),
    "Walmart": ("Walmart",), "Sam's Club": ("Sam's Club",), "Target": ("Target Corporation", "Target"),
    "CVS": ("CVS",), "Kroger": ("Kroger",), "Meijer": ("Meijer",), "Wegmans": ("Wegmans Food Markets",),
    "WinCo Foods": ("WinCo Foods",), "Dierbergs Markets": ("Dierbergs Markets",), "Scheels": ("Scheels",),
    "Fleet Farm": ("Fleet Farm",), "QuikTrip": ("QuikTrip", "QuikTrip Corporation"), "Buc-ee's": ("Buc-ee's",),
    "BJ's Wholesale Club": ("BJ's Wholesale Club", "BJs Wholesale Club"),
    "Simon Property Group": ("Simon Property Group",), "Station Casinos": ("Station Casinos",),
    "Brookfield Properties": ("Mayfair Mall / Brookfield Properties Retail Inc.", "Brookfield Property Partners"),
    "Kenwood Towne Center": ("Kenwood Towne Center",), "Southfield Town Center": ("Southfield Town Center",),
    "Fashion Show Mall": ("Fashion Show Mall",), "Park Meadows": ("Park Meadows",), "Arizona Mills": ("Arizona Mills",),
    "The Corners of Brookfield": ("The Corners of Brookfield",), "Mellody Farms": ("Mellody Farms",),
    "Great Wolf Lodge": ("Great Wolf Lodge",), "United Wholesale Mortgage": ("United Wholesale Mortgage",),
    "Kaiser Permanente": ("Kaiser Permanente",), "ProMedica": ("ProMedica",), "WakeMed": ("WakeMed",),
    "Froedtert": ("ThedaCare-Froedtert Health", "froedtert"), "FedEx": ("FedEx",), "DHL": ("DHL",),
    "Boeing": ("Boeing",), "General Motors": ("General Motors",), "Nordam": ("Nordam",), "PulteGroup": ("PulteGroup",),
    "Bowlero": ("Bowlero",), "Omni Hotels & Resorts": ("Omni Hotels & Resorts",), "M Resort": ("M Resort",),
    "The Vanguard Group": ("The Vanguard Group",), "Pebble Beach Company": ("Pebble Beach Company",),
    "Clean Express Auto Wash": ("Clean Express Auto Wash",), "Shiny Shell Carwash": ("Shiny Shell Carwash",),
    "Ted Britt Chevrolet": ("Ted Britt Chevrolet",), "Reyes Coca-Cola Bottling": ("Reyes Coca-Cola Bottling",),
}
LISTED: dict[str, str] = {norm(v): name for name, spellings in COMPANIES.items() for v in spellings}

PUBLIC = re.compile(
    r"\b(police|sheriff\w*|sherrif\w*|sheriif\w*|pd|so|dps|department|dept|city|county|town|township|village|state|"
    r"commonwealth|government|public|patrol|marshal\w*|constable|highway|turnpike|transit|transportation|dot|d o t|"
    r"mta|m t a|panynj|authority|district|isd|university|college|school|academy|court|federal|nation|tribal|tribe|"
    r"port|airport|parks?|commission|municipal|borough|bureau|united states|wsdot|wisdot|lasd)\b"
    r"|(pd|so)$")  # "ZionsvillePD", "PaducahPD" (acronyms run into the name)
PRIVATE = re.compile(
    r"\b(hoa|association|owners?|homeowners?|homeowner s|condominiums?|apartments?|landowner|gated|private|"
    r"inc|llc|corp|corporation|company|co|properties|property|real estate|mall|casino|casinos|resort|hotel|inn|"
    r"lodge|club|markets?|foods|wholesale|carwash|car wash|management|bank|health|medical center|hospital)\b"
    r"|hoa$")  # "NETHOA"


@lru_cache(maxsize=4096)
def classify(operator: str) -> tuple[str, str]:
    """(class, key) of one OSM operator: class in `CLASSES` (module docstring for the rule); key the network name
    of a private operator (listed name, else the normalised text), "" otherwise. "" (no operator) is unknown."""
    k = norm(operator)
    if not k:
        return "unknown", ""
    if k in VENDORS:
        return "vendor", ""
    if k in LISTED:
        return "private", LISTED[k]
    if PUBLIC.search(k):
        return "public", ""
    if PRIVATE.search(k):
        return "private", operator.strip().strip("[]").strip()
    return "unknown", ""


HOA = re.compile(r"\b(hoa|association|owners?|homeowners?|homeowner s|condominiums?|apartments?|landowner|gated)\b|hoa$")


def owner_kind(key: str) -> str:
    """``hoa`` for an HOA or owners' body (its name says so), else ``business`` (the place kinds of private owners)."""
    return "hoa" if HOA.search(norm(key)) else "business"
