"""The model's search scopes (`sim.model.alpr_reach`) in SQL over the service's own tables, evaluated per search.

For searcher s, owner o and scope, o's reads are visible when ``o = s``, or when the scope reaches o and o does
not refuse s. The scopes are Flock's four, as the model's searches use them (`sim.config.behavior_alpr`
``SEARCH_SCOPES``), each holding the one before:
- ``local``: s's own reads;
- ``shared``: + every owner sharing with s (a row in `grants`: a 1:1 grant, or a statewide sharing edge), in any
  state (Flock's "shared networks");
- ``statewide``: + the owners in s's state whose reads are open to lookups (Flock's statewide lookup; the model's
  assumption: the national-lookup opt-in stands for the statewide one). A federal unit has no state: its
  statewide search reaches what is shared with it;
- ``national``: + every owner whose reads are open to lookups (national lookup); for a searcher whose state's
  platform rule bars national lookup (``policy.state_rules``: ``no_national_lookup``) a national search runs
  statewide, as the model's does.
Each agency row carries its own policy, resolved at bootstrap by `sim.model.policy_effects` from the scenario's
levers and ``policy.overrides``:
- reach: an owner's reads are open to lookups when ``o.national_lookup`` (opted in, the lever on) and the
  platform's lookups admit s (policy ``national_lookup`` 1; 2 = on but closed to federal units,
  `policy.federal_access` not ``open``); a `grants` row counts unless it is a ``statewide`` edge of an owner
  whose ``statewide_sharing`` is off, or a grant to a federal unit by an owner whose ``federal_grants`` is off;
- refusal: ``refuses_out_of_state`` (a compliant owner under a state law, or a state closed by a platform rule)
  refuses searchers outside its state (federal units never are in it); ``refuses_federal`` (those, and compliant
  owners under a federal firewall) refuses federal units; ``sharing_scope`` ``none`` refuses everyone,
  ``in_state`` everyone outside its state.
Only owners with at least one camera count as networks (as `AccessTable.networks`). Tests check this query
against `sim.model.alpr_reach.Reach` on a two-state world under several policies and overrides.
"""

from __future__ import annotations

from loadtest.service.storage import Tx

SCOPE_RANK = {"local": 0, "shared": 1, "statewide": 2, "national": 3}  # each scope holds the ones before it

# o's reads are visible to s (aliases o, s and p = the policy row; :scope the rank)
RULE = """(o.id = s.id OR (
    :scope >= 1
    AND (
      EXISTS (SELECT 1 FROM grants g WHERE g.owner = o.id AND g.grantee = s.id
              AND (g.how <> 'statewide' OR o.statewide_sharing = 1) AND (o.federal_grants = 1 OR s.kind <> 'federal'))
      OR (:scope >= 2 AND o.national_lookup = 1
          AND (p.national_lookup = 1 OR (p.national_lookup = 2 AND s.kind <> 'federal'))
          AND ((o.state = s.state AND s.state <> '') OR (:scope = 3 AND s.no_national_lookup = 0)))
    )
    AND NOT (o.refuses_out_of_state = 1 AND NOT (o.state = s.state AND s.state <> ''))
    AND NOT (o.refuses_federal = 1 AND s.kind = 'federal')
    AND o.sharing_scope <> 'none'
    AND NOT (o.sharing_scope = 'in_state' AND NOT (o.state = s.state AND s.state <> ''))
  ))"""

VISIBLE_OWNERS = f"""
SELECT o.id FROM agencies o, agencies s, policy p
WHERE s.id = :searcher AND p.id = 1
  AND EXISTS (SELECT 1 FROM cameras c WHERE c.agency = o.id)
  AND {RULE}
"""

# Who may see one owner's reads (the same rule read the other way): hotlist alerts and the transparency page.
WATCHERS = f"""
SELECT s.id FROM agencies o, agencies s, policy p
WHERE o.id = :owner AND p.id = 1 AND {RULE}
"""


def visible_owners(tx: Tx, searcher: int, scope: str) -> list[int]:
    """Owners (with cameras) whose reads `searcher` may search in `scope`, ascending."""
    rows = tx.all(VISIBLE_OWNERS + " ORDER BY o.id", {"searcher": searcher, "scope": SCOPE_RANK[scope]})
    return [int(r[0]) for r in rows]


def watchers(tx: Tx, owner: int, scope: str) -> list[int]:
    """Agencies that may see `owner`'s reads in `scope` (the owner included), ascending."""
    rows = tx.all(WATCHERS + " ORDER BY s.id", {"owner": owner, "scope": SCOPE_RANK[scope]})
    return [int(r[0]) for r in rows]


def record_networks(tx: Tx, search_id: int, searcher: int, scope: str) -> int:
    """Write the owners a search may see into `search_networks` (inside the audited transaction); how many."""
    tx.execute(
        "INSERT INTO search_networks (search, owner) " + VISIBLE_OWNERS.replace("SELECT o.id", "SELECT :search_id, o.id", 1),
        {"search_id": search_id, "searcher": searcher, "scope": SCOPE_RANK[scope]},
    )
    return int(tx.scalar("SELECT count(*) FROM search_networks WHERE search = :i", {"i": search_id}))
