#!/usr/bin/env bash
# Installs pgbouncer, which the tests run the bot through, with apt-get when it is missing and
# this user may install packages (root, or sudo without a password). It never fails the run:
# without pgbouncer, the PgBouncer tests fail and say how to install it.
set -uo pipefail

if [ -n "${PGBOUNCER:-}" ] || command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ]; then
  exit 0
fi
cannot() {
  echo "note: pgbouncer is not installed ($1); the tests through PgBouncer will fail until it is" \
    "(Debian/Ubuntu: sudo apt-get install -y pgbouncer)." >&2
  exit 0
}
command -v apt-get >/dev/null 2>&1 || cannot "no apt-get on this machine"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  cannot "installing it needs root or password-less sudo"
fi
echo "==> installing pgbouncer (apt-get)"
export DEBIAN_FRONTEND=noninteractive
# The package lists of a fresh machine may be missing or stale: update them once if needed.
"${sudo[@]}" apt-get install -y -q pgbouncer >/dev/null 2>&1 \
  || { "${sudo[@]}" apt-get update -q >/dev/null && "${sudo[@]}" apt-get install -y -q pgbouncer >/dev/null; } \
  || cannot "apt-get could not install it"
