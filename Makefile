# SeeSay: the two commands a newcomer needs.
#   make serve   install (first time) and start the server on the embedded default
#                (make serve PORT=8080 HOST=0.0.0.0 to listen elsewhere)
#   make test    install (first time) and run ruff, mypy and the whole test suite
#   make docs    build the documentation site into site/ (strict: a broken link fails)
#   make image   build the container image seesay:local (podman or docker, whichever is here)
#                (make test-image: its tests, tests/deploy; make test runs them when needed)
.PHONY: serve test lint typecheck pytest install install-dev bench fuzz docs clean image test-image \
	test-image-if-changed

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

# The container image: scripts/build-image.sh finds podman or docker and, where the base image
# cannot be pulled, builds a Debian bookworm base with mmdebstrap. It changes no configuration.
image:
	scripts/build-image.sh

# The image's own tests (tests/deploy): build it (cached layers), run it, the distributed mode
# from it. scripts/ensure-container-tools.sh sets up podman on a test machine (as root).
# A pass records the hash of the image's inputs in $(IMAGE_STAMP).
IMAGE_STAMP := .image-tested
IMAGE_INPUTS = $(shell scripts/image-inputs-hash.sh)
test-image: install-dev
	scripts/ensure-services.sh
	scripts/ensure-container-tools.sh
	$(BIN)/pytest tests/deploy
	@echo "$(IMAGE_INPUTS)" >$(IMAGE_STAMP)

# A cold image build takes most of ten minutes, too long for every `make test`: it runs the
# image tests only when the image's inputs (scripts/image-inputs-hash.sh) changed since they
# last passed here.
test-image-if-changed:
	@if [ "$$(cat $(IMAGE_STAMP) 2>/dev/null)" = "$(IMAGE_INPUTS)" ]; then \
		echo "image inputs unchanged since tests/deploy passed: not run (make test-image runs them)"; \
	else $(MAKE) --no-print-directory test-image; fi

test: lint typecheck pytest test-image-if-changed

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
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache site $(IMAGE_STAMP)
