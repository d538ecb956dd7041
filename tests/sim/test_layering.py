"""Imports run one way inside `sim`: config and geo below the world, the world below the model.

Checked in a fresh interpreter (`python -c`), so modules other tests imported do not hide a dependency.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import sim.world


def loaded_after(imports: list[str]) -> set[str]:
    code = "import sys\n" + "".join(f"import {m}\n" for m in imports) + "print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    return set(out.stdout.split())


def test_config_does_not_import_the_world_or_the_model() -> None:
    loaded = loaded_after(["sim.config", "sim.config.resolve"])
    assert not {m for m in loaded if m.startswith(("sim.world", "sim.model", "sim.runner"))}


def test_the_world_does_not_import_the_model_or_the_runner() -> None:
    modules = [f"sim.world.{m.name}" for m in pkgutil.iter_modules(sim.world.__path__)]
    assert "sim.world.build" in modules and len(modules) > 10
    loaded = loaded_after(modules)
    assert not {m for m in loaded if m.startswith(("sim.model", "sim.runner", "sim.cli"))}


def test_policy_takes_effect_only_through_policy_effects() -> None:
    """No model or world module reads ``<scenario>.policy``: the policy reaches components as `PolicyEffects`."""
    import ast
    from pathlib import Path

    root = Path(sim.world.__file__).resolve().parents[1]
    allowed = {"model/policy_effects.py", "model/policy_select.py", "model/simulation.py"}
    readers = []
    for path in sorted([*(root / "model").glob("*.py"), *(root / "world").glob("*.py")]):
        rel = path.relative_to(root).as_posix()
        if rel in allowed:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.Attribute) and n.attr == "policy" for n in ast.walk(tree)):
            readers.append(rel)
    assert readers == []
