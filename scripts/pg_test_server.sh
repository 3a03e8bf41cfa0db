#!/usr/bin/env bash
# A throwaway PostgreSQL for the store tests or a try-out: a fresh cluster in FOLDER on a unix socket.
#   scripts/pg_test_server.sh start /tmp/marsad-pg   # prints the DSN; export MARSAD_TEST_PG=<it> to reuse it
#   scripts/pg_test_server.sh stop /tmp/marsad-pg    # stops it and deletes FOLDER
# The tests start their own server when MARSAD_TEST_PG is unset; this is for running one by hand.
# Needs Debian's postgresql package (initdb, pg_ctl); as root the cluster runs as the postgres user.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
exec "$PY" -m tests.store.pg_server "$@"
