# Ally LMS — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run install install-test test test-sqlite test-postgres e2e lint bench clean db sso-providers \
	translations translations-extract translations-update translations-compile

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

db: install
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) modules sync
	$(FLASK) demo load

run: db
	$(FLASK) run --host $(HOST) --port $(PORT)

# The suite runs in TEST_WORKERS processes (pytest-xdist), each over a database of its own;
# a file's tests stay in one process, so a world built per module is built once.
# TEST_WORKERS=0 runs everything in this process.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

test: install-test
	$(PYTEST) $(PYTEST_ARGS)

# The suite on PostgreSQL (TEST_DATABASE_URL may point elsewhere).
test-postgres: install-test
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test} \
		$(PYTEST) $(PYTEST_ARGS)

test-sqlite: install-test
	TEST_DATABASE_URL= $(PYTEST) $(PYTEST_ARGS)

# The tests' OpenID and SAML identity providers, served for trying sign-in with `make run`
# (see README, "Trying it on your machine"); prints the settings to export.
sso-providers: install-test
	$(BIN)/python -m tests.sso.try_providers --lms http://$(HOST):$(PORT)

# Browser tests only (Chromium + axe-core); screenshots land in test-artifacts/.
e2e: install-test
	$(BIN)/python -m pytest -m e2e $(PYTEST_ARGS)

$(VENV)/.installed-dev: $(VENV)/.installed-test pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check lms tests $(wildcard bench)
	$(BIN)/lint-imports --no-cache

# The load benchmark (gunicorn + wrk; `apt-get install wrk`). BENCH_ARGS passes options, e.g.
# BENCH_ARGS="--users 2000 --duration 5 --keep"; `--only scorecard` or `--only assignments`
# runs one of the other benchmarks instead. BENCH_DATABASE_URL=postgresql://... for PostgreSQL.
bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Interface translations (gettext, Babel). Extract the messages into lms/translations/messages.pot,
# merge them into each language's .po (translators fill in the new ones), compile the .mo files
# the application reads. The compiled .mo files are committed; tests/test_i18n.py fails when one
# is older than its .po or a message has no translation.
PYBABEL := $(BIN)/pybabel
TRANSLATIONS := lms/translations

translations-extract: install
	$(PYBABEL) extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -k lazy_ngettext:1,2 -k N_ -k NP_:1,2 --no-location --sort-output \
		--project "Ally LMS" -o $(TRANSLATIONS)/messages.pot .

translations-update: translations-extract
	$(PYBABEL) update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete

translations-compile: install
	$(PYBABEL) compile -d $(TRANSLATIONS)

translations: translations-update translations-compile

clean:
	rm -rf $(VENV) .pytest_cache
