"""Run every benchmark module (benchmarks/bench_*.py) in turn, or the ones named on the command line."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    names = argv or sorted(p.stem.removeprefix("bench_") for p in here.glob("bench_*.py"))
    failed = 0
    for name in names:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        print(f"== benchmark {name}", flush=True)
        try:
            module.main()
        except Exception as exc:  # a broken benchmark must not hide the others' figures
            failed += 1
            print(f"benchmark {name} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
