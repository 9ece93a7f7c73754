# Chumchon: the README's two commands (make demo, make test) and their helpers.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export CHUMCHON_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test install lint check-migrations system-deps clean messages bench

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

## make demo: install, migrate a SQLite database under var/, load the demo tambon, serve on PORT
demo: install
	$(BIN)/chumchon migrate --no-input -v 1
	$(BIN)/chumchon demo
	@echo ""
	@echo "Chumchon is at http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	$(BIN)/chumchon serve --port $(PORT)

## make test: the whole suite (unit, services, views, API, migrations check, browser tests)
# Browser tests run in their own pass: they need a transactional database, which is emptied after
# each of them, and pytest-xdist may schedule small files after them in one run.
test: install system-deps check-migrations
	$(BIN)/pytest -n 2 --dist loadfile -p no:cacheprovider --ignore=tests/browser
	$(BIN)/pytest -n 2 --dist loadfile -p no:cacheprovider tests/browser

check-migrations: install
	env -u CHUMCHON_DATABASE_URL $(BIN)/chumchon makemigrations --check --dry-run --no-input

system-deps:
	@bash scripts/ensure-system-deps

lint: install
	$(BIN)/ruff check chumchon tests
	$(BIN)/mypy chumchon tests

messages: install
	cd chumchon && ../$(BIN)/chumchon makemessages -l th --no-location --no-obsolete
	cd chumchon && ../$(BIN)/chumchon compilemessages -l th

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

## make bench: registry reads at scale beside raw-SQL anchors, on SQLite and (when running) PostgreSQL;
## record linkage of 1 M records beside exact-ID and generic-splink anchors (DuckDB); the entry-time
## duplicate check against 1 M persons beside the previous check and a raw indexed SELECT
bench: install
	$(BIN)/python bench/search.py
	@if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then \
	  CHUMCHON_DATABASE_URL=postgres://postgres@127.0.0.1:5432/chumchon_bench $(BIN)/python bench/search.py; \
	else echo "PostgreSQL not running on 127.0.0.1:5432: SQLite figures only"; fi
	$(BIN)/python bench/linkage.py --records 1000000
	$(BIN)/python bench/dupcheck.py --persons 1000000
	$(BIN)/python bench/imports.py
