#!/usr/bin/env bash
# Install the system libraries WeasyPrint needs to render PDFs (Pango, HarfBuzz, fontconfig)
# and the DejaVu fonts the reports use, when they are missing. Debian/Ubuntu only; elsewhere
# it says what to install and carries on.
set -euo pipefail

need=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || need+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || need+=(libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so' || need+=(libharfbuzz-subset0)
{ command -v fc-list >/dev/null && fc-list 2>/dev/null | grep -qi 'DejaVuSans'; } || need+=(fonts-dejavu-core fontconfig)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "gcmtrack: installing system packages: ${need[*]}"
if command -v apt-get >/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "gcmtrack: please install Pango (>= 1.44), HarfBuzz and DejaVu fonts with your package manager." >&2
fi
