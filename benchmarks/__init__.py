"""fedsim's benchmarks: speed and memory targets measured, never asserted in timed tests.

Run them all with `make bench` (`python -m benchmarks`), or one with `python -m benchmarks NAME`.
Each benchmark prints its figures and ratios and appends them, with the date and the machine, to
`benchmarks/results.md` through `benchmarks.common.record`.
"""
