"""Imports run one way: `reports` and `loadtest` use `sim`, never the reverse (issue 16).

Each check imports modules in a fresh interpreter (`python -c`), so what an earlier test imported cannot
hide or fake a dependency, then lists the `loadtest`/`reports` modules that came along.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FORBIDDEN = ("loadtest", "reports")


def modules_under(package: str) -> list[str]:
    names = []
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def forbidden_after_import(modules: list[str]) -> list[str]:
    """The `loadtest`/`reports` modules loaded after importing `modules` in a fresh interpreter."""
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            f"print(' '.join(sorted(k for k in sys.modules if k.split('.')[0] in {FORBIDDEN!r})))\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.split()


def test_importing_any_module_under_sim_pulls_in_no_loadtest_or_reports_module() -> None:
    modules = modules_under("sim")
    assert "sim.cli.main" in modules and "sim.runner.api" in modules and len(modules) > 50
    if forbidden_after_import(modules):  # name the culprits, one fresh interpreter each
        culprits = {m: found for m in modules if (found := forbidden_after_import([m]))}
        raise AssertionError(f"modules under sim/ that import loadtest or reports: {culprits}")


def test_the_import_check_sees_a_forbidden_import() -> None:
    """The check itself can fail: importing a module that uses `reports` is seen."""
    assert "reports.cli" in forbidden_after_import(["sim.config", "reports.cli"])


def test_no_module_under_sim_imports_loadtest_or_reports_even_inside_a_function() -> None:
    """Imports inside functions (which an import check cannot see) are read from the source."""
    bad = []
    for path in sorted((ROOT / "sim").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            bad += [f"{path.relative_to(ROOT)}:{node.lineno} {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert bad == []
