#!/usr/bin/env bash
# Installs what guatu needs on Debian 12, and only what is missing.
# Usage: scripts/install-deps.sh [build|test|bench]   (default: build)
set -euo pipefail
what=${1:-build}
pkgs=(build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev
      libsodium-dev libpq-dev libcairo2-dev libpango1.0-dev fonts-noto-cjk
      libxlsxwriter-dev libzip-dev libexpat1-dev libcurl4-openssl-dev libstb-dev libwebp-dev nodejs npm)
case "$what" in
  test)  pkgs+=(postgresql chromium poppler-utils curl sqlite3 unzip libxml2-utils libreoffice-calc-nogui) ;;
  bench) pkgs+=(postgresql wrk nginx-light curl sqlite3) ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# node/npm may come from elsewhere than Debian (a newer build); accept the commands.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
