#!/usr/bin/env bash
# The project's two entry points (see README):
#   ./dev.sh run    install what is missing, then process data/raw -> data/clean
#   ./dev.sh test   install what is missing, then lint and run the whole test suite
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
if [[ "${1:-}" == test ]]; then bash scripts/bootstrap.sh --test; else bash scripts/bootstrap.sh; fi
export PYTHAINLP_OFFLINE=1
case "${1:-}" in
  run)
    shift
    # The bundled samples are not a share being copied to: no need to wait for them to settle.
    exec .venv/bin/reportocr run --input data/raw --output data/clean --settle-seconds 0 "$@"
    ;;
  test)
    shift
    .venv/bin/ruff check .
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: ./dev.sh run|test [extra args]" >&2
    exit 2
    ;;
esac
