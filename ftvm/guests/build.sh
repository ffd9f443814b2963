#!/usr/bin/env bash
# Builds the Lockstep guests from source: ftvm/guests/build.sh OUTDIR [STAMPDIR] writes OUTDIR/NAME.elf
# for every guest (STAMPDIR, default OUTDIR, keeps the record of the flags of the last build). Needs clang and ld.lld with the RISC-V target (scripts/setup.sh installs them). Rebuilds only
# when a source, this script or the flags changed. CPUBENCH_ITERATIONS=N overrides cpubench's default.
set -euo pipefail

GUESTS=(kv append chaos cpubench)
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-}"
stampdir="${2:-$out}"
if [ -z "$out" ]; then
  echo "usage: build.sh OUTDIR [STAMPDIR]" >&2
  exit 254
fi
CLANG="${CLANG:-clang}"
LLD="${LLD:-ld.lld}"
for tool in "$CLANG" "$LLD"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "guests: '$tool' not found; run scripts/setup.sh to install clang and lld" >&2
    exit 1
  fi
done

CFLAGS=(--target=riscv32-unknown-elf -march=rv32im -mabi=ilp32 -mcmodel=medany
  -ffreestanding -nostdlib -fno-common -fno-ident -O2 -std=gnu11 -Wall -Wextra -Werror)
if [ -n "${CPUBENCH_ITERATIONS:-}" ]; then
  CFLAGS+=("-DCPUBENCH_ITERATIONS=${CPUBENCH_ITERATIONS}u")
fi
LDFLAGS=(-m elf32lriscv --build-id=none -nostdlib -T runtime/link.ld)
RUNTIME=(runtime/crt0.S runtime/rt.c)
declare -A EXTRA=([kv]=runtime/server.c [append]=runtime/server.c [chaos]= [cpubench]=)

mkdir -p "$out" "$stampdir"
stamp="$stampdir/guests.build-flags"
flags="$("$CLANG" --version | head -n 1) ${CFLAGS[*]} ${LDFLAGS[*]}"
up_to_date() {
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$flags" ] || return 1
  for g in "${GUESTS[@]}"; do
    [ -f "$out/$g.elf" ] || return 1
    if [ -n "$(find "$here" -newer "$out/$g.elf" -type f \( -name '*.[chS]' -o -name '*.ld' -o -name '*.sh' \))" ]; then
      return 1
    fi
  done
}
if up_to_date; then
  exit 0
fi

# Relative paths from the guests directory keep the images independent of where the checkout lives.
cd "$here"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for g in "${GUESTS[@]}"; do
  objs=()
  for src in "${RUNTIME[@]}" ${EXTRA[$g]} "$g/$g.c"; do
    obj="$tmp/$g-$(basename "${src%.*}").o"
    "$CLANG" "${CFLAGS[@]}" -c "$src" -o "$obj"
    objs+=("$obj")
  done
  "$LLD" "${LDFLAGS[@]}" -o "$tmp/$g.elf" "${objs[@]}"
done
for g in "${GUESTS[@]}"; do
  mv "$tmp/$g.elf" "$out/$g.elf"
done
printf '%s' "$flags" >"$stamp"
echo "guests: built ${GUESTS[*]} into $out" >&2
