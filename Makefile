# Quick start: `make demo` runs the main job, `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: venv test check lint typecheck demo bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --group dev --group bench -e .
	touch $(STAMP)

venv: $(STAMP)

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check src tests benchmarks examples
	$(PY) -m ruff format --check src

typecheck: $(STAMP)
	$(PY) -m mypy --strict src

check: lint typecheck test

demo: $(STAMP)
	$(VENV)/bin/tthc demo

bench: $(STAMP)
	$(PY) benchmarks/bench_worktime.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
