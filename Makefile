# The two commands a newcomer needs: `make demo` and `make test`.  Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-postgres lint bench-caseload lock clean

demo: ## set up everything and serve the synthetic agency on http://127.0.0.1:8000
	PYTHON=$(PYTHON) scripts/bootstrap
	$(BIN)/attune demo

test: ## unit, integration and browser tests on SQLite (installs Chromium if missing)
	PYTHON=$(PYTHON) scripts/bootstrap --dev
	scripts/install-system-packages
	$(BIN)/pytest

test-postgres: ## the database tests again on PostgreSQL (DATABASE_URL, default 127.0.0.1:5432/test)
	PYTHON=$(PYTHON) scripts/bootstrap --dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -m "not browser"

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=src $(BIN)/lint-imports

bench-caseload: ## load test of the caseload and client pages (see docs/benchmarks.md)
	PYTHON=$(PYTHON) scripts/bootstrap --dev
	$(BIN)/python bench/caseload/run.py

lock: ## re-pin every dependency after changing pyproject.toml
	$(BIN)/pip freeze --exclude-editable | grep -v '^attune' > requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
