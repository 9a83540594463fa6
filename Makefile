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

# The demo runs as production does (DEBUG off: the product's own error pages, no published keys) with
# keys of its own, made once into var/demo.env, over plain http on this machine, two-factor relaxed.
DEMO_ENV := var/demo.env
$(DEMO_ENV): | $(PY)
	@mkdir -p var
	@umask 077 && $(PY) -c "import base64, secrets; \
	print('SECRET_KEY=' + secrets.token_urlsafe(50)); \
	print('FIELD_ENCRYPTION_KEY=' + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()); \
	print('LINE_CHANNEL_SECRET=' + secrets.token_hex(16)); \
	print('LINE_CHANNEL_ACCESS_TOKEN=demo-without-line')" > $@
	@echo "Made the demo's own keys in $@ (keep it: the demo's national IDs are encrypted with it)"
WITH_DEMO := set -a && . ./$(DEMO_ENV) && ALLOWED_HOSTS=$(HOST),localhost,127.0.0.1 \
	SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0 TWO_FACTOR_REQUIRED_FOR_STAFF=0 \
	SERVE_STATIC_FROM_APPS=1 && set +a &&
# The tests and the type checker read the settings with the test run's keys.
WITH_TEST := POCKETBOOK_TESTING=1

translations: $(VENV)/.installed $(DEMO_ENV)
	$(WITH_DEMO) $(PY) manage.py compile_translations

setup-db: $(VENV)/.installed translations
	$(WITH_DEMO) $(PY) manage.py migrate --no-input
	$(WITH_DEMO) $(PY) manage.py load_geography
	$(WITH_DEMO) $(PY) manage.py seed_demo

# The demo runs the web server, the task worker (LINE replies, notifications) and the SLA clock
# together; Ctrl-C stops all three.
run: setup-db
	@echo ""
	@echo "Pocketbook: http://$(HOST):$(PORT)/   (API docs: http://$(HOST):$(PORT)/api/v1/docs)"
	@$(WITH_DEMO) trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py db_worker --interval 1 --no-reload >var/worker.log 2>&1 & \
	$(PY) manage.py escalate_overdue --every 60 >var/sla.log 2>&1 & \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The tests need two of Debian's programs: Chromium for the browser tests (Playwright's own browser
# download cannot be used here) and pdftotext (poppler-utils) to read the printouts back.
CHROMIUM := /usr/bin/chromium
PDFTOTEXT := /usr/bin/pdftotext
$(CHROMIUM): DEBIAN_PACKAGE := chromium
$(PDFTOTEXT): DEBIAN_PACKAGE := poppler-utils
$(CHROMIUM) $(PDFTOTEXT):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's $(DEBIAN_PACKAGE) for the tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PACKAGE) >/dev/null; \
	else \
		echo "The tests need $@: sudo apt-get install $(DEBIAN_PACKAGE)"; exit 1; \
	fi

test: $(VENV)/.installed-dev $(CHROMIUM) $(PDFTOTEXT)
	$(WITH_TEST) $(PY) manage.py compile_translations
	$(WITH_TEST) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(WITH_TEST) $(VENV)/bin/mypy pocketbook

bench: $(VENV)/.installed-dev $(DEMO_ENV)
	$(WITH_DEMO) $(PY) manage.py compile_translations
	$(WITH_DEMO) $(PY) manage.py migrate --no-input --verbosity 0
	$(WITH_DEMO) $(PY) -m benchmarks $(BENCH_ARGS)

# Mutation testing (mutmut): plant small bugs in the access, national ID, LINE signature and scoring modules
# ([tool.mutmut] in pyproject.toml) and count how many the fast tests covering them catch.
mutants: $(VENV)/.installed-dev $(DEMO_ENV)
	$(WITH_TEST) $(PY) manage.py compile_translations
	rm -rf mutants
	$(WITH_TEST) $(VENV)/bin/mutmut run --max-children $(or $(MUTANT_WORKERS),2)
	$(VENV)/bin/mutmut results --all true | tail -n 40

worker: $(VENV)/.installed $(DEMO_ENV)
	$(WITH_DEMO) $(PY) manage.py db_worker

messages:  # refresh every app's Thai catalogue (needs GNU gettext: apt-get install gettext)
	for app in pocketbook/*/; do if [ -d "$$app/locale" ]; then (cd $$app && $(WITH_TEST) ../../$(VENV)/bin/django-admin makemessages -l th --no-obsolete --settings=pocketbook.settings --pythonpath=../..) || exit 1; fi; done

clean:
	rm -rf $(VENV) var
