# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

# What WeasyPrint, the Chinese PDFs, the translations and the PDF tests need from Debian.
SYSTEM_PACKAGES := gettext fonts-wqy-zenhei poppler-utils libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz-subset0

.PHONY: install system-deps browser run test lint bench worker beat messages behaviours

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: system-deps $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing from Debian:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

run: install
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py calendar_load
	$(BIN)/python manage.py load_demo
	@echo "Portal: http://localhost:$(PORT)/   API: http://localhost:$(PORT)/api/v1/"
	@echo "Backups (manage.py backup; nightly with BACKUP_HOUR): $$($(BIN)/python manage.py backup --where)"
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py runserver 0.0.0.0:$(PORT)

# In parallel, one process per core (pytest-xdist), each on its own database and Redis database.
test: install browser
	$(BIN)/pytest -n auto

# The browser tests drive Debian's Chromium (never a downloaded one)
# and check every page they visit with axe-core (npm, pinned in package-lock.json).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@command -v npm >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	@test node_modules/.package-lock.json -nt package-lock.json || \
		npm ci --no-audit --no-fund --loglevel=error

# Speed at scale, each figure against its floor; ends with one line `BENCH {json}`.
# On PostgreSQL: the local one unless DATABASE_URL names another.
bench: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15} $(BIN)/python -m bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

worker: install
	$(BIN)/celery -A config worker --queues=celery,money,pdf --loglevel=info

beat: install
	$(BIN)/celery -A config beat --loglevel=info

# The suite read as each app's behaviour list (`make behaviours APPS="settlement kpi"`).
behaviours:
	python3 -m tests.behaviours $(APPS)

# Re-extract the translatable strings after changing English texts in code or templates.
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --no-obsolete
