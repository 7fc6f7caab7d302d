# Two commands on a fresh machine with only Python and git: `make run`, `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint pytest install install-test clean bench bench-cold bench-writes \
	bench-notify bench-kudos backup restore packages test-packages bench-packages messages \
	screenshots lighthouse lighthouse-packages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## run: install, migrate the embedded SQLite database, load the demo archive once, serve
## beside Huey's consumer for the background jobs, which stops when the server stops
run: install packages messages
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) run_huey & consumer=$$!; \
	trap 'kill $$consumer 2>/dev/null; wait $$consumer' EXIT; \
	trap 'exit 130' INT TERM HUP; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

## backup: copy the configured database (DATABASE_URL, else var/archive.sqlite3) into
## var/backups/archive-<UTC time>: SQLite's online backup, PostgreSQL's pg_dump -Fc;
## safe while the site runs
backup: install
	$(MANAGE) backup

## restore FILE=var/backups/...: into an empty database (REPLACE=1 overwrites one),
## then migrate and rebuild search entries, tag arrays, counts and the cache
restore: install
	@if [ -z "$(FILE)" ]; then echo "Usage: make restore FILE=var/backups/archive-....sqlite3"; exit 2; fi
	$(MANAGE) restore "$(FILE)" $(if $(REPLACE),--replace)

## Debian's packages, each named with a file it installs: installed together when
## one is missing (apt-get, as root), else named with what goes without them.
# The site: Noto fonts for PDF downloads in the scripts fans write in (CJK too);
# gettext's msgfmt to compile the interface's translations (make messages).
SITE_PACKAGES := fonts-noto-core:/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf \
	fonts-noto-cjk:/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc \
	gettext:/usr/bin/msgfmt
# The suite: Chromium for the browser journeys (Playwright cannot download one),
# Redis for the shared-cache tests, jing for the OPDS schema, Java for EPUBCheck.
TEST_PACKAGES := $(SITE_PACKAGES) chromium:/usr/bin/chromium redis-server:/usr/bin/redis-server \
	jing:/usr/bin/jing default-jre-headless:/usr/bin/java
# make lighthouse: Node and npm to install and run Lighthouse, Chromium to drive.
LIGHTHOUSE_PACKAGES := nodejs:/usr/bin/node npm:/usr/bin/npm chromium:/usr/bin/chromium
# make bench: Redis as the cache it measures with, wrk as the load.
BENCH_PACKAGES := redis-server:/usr/bin/redis-server wrk:/usr/bin/wrk

define debian_packages
	@missing=""; \
	for item in $(1); do [ -e "$${item#*:}" ] || missing="$$missing $${item%%:*}"; done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
		echo "Missing Debian's$$missing, and no root to install them (apt-get install$$missing): $(2)"; \
	fi
endef

## packages: what the site needs (fonts, gettext)
packages:
	$(call debian_packages,$(SITE_PACKAGES),PDF downloads fall back to other fonts and pages are in English only.)

## messages: compile the interface's translations (locale/*/LC_MESSAGES/*.po into
## the .mo files Django reads; they are not committed); skips those up to date
messages: install packages
	@if command -v msgfmt >/dev/null; then \
		$(MANAGE) compilemessages --ignore=.venv --ignore=var --ignore=node_modules --verbosity=0; \
	else echo "No msgfmt (Debian's gettext): pages are in English only."; fi

## test-packages: what the suite needs besides
test-packages:
	$(call debian_packages,$(TEST_PACKAGES),the tests that need them are skipped or fail.)

## lighthouse-packages: what make lighthouse needs
lighthouse-packages:
	$(call debian_packages,$(LIGHTHOUSE_PACKAGES),make lighthouse cannot run.)

## bench-packages: what make bench needs
bench-packages:
	$(call debian_packages,$(BENCH_PACKAGES),make bench cannot run.)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --check --quiet
	$(BIN)/djlint templates --lint --quiet

# Test processes: one a core (pytest-xdist); each test file runs whole in one of
# them, with a database of its own. PYTEST_WORKERS=0 runs the suite in one process.
PYTEST_WORKERS ?= auto

## pytest: the suite alone, against DATABASE_URL when it is set (SQLite otherwise)
pytest: install-test messages
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=archive.settings.test
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

## test: everything CI checks on SQLite: lint, migrations, the whole suite
test: install-test test-packages lint pytest

## screenshots: the main pages of the demo archive at 1280 and 390 pixels, into
## docs/screenshots/ (the browser tests take the same into var/ on every run)
screenshots: install-test test-packages
	ARCHIVE_SCREENSHOTS=$(CURDIR)/docs/screenshots DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(BIN)/pytest -q -p no:logging tests/browser/test_accessibility.py -k screenshots

## lighthouse: Lighthouse (npm, pinned, into var/lighthouse/) in Debian's Chromium on
## the demo's chapter page served as in production; prints accessibility and performance
lighthouse: install lighthouse-packages
	PYTHON=$(CURDIR)/$(BIN)/python scripts/lighthouse.sh

BENCH_WORKS ?= 10000
BENCH_SECONDS ?= 10
BENCH_CONNECTIONS ?= 8

## bench: seed a synthetic archive once (DATABASE_URL, else var/bench-N.sqlite3),
## load each page under gunicorn with wrk, print one table, save it in bench-results/;
## the cache is a throw-away redis-server unless ARCHIVE_CACHE_URL is set
bench: install bench-packages
	BENCH_WORKS=$(BENCH_WORKS) BENCH_SECONDS=$(BENCH_SECONDS) \
		BENCH_CONNECTIONS=$(BENCH_CONNECTIONS) $(BIN)/python bench/run.py

BENCH_WRITES_PER_SECOND ?= 10

## bench-writes: load each page of make bench with wrk, alone and while a writer posts
## BENCH_WRITES_PER_SECOND comments and chapter edits through the forms to works the
## page does not show; print each page's requests/s both ways and their ratio, save it
bench-writes: install bench-packages
	BENCH_WORKS=$(BENCH_WORKS) BENCH_SECONDS=$(BENCH_SECONDS) \
		BENCH_CONNECTIONS=$(BENCH_CONNECTIONS) \
		BENCH_WRITES_PER_SECOND=$(BENCH_WRITES_PER_SECOND) $(BIN)/python -m bench.writes

BENCH_KUDOS_PER_SECOND ?= 10
BENCH_HITS_PER_SECOND ?= 100
BENCH_FLUSH_SECONDS ?= 60

## bench-kudos: kudos POSTs and hit recordings a second under wrk (counts checked
## against what was stored), then each reading page alone and while
## BENCH_KUDOS_PER_SECOND kudos and BENCH_HITS_PER_SECOND hits pour in; save the table
bench-kudos: install bench-packages
	BENCH_WORKS=$(BENCH_WORKS) BENCH_SECONDS=$(BENCH_SECONDS) \
		BENCH_CONNECTIONS=$(BENCH_CONNECTIONS) \
		BENCH_KUDOS_PER_SECOND=$(BENCH_KUDOS_PER_SECOND) \
		BENCH_HITS_PER_SECOND=$(BENCH_HITS_PER_SECOND) \
		BENCH_FLUSH_SECONDS=$(BENCH_FLUSH_SECONDS) $(BIN)/python -m bench.kudos

## bench-cold: time each page of a seeded archive as the first request after a write,
## and with every cache empty
bench-cold: install
	BENCH_WORKS=$(BENCH_WORKS) $(BIN)/python bench/cold.py

BENCH_SUBSCRIBERS ?= 10000

## bench-notify: time posting a chapter to a work with 0 and BENCH_SUBSCRIBERS subscribers
## (the request alone), and the background jobs that notify and email them
bench-notify: install-test
	BENCH_SUBSCRIBERS=$(BENCH_SUBSCRIBERS) $(BIN)/python bench/notify.py

## clean: remove the virtualenv and what var/ holds (the database, the cache, built
## downloads), but for the backups in var/backups/
clean:
	rm -rf $(VENV)
	if [ -d var ]; then find var -mindepth 1 -maxdepth 1 ! -name backups -exec rm -rf {} +; fi
