# Kretsen: `make run` starts the demo, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DEBUG=1

.PHONY: totp run test lint types migrations-check translations-check translations pytest e2e clean

$(VENV)/.installed-run: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Kretsen needs Python 3.11 or newer.")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-run
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

run: $(VENV)/.installed-run
	$(DEV_ENV) $(PY) manage.py compile_translations
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_demo
	$(DEV_ENV) $(PY) manage.py serve_with_worker 127.0.0.1:8000

test: $(VENV)/.installed-dev lint types migrations-check translations-check pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

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
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache

# The current sign-in code of a demo staff account, e.g. make totp EMAIL=samordnare@demo.kretsen.example
totp: $(VENV)/.installed-run
	@$(DEV_ENV) $(PY) manage.py demo_totp $(EMAIL)
