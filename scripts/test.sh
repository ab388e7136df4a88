#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need (the
# package with its dev extras, Chromium for the browser tests), then runs pytest
# on both cores. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -e '.[dev]'
scripts/setup-browser.sh
python3 -m pytest -n 2 "$@"
