# Two commands on a fresh machine with Python 3.11:
#   make run   - set up .venv and serve the dashboard on http://127.0.0.1:8501
#   make test  - set up .venv with the test extra, run ruff, mypy and the test suite

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
ADDRESS ?= 127.0.0.1

.PHONY: run test lint typecheck e2e bench clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# pygambit (the test oracle) has no Linux wheels: the first install compiles it
# (about 11 minutes); pip caches the wheel, so later installs are fast.
$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/streamlit run app.py --server.address $(ADDRESS) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

typecheck: $(VENV)/.test-installed
	$(BIN)/mypy

# Debian packages some tests use: Chromium (browser test) and PostgreSQL (classroom
# storage). Installed when running as root with apt; otherwise those tests skip.
system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  missing=""; \
	  [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends $$missing >/dev/null) \
	    || echo "could not install$$missing: the tests that need them will be skipped"; \
	  fi; \
	fi

test: $(VENV)/.test-installed system-deps
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

# End-to-end test in a real headless Chromium (Debian's /usr/bin/chromium).
e2e: $(VENV)/.test-installed system-deps
	$(BIN)/pytest -m e2e tests/e2e

bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/bench_solvers.py --json benchmarks/results/solvers.json
	$(BIN)/python benchmarks/bench_sweep.py --json benchmarks/results/sweep.json
	$(BIN)/python benchmarks/bench_startup.py --json benchmarks/results/startup.json
	$(BIN)/python benchmarks/bench_maps.py --all-axes --json benchmarks/results/maps.json
	$(BIN)/python benchmarks/bench_dashboard.py
	$(BIN)/python benchmarks/readme_speed.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
