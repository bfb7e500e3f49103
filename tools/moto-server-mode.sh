#!/usr/bin/env bash
# Runs one of moto's own test files, unchanged, in moto's server mode (TEST_SERVER_MODE=true) against one
# `sagebox serve --ephemeral`: moto POSTs /moto-api/reset around each test, which sagebox answers (issue 15).
# moto's tests are not part of this repository: take the file from github.com/getmoto/moto, e.g.
# tests/test_sagemaker/test_sagemaker_processing.py.
#
# Usage: tools/moto-server-mode.sh PYTHON TEST_FILE [pytest arguments...]
#   PYTHON: an interpreter with moto 5.x, pytest and boto3 (a venv of its own: pip install "moto[server]" pytest).
#   The sagebox binary is $SAGEBOX_BIN, else the debug build's.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
python=$1 file=$(realpath "$2"); shift 2
bin=${SAGEBOX_BIN:-$(swift build --show-bin-path)/sagebox}
log=$(mktemp -t sagebox-moto-XXXXXX.log)
coproc SERVER { exec "$bin" serve --ephemeral --port 0 --stop-grace 2 2>"$log"; }
server_pid=$SERVER_PID
trap 'kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" || true; echo "sagebox log: $log" >&2' EXIT
read -r first <&"${SERVER[0]}"
endpoint=$(sed -E 's/^\{"endpoint": "([^"]+)"\}$/\1/' <<<"$first")
echo "sagebox at $endpoint" >&2
cd "$(dirname "$file")"
TEST_SERVER_MODE=true TEST_SERVER_MODE_ENDPOINT=$endpoint AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
  AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
  "$python" -m pytest -p no:cacheprovider "$(basename "$file")" "$@"
