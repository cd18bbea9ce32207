#!/bin/sh
# Debian tools the tests use to read output back: pdftoppm/pdftotext (poppler-utils),
# qpdf, LibreOffice (DOCX conversion check), tmux, PostgreSQL (the pool server's tests,
# on a throwaway cluster: tools/pg-test-cluster.sh) and Chromium (the pool's public
# page, read back headless). Installs what is missing when
# run as root on a Debian-like system; otherwise says what to install.
set -eu
need=""
command -v pdftoppm >/dev/null 2>&1 || need="$need poppler-utils"
command -v qpdf >/dev/null 2>&1 || need="$need qpdf"
command -v soffice >/dev/null 2>&1 || need="$need libreoffice-writer-nogui"
command -v tmux >/dev/null 2>&1 || need="$need tmux"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
command -v chromium >/dev/null 2>&1 || need="$need chromium"
[ -z "$need" ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing:$need"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then
    echo "installing with sudo:$need"
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
else
    echo "please install:$need (the tests that need them will fail without them)" >&2
    exit 1
fi
