#!/usr/bin/env bash
# System tools the tests use as independent checkers and peers: dcmtk, pydicom (Debian's
# python3), Chromium for browser tests, Orthanc for the benchmark. Installs what is missing
# when run as root on Debian; otherwise says what to install.
set -euo pipefail
need=()
command -v dcmdump >/dev/null || need+=(dcmtk)
/usr/bin/python3 -c 'import pydicom' 2>/dev/null || need+=(python3-pydicom)
/usr/bin/python3 -c 'import numpy, PIL' 2>/dev/null || need+=(python3-numpy python3-pil)
command -v chromium >/dev/null || need+=(chromium)
[ "${1:-}" = "--bench" ] && { command -v Orthanc >/dev/null || need+=(orthanc orthanc-dicomweb); }
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing test tools: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Missing test tools: ${need[*]} (Debian: sudo apt-get install ${need[*]})" >&2
  exit 1
fi
