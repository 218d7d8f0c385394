# The two commands a newcomer needs: `make demo` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench sysdeps sysdeps-test install clean

sysdeps:
	@scripts/install-system-deps.sh

sysdeps-test:
	@scripts/install-system-deps.sh --test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: sysdeps $(STAMP)

demo: install
	$(BIN)/reporter run --source sample --out output

test: sysdeps-test install
	$(BIN)/ruff check reporter tests bench
	$(BIN)/python -m pytest -q

# make bench BENCH_ARGS=--quick: fewer runs (see bench/run.py --help)
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) output/*/ build *.egg-info
