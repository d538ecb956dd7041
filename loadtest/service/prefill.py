"""Pre-fill the ALPR reads table, so a load test starts from a database that already holds weeks of reads.

A soak on an empty database measures a service whose reads table grows from nothing; a platform at steady
state holds ``retention`` days of reads. `prefill_reads` writes `n` synthetic reads from the seeded cameras,
with timestamps uniform over the last `days` days (not the last minute, so nothing is in the future and the
retention purge keeps them), plates from the load test's plate pool (`loadtest.service.vehicles`, which the load generator
draws from too, so its searches find them) and the camera owner's state, and adds them to the per-agency daily counts the
transparency page shows. No alerts are raised for them (they are history). Writes go through the backend's
bulk path in transactions of `CHUNK` reads. Confidences as the load generator's
(`loadtest.service.vehicles.confidences`: the scenario's misread share below the results' threshold). Draws are
seeded: the same seed gives the same reads.
"""

from __future__ import annotations

import time
from collections import Counter

import numpy as np

from loadtest.service.queries import alpr
from loadtest.service.storage import Database
from loadtest.service.storage.schema import READ_COLUMNS
from loadtest.service.vehicles import BODIES, COLORS, MAKES, confidences, plate_pool

CHUNK = 50_000  # reads per transaction
DAY_S = alpr.DAY_S


def prefill_reads(
    db: Database, n: int, days: float = 29.0, seed: int = 0, now: float | None = None, *, misread_share: float
) -> int:
    """Insert `n` reads spread over the last `days` days, `misread_share` of them below the results' confidence
    threshold (`loadtest.service.vehicles.confidences`); returns how many were written."""
    if n < 0 or days <= 0:
        raise ValueError(f"prefill: need n >= 0 and days > 0, got n={n}, days={days}")
    with db.read() as tx:
        cameras = tx.all("SELECT c.id, c.agency, a.state FROM cameras c JOIN agencies a ON a.id = c.agency ORDER BY c.id")
    if n == 0:
        return 0
    if not cameras:
        raise ValueError("prefill: the database has no cameras (seed it with --bootstrap first)")
    now = time.time() if now is None else now
    rng = np.random.Generator(np.random.PCG64(seed))
    pool = plate_pool()
    cam_id = [int(c[0]) for c in cameras]
    cam_agency = [int(c[1]) for c in cameras]
    cam_state = [str(c[2] or "NC") for c in cameras]
    written = 0
    while written < n:
        k = min(CHUNK, n - written)
        cam = rng.integers(len(cameras), size=k).tolist()
        plate = rng.integers(len(pool), size=k).tolist()
        ts = (now - 60.0 - rng.uniform(0.0, days * DAY_S - 60.0, size=k)).tolist()
        conf = confidences(rng, k, misread_share)
        color, make, body = (rng.integers(len(v), size=k).tolist()
                             for v in (COLORS, MAKES, BODIES))  # fmt: skip
        rows = [
            (cam_id[c], cam_agency[c], pool[p], cam_state[c], t, q, COLORS[a], MAKES[m], BODIES[b])
            for c, p, t, q, a, m, b in zip(cam, plate, ts, conf, color, make, body, strict=True)
        ]
        counts = Counter((row[1], int(row[4] // DAY_S)) for row in rows)
        with db.write(durable=False) as tx:
            tx.bulk_insert("reads", READ_COLUMNS, rows)
            alpr.add_read_counts(tx, [(agency, day, c) for (agency, day), c in counts.items()])
        written += k
    return written
