#!/usr/bin/env bash
# Install SeeSay into $VENV with the extras in $EXTRAS (offline | dev | all ...).
set -euo pipefail
VENV=${VENV:-.venv}
EXTRAS=${EXTRAS:-offline}
PIP="$VENV/bin/python -m pip"
$PIP install --disable-pip-version-check -q -e ".[${EXTRAS}]"
# nudenet depends on opencv-python, which installs a second cv2 beside
# opencv-python-headless; opencv 5 ships no Haar cascades. Keep exactly one cv2: the
# headless 4.x build (reinstalled so its files win).
if $PIP show -q opencv-python >/dev/null 2>&1; then
  $PIP uninstall --disable-pip-version-check -q -y opencv-python
fi
$PIP install --disable-pip-version-check -q --force-reinstall --no-deps "opencv-python-headless>=4.8,<5"
