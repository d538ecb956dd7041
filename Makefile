# fedsim: `make run` installs into .venv and runs the baseline; `make test` installs everything, lints (ruff,
# from the dev extra) and tests: a lint finding fails `make test`, and so CI (.ci/run calls it).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip

.PHONY: run test install install-all lint bench baseline soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.core: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.all: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[loadtest,dask,dev]"
	touch $@ $(VENV)/.core

install: $(VENV)/.core
install-all: $(VENV)/.all

run: install
	$(BIN)/fedsim run scenarios/baseline.yaml
	@echo "Report: out/baseline/report.html"

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-all  # every tracked Python file (ruff skips .venv and what .gitignore names)
	$(BIN)/ruff check .

bench: install-all
	$(BIN)/python -m benchmarks

baseline: install
	$(BIN)/python -m tests.validation.refresh_golden

soak: install-all  # from 3 million reads over the retention window (about a minute to write), not an empty table
	$(BIN)/fedsim loadtest --soak --prefill-reads 3000000 -o out/soak

clean:
	rm -rf out .pytest_cache
