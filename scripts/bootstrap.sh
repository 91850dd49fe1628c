#!/usr/bin/env bash
# Creates .venv and installs Coachbot with its offline embedding model and dev tools.
# Sourced by scripts/run and scripts/test; safe to run again (it skips work already done).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "Coachbot needs Python 3.11 (found $("$PYTHON" --version 2>&1)). Set PYTHON=/path/to/python3.11." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi

# Reinstall only when the dependency list changed since the last successful install.
stamp=.venv/.coachbot-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> installing dependencies (first run takes a few minutes)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  # torch first, pinned, so the embedding model's dependencies do not pick another build.
  .venv/bin/python -m pip install --quiet "torch==2.13.0"
  .venv/bin/python -m pip install --quiet -e ".[local-embeddings,dev]"
  echo "$want" > "$stamp"
fi
