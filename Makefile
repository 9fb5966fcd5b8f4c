# The two commands a newcomer needs: `make demo` and `make test`.
# Each creates .venv and installs what it needs; run them on a fresh clone.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test bench lint clients clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

## demo: write the shipped forms to output/, fill synthetic copies, print their JSON
demo: $(STAMP)
	$(PY) scripts/demo.py

## clients: the real PDF programs the tests drive (poppler's pdftoppm, …)
clients:
	sh scripts/install-test-clients.sh

## test: lint and the whole test suite
test: $(STAMP) clients
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

## bench: speed, side by side with the alternatives, as ratios (writes benchmarks/latest.md; the record is benchmarks/results.md)
bench: $(BENCH_STAMP) clients
	$(PY) -m pytest -m slow -q
	$(PY) benchmarks/bench.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

clean:
	rm -rf $(VENV) output build *.egg-info .pytest_cache .ruff_cache
