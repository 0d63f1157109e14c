#!/usr/bin/env bash
# Rebuilds every module in modules/ from src/ (byte-for-byte the same on every run with the same
# toolchains: Debian 12's clang 14, binaryen 108, rustc 1.63, wasi-libc 0.0~git20220510, and the
# npm assemblyscript pinned in assemblyscript/package-lock.json).
# Freestanding C with clang + wasm-ld (Debian: clang, lld):
#   src/NAME.c               -> modules/NAME.wasm        (UDF modules)
#   src/test-modules/NAME.c  -> modules/test-NAME.wasm   (hostile modules for engine tests;
#                                                          '_' in NAME becomes '-')
# Then each toolchain's default build (these modules import WASI / AssemblyScript's env / wasmudf):
#   src/wasi/NAME.c          -> modules/wasi-NAME.wasm   C with wasi-libc (Debian: wasi-libc,
#   src/wasi/test_NAME.c     -> modules/test-wasi-NAME.wasm   libclang-rt-dev-wasm32), a reactor
#   src/strings.c            -> modules/wasi-strings.wasm     (the same C, with wasi-libc)
#   src/rust/udfs.rs         -> modules/rust-udfs.wasm (wasm32-unknown-unknown),
#                               modules/rust-udfs-wasi.wasm (wasm32-wasi)   Debian's rustc
#   src/rust/test_NAME.rs    -> modules/test-rust-NAME.wasm (wasm32-wasi)   + libstd-rust-dev-wasm32
#   src/assemblyscript/NAME.ts      -> modules/as-NAME.wasm        npm assemblyscript (asc's
#   src/assemblyscript/test_NAME.ts -> modules/test-as-NAME.wasm   default options, --optimize)
# A toolchain that is missing is reported and its modules are left as they are.
# Optional tools: wasm-opt (binaryen) post-optimises the freestanding C; wabt's wasm-objdump checks
# that no freestanding module except test-imports imports anything (and that the others import
# only what WasmUDF provides) and wasm-validate that each freestanding one is plain WebAssembly 1.0.
# Environment: CLANG, WASM_OPT (empty string disables it), CFLAGS_EXTRA, RUSTC (default
# /usr/bin/rustc: Debian's, which has the wasm32 targets), NPM.
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

# ---------------------------------------------------------------- toolchains' default builds
# Imports each kind of module may have: what WasmUDF's HostEnvironment provides.
check_imports() { # out allowed-regex
  command -v wasm-objdump >/dev/null 2>&1 || return 0
  local bad
  bad=$(wasm-objdump -j Import -x "$1" 2>/dev/null | grep -- '<- ' | sed 's/.*<- //' | grep -Ev "^($2)\$" || true)
  if [[ -n "$bad" ]]; then
    echo "build.sh: $1 imports what the host does not provide: $bad" >&2
    exit 1
  fi
  wasm-validate "$1" 2>/dev/null || { command -v wasm-validate >/dev/null 2>&1 && { echo "build.sh: $1 does not validate" >&2; exit 1; }; } || true
  echo "built $1 ($(stat -c %s "$1") bytes)"
}
WASI_IMPORTS='wasi_snapshot_preview1\.[a-z_]+|wasmudf\.(raise_error|notice|warning)'
AS_IMPORTS='env\.(abort|trace|seed)|wasmudf\.(raise_error|notice|warning)'

# C with wasi-libc, the default reactor command (stdio, malloc)
if echo 'int x;' | "$CLANG" --target=wasm32-wasi -x c -c -o /dev/null - 2>/dev/null \
   && echo 'int main(void){return 0;}' | "$CLANG" --target=wasm32-wasi -mexec-model=reactor -x c -o /dev/null - 2>/dev/null; then
  for src in src/wasi/*.c; do
    name=$(basename "$src" .c)
    case "$name" in test_*) out="modules/test-wasi-${name#test_}.wasm" ;; *) out="modules/wasi-$name.wasm" ;; esac
    out=${out//_/-}
    "$CLANG" --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror -Iinclude -o "$out" "$src"
    check_imports "$out" "$WASI_IMPORTS"
  done
  # the freestanding strings.c again, with wasi-libc: the same functions both ways, for the
  # tests (same results) and the benchmarks (what WASI costs per call)
  "$CLANG" --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror -Iinclude -o modules/wasi-strings.wasm src/strings.c
  check_imports modules/wasi-strings.wasm "$WASI_IMPORTS"
else
  echo "build.sh: SKIPPED src/wasi: $CLANG cannot build for wasm32-wasi (Debian: apt-get install wasi-libc libclang-rt-dev-wasm32)" >&2
fi

# Rust with Debian's rustc: the SDK as an rlib, then each UDF crate as a cdylib
RUSTC=${RUSTC:-/usr/bin/rustc}
rust_build() { # target src out
  local tmp
  tmp=$(mktemp -d)
  "$RUSTC" --edition 2021 --crate-type rlib --crate-name wasmudf --target "$1" -O --remap-path-prefix="$PWD=." \
    -o "$tmp/libwasmudf.rlib" rust/wasmudf/src/lib.rs
  "$RUSTC" --edition 2021 --crate-type cdylib --target "$1" -O -C strip=debuginfo --remap-path-prefix="$PWD=." \
    --extern wasmudf="$tmp/libwasmudf.rlib" -o "$tmp/out.wasm" "$2"
  cp "$tmp/out.wasm" "$3"
  rm -rf "$tmp"
}
if [[ -x "$RUSTC" ]] && "$RUSTC" --print target-libdir --target wasm32-wasi >/dev/null 2>&1 \
   && [[ -d "$("$RUSTC" --print target-libdir --target wasm32-wasi)" && -d "$("$RUSTC" --print target-libdir --target wasm32-unknown-unknown)" ]]; then
  rust_build wasm32-unknown-unknown src/rust/udfs.rs modules/rust-udfs.wasm
  check_imports modules/rust-udfs.wasm 'wasmudf\.(raise_error|notice|warning)'
  rust_build wasm32-wasi src/rust/udfs.rs modules/rust-udfs-wasi.wasm
  check_imports modules/rust-udfs-wasi.wasm "$WASI_IMPORTS"
  for src in src/rust/test_*.rs; do
    name=$(basename "$src" .rs)
    out="modules/test-rust-${name#test_}.wasm"
    rust_build wasm32-wasi "$src" "${out//_/-}"
    check_imports "${out//_/-}" "$WASI_IMPORTS"
  done
else
  echo "build.sh: SKIPPED src/rust: $RUSTC has no wasm32 standard library (Debian: apt-get install rustc libstd-rust-dev-wasm32)" >&2
fi

# AssemblyScript with the pinned asc and its default options
NPM=${NPM:-npm}
if [[ ! -x assemblyscript/node_modules/.bin/asc ]] && command -v "$NPM" >/dev/null 2>&1; then
  (cd assemblyscript && "$NPM" ci --no-audit --no-fund --loglevel=error)
fi
if [[ -x assemblyscript/node_modules/.bin/asc ]]; then
  for src in src/assemblyscript/*.ts; do
    name=$(basename "$src" .ts)
    case "$name" in test_*) out="modules/test-as-${name#test_}.wasm" ;; *) out="modules/as-$name.wasm" ;; esac
    out=${out//_/-}
    (cd assemblyscript && node_modules/.bin/asc "../$src" -o "../$out" --optimize)
    check_imports "$out" "$AS_IMPORTS"
  done
else
  echo "build.sh: SKIPPED src/assemblyscript: no asc (needs node and npm: cd assemblyscript && npm ci)" >&2
fi
