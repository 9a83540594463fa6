# Pocketbook — two commands for a new user: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench mutants install install-dev setup-db translations messages worker clean help

help:
	@echo "make run    - set everything up and serve the demo on http://$(HOST):$(PORT)"
	@echo "make test   - set up and run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make lint   - ruff and mypy"
	@echo "make bench  - benchmarks (not tests); prints a table"
	@echo "make mutants - mutation testing of access, national ID, signature and scoring (slow; see docs)"

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[dev]'
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: $(VENV)/.installed
	$(PY) manage.py compile_translations

setup-db: $(VENV)/.installed translations
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_geography
	$(PY) manage.py seed_demo

# The demo runs the web server, the task worker (LINE replies, notifications) and the SLA clock
# together; Ctrl-C stops all three.
run: setup-db
	@echo ""
	@echo "Pocketbook: http://$(HOST):$(PORT)/   (API docs: http://$(HOST):$(PORT)/api/v1/docs)"
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py db_worker --interval 1 --no-reload >var/worker.log 2>&1 & \
	$(PY) manage.py escalate_overdue --every 60 >var/sla.log 2>&1 & \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The browser tests drive Debian's Chromium; Playwright's own browser download cannot be used here.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Chromium at $(CHROMIUM): sudo apt-get install chromium"; exit 1; \
	fi

test: $(VENV)/.installed-dev $(CHROMIUM)
	$(PY) manage.py compile_translations
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy pocketbook

bench: $(VENV)/.installed-dev
	$(PY) manage.py compile_translations
	$(PY) manage.py migrate --no-input --verbosity 0
	$(PY) -m benchmarks $(BENCH_ARGS)

# Mutation testing (mutmut): plant small bugs in the access, national ID, LINE signature and scoring modules
# ([tool.mutmut] in pyproject.toml) and count how many the fast tests covering them catch.
mutants: $(VENV)/.installed-dev
	$(PY) manage.py compile_translations
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children $(or $(MUTANT_WORKERS),2)
	$(VENV)/bin/mutmut results --all true | tail -n 40

worker: $(VENV)/.installed
	$(PY) manage.py db_worker

messages:  # refresh every app's Thai catalogue (needs GNU gettext: apt-get install gettext)
	for app in pocketbook/*/; do if [ -d "$$app/locale" ]; then (cd $$app && ../../$(VENV)/bin/django-admin makemessages -l th --no-obsolete --settings=pocketbook.settings --pythonpath=../..) || exit 1; fi; done

clean:
	rm -rf $(VENV) var
