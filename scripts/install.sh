#!/usr/bin/env bash
# Install SeeSay (editable) into $VENV with the extras in $EXTRAS (offline | dev | all ...).
# A plain pip install: the dependencies resolve to one working set on their own.
set -euo pipefail
VENV=${VENV:-.venv}
EXTRAS=${EXTRAS:-offline}
# One pip command, so that pip takes seesay-sdk from clients/python rather than an index.
"$VENV/bin/python" -m pip install --disable-pip-version-check -q -e ./clients/python -e ".[${EXTRAS}]"
