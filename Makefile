# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `make run` installs what the server needs; `make test` adds the test tools (a browser driver, the SDK,
# storage emulators, fuzzers), which a node that only serves does not need.
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
WEBAPP := src/labelhive/static/index.html
FRONTEND_SOURCES := $(shell find frontend -path frontend/node_modules -prune -o -type f -print 2>/dev/null)
DATA_DIR ?= ./data
PORT ?= 8080

.PHONY: run test bench webapp clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	LABELHIVE_SKIP_FRONTEND=1 $(BIN)/pip install -q -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	LABELHIVE_SKIP_FRONTEND=1 $(BIN)/pip install -q -e '.[test]'
	touch $(TEST_STAMP)

# The web app is built here (not by pip's editable install) so a change under frontend/ rebuilds it.
$(WEBAPP): $(FRONTEND_SOURCES)
	@if [ -f frontend/package.json ]; then \
	  cd frontend && npm ci --no-audit --no-fund && npm run build; \
	else echo "no frontend/ yet"; fi

webapp: $(WEBAPP)

run: $(STAMP) webapp
	$(BIN)/labelhive start --data-dir $(DATA_DIR) --port $(PORT)

test: $(TEST_STAMP) webapp
	@if [ -f frontend/package.json ]; then cd frontend && npm test; fi
	@[ -x tests/azurite/node_modules/.bin/azurite-blob ] || (cd tests/azurite && npm ci --no-audit --no-fund)
	$(BIN)/python -m pytest -q -n 2

bench: $(TEST_STAMP) webapp
	$(BIN)/python benchmarks/startup_bench.py
	$(BIN)/python benchmarks/api_bench.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info src/labelhive/static frontend/node_modules tests/azurite/node_modules
