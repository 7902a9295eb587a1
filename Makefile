# Quick start: `make demo` runs the main job, `make test` runs the whole suite.
# Each target creates the virtualenv $(VENV) from pyproject's dependency groups
# on first use (and again whenever pyproject.toml changes).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Directories ruff checks; benchmarks/ and examples/ may not exist yet in a clone.
LINT_DIRS := $(wildcard src tests benchmarks examples tools)

.PHONY: venv test check lint typecheck demo bench schemas docs screenshot mutate clean

# `pip install --group` needs pip >= 25.1 (PEP 735 dependency groups).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet --group dev --group bench -e .
	touch $(STAMP)

venv: $(STAMP)

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check $(LINT_DIRS)
	$(PY) -m ruff format --check src

typecheck: $(STAMP)
	$(PY) -m mypy --strict src

check: lint typecheck test

demo: $(STAMP)
	$(VENV)/bin/tthc demo

bench: $(STAMP)
	$(PY) benchmarks/bench_worktime.py

# The JSON Schemas of the event-log lines in docs/ (a test checks they are up to date).
schemas: $(STAMP)
	$(PY) -c "from tthc_engine.interchange.schema import main; main()" docs/schema/tthc.event-1

# docs/cli.md from the `tthc` parser (a test checks it is up to date).
docs: $(STAMP)
	$(PY) -m tthc_engine.cli.reference docs/cli.md

# The README's picture: the top of the demo's HTML report, rendered by Debian's chromium.
screenshot: $(STAMP)
	$(PY) -m tests.reports.browser docs/images/report.png

# Mutation testing (slow, so not part of `make test`): `make mutate`, `make mutate PACKAGE=worktime`,
# `make mutate SAMPLE=200` (200 random mutants per package); more options through ARGS=...
# (see tools/mutate.py and docs/mutation.md). One mutant at a time, niced: the machine is shared.
MUTATION_STAMP := $(VENV)/.mutation
$(MUTATION_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --group mutation
	touch $(MUTATION_STAMP)

mutate: $(MUTATION_STAMP)
	nice -n 10 $(PY) tools/mutate.py $(PACKAGE) $(if $(SAMPLE),--sample $(SAMPLE)) $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build/mutation
