# The two commands a newcomer needs: `make demo` and `make test`.  Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# uv compiles the lock files: the one in .venv (`scripts/bootstrap --dev` installs it), else one on PATH.
UV ?= $(firstword $(wildcard $(BIN)/uv) $(shell command -v uv 2>/dev/null))
LOCK_FLAGS := --universal --generate-hashes --quiet --custom-compile-command "make lock" \
	$(if $(UPGRADE),--upgrade)

.PHONY: demo test test-postgres lint typecheck hooks bench-caseload lock clean

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

lint: ## ruff, then the import contracts and the type checker when they are installed
	PYTHON=$(PYTHON) scripts/bootstrap --dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@if [ -x $(BIN)/lint-imports ] && { [ -f .importlinter ] || grep -q '^\[tool.importlinter' pyproject.toml; }; \
	  then echo "PYTHONPATH=src $(BIN)/lint-imports"; PYTHONPATH=src $(BIN)/lint-imports; fi
	@if [ -x $(BIN)/mypy ]; then echo "PYTHONPATH=src $(BIN)/mypy src/"; PYTHONPATH=src $(BIN)/mypy src/; fi

typecheck: ## mypy with django-stubs over src/ (needs no environment: attune.config.settings_typecheck)
	PYTHON=$(PYTHON) scripts/bootstrap --dev
	PYTHONPATH=src $(BIN)/mypy src/

hooks: ## run ruff, the import contracts and mypy before every commit (.pre-commit-config.yaml)
	PYTHON=$(PYTHON) scripts/bootstrap --dev
	$(BIN)/pre-commit install

bench-caseload: ## load test of the caseload and client pages (see docs/benchmarks.md)
	PYTHON=$(PYTHON) scripts/bootstrap --dev
	$(BIN)/python bench/caseload/run.py

lock: ## re-pin every dependency from pyproject.toml, with hashes (UPGRADE=1: newest allowed)
	@[ -n "$(UV)" ] || { echo "make lock needs uv: run scripts/bootstrap --dev (or install uv)" >&2; exit 1; }
	$(UV) pip compile pyproject.toml $(LOCK_FLAGS) -o requirements/runtime.txt
	$(UV) pip compile pyproject.toml --extra dev -c requirements/runtime.txt $(LOCK_FLAGS) \
	  -o requirements/dev.txt
	$(PYTHON) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], "pip", sep="\n")' \
	  | $(UV) pip compile - -c requirements/dev.txt $(LOCK_FLAGS) -o requirements/build.txt

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
