"""Recording benchmark figures: print them and append a dated row per figure to benchmarks/results.md.

`record(bench, figures, targets)`: figures is {name: value}; targets is {name: (op, bound)} with op
"<=" or ">=". Each row says the value, the target and whether it was met, with the date, host, CPU count
and Python version, so results from different machines can be told apart.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.md"
HEADER = "| date (UTC) | machine | benchmark | figure | value | target | met |\n|---|---|---|---|---|---|---|\n"


def machine() -> str:
    return f"{platform.node()} {os.cpu_count()} cpu {platform.machine()} py{platform.python_version()}"


def peak_rss_mib(children: bool = False) -> float:
    """Peak resident set size of this process (or of its waited-for children) in MiB."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024.0


def _met(value: float, target: tuple[str, float] | None) -> str:
    if target is None:
        return ""
    op, bound = target
    ok = value <= bound if op == "<=" else value >= bound
    return "yes" if ok else "NO"


def record(bench: str, figures: dict[str, float], targets: dict[str, tuple[str, float]] | None = None) -> None:
    targets = targets or {}
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    rows = []
    for name, value in figures.items():
        target = targets.get(name)
        shown = f"{target[0]} {target[1]:g}" if target else ""
        met = _met(value, target)
        print(f"{bench}: {name} = {value:.4g} {('(target ' + shown + ': ' + met + ')') if target else ''}")
        rows.append(f"| {now} | {machine()} | {bench} | {name} | {value:.4g} | {shown} | {met} |\n")
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n\nAppended by `make bench`; newest last.\n\n" + HEADER)
    with RESULTS.open("a") as fh:
        fh.writelines(rows)


PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_url(bench: str) -> str | None:
    """The PostgreSQL URL to benchmark (``FEDSIM_TEST_POSTGRES_URL`` or the local server) when it answers."""
    import os

    import psycopg

    url = os.environ.get("FEDSIM_TEST_POSTGRES_URL", PG_URL)
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error as exc:
        print(f"{bench}: PostgreSQL at {url} unreachable ({exc}); PostgreSQL figures skipped")
        return None
    return url


def with_schema(url: str, schema: str) -> str:
    """`url` with the service's ``schema`` query parameter added."""
    return f"{url}{'&' if '?' in url else '?'}schema={schema}"
