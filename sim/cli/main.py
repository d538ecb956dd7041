"""The `fedsim` command line: one entry point; each package registers its own subcommands.

Subcommands are discovered through the entry-point group ``fedsim.commands`` (declared in pyproject.toml):
each entry point's name is the command and its value a ``register(subparsers)`` function. `sim` registers
run, sweep, sensitivity, validate, schema, world and calibration-report; `reports` registers report and compare;
`loadtest` registers loadtest and serve. `sim` imports neither of the other two: it only loads what the
installed packages declared. A command whose package cannot be imported (an optional extra not installed)
still appears in ``fedsim --help`` and, when run, says what is missing (exit status 2).

Every subcommand treats bad input the same way: a message naming the file, field, value and what is
allowed on stderr, exit status 2, no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points

from sim.cli.common import UsageError, long_lived_imports
from sim.config import ScenarioError
from sim.config.resolve import fedsim_version

GROUP = "fedsim.commands"
# The order of `fedsim --help`: the model's own commands in the order a user needs them, then the brief,
# then the load tests. Names only (no imports); a command not listed here comes after, alphabetically.
HELP_ORDER = ("run", "sweep", "sensitivity", "validate", "schema", "world", "calibration-report", "report", "compare",
              "loadtest", "serve")


def registered() -> list[EntryPoint]:
    """The installed `fedsim.commands` entry points, in help order."""
    eps = {ep.name: ep for ep in entry_points(group=GROUP)}
    rank = {name: i for i, name in enumerate(HELP_ORDER)}
    return sorted(eps.values(), key=lambda ep: (rank.get(ep.name, len(rank)), ep.name))


def unavailable(name: str, value: str, exc: ImportError) -> Callable[[argparse._SubParsersAction], None]:
    """A stand-in for a command whose package cannot be imported: listed in --help, explains itself when run."""
    missing = getattr(exc, "name", None) or str(exc)
    message = (f"fedsim {name} is not available: importing {value.partition(':')[0]} failed "
               f"(no module named {missing!r}). Install the optional parts with `make install-all` "
               f"or `pip install -e '.[loadtest]'`.")

    def register(sub: argparse._SubParsersAction) -> None:
        p = sub.add_parser(name, help=f"(not available: {missing} is not installed)", add_help=False)
        p.add_argument("rest", nargs=argparse.REMAINDER)

        def explain(args: argparse.Namespace) -> int:
            print(message, file=sys.stderr)
            return 2

        p.set_defaults(func=explain)

    return register


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every registered command, or only of `command` when it is one of them.

    Registering a command imports its package's module, and those modules import their package: matplotlib
    and pandas for `reports`, the runner and the model for `sim` (~0.5 s of imports on 2 cores). A command
    that is named first on the command line needs only its own, so only it is registered (`fedsim --help`,
    or a name that is no command, still lists them all).
    """
    parser = argparse.ArgumentParser(
        prog="fedsim",
        description="Simulate and load-test police access to private camera networks.",
    )
    parser.add_argument("--version", action="version", version=f"fedsim {fedsim_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    eps = registered()
    named = [ep for ep in eps if ep.name == command]
    eps = named or eps
    if not eps:
        raise UsageError(f"no commands are registered (entry-point group {GROUP!r} is empty): fedsim is not "
                         "installed, or installed from an older pyproject.toml; run `make install-all`")
    for ep in eps:
        try:
            with long_lived_imports(ep.module):  # the collector paused while the command's package is imported
                register = ep.load()
        except ImportError as exc:
            register = unavailable(ep.name, ep.value, exc)
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        parser = build_parser(argv[0] if argv and not argv[0].startswith("-") else None)
    except UsageError as exc:
        print(f"fedsim: {exc}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"fedsim {args.command}: {exc}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as exc:  # an optional extra (locust, fastapi, uvicorn...) not installed
        print(f"fedsim {args.command}: needs the module {exc.name!r}, which is not installed; reinstall with "
              "`make install-all` (the load-test extra alone: `pip install -e '.[loadtest]'`)", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:  # the runner's says what was kept and how to finish
        print(f"fedsim {args.command}: {exc}" if str(exc) else "interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
