#!/usr/bin/env bash
# Installs what the build needs beyond Java and Maven: clang and lld, to build the RISC-V guests.
set -euo pipefail
if command -v clang >/dev/null 2>&1 && command -v ld.lld >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "setup: clang and lld are missing; install the Debian packages 'clang' and 'lld'" >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "setup: installing clang and lld (to build the RISC-V guests)" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq clang lld >/dev/null
