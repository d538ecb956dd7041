"""`make test`, the README's test command and what CI runs, lints with ruff before it runs the tests."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import ROOT


@pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine (the README's commands need it)")
def test_make_test_runs_ruff_over_the_tree_then_pytest() -> None:
    # -n: print the recipes without running them; -B: as on a fresh checkout, every target out of date
    plan = subprocess.run(["make", "-n", "-B", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=True).stdout.splitlines()
    lint = [i for i, line in enumerate(plan) if "ruff check ." in line]
    tests = [i for i, line in enumerate(plan) if "-m pytest" in line]
    installs = [i for i, line in enumerate(plan) if "pip install" in line and "dev" in line]
    assert installs and lint and tests, plan
    assert installs[0] < lint[0] < tests[0]  # the dev extra brings ruff; a lint finding stops the run
