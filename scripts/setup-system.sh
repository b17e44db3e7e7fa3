#!/usr/bin/env bash
# Install what gcmtrack needs from the system when it is missing (Debian/Ubuntu):
#   always:            Pango, HarfBuzz (subset), fontconfig, DejaVu fonts and the Noto fonts for every
#                      other script a submission may hold (fonts-noto-core: Arabic, Devanagari,
#                      Hebrew, Thai, Cyrillic, Greek...; fonts-noto-cjk: Chinese, Japanese,
#                      Korean) for the PDFs and the HTML; python3-venv
#   with --for-tests:  the PostgreSQL server binaries (the tests start their own server) and
#                      Debian's Chromium (Playwright drives it; no browser is ever downloaded)
# Elsewhere it says what to install and carries on.
set -euo pipefail

for_tests=0
[ "${1:-}" = "--for-tests" ] && for_tests=1

need=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || need+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || need+=(libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so' || need+=(libharfbuzz-subset0)
{ command -v fc-list >/dev/null && fc-list 2>/dev/null | grep -qi 'DejaVuSans'; } || need+=(fonts-dejavu-core fontconfig)
{ command -v fc-list >/dev/null && fc-list 2>/dev/null | grep -qi 'NotoNaskhArabic'; } || need+=(fonts-noto-core)
{ command -v fc-list >/dev/null && fc-list 2>/dev/null | grep -qi 'NotoSansCJK'; } || need+=(fonts-noto-cjk)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
if [ "$for_tests" = 1 ]; then
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
  command -v setpriv >/dev/null || need+=(util-linux)
  [ -x /usr/lib/chromium/chromium ] || need+=(chromium)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "gcmtrack: installing system packages: ${need[*]}"
if command -v apt-get >/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "gcmtrack: please install ${need[*]} with your package manager." >&2
fi
