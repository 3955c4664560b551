# Two commands: `make run` (set up and serve the demo community) and `make test` (set up and run the suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-again sweep bench scale-test scan lighthouse css lint arch messages check-services clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The embedded default: SQLite, eager Celery tasks, a local-memory cache (PORTAL_ENV=development).
run: export PORTAL_ENV ?= development
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver --noreload 127.0.0.1:$(PORT)

# The suite runs on PostgreSQL and Redis (DATABASE_URL / REDIS_URL, default: the local servers).
test: $(VENV)/.dev-installed
	$(PY) -m pytest $(PYTEST_ARGS)

# The database-heavy modules (desk, bookings and queues, concurrency, browser journeys on a live server) a second
# time on the test database the last run left, its sequences moved past 40,000 as after many runs: a test that
# derives a bounded value from a primary key, or counts on rows earlier tests left (or did not), fails here.
REPEAT_TESTS ?= services/tests/test_desk.py services/tests/test_booking.py services/tests/test_concurrency.py \
	services/tests/test_culture_rooms.py councils/tests/test_concurrency.py volunteers/tests/test_concurrency.py \
	volunteers/tests/test_hours.py tests/e2e/test_hall.py
# The long generated sweeps (hostile values into every URL and admin, personal data on every admin page × role).
sweep: $(VENV)/.dev-installed
	$(PY) -m pytest -m sweep $(PYTEST_ARGS)

test-again: $(VENV)/.dev-installed
	$(PY) -m pytest --reuse-db --sequences-from=40000 $(REPEAT_TESTS)

# `make bench`: the district (29 communities). `make bench SIZE=city`: also a city four times its size (116
# communities, about a million residents, in a database of its own, seeded once), each page's p95 there within
# 25 % of its p95 on the district.
SIZE ?= district
BENCH_CITY_district := 0
BENCH_CITY_city := 116
bench: $(VENV)/.dev-installed
	$(PY) bench/run.py --city $(or $(BENCH_CITY_$(SIZE)),$(error SIZE is district or city)) $(BENCH_ARGS)

# Beyond one machine, built on this one (docs/SCALE.md): nginx in front of two gunicorn app hosts, a Celery worker and
# beat, a private PostgreSQL primary with a streaming replica (the reports read it) and a private Redis. Under load it
# kills one app host, then stops the replica: no GET may fail, no form may be applied twice. Needs root (the clusters
# run as postgres), PostgreSQL 15's binaries, nginx and redis-server. Opt-in: not part of `make test`.
scale-test: $(VENV)/.dev-installed
	$(PY) bench/scale_test.py $(SCALE_ARGS)

# wapiti (every module) against the portal as deployed, anonymous / resident / hall staff; fails on any finding
# or any 5xx in gunicorn's access log. Reports in test-artifacts/scan/. SCAN_MINUTES per identity (default 8).
scan: $(VENV)/.dev-installed
	$(PY) bench/scan.py

# Lighthouse (npm, mobile) in Debian's chromium against the portal as deployed: home, a booking page as a resident,
# the workbench as hall staff; every category must score >= 98 and a first visit weigh < 50 KB. bench/LIGHTHOUSE.md.
lighthouse: $(VENV)/.dev-installed bench/frontend/node_modules/.installed
	$(PY) bench/lighthouse.py

# Bootstrap reduced to the classes the portal uses (static/vendor/bootstrap/bootstrap.portal.min.css): run after
# using a Bootstrap class no template used before (tests/test_css.py names it).
css: bench/frontend/node_modules/.installed
	cd bench/frontend && node build-css.mjs

bench/frontend/node_modules/.installed: bench/frontend/package-lock.json
	npm ci --no-audit --no-fund --prefix bench/frontend
	touch $@

# The layout rules (docs/ARCHITECTURE.md): read from the source, nothing is imported.
arch:
	python3 tests/architecture.py

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Refresh the catalogues after changing user-facing strings, then fill the Chinese in locale/zh_Hans.
messages: $(VENV)/.dev-installed
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=staticfiles --ignore=test-artifacts --ignore=node_modules --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) staticfiles test-artifacts bench/frontend/node_modules
