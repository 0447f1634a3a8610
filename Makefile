# Every target installs or refreshes what it needs, so on a fresh machine with
# Python 3.11 and access to PyPI, `make demo` and `make test` are all it takes.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANIFEST := dbt_project/target/manifest.json
NATIVE := build/native.stamp
PII_SOURCES := $(wildcard pipelines/pii/*.py)
DBT_SOURCES := $(shell find dbt_project/models dbt_project/macros dbt_project/tests dbt_project/dbt_project.yml -type f 2>/dev/null)

export CLOSEDLOOP_HOME ?= $(CURDIR)/data

.PHONY: install demo test test-fast ui lint format docs bench clean

# The venv is rebuilt when the dependency list or the pinned constraints change.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

$(MANIFEST): $(STAMP) $(DBT_SOURCES)
	$(BIN)/closedloop dbt-prepare

# The PII engine compiled by mypyc (pipelines/pii/native.py): about 30% less CPU per
# message. Optional: without a C compiler it says so and the engine runs as pure Python.
# The stamp, not the build, is the target: a failed build (no compiler) is tried again
# when the sources change, not on every make.
$(NATIVE): $(STAMP) $(PII_SOURCES)
	-$(BIN)/python -m pipelines.pii.native_build
	@mkdir -p build && touch $@

install: $(STAMP) $(MANIFEST) $(NATIVE)

demo: install
	$(BIN)/closedloop demo

# The PII tests run twice: on the compiled engine (when built) and on pure Python.
test: install
	$(BIN)/python -m pytest -n 2 --dist loadfile
	CLOSEDLOOP_PII_NATIVE=0 $(BIN)/python -m pytest -n 2 --dist loadfile -q tests/pii

test-fast: install
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not e2e and not browser"

ui: install
	$(BIN)/closedloop ui

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_project/models
	$(BIN)/lint-imports
	DAGSTER_HOME=$(CLOSEDLOOP_HOME)/dagster $(BIN)/dg check defs

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

docs: install
	cd dbt_project && CLOSEDLOOP_WAREHOUSE=$(CLOSEDLOOP_HOME)/warehouse/warehouse.duckdb ../$(BIN)/dbt docs generate --profiles-dir . && ../$(BIN)/dbt docs serve --profiles-dir . --port 8080

bench: install
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,bench]'
	$(BIN)/python bench/bench_synth.py
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_pii.py
	$(BIN)/python bench/pii_quality.py
	$(BIN)/python bench/bench_kb_lint.py
	$(BIN)/python bench/bench_kb_gaps.py

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs .pytest_cache .ruff_cache build pipelines/pii/_native*
