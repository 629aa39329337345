# Kretsen: `make run` starts the demo, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DEBUG=1
# make run PORT=8001 HOST=0.0.0.0 serves elsewhere than http://127.0.0.1:8000
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: totp run test lint imports types migrations-check translations-check translations pytest e2e clean load-test restore-drill

$(VENV)/.installed-run: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Kretsen needs Python 3.11 or newer.")'
	@echo "Installing Kretsen and its libraries into $(VENV): the first time takes a few minutes"
	@echo "(Django, WeasyPrint, OR-Tools, scikit-learn and what they need; pip lists each one)."
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --progress-bar on --upgrade pip
	$(PY) -m pip install --progress-bar on -e .
	@echo "Installed."
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-run
	@echo "Installing the development tools (pytest, Playwright, mypy, ruff): about a minute."
	$(PY) -m pip install --progress-bar on -e ".[dev]"
	touch $@

run: $(VENV)/.installed-run
	$(DEV_ENV) $(PY) manage.py compile_translations
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	@echo "Loading the demo data and starting the site, the worker and the scheduler ..."
	$(DEV_ENV) SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py serve_with_worker --demo --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev lint imports types migrations-check translations-check pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The app layering and the pure engine (contracts in pyproject.toml, decision 0121).
imports: $(VENV)/.installed-dev
	$(VENV)/bin/lint-imports

types: $(VENV)/.installed-dev
	$(VENV)/bin/mypy

migrations-check: $(VENV)/.installed-dev
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

translations-check: $(VENV)/.installed-dev
	$(PY) -m kretsen.core.translations check

pytest: $(VENV)/.installed-dev
	$(DEV_ENV) $(PY) manage.py compile_translations
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Refresh the .po files after changing user-facing strings (needs GNU gettext's xgettext).
translations: $(VENV)/.installed-dev
	cd src/kretsen && DEBUG=1 ../../$(PY) ../../manage.py makemessages --no-obsolete --no-location -l sv -l nb -l en

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache .import_linter_cache

# The current sign-in code of a demo staff account, e.g. make totp EMAIL=samordnare@demo.kretsen.example
totp: $(VENV)/.installed-run
	@$(DEV_ENV) $(PY) manage.py demo_totp $(EMAIL)

# The load test on the production stack: a fresh PostgreSQL database, its own Redis, uvicorn
# with 2 workers, 2 db_workers and the scheduler on 127.0.0.1, then locust once per number of
# users (docs/benchmarks.md). make load-test USERS=200 LOAD_SECONDS=60
USERS ?= 50 200 500
LOAD_SECONDS ?= 75
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kretsen_load
load-test: $(VENV)/.installed-dev
	$(PY) -m benchmarks.load.run --users $(USERS) --duration $(LOAD_SECONDS) --database-url $(LOAD_DATABASE_URL)

# Back up a database of 50,000 registrations, restore it into a fresh one, check it, print the RTO.
DRILL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kretsen_drill
restore-drill: $(VENV)/.installed-dev
	$(PY) -m benchmarks.restore_drill --database-url $(DRILL_DATABASE_URL)
