#!/bin/sh
# Installs the real PDF programs the test suite drives. Debian packages by name.
# Under CI (CI set) a client that cannot be installed fails the run: the tests
# that need it must never be skipped silently there.
set -eu

need=""
command -v pdftoppm >/dev/null 2>&1 || need="$need poppler-utils"

if [ -z "$need" ]; then
    exit 0
fi

echo "installing test clients:$need" >&2
if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "cannot install$need: not root and no sudo; install them by hand" >&2
    exit 1
fi
if command -v apt-get >/dev/null 2>&1; then
    $SUDO apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
else
    echo "cannot install$need: no apt-get on this machine; install them by hand" >&2
    exit 1
fi
