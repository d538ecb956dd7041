"""`fedsim serve` (or `python -m loadtest.service`): run the reference service; `--bootstrap` seeds it first.

Examples:
    fedsim serve --bootstrap scenarios/small.yaml --tokens out/service/tokens.json
    fedsim serve --db postgresql://postgres@127.0.0.1:5432/test --workers 2
    python -m loadtest.service --db out/service/fedsim.db --port 8000     # the same, without the fedsim CLI
See docs/service.md. Registered with `fedsim` through the entry-point group ``fedsim.commands``; the load
test harness starts the service as its own module (`python -m loadtest.service`), so the service needs
nothing from the rest of `loadtest`.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from loadtest.service.settings import DEFAULT_DB
from sim.cli.common import UsageError
from sim.config import ScenarioError

if TYPE_CHECKING:
    from loadtest.service.storage import Database
    from sim.config import Scenario


def register(sub: argparse._SubParsersAction) -> None:
    add_arguments(sub.add_parser("serve", help="run the reference HTTP service (SQLite or PostgreSQL)"))


def main(argv: list[str] | None = None) -> int:
    """`python -m loadtest.service [options]`: the serve command on its own (exit 2 on bad input)."""
    parser = argparse.ArgumentParser(prog="python -m loadtest.service", description="Run the reference HTTP service.")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return serve(args)
    except (UsageError, ScenarioError) as exc:
        print(f"{parser.prog}: {exc}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as exc:
        print(f"{parser.prog}: needs the module {exc.name!r}; install it with `pip install -e '.[loadtest]'`", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db", default=DEFAULT_DB, help=f"database: a file path, sqlite:///PATH or postgresql://... (default {DEFAULT_DB})"
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default 8000; 0 picks a free one)")
    p.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    p.add_argument("--bootstrap", metavar="SCENARIO", help="seed the database from this scenario's world first")
    p.add_argument("--tokens", metavar="FILE", help="with --bootstrap: where to write the bearer tokens (JSON)")
    p.add_argument(
        "--bootstrap-limit", type=int, default=10_000, metavar="N",
        help="with --bootstrap: seed at most N households and N cameras (default 10000; 0 = all)",
    )  # fmt: skip
    p.add_argument(
        "--prefill-reads", type=int, default=0, metavar="N",
        help="with --bootstrap: also write N synthetic ALPR reads spread over the retention window (default 0)",
    )  # fmt: skip
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE", help="override a scenario value")
    p.add_argument("--bootstrap-only", action="store_true", help="seed, write the tokens and exit without serving")
    p.add_argument("--rate-scale", type=float, default=1.0, help="multiply per-token rate limits (0 turns them off)")
    p.add_argument(
        "--trusted-proxies", default="", metavar="ADDRS",
        help="comma-separated proxy addresses whose X-Forwarded-For is believed (default: none)",
    )  # fmt: skip
    p.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])
    p.set_defaults(func=serve)


def check(args: argparse.Namespace) -> None:
    if args.bootstrap and not args.tokens:
        raise UsageError("--bootstrap needs --tokens FILE (where to write the bearer tokens)")
    if args.tokens and not args.bootstrap:
        raise UsageError("--tokens is written by --bootstrap SCENARIO; give both")
    if args.bootstrap_only and not args.bootstrap:
        raise UsageError("--bootstrap-only needs --bootstrap SCENARIO --tokens FILE")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: use 0 to 65535")
    if not 1 <= args.workers <= 64:
        raise UsageError(f"--workers {args.workers}: use 1 to 64")
    if args.prefill_reads < 0:
        raise UsageError(f"--prefill-reads {args.prefill_reads}: use 0 (none) or a positive count")
    if args.prefill_reads and not args.bootstrap:
        raise UsageError("--prefill-reads needs --bootstrap SCENARIO --tokens FILE (it writes reads from seeded cameras)")
    if args.bootstrap_limit < 0:
        raise UsageError(f"--bootstrap-limit {args.bootstrap_limit}: use 0 (all) or a positive count")
    checked_rate_scale(args.rate_scale)


def check_port(host: str, port: int) -> None:
    """A usage error when `host`:`port` cannot be listened on (another server holds it); port 0 picks a free one.
    Bound the way uvicorn binds (SO_REUSEADDR, so a port in TIME_WAIT counts as free), then released."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise UsageError(f"--port {port}: cannot listen on {host}:{port} ({exc.strerror or exc}); another server "
                             "may hold it: stop it or pick another --port") from None


def checked_rate_scale(value: float) -> float:
    """`--rate-scale` (here and in `fedsim loadtest`): 0 (rate limiting off) or a positive factor; NaN refused."""
    if not value >= 0:
        raise UsageError(f"--rate-scale {value}: use 0 (off) or a positive factor")
    return float(value)


def serve(args: argparse.Namespace) -> int:
    check(args)
    from loadtest.service.settings import Settings, normalise_db_url

    try:
        db_url = normalise_db_url(args.db)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not args.bootstrap_only:
        check_port(args.host, args.port)  # before seeding: a port in use is exit 2 at once, not after the seed
    scenario = load_seed_scenario(args) if args.bootstrap else None  # a bad scenario: exit 2 before anything is made
    make_db_folder(db_url)
    if scenario is not None:
        bootstrap(args, db_url, scenario)
        if args.bootstrap_only:
            return 0
    else:
        open_checked(db_url).close()  # an older schema: exit 2 with the message, before uvicorn starts
    from loadtest.service.server import serve as run

    print(f"fedsim serve: http://{args.host}:{args.port} ({db_url.split('?')[0]}, {args.workers} worker(s))", flush=True)
    settings = Settings(db=db_url, rate_scale=args.rate_scale, trusted_proxies=args.trusted_proxies)
    run(settings, args.host, args.port, args.workers, args.log_level)
    return 0


def make_db_folder(db_url: str) -> None:
    """A SQLite file's folder is created when missing, as `fedsim run` creates its output folder, and said on
    stderr with its full path, so a mistyped --db is seen at once rather than found later as a stray tree."""
    if not db_url.startswith("sqlite:///"):
        return
    folder = Path(db_url.removeprefix("sqlite:///").split("?")[0]).parent
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--db {db_url.split('?')[0]}: cannot create its folder {folder} ({exc.strerror})") from None
    print(f"fedsim serve: created {folder.resolve()}/ for --db", file=sys.stderr)


def open_checked(db_url: str) -> Database:
    """The database at `db_url` with its schema in place; a usage error (exit 2) when it cannot be opened or was
    made by an older version of the service."""
    from loadtest.service.storage import open_database
    from loadtest.service.storage.base import SchemaMismatch

    try:
        db = open_database(db_url)
    except Exception as exc:  # a bad URL or an unreachable server: say which, exit 2
        raise UsageError(f"--db {db_url.split('?')[0]}: cannot open the database ({exc})") from None
    try:
        db.create_schema()
    except SchemaMismatch as exc:
        db.close()
        raise UsageError(f"--db {db_url.split('?')[0]}: {exc}") from None
    return db


def load_seed_scenario(args: argparse.Namespace) -> Scenario:
    """The scenario `--bootstrap` names, with `--set` overrides; `ScenarioError` (exit 2) when it is bad."""
    from sim.config import load_scenario

    return load_scenario(args.bootstrap, args.overrides)


def bootstrap(args: argparse.Namespace, db_url: str, scenario: Scenario) -> None:
    """Seed the database at `db_url` from the scenario `--bootstrap` names (its world capped at
    `--bootstrap-limit`, then `--prefill-reads` synthetic reads) and write the tokens to `--tokens`; says what it
    seeded on stderr. A bad scenario, database or older schema is a usage error (exit 2)."""
    from loadtest.service.bootstrap import seed_scenario, write_tokens
    from loadtest.service.prefill import prefill_reads

    db = open_checked(db_url)
    try:
        tokens = seed_scenario(db, scenario, args.bootstrap_limit or None)
        days = max(1.0, min(29.0, scenario.policy.alpr_retention_days - 1.0))
        prefilled = prefill_reads(db, args.prefill_reads, days, scenario.run.seed,
                                  misread_share=scenario.behavior.alpr.misread_share) if args.prefill_reads else 0
    finally:
        db.close()
    write_tokens(tokens, args.tokens)
    counts = {k: len(tokens[k]) for k in ("agencies", "residents", "cameras")}
    extra = f", {prefilled:,} reads over the last {days:g} days" if prefilled else ""
    print(f"fedsim serve: seeded {scenario.name} ({counts}{extra}); tokens in {args.tokens}", file=sys.stderr, flush=True)
