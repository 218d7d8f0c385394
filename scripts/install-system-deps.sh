#!/usr/bin/env bash
# Installs the Debian packages the reporter needs; does nothing when they are already there.
set -euo pipefail
# Usage: install-system-deps.sh [--test]   (--test adds what only the test suite needs)
# fontconfig: fc-match finds the Noto files the compact fonts are made from (render/speed/fonts.py)
pkgs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fontconfig poppler-utils)
[ "${1:-}" = "--test" ] && pkgs+=(chromium)
python3 -c 'import ensurepip, venv' 2>/dev/null || pkgs+=(python3-venv)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
