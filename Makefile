# Two commands set gcmtrack up on a fresh machine and run it:
#   make demo   - the main job on the bundled samples (reports in out/), on the embedded SQLite store
#   make test   - the whole test suite, on SQLite and on a PostgreSQL server the tests start themselves
# Both create (or reuse) the project virtual environment .venv and install what is missing,
# system packages included (scripts/setup-system.sh).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test setup system-test clean

$(STAMP): pyproject.toml scripts/setup-system.sh
	bash scripts/setup-system.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

system-test:
	bash scripts/setup-system.sh --for-tests

demo: $(STAMP)
	$(BIN)/gcmtrack demo --output out

test: $(STAMP) system-test
	GCMTRACK_TEST_POSTGRES=require $(BIN)/python -m pytest -q -n auto -p no:cacheprovider

clean:
	rm -rf $(VENV) out gcmtrack.db gcmtrack.db-wal gcmtrack.db-shm
