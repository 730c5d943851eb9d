# Netweave: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
export NETWEAVE_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test lint install install-dev messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/netweave serve --demo --host 127.0.0.1 --port $(PORT)

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/netweave makemigrations --check --dry-run
	$(BIN)/netweave check --fail-level WARNING

# Regenerate the message catalogues after changing user-facing strings (needs GNU gettext).
messages: install-dev
	cd src/netweave && ../../$(BIN)/netweave makemessages -l ru -l ar --no-obsolete --ignore 'tests/*'
	cd src/netweave && ../../$(BIN)/netweave makemessages -d djangojs -l ru -l ar --no-obsolete --ignore 'tests/*'
	cd src/netweave && ../../$(BIN)/netweave compilemessages

# Scaled-down benchmarks (a tenth of the target installation; see bench/RESULTS.md) in a
# fresh SQLite database, or in an empty PostgreSQL database given as DATABASE_URL.
BENCH_DIR ?= $(CURDIR)/var/bench
bench: install-dev
	rm -rf $(BENCH_DIR) && mkdir -p $(BENCH_DIR)
	NETWEAVE_DATA_DIR=$(BENCH_DIR) $(BIN)/netweave migrate -v0
	NETWEAVE_DATA_DIR=$(BENCH_DIR) $(BIN)/netweave seed-scale --orgs 2000 --people 10000 \
		--meetings 2000 --attendance 100000 --networks 5
	NETWEAVE_DATA_DIR=$(BENCH_DIR) $(BIN)/python bench/pages.py --network scale-1 --rounds 20
	NETWEAVE_DATA_DIR=$(BENCH_DIR) $(BIN)/python bench/load/run.py --network scale-1

clean:
	rm -rf $(VENV) build dist src/*.egg-info
