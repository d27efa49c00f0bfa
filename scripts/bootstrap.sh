#!/usr/bin/env bash
# Installs what is missing — Debian packages and the pinned virtual environment — and nothing else.
# Safe to run again: a second run checks, says "nothing to install", and exits.
#   bootstrap.sh          what `reportocr` needs
#   bootstrap.sh --test   plus what the test suite needs (a PostgreSQL server, qpdf, chromium)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

apt_packages=(tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng tesseract-ocr-osd poppler-utils fonts-thai-tlwg fontconfig)
with_tests=0
if [[ "${1:-}" == "--test" ]]; then
  with_tests=1
  # qpdf makes the password-protected PDFs of the quarantine tests; the manifest is tested on a real
  # PostgreSQL server that the tests start on loopback; the review report is checked in a headless chromium.
  apt_packages+=(qpdf postgresql chromium)
fi
installed_something=0

missing_system() {
  command -v tesseract >/dev/null || { echo "tesseract"; return; }
  command -v pdftoppm >/dev/null || { echo "poppler-utils"; return; }
  command -v fc-list >/dev/null || { echo "fontconfig"; return; }
  if [[ $with_tests -eq 1 ]]; then
    command -v qpdf >/dev/null || { echo "qpdf"; return; }
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || { echo "postgresql"; return; }
    command -v chromium >/dev/null || { echo "chromium"; return; }
  fi
  local langs
  langs="$(tesseract --list-langs 2>/dev/null)"
  for lang in tha eng osd; do
    grep -qx "$lang" <<<"$langs" || { echo "tesseract-ocr-$lang"; return; }
  done
  fc-list :lang=th family | grep -qi laksaman || { echo "fonts-thai-tlwg"; return; }
}

if [[ -n "$(missing_system)" ]]; then
  echo "bootstrap: missing system dependency: $(missing_system); installing ${apt_packages[*]}"
  sudo_cmd=()
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "bootstrap: need root (or sudo) to apt-get install ${apt_packages[*]}" >&2; exit 1; }
    sudo_cmd=(sudo -n)
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
  if [[ -n "$(missing_system)" ]]; then
    echo "bootstrap: still missing after apt-get: $(missing_system)" >&2
    exit 1
  fi
  installed_something=1
fi

python_bin="${PYTHON:-python3}"
stamp=".venv/.installed-from"
want="$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)"
if [[ ! -x .venv/bin/python || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "bootstrap: creating .venv from requirements.lock"
  rm -rf .venv
  "$python_bin" -m venv .venv
  # This machine's pip config lists optional local indexes; their "ignored" warnings are noise.
  quiet_pip() { .venv/bin/python -m pip "$@" 2> >(grep -v "^WARNING: Location '" >&2); }
  quiet_pip install --quiet -r requirements.lock
  quiet_pip install --quiet --no-deps -e .
  echo "$want" >"$stamp"
  installed_something=1
fi

if [[ $installed_something -eq 0 ]]; then
  echo "bootstrap: nothing to install (system packages present, .venv matches requirements.lock)"
fi
