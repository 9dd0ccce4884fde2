# Everything starts from nothing but python3: the venv, the installs, the servers the tests need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ADAPTERS := $(dir $(wildcard adapters/*/pyproject.toml))
ADAPTER_INSTALL := $(foreach a,$(ADAPTERS),-e $(a)[postgresql])

# Dev tools are PEP 735 dependency groups in pyproject.toml (pip >= 25.1 reads them; the venv's pip is upgraded above).
GROUPS := --group dev --group docs --group release --group observability --group i18n --group bench

.PHONY: install demo test lint typecheck unit clean bench dist docs messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade 'pip>=25.1'  # 25.1 reads PEP 735 dependency groups (--group)

$(STAMP): $(BIN)/python pyproject.toml $(wildcard adapters/*/pyproject.toml) $(wildcard benchmarks/requirements.txt)
	$(BIN)/python -m pip install -q -e '.[otel,privacy]' $(ADAPTER_INSTALL) $(GROUPS)
	touch $(STAMP)

install: $(STAMP)

demo: install
	rm -f rehabcore-demo.sqlite rehabcore-demo.sqlite-wal rehabcore-demo.sqlite-shm
	$(BIN)/python -m rehabcore.demo $(DEMO_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy --strict src $(foreach a,$(ADAPTERS),$(a)src)

unit: install
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

test: lint typecheck unit

# Side by side with eventsourcing and the raw driver; writes docs/performance.md. BENCH_ARGS="--full --reps 5".
bench: install
	$(BIN)/python -m pip install -q -r benchmarks/requirements.txt
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)
	$(BIN)/python -m benchmarks.writers $(WRITERS_ARGS)
	$(BIN)/python -m benchmarks.rebuild $(REBUILD_ARGS)
	$(BIN)/python -m benchmarks.privacy $(PRIVACY_ARGS)

# Both packages' sdists and wheels, as they would be uploaded, checked as PyPI would render them.
dist: install
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(foreach a,$(ADAPTERS),$(BIN)/python -m build --outdir dist $(a) &&) true
	$(BIN)/twine check --strict dist/*

# The docs site with its API reference, into site/ (the tests build it too, with --strict).
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# Derive the message ids from the code (tools/message_ids.py: marked words, rule raises, warnings,
# findings), merge them into the sv/en/da catalogs, compile them; then translate what is new
# (a test fails while any message lacks a translation or a compiled catalog is older than its .po).
LOCALE := src/rehabcore/locale
messages: install
	$(BIN)/python tools/message_ids.py $(LOCALE)/rehabcore.pot  # derived from the code: marks, rules, findings
	$(BIN)/pybabel update -D rehabcore -d $(LOCALE) -i $(LOCALE)/rehabcore.pot --width 110 --ignore-obsolete --no-fuzzy-matching
	$(BIN)/pybabel compile -D rehabcore -d $(LOCALE) --statistics

clean:
	rm -rf dist site $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
