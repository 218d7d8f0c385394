# The two commands a newcomer needs: `make demo` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench catalogs sysdeps sysdeps-test install clean

sysdeps:
	@scripts/install-system-deps.sh

sysdeps-test:
	@scripts/install-system-deps.sh --test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The package's bytecode, written now: an editable install leaves it to the first import, and
# with PYTHONDONTWRITEBYTECODE set no import writes it, so every run would compile the source.
# Quick when nothing changed; a source edited later is compiled again by the import, as ever.
install: sysdeps $(STAMP)
	@$(BIN)/python -m compileall -q reporter

demo: install
	$(BIN)/reporter run --source sample --out output

test: sysdeps-test install
	$(BIN)/ruff check reporter tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

# make bench BENCH_ARGS=--quick: fewer runs (see bench/run.py --help)
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The gettext templates (locales/*.pot) and catalogs, brought in step with the code; then
# translate what is new in locales/zh_CN/LC_MESSAGES/*.po (read at run time: nothing to compile).
catalogs: install
	@for domain in messages insights portal; do \
	  sources=$$($(BIN)/python -c "from reporter.i18n import CATALOG_SOURCES; \
	    print(' '.join(CATALOG_SOURCES['$$domain']))") && \
	  $(BIN)/pybabel -q extract -F babel.cfg -k NN_:1,2 -c Translators: --no-location --sort-output \
	    --project reporter -o locales/$$domain.pot $$sources && \
	  $(BIN)/pybabel -q update -D $$domain -i locales/$$domain.pot -d locales \
	    --no-fuzzy-matching --ignore-obsolete -w 100 || exit 1; \
	done

clean:
	rm -rf $(VENV) output/*/ build *.egg-info
