#!/usr/bin/env bash
# Installs what subsecond needs on a Debian machine with Node 20 and npm: Chromium (the
# report site's browser tests) and Jupyter (the notebooks) from Debian when missing,
# then the npm packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v jupyter-nbconvert >/dev/null 2>&1 || packages+=(jupyter-nbconvert jupyter-nbformat python3-nbclient jupyter-client)
command -v jupyter-notebook >/dev/null 2>&1 || packages+=(jupyter-notebook)
fc-list 2>/dev/null | grep -qi dejavu || packages+=(fonts-dejavu-core)
if [ ${#packages[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${packages[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi

echo "setup: installing npm packages"
npm ci --no-audit --no-fund
