#!/usr/bin/env bash
# Create (or reuse) the oracle virtualenv holding the real psutil 7.2.2.
#
#   tests/oracle/setup_venv.sh        -> prints the venv's python path
#
# Idempotent: if .venv-oracle already has psutil 7.2.2 nothing is downloaded.
set -euo pipefail

PSUTIL_VERSION="7.2.2"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv-oracle"
PY="$VENV/bin/python"

installed_version() {
    # Run from / so a local "psutil" directory can never shadow the installed one.
    (cd / && "$PY" -c 'import psutil; print(psutil.__version__)' 2>/dev/null) || true
}

if [[ ! -x "$PY" ]]; then
    echo "setup_venv: creating $VENV" >&2
    python3 -m venv "$VENV"
fi

if [[ "$(installed_version)" != "$PSUTIL_VERSION" ]]; then
    echo "setup_venv: installing psutil==$PSUTIL_VERSION" >&2
    "$PY" -m pip install --quiet --disable-pip-version-check --no-input \
        "psutil==$PSUTIL_VERSION"
    got="$(installed_version)"
    if [[ "$got" != "$PSUTIL_VERSION" ]]; then
        echo "setup_venv: expected psutil $PSUTIL_VERSION, got '${got:-nothing}'" >&2
        exit 1
    fi
else
    echo "setup_venv: psutil $PSUTIL_VERSION already installed" >&2
fi

echo "$PY"
