"""The results of runs and sweeps, owned in one place: layout, table schemas, summary.json, CI, reader, catalog.

- `sim.results.layout`: what a run folder and a sweep folder hold, and where (``points/0003/``).
- `sim.results.tables`: the schemas of metrics, flows, failures and sweep.csv.
- `sim.results.summary`: summary.json, its one format (built by the runner, checked on reading).
- `sim.results.stats`: the one t-based CI formula (summaries, reports, comparisons).
- `sim.results.read` and `sim.results.sweep`: the one reader of a run folder and of a sweep folder, and the
  refusal to draw a sweep into the report of another scenario.
- `sim.results.plain_csv`: the one CSV writer (plain decimals, never scientific notation; full precision for
  tables, six significant digits for a brief's CSVs).
- `sim.results.renamed`: output names renamed since older folders were written, read under their new names.
- `sim.results.focus`: the state or agency a report leads with, as ``focus.json`` saves it.
- `sim.results.state_metric`: one state's by_state figure asked for by name, ``METRIC.ST``
  (``audit.records_received_proxy.TX``: ``--replications auto --metric``, ``fedsim sensitivity --metric``).
- `sim.results.catalog`: every declared metric (label, unit, meaning, kind) and the key-metric list;
  `sim.results.metrics_doc` writes docs/metrics.md's tables from it.

The runner writes through this package; reports, `fedsim compare` and the calibration table read through it.
Errors are `sim.results.errors.ResultsError`, naming the file and what was expected.
"""
