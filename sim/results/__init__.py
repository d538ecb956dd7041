"""The results of runs and sweeps: metric catalog, table schemas, the one reader, the one CI formula.

Modules: `sim.results.catalog` (every declared metric and the key-metric list). The runner writes a results
folder through this package and everything that reads one (reports, compare, calibration) reads through
it. See docs/running.md for the folder layout.
"""
