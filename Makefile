# Two commands do all the set-up: `make run` and `make test`. Everything else is their parts.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CLAIMS_DB ?= data/claims.json
PORT ?= 8501
# Served on this machine only; ADDRESS=0.0.0.0 shares it on the network.
ADDRESS ?= localhost
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint typecheck unit chromium postgresql bench eval clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.runtime-installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## make run: create the venv, install, serve the annotator on the embedded TinyDB store
run: $(VENV)/.runtime-installed
	CLAIMS_DB=$(CLAIMS_DB) $(PY) -m streamlit run annotator/streamlit_app.py \
		--server.address $(ADDRESS) --server.port $(PORT) --browser.gatherUsageStats false

## make test: install what the tests need (Debian's chromium and postgresql included), lint, type-check,
## run every test
test: $(VENV)/.dev-installed chromium postgresql lint typecheck unit

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(VENV)/.dev-installed
	$(PY) -m mypy claims annotator

# The tests run beside a throw-away PostgreSQL server (a temporary folder, stopped afterwards).
unit: $(VENV)/.dev-installed
	$(PY) tests/postgres_server.py $(PY) -m pytest -n 2 --dist loadfile

# $(call debian_package,PACKAGE,CHECK,TESTS): unless the shell test CHECK passes, install Debian's PACKAGE
# with apt-get when root, else say what TESTS need (they skip without it, but fail when CI=true).
define debian_package
	@if $(2); then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's $(1) for the $(3)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
	else \
		echo "The $(3) need Debian's $(1): run 'sudo apt-get install $(1)'."; \
		echo "Without it they are skipped (but required when CI=true)."; \
	fi
endef

# Browser tests drive Debian's chromium; Playwright cannot download its own browser here.
chromium:
	$(call debian_package,chromium,[ -x $(CHROMIUM) ],browser tests)

# The PostgreSQL tests start their own server from Debian's binaries; `make run` never needs them.
postgresql:
	$(call debian_package,postgresql,ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null,PostgreSQL tests)

## make bench: print the benchmark figures as JSON
bench: $(VENV)/.runtime-installed postgresql
	$(PY) benchmarks/bench_core.py
	$(PY) benchmarks/bench_matching.py
	$(PY) tests/postgres_server.py --durable $(PY) benchmarks/bench_factchecks.py
	$(PY) tests/postgres_server.py --durable $(PY) benchmarks/bench_postgres.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
