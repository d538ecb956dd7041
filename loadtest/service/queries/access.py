"""The sharing rules of `sim.model.access`, in SQL over the service's own tables, evaluated per search.

For searcher s, owner o and scope (0 local, 1 statewide, 2 national, 3 shared), o's reads are visible when
``o = s``, or when the scope reaches o and o does not refuse s:
- reach: shared -> o shares with s (a row in `grants`), in any state (Flock's "shared networks");
  statewide -> o shares with s (a row in `grants`, 1:1 or statewide) and both are in the same state;
  national -> o shares with s (any state), or o opted into national lookup and the policy allows it
  (policy ``national_lookup`` 1; 2 = on but closed to federal units, `policy.federal_access` not ``open``);
- refusal: o is law-compliant in a state-law state and s is not in o's state (federal units never are);
  the federal firewall and a law-compliant o with a federal s; sharing scope ``none`` (always) or
  ``in_state`` (s out of o's state).
Only owners with at least one camera count as networks (as `AccessTable.networks`). Tests check this query
against `sim.model.access.AccessTable` on the small scenario's world under several policies.
"""

from __future__ import annotations

from loadtest.service.storage import Tx

SCOPE_RANK = {"local": 0, "statewide": 1, "national": 2, "shared": 3}

# o's reads are visible to s (aliases o, s and p = the policy row; :scope the rank)
RULE = """(o.id = s.id OR (
    :scope >= 1
    AND (
      (:scope = 1 AND o.state = s.state AND s.state <> ''
        AND EXISTS (SELECT 1 FROM grants g WHERE g.owner = o.id AND g.grantee = s.id))
      OR (:scope = 3 AND EXISTS (SELECT 1 FROM grants g WHERE g.owner = o.id AND g.grantee = s.id))
      OR (:scope = 2 AND (
        EXISTS (SELECT 1 FROM grants g WHERE g.owner = o.id AND g.grantee = s.id)
        OR (o.national_lookup = 1 AND (p.national_lookup = 1 OR (p.national_lookup = 2 AND s.kind <> 'federal')))))
    )
    AND NOT (o.law_compliant = 1 AND NOT (o.state = s.state AND s.state <> '')
             AND EXISTS (SELECT 1 FROM law_states l WHERE l.state = o.state))
    AND NOT (p.federal_firewall = 1 AND o.law_compliant = 1 AND s.kind = 'federal')
    AND p.sharing_scope <> 'none'
    AND NOT (p.sharing_scope = 'in_state' AND NOT (o.state = s.state AND s.state <> ''))
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
