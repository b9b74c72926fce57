# CCL Readiness — one entry point for run, test, lint and bench. CI (.ci/run) calls `make lint` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# Test processes: one per core (pytest-xdist); the browser tests run one at a time in one of them (tests/conftest.py).
WORKERS ?= auto
# Only this machine can reach the app; a team server sets ADDRESS to the address its TLS proxy reaches (README,
# "Deploying for a team"). 0.0.0.0 would also make Streamlit's start ask checkip.amazonaws.com for an "External URL".
ADDRESS ?= 127.0.0.1

# Tests keep their compiled (and assertion-rewritten) modules in __pycache__ (an empty value is "unset"): with it set,
# as some machines have it, every test process compiled every module again (~5 s of CPU each), and every start of
# the app compiled its ~150 modules again (~0.1 s of the first visitor's wait).
test test-fast run: export PYTHONDONTWRITEBYTECODE :=

.PHONY: run test test-fast setup lint bench system-deps clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))."; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { echo "Cannot create a virtualenv: install python3-venv (apt-get install -y python3-venv)."; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.app
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.app

## Set up and start the app (http://localhost:$(PORT), reachable from this machine only), through serve.py:
## app.py behind security headers, without the metrics endpoint or the server's details (README).
run: $(VENV)/.app
	$(BIN)/streamlit run serve.py --server.port $(PORT) --server.address $(ADDRESS)

## Set up everything (system packages for the browser and LibreOffice tests too) and run every test.
test: $(VENV)/.dev system-deps
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup

## The fast tier only (no browser, server, AppTest, LibreOffice or PostgreSQL, enforced; no every-sample file sweeps): under a minute.
test-fast: $(VENV)/.dev
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup -m "not browser and not libreoffice and not postgres and not slow and not sweep"

system-deps:
	@bash scripts/system-deps.sh

## Style and types: ruff, then mypy (strict on ccl/, lenient on the Streamlit side; pyproject.toml).
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(VENV)/.dev
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_cli.py
	$(BIN)/python bench/bench_charts.py
	$(BIN)/python bench/bench_report.py
	$(BIN)/python bench/bench_pack.py
	$(BIN)/python bench/bench_store.py
	$(BIN)/python bench/bench_drafts.py
	$(BIN)/python bench/bench_uploads.py
	$(BIN)/python bench/bench_app.py
	$(BIN)/python bench/bench_load.py  # 20 sessions over the websocket against a bare page; PostgreSQL: --database-url …

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis artifacts
