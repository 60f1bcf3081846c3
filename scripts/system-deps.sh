#!/usr/bin/env bash
# Installs the Debian packages the app and its tests need, only those missing.
# WeasyPrint needs Pango; the browser tests need Chromium and npm; the PDF tests need pdftotext;
# the production smoke test (scripts/smoke-production.sh) needs nginx and openssl.
set -euo pipefail
want=(libpango-1.0-0 libpangoft2-1.0-0 poppler-utils)
for flag in "$@"; do
  case "$flag" in
    # The browser tests inject axe-core, installed by npm into tests/browser/node_modules (npm ci).
    --with-browser) want+=(chromium nodejs); command -v npm >/dev/null || want+=(npm) ;;
    --with-nginx) want+=(nginx openssl curl) ;;
  esac
done
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
