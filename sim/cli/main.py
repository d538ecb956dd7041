"""The `fedsim` command line: one entry point, one module per subcommand.

Every subcommand treats bad input the same way: a message naming the file, field, value and what is
allowed on stderr, exit status 2, no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from sim.cli.common import UsageError
from sim.config import ScenarioError
from sim.config.resolve import fedsim_version

# Subcommand modules, each with register(subparsers). Order is the order of `fedsim --help`.
COMMANDS = [
    "sim.cli.cmd_run",
    "sim.cli.cmd_sweep",
    "sim.cli.cmd_validate",
    "sim.cli.cmd_world",
    "sim.cli.cmd_calibration",
    "sim.cli.cmd_report",
    "sim.cli.cmd_loadtest",
    "sim.cli.cmd_serve",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fedsim",
        description="Simulate and load-test police access to private camera networks.",
    )
    parser.add_argument("--version", action="version", version=f"fedsim {fedsim_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"fedsim {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
