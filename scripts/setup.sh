#!/usr/bin/env bash
# Installs what the build needs beyond Java and Maven: clang and lld, to build the RISC-V guests; and,
# when run as root, iptables and iproute2 for real partitions (lockstep test --net netns and its test).
# Idempotent: installs only what is missing.
set -euo pipefail
if ! command -v clang >/dev/null 2>&1 || ! command -v ld.lld >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "setup: clang and lld are missing; install the Debian packages 'clang' and 'lld'" >&2
    exit 1
  fi
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "setup: installing clang and lld (to build the RISC-V guests)" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq clang lld >/dev/null
fi
# Optional: network namespaces need root anyway, so only root installs their tools; without them the
# netns test is skipped and the default proxy mode works as ever.
if [ "$(id -u)" -eq 0 ] && { ! command -v iptables >/dev/null 2>&1 || ! command -v ip >/dev/null 2>&1; }; then
  echo "setup: installing iptables and iproute2 (for --net netns)" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iptables iproute2 >/dev/null; } \
    || echo "setup: could not install iptables/iproute2; --net netns will be unavailable" >&2
fi
# gdb-multiarch, for the test of the gdb server (lockstep machine debug); CI runs this script, so the
# test fails (naming the package) rather than skips when it is missing.
if ! command -v gdb-multiarch >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    echo "setup: installing gdb-multiarch (for the gdb server's test)" >&2
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq gdb-multiarch >/dev/null; } \
      || echo "setup: could not install gdb-multiarch; the gdb server's test will fail saying so" >&2
  else
    echo "setup: gdb-multiarch is missing (install the Debian package 'gdb-multiarch' for the gdb server's test)" >&2
  fi
fi
