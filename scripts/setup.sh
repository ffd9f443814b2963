#!/usr/bin/env bash
# Installs what the build needs beyond Java and Maven: clang and lld, to build the RISC-V guests, and
# gdb-multiarch, for the test of the gdb server (lockstep machine debug). Idempotent.
set -euo pipefail
if command -v clang >/dev/null 2>&1 && command -v ld.lld >/dev/null 2>&1 && command -v gdb-multiarch >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
  if command -v clang >/dev/null 2>&1 && command -v ld.lld >/dev/null 2>&1; then
    # the build needs only clang and lld; without gdb-multiarch only the gdb server's test fails (and says why)
    echo "setup: gdb-multiarch is missing (install the Debian package 'gdb-multiarch' for the gdb server's test)" >&2
    exit 0
  fi
  echo "setup: clang, lld or gdb-multiarch is missing; install the Debian packages 'clang', 'lld' and 'gdb-multiarch'" >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "setup: installing clang and lld (to build the RISC-V guests) and gdb-multiarch (to test the gdb server)" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq clang lld gdb-multiarch >/dev/null
