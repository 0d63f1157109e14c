#!/usr/bin/env bash
# Rebuilds every module in modules/ from src/ with clang + wasm-ld (Debian: clang, lld).
#   src/NAME.c               -> modules/NAME.wasm        (UDF modules)
#   src/test-modules/NAME.c  -> modules/test-NAME.wasm   (hostile modules for engine tests;
#                                                          '_' in NAME becomes '-')
# Optional tools: wasm-opt (binaryen) post-optimises; wabt's wasm-objdump checks that no module
# except test-imports imports anything and wasm-validate that each one is plain WebAssembly 1.0.
# Environment: CLANG, WASM_OPT (empty string disables it), CFLAGS_EXTRA.
set -euo pipefail
cd "$(dirname "$0")"

CLANG=${CLANG:-clang}
command -v "$CLANG" >/dev/null 2>&1 || { echo "build.sh: '$CLANG' not found (Debian: apt-get install clang)" >&2; exit 1; }
command -v wasm-ld >/dev/null 2>&1 || { echo "build.sh: 'wasm-ld' not found (Debian: apt-get install lld)" >&2; exit 1; }
echo 'int x;' | "$CLANG" --target=wasm32 -x c -c -o /dev/null - 2>/dev/null \
  || { echo "build.sh: $CLANG cannot target wasm32 (needs the WebAssembly backend)" >&2; exit 1; }

# -mcpu=mvp: only WebAssembly 1.0 instructions, the widest-supported subset (no SIMD, no
#   bulk-memory, no sign-extension ops).
# --stack-first: the 64 KiB C stack sits at the bottom of memory, so overflowing it traps
#   (address below 0) instead of silently overwriting static data.
CFLAGS=(--target=wasm32 -mcpu=mvp -nostdlib -ffreestanding -fno-strict-aliasing -O2
        -Wall -Wextra -Werror -Iinclude ${CFLAGS_EXTRA:-})
LDFLAGS=(--no-entry --stack-first -z stack-size=65536)

WASM_OPT=${WASM_OPT-$(command -v wasm-opt || true)}
mkdir -p modules

build() { # src out
  local src=$1 out=$2 obj tmp
  obj=$(mktemp --suffix=.o)
  tmp=$(mktemp --suffix=.wasm)
  # Compile and link separately: the clang driver would run wasm-opt itself when it is on the
  # PATH and drop the name section, which engines use for function names in trap messages.
  "$CLANG" "${CFLAGS[@]}" -c -o "$obj" "$src"
  wasm-ld "${LDFLAGS[@]}" -o "$tmp" "$obj"
  rm -f "$obj"
  if [[ -n "$WASM_OPT" ]]; then
    # -g keeps the name section (function names in engine stack traces); producers is noise.
    "$WASM_OPT" -O2 -g --mvp-features --strip-producers "$tmp" -o "$out"
  else
    cp "$tmp" "$out"
  fi
  rm -f "$tmp"
  if command -v wasm-objdump >/dev/null 2>&1 && [[ "$out" != *test-imports.wasm ]]; then
    if wasm-objdump -h "$out" | grep -q '^ *Import '; then
      echo "build.sh: $out has imports:" >&2
      wasm-objdump -j Import -x "$out" >&2
      exit 1
    fi
  fi
  if command -v wasm-validate >/dev/null 2>&1; then
    # must validate as WebAssembly 1.0 (MVP): every 2.0 feature switched off
    wasm-validate --disable-saturating-float-to-int --disable-sign-extension --disable-multi-value \
      --disable-bulk-memory --disable-reference-types --disable-simd "$out" \
      || { echo "build.sh: $out is not a valid WebAssembly 1.0 module" >&2; exit 1; }
  fi
  echo "built $out ($(stat -c %s "$out") bytes)"
}

for src in src/*.c; do
  build "$src" "modules/$(basename "$src" .c).wasm"
done
for src in src/test-modules/*.c; do
  name=$(basename "$src" .c)
  build "$src" "modules/test-${name//_/-}.wasm"
done
