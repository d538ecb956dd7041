"""Pre-filled reads: as many as asked, inside the retention window, from seeded cameras and the load test's plate
pool, counted for the transparency page, and the same for the same seed (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from loadtest.service.bootstrap import seed_scenario
from loadtest.service.limits import CONFIDENCE_MIN_RESULT
from loadtest.service.prefill import CHUNK, prefill_reads
from loadtest.service.storage import Database
from loadtest.service.vehicles import plate_pool
from sim.cli.main import main
from sim.config import load_scenario
from tests.conftest import SCENARIOS

NOW = 1_800_000_000.0
DAYS = 29.0


def _reads(db: Database) -> list[tuple]:
    with db.read() as tx:
        return [tuple(r) for r in tx.all("SELECT camera, agency, plate, state, ts FROM reads ORDER BY id")]


def test_prefill_writes_counted_reads_inside_the_window(db: Database) -> None:
    seed_scenario(db, load_scenario(SCENARIOS / "small.yaml"), limit=40)
    n = CHUNK + 1_234  # more than one transaction
    assert prefill_reads(db, n, DAYS, seed=7, now=NOW, misread_share=0.03) == n
    rows = _reads(db)
    assert len(rows) == n
    with db.read() as tx:
        cameras = {int(r[0]): int(r[1]) for r in tx.all("SELECT id, agency FROM cameras")}
        assert int(tx.scalar("SELECT sum(n) FROM read_counts")) == n
    pool = set(plate_pool())
    assert all(cameras[cam] == agency for cam, agency, *_ in rows)  # each read belongs to its camera's owner
    assert all(plate in pool for _, _, plate, _, _ in rows)
    ts = [r[4] for r in rows]
    assert NOW - DAYS * 86_400 <= min(ts) and max(ts) <= NOW - 60
    assert max(ts) - min(ts) > 0.9 * DAYS * 86_400  # spread over the window, not bunched
    with db.read() as tx:  # the scenario's misreads below the results' threshold (Binomial(n, 0.03), 4 sd)
        low = int(tx.scalar("SELECT count(*) FROM reads WHERE confidence < :c", {"c": CONFIDENCE_MIN_RESULT}))
    assert abs(low - 0.03 * n) <= 4 * (0.03 * 0.97 * n) ** 0.5


def test_same_seed_same_reads_and_bad_counts_refused(db: Database) -> None:
    seed_scenario(db, load_scenario(SCENARIOS / "small.yaml"), limit=20)
    prefill_reads(db, 500, DAYS, seed=3, now=NOW, misread_share=0.03)
    first = _reads(db)
    prefill_reads(db, 500, DAYS, seed=3, now=NOW, misread_share=0.03)
    assert _reads(db)[500:] == first
    assert prefill_reads(db, 0, DAYS, seed=3, now=NOW, misread_share=0.03) == 0
    with pytest.raises(ValueError, match="n >= 0"):
        prefill_reads(db, -1, DAYS, misread_share=0.03)


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["serve", "--prefill-reads", "-1"], "--prefill-reads -1"),
        (["serve", "--prefill-reads", "10"], "needs --bootstrap"),
        (["loadtest", "--prefill-reads", "-5"], "--prefill-reads must be at least 0"),
    ],
)
def test_prefill_usage_errors_exit_2(argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err
