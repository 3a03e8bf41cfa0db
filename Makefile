# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv and install as needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared
DB     ?= marsad.db
# The seeds ship with the repository; the development pages are used when ../shared is beside it.
DEMO_INPUTS := tests/fixtures/seeds $(wildcard $(SHARED)/eval/dev)

.PHONY: install demo test clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[serve,scale,test]'
	touch $@

install: $(BIN)/.installed

demo: install
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/marsad ingest $(DEMO_INPUTS) --db $(DB)
	$(BIN)/marsad stats --db $(DB)
	$(BIN)/marsad actors --db $(DB) --limit 10
	$(BIN)/marsad events --db $(DB) --limit 10
	$(BIN)/marsad search "القامشلي" --db $(DB) --limit 3
	@echo
	@echo "Database: $(DB). Next: $(BIN)/marsad search 'الائتلاف' --db $(DB)   |   $(BIN)/marsad export --db $(DB) --format csv -o events.csv"
	@echo "Web pages and API: $(BIN)/marsad serve --db $(DB)   then open http://127.0.0.1:8000/ (API docs: /docs)"

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) *.egg-info $(DB) $(DB)-wal $(DB)-shm .pytest_cache
