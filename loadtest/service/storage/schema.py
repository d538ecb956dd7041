"""The service's tables, written once for both backends.

``{id}`` is the auto-increment primary key and ``{blob}`` the binary type of each backend. Times are
epoch seconds (double precision), booleans 0/1, agency states two-letter codes ('' for federal units).
`meta` holds the schema version and the world version (advanced by each bootstrap); `policy` one row of the
platform-wide rules (national lookup, retentions, request limits, case numbers, reason mode).
`agencies` carries each agency's own policy as the bootstrap resolved it from the scenario (national levers,
state laws and rules, then ``policy.overrides``): its reads open to lookups (`national_lookup`), whom it shares
with (`sharing_scope`), whether its statewide edges and its grants to federal units count, whether it refuses
out-of-state or federal searchers, and (as a searcher) whether its state bars it from national lookup;
`moderation` the reasons its searches are ``blocked`` or ``warned`` for (``policy.moderation`` or its override's).
`reads` carries its camera's owner agency so a search filters on the sharing rules without a join;
`search_networks` records, inside the audited transaction, every agency whose data a search could see.
Limits the database enforces under concurrency: `case_posts` counts each agency's requests per normalised
case number and `hotlist_counts` each agency's hotlist entries (an upsert locks the row, so concurrent posts
queue instead of both passing a count); `hotlist_entries` is unique per (agency, plate, state); `requests.bytes`
and `households.quota_*` carry the footage quotas the same way.
The plate index holds the plate alone (a plate has few reads; the time filter reads those rows): narrower
entries mean fewer index pages, and every ingest commit writes each page it touched to the WAL.
"""

from __future__ import annotations

SCHEMA_VERSION = 7  # 2: deduplicated hotlists, case-number counts, storage quotas, case_number_required;
# 3: per-agency policy (the scenario's policy.overrides resolved by sim.model.policy_effects) on `agencies`,
# per-agency moderation, searches.moderation; 4: policy.reason_mode; 5: the policy row's federal_firewall,
# sharing_scope and the law_states table dropped (the access SQL reads each agency's own columns); 6: the
# policy row's routing (platform.routing: who may post community requests); 7: searches.probe (the harness's
# probe searches, left out of transparency pages)

TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS policy (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  national_lookup SMALLINT NOT NULL DEFAULT 1,
  alpr_retention_days INTEGER NOT NULL DEFAULT 30,
  footage_retention_days INTEGER NOT NULL DEFAULT 180,
  posts_per_case INTEGER NOT NULL DEFAULT 2,
  area_cap_sq_mi DOUBLE PRECISION NOT NULL DEFAULT 0.5,
  case_number_required SMALLINT NOT NULL DEFAULT 1,
  reason_mode TEXT NOT NULL DEFAULT 'free_text',
  routing TEXT NOT NULL DEFAULT 'axon'
);
CREATE TABLE IF NOT EXISTS agencies (
  id BIGINT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL,
  lat DOUBLE PRECISION NOT NULL, lon DOUBLE PRECISION NOT NULL,
  national_lookup SMALLINT NOT NULL, retention_days INTEGER NOT NULL,
  sharing_scope TEXT NOT NULL DEFAULT 'any', statewide_sharing SMALLINT NOT NULL DEFAULT 1,
  federal_grants SMALLINT NOT NULL DEFAULT 1, refuses_out_of_state SMALLINT NOT NULL DEFAULT 0,
  refuses_federal SMALLINT NOT NULL DEFAULT 0, no_national_lookup SMALLINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS moderation (
  agency BIGINT NOT NULL, reason TEXT NOT NULL, action TEXT NOT NULL, PRIMARY KEY (agency, reason)
);
CREATE TABLE IF NOT EXISTS grants (
  owner BIGINT NOT NULL, grantee BIGINT NOT NULL, how TEXT NOT NULL, created DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (owner, grantee)
);
CREATE INDEX IF NOT EXISTS grants_grantee ON grants (grantee, owner);
CREATE TABLE IF NOT EXISTS households (
  id BIGINT PRIMARY KEY, agency BIGINT NOT NULL, lat DOUBLE PRECISION NOT NULL, lon DOUBLE PRECISION NOT NULL,
  quota_day BIGINT NOT NULL DEFAULT 0, quota_bytes BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS cameras (
  id BIGINT PRIMARY KEY, agency BIGINT NOT NULL, lat DOUBLE PRECISION NOT NULL, lon DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS cameras_agency ON cameras (agency);
CREATE TABLE IF NOT EXISTS tokens (hash TEXT PRIMARY KEY, kind TEXT NOT NULL, subject BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS requests (
  id {id}, agency BIGINT NOT NULL, case_number TEXT NOT NULL, incident_type TEXT NOT NULL,
  lat DOUBLE PRECISION NOT NULL, lon DOUBLE PRECISION NOT NULL, area_sq_mi DOUBLE PRECISION NOT NULL,
  radius_m DOUBLE PRECISION NOT NULL, window_start DOUBLE PRECISION NOT NULL, window_end DOUBLE PRECISION NOT NULL,
  description TEXT NOT NULL, status TEXT NOT NULL, created DOUBLE PRECISION NOT NULL,
  open_until DOUBLE PRECISION NOT NULL, bytes BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS requests_case ON requests (agency, case_number);
CREATE TABLE IF NOT EXISTS case_posts (
  agency BIGINT NOT NULL, case_key TEXT NOT NULL, posts INTEGER NOT NULL, PRIMARY KEY (agency, case_key)
);
CREATE INDEX IF NOT EXISTS requests_open ON requests (lat, lon, open_until);
CREATE TABLE IF NOT EXISTS submissions (
  id {id}, request BIGINT NOT NULL, household BIGINT NOT NULL, created DOUBLE PRECISION NOT NULL,
  clips INTEGER NOT NULL, bytes BIGINT NOT NULL, package BIGINT
);
CREATE INDEX IF NOT EXISTS submissions_request ON submissions (request, package);
CREATE INDEX IF NOT EXISTS submissions_pending ON submissions (package, id);
CREATE TABLE IF NOT EXISTS clips (
  id {id}, submission BIGINT NOT NULL, camera_id TEXT NOT NULL, t_start DOUBLE PRECISION NOT NULL,
  t_end DOUBLE PRECISION NOT NULL, sha256 TEXT NOT NULL, size BIGINT NOT NULL, content {blob},
  created DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS clips_submission ON clips (submission);
CREATE INDEX IF NOT EXISTS clips_created ON clips (created);
CREATE TABLE IF NOT EXISTS packages (
  id {id}, request BIGINT NOT NULL, created DOUBLE PRECISION NOT NULL, clips INTEGER NOT NULL,
  bytes BIGINT NOT NULL, sha256 TEXT NOT NULL, content {blob}
);
CREATE INDEX IF NOT EXISTS packages_request ON packages (request);
CREATE INDEX IF NOT EXISTS packages_created ON packages (created);
CREATE TABLE IF NOT EXISTS custody (
  id {id}, package BIGINT NOT NULL, ts DOUBLE PRECISION NOT NULL, event TEXT NOT NULL, actor TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS custody_package ON custody (package, id);
CREATE TABLE IF NOT EXISTS reads (
  id {id}, camera BIGINT NOT NULL, agency BIGINT NOT NULL, plate TEXT NOT NULL, state TEXT NOT NULL,
  ts DOUBLE PRECISION NOT NULL, confidence DOUBLE PRECISION NOT NULL, color TEXT NOT NULL, make TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reads_plate ON reads (plate);
CREATE INDEX IF NOT EXISTS reads_vehicle ON reads (make, color, body, ts);
CREATE INDEX IF NOT EXISTS reads_ts ON reads (ts);
CREATE TABLE IF NOT EXISTS read_counts (
  agency BIGINT NOT NULL, day BIGINT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (agency, day)
);
CREATE TABLE IF NOT EXISTS hotlists (
  id {id}, agency BIGINT NOT NULL, name TEXT NOT NULL, created DOUBLE PRECISION NOT NULL
);
CREATE TABLE IF NOT EXISTS hotlist_entries (
  id {id}, hotlist BIGINT NOT NULL, agency BIGINT NOT NULL, plate TEXT NOT NULL, state TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS hotlist_entries_plate ON hotlist_entries (plate);
CREATE UNIQUE INDEX IF NOT EXISTS hotlist_entries_unique ON hotlist_entries (agency, plate, state);
CREATE TABLE IF NOT EXISTS hotlist_counts (agency BIGINT PRIMARY KEY, entries INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS alerts (
  id {id}, agency BIGINT NOT NULL, hotlist BIGINT NOT NULL, camera BIGINT NOT NULL, camera_agency BIGINT NOT NULL,
  plate TEXT NOT NULL, state TEXT NOT NULL, ts DOUBLE PRECISION NOT NULL, reason TEXT NOT NULL,
  created DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_agency ON alerts (agency, id);
CREATE INDEX IF NOT EXISTS alerts_camera_agency ON alerts (camera_agency, ts);
CREATE INDEX IF NOT EXISTS alerts_ts ON alerts (ts);
CREATE TABLE IF NOT EXISTS searches (
  id {id}, agency BIGINT NOT NULL, ts DOUBLE PRECISION NOT NULL, reason TEXT NOT NULL, case_number TEXT,
  scope TEXT NOT NULL, kind TEXT NOT NULL, query TEXT NOT NULL, since DOUBLE PRECISION NOT NULL,
  until DOUBLE PRECISION NOT NULL, networks INTEGER NOT NULL, results INTEGER NOT NULL, moderation TEXT,
  probe SMALLINT NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS searches_agency ON searches (agency, ts);
CREATE INDEX IF NOT EXISTS searches_agency_id ON searches (agency, id);
CREATE TABLE IF NOT EXISTS search_networks (
  search BIGINT NOT NULL, owner BIGINT NOT NULL, PRIMARY KEY (search, owner)
);
CREATE INDEX IF NOT EXISTS search_networks_owner ON search_networks (owner, search);
CREATE TABLE IF NOT EXISTS idempotency (
  actor TEXT NOT NULL, key TEXT NOT NULL, body_hash TEXT NOT NULL, status INTEGER NOT NULL,
  response TEXT NOT NULL, created DOUBLE PRECISION NOT NULL, PRIMARY KEY (actor, key)
);
CREATE INDEX IF NOT EXISTS idempotency_created ON idempotency (created);
"""

READ_COLUMNS = ("camera", "agency", "plate", "state", "ts", "confidence", "color", "make", "body")


def statements(id_type: str, blob_type: str) -> list[str]:
    """The DDL for one backend, split into statements."""
    ddl = TABLES.replace("{id}", id_type).replace("{blob}", blob_type)
    return [s.strip() for s in ddl.split(";") if s.strip()]
