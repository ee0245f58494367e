#!/usr/bin/env bash
# Install SeeSay (editable) into $VENV with the extras in $EXTRAS (offline | dev | all ...).
# A plain pip install: the dependencies resolve to one working set on their own.
set -euo pipefail
VENV=${VENV:-.venv}
EXTRAS=${EXTRAS:-offline}
"$VENV/bin/python" -m pip install --disable-pip-version-check -q -e ".[${EXTRAS}]"
