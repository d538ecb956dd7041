"""The service never imports its load generator: each module of `loadtest/service/`, imported alone in a fresh
interpreter, brings in no other module of `loadtest`."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICE = ROOT / "loadtest" / "service"
PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(m for m in sys.modules if m == "loadtest" or m.startswith("loadtest."))))
"""


def service_modules() -> list[str]:
    """Every importable module of the service. `__main__` runs the server when imported, so it is left out: it is
    two lines that import `loadtest.service.cli`, which is probed here."""
    out = []
    for path in sorted(SERVICE.rglob("*.py")):
        if path.name == "__main__.py":  # runs the server when imported; it imports only loadtest.service.cli
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        out.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return out


def test_service_modules_import_nothing_else_from_loadtest():
    modules = service_modules()
    assert "loadtest.service.prefill" in modules and len(modules) > 30
    leaks = {}
    with ThreadPoolExecutor(max_workers=4) as pool:  # interpreters start in parallel: the test takes a quarter
        runs = pool.map(lambda m: subprocess.run([sys.executable, "-c", PROBE, m], cwd=ROOT, capture_output=True,
                                                 text=True, timeout=120), modules)  # fmt: skip
        done_by_module = dict(zip(modules, runs, strict=True))
    for module, done in done_by_module.items():
        assert done.returncode == 0, f"{module}: {done.stderr[-800:]}"
        loaded = json.loads(done.stdout.strip().splitlines()[-1])
        outside = [m for m in loaded if m != "loadtest" and not m.startswith("loadtest.service")]
        if outside:
            leaks[module] = outside
    assert not leaks, f"service modules importing the rest of loadtest: {leaks}"


def test_service_main_imports_only_the_service():
    import ast

    tree = ast.parse((SERVICE / "__main__.py").read_text())
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    assert names and all(not m.startswith("loadtest") or m.startswith("loadtest.service") for m in names), names
