# Two entry points: `make demo` and `make test`. Both build .venv from scratch when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEMO_DB ?= demo.db
PORT ?= 8765

.PHONY: demo test bench clean chromium

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

demo: $(INSTALLED)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/detente demo --db $(DEMO_DB)
	$(BIN)/detente serve --db $(DEMO_DB) --port $(PORT)

test: $(INSTALLED) chromium
	$(BIN)/python -m pytest

# The browser tests drive Debian's chromium (never Playwright's own download); install it when missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update && $$SUDO apt-get install -y chromium; }

bench: $(INSTALLED)
	$(BIN)/python benchmarks/ingest.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache test-artifacts
