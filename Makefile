# thidua — the two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-postgres test-browser lint format messages demo clean bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

## run: install, migrate, load the 2435 library, units and demo data, serve on 127.0.0.1:8000
run: $(STAMP)
	mkdir -p var
	THIDUA_DEBUG=1 $(MANAGE) migrate --no-input
	THIDUA_DEBUG=1 $(MANAGE) load_demo
	THIDUA_DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

demo: $(STAMP)
	mkdir -p var
	THIDUA_DEBUG=1 $(MANAGE) migrate --no-input
	THIDUA_DEBUG=1 $(MANAGE) load_demo

## test: every test that needs no server we cannot start (SQLite; browser tests only where Chromium is installed)
test: $(STAMP)
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -m "not postgres" -p no:cacheprovider

## test-postgres: the whole suite again on PostgreSQL (DATABASE_URL must point at one)
test-postgres: $(STAMP)
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "DATABASE_URL must be a postgres:// URL"; exit 2;; esac
	$(BIN)/pytest -m "not browser" -p no:cacheprovider

test-browser: $(STAMP)
	$(BIN)/pytest -m browser -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check thidua/templates

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml thidua/templates

messages: $(STAMP)
	cd thidua && ../$(BIN)/django-admin makemessages -l vi --no-obsolete && ../$(BIN)/django-admin compilemessages -l vi

## bench: national-scale benchmarks on PostgreSQL (BENCH_DATABASE_URL), table in var/bench-results.md
bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var
