"""`fedsim` finds its subcommands through the `fedsim.commands` entry points; missing parts explain themselves."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sim.cli.main import HELP_ORDER, build_parser, registered

ROOT = Path(__file__).resolve().parents[3]

# Run a command in a fresh interpreter where the named top-level modules cannot be imported, as when an
# optional extra is not installed.
BLOCKED = """
import sys
from importlib.abc import MetaPathFinder
BLOCK = set(sys.argv[1].split(','))
class Missing(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in BLOCK:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Missing())
from sim.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


def fedsim_without(blocked: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BLOCKED, blocked, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)


def test_every_package_registers_its_commands_in_help_order() -> None:
    owners = {ep.name: ep.value.split(".")[0] for ep in registered()}
    assert owners == {"run": "sim", "sweep": "sim", "validate": "sim", "schema": "sim", "world": "sim",
                      "calibration-report": "sim", "sensitivity": "sim", "report": "reports", "compare": "reports",
                      "loadtest": "loadtest", "serve": "loadtest"}
    assert [ep.name for ep in registered()] == list(HELP_ORDER)
    listed = build_parser().format_help()
    positions = [listed.index(f"    {name} ") if f"    {name} " in listed else listed.index(f"    {name}\n")
                 for name in HELP_ORDER]
    assert positions == sorted(positions)


def test_loadtest_without_its_extra_says_what_to_install(tmp_path: Path) -> None:
    proc = fedsim_without("locust", "loadtest", "-t", "1s", "-o", str(tmp_path / "lt"))
    assert proc.returncode == 2, proc.stderr
    assert "locust" in proc.stderr and "pip install -e '.[loadtest]'" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "lt").exists()


def test_serve_without_its_extra_says_what_to_install(tmp_path: Path) -> None:
    proc = fedsim_without("fastapi,uvicorn", "serve", "--db", str(tmp_path / "s.db"), "--port", "0")
    assert proc.returncode == 2, proc.stderr
    assert ("'uvicorn'" in proc.stderr or "'fastapi'" in proc.stderr) and "install" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_package_that_cannot_be_imported_leaves_the_other_commands_working() -> None:
    listed = fedsim_without("reports", "--help")
    assert listed.returncode == 0 and "report" in listed.stdout and "not available" in listed.stdout
    proc = fedsim_without("reports", "report", "out/none")
    assert proc.returncode == 2 and "fedsim report is not available" in proc.stderr and "Traceback" not in proc.stderr
    assert fedsim_without("reports", "validate", "scenarios/small.yaml").returncode == 0


def test_a_named_command_registers_only_its_own_package() -> None:
    """Only the command asked for is imported: the report does not load the model and runner, a run not
    matplotlib; `fedsim --help` and an unknown name list every command. Registering `report` imports no
    matplotlib either: the reports package imports it when the command runs (`sim.cli.common.long_lived_imports`)."""
    probe = ("import sys\nfrom sim.cli.main import build_parser\nparser = build_parser(sys.argv[1])\n"
             "names = sorted(parser._subparsers._group_actions[0].choices)\n"
             "print(len(names), 'matplotlib' in sys.modules, 'sim.runner.engine' in sys.modules)\n")
    seen = {}
    for command in ("report", "run", "validate", "nonesuch"):
        proc = subprocess.run([sys.executable, "-c", probe, command], cwd=ROOT, capture_output=True, text=True,
                              timeout=300, check=True)
        seen[command] = proc.stdout.split()
    n = str(len(HELP_ORDER))
    assert seen == {"report": ["1", "False", "False"], "run": ["1", "False", "True"],
                    "validate": ["1", "False", "False"], "nonesuch": [n, "False", "True"]}


def fresh_process(code: str) -> list[str]:
    """The words `code` prints, run in a fresh interpreter."""
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=True).stdout.split()


def test_a_command_is_imported_with_the_collector_paused_and_frozen_once_in_a_fresh_process() -> None:
    """`build_parser` imports the command's package through `long_lived_imports`: in a fresh process no collection
    runs meanwhile (two full ones did, 0.08-0.10 s CPU for `run`), what exists is then frozen and the collector is
    on again; where the package was imported before (this test session) nothing is frozen."""
    import gc

    probe = ("import gc, sys\nfrom sim.cli.main import build_parser\nseen = []\n"
             "def during_import(phase, info):\n"  # the module is in sys.modules from its import's start
             "    if phase == 'start' and 'sim.cli.cmd_run' in sys.modules and not gc.get_freeze_count():\n"
             "        seen.append(info['generation'])\n"
             "gc.callbacks.append(during_import)\n"
             "build_parser('run')\nprint(len(seen), gc.isenabled(), gc.get_freeze_count() > 50_000)\n")
    assert fresh_process(probe) == ["0", "True", "True"]
    import sim.cli.cmd_run  # noqa: F401 - imported before, as in a test session

    frozen = gc.get_freeze_count()
    build_parser("run")
    assert gc.get_freeze_count() <= frozen and gc.isenabled()  # frozen objects freed since count down


def test_freeze_at_exit_freezes_once_at_exit_and_not_before() -> None:
    """`freeze_at_exit`: the collector is left as it is while the process runs (a program calling `main()` many
    times keeps collecting its garbage); the freeze comes at exit, registered once however often it is asked."""
    probe = ("import atexit, gc\n"
             "atexit.register(lambda: print('exit', gc.get_freeze_count() > 0, calls))\n"  # registered first: runs last
             "calls = []\nfreeze = gc.freeze\n"
             "def counted():\n    calls.append(1)\n    freeze()\n"
             "gc.freeze = counted\n"
             "from sim.cli.common import freeze_at_exit\n"
             "freeze_at_exit(); freeze_at_exit()\n"
             "print('running', gc.get_freeze_count(), gc.isenabled(), len(calls))\n")
    assert fresh_process(probe) == ["running", "0", "True", "0", "exit", "True", "[1]"]
