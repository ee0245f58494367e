# SeeSay: the two commands a newcomer needs.
#   make serve   install (first time) and start the server on the embedded default
#                (make serve PORT=8080 HOST=0.0.0.0 to listen elsewhere)
#   make test    install (first time) and run ruff, mypy and the whole test suite
#   make docs    build the documentation site into site/ (strict: a broken link fails)
.PHONY: serve test lint typecheck pytest install install-dev bench fuzz docs clean

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
# pip keeps its wheel cache in ~/.cache/pip, so a reinstall downloads nothing new.
PIP_FLAGS ?= --disable-pip-version-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install $(PIP_FLAGS) -q --upgrade pip

$(VENV)/.installed: pyproject.toml clients/python/pyproject.toml scripts/install.sh | $(BIN)/python
	VENV=$(VENV) EXTRAS=offline scripts/install.sh
	touch $@

$(VENV)/.installed-dev: pyproject.toml clients/python/pyproject.toml scripts/install.sh | $(BIN)/python
	VENV=$(VENV) EXTRAS=dev scripts/install.sh
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Set on the command line only (a shell's own HOST or PORT is not taken); empty, the
# settings decide: SEESAY_HOST / SEESAY_PORT, else 127.0.0.1:8000.
HOST =
PORT =

# Apertium (English <-> Spanish translation) is a Debian package: installed as root, or the
# script says what to install and fails.
serve: install
	scripts/ensure-system-packages.sh
	$(BIN)/seesay serve $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

lint: install-dev
	$(BIN)/ruff check src tests bench clients/python scripts
	$(BIN)/ruff format --check src tests bench clients/python scripts
	$(BIN)/python clients/python/scripts/generate_sync_client.py --check
	$(BIN)/python scripts/generate_config_reference.py --check

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev
	scripts/ensure-services.sh
	scripts/ensure-system-packages.sh --test
	scripts/ensure-js-packages.sh
	$(BIN)/pytest

test: lint typecheck pytest

bench: install-dev
	scripts/ensure-services.sh
	$(BIN)/python -m bench.overhead
	$(BIN)/python -m bench.engines
	$(BIN)/python -m bench.img2voice
	$(BIN)/python -m bench.speech
	$(BIN)/python -m bench.models_pull
	$(BIN)/python -m bench.quality

# Mutated images, audio files and URLs against their parsers; prints the counts.
fuzz: install-dev
	$(BIN)/python -m bench.fuzz --seconds $(or $(FUZZ_SECONDS),120)

# The site; tests/docs builds it too (strictly, into a temporary folder), so `make test` runs it.
docs: install-dev
	$(BIN)/python scripts/generate_config_reference.py
	$(BIN)/mkdocs build --strict --site-dir site

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache site
