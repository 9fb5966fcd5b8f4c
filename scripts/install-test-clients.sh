#!/bin/sh
# Installs the real PDF programs the test suite drives: Debian packages by name,
# node packages from tests/clients/pdfjs/package-lock.json. Under CI (CI set) a
# client that cannot be installed fails the run; the tests that need one are never
# skipped silently there (tests/test_viewer_matrix.py fails on a missing client).
set -eu
cd "$(dirname "$0")/.."

need=""
command -v pdftoppm >/dev/null 2>&1 || need="$need poppler-utils"
command -v pdftocairo >/dev/null 2>&1 || need="$need poppler-utils"
command -v pdftk >/dev/null 2>&1 || need="$need pdftk-java"
command -v gs >/dev/null 2>&1 || need="$need ghostscript"
command -v chromium >/dev/null 2>&1 || need="$need chromium"  # prints the HTML report
command -v node >/dev/null 2>&1 || need="$need nodejs npm"
/usr/bin/python3 -c "import gi; gi.require_version('Poppler', '0.18'); from gi.repository import Poppler" \
    >/dev/null 2>&1 || need="$need python3-gi gir1.2-poppler-0.18"

if [ -n "$need" ]; then
    echo "installing test clients:$need" >&2
    if [ "$(id -u)" = 0 ]; then
        SUDO=""
    elif command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "cannot install$need: not root and no sudo; install them by hand" >&2
        exit 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "cannot install$need: no apt-get on this machine; install them by hand" >&2
        exit 1
    fi
    $SUDO apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
fi

# pdf.js, pinned by the lock file. Reinstalled only when the lock file changes.
lock=tests/clients/pdfjs/package-lock.json
stamp=tests/clients/pdfjs/node_modules/.installed-lock
if [ ! -f "$stamp" ] || ! cmp -s "$lock" "$stamp"; then
    npm ci --prefix tests/clients/pdfjs --no-audit --no-fund --loglevel=error
    cp "$lock" "$stamp"
fi
