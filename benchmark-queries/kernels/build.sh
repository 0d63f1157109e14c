#!/usr/bin/env bash
# Rebuilds the benchmark modules into src/main/resources/io/wasmudf/bench/ (checked in, so the
# benchmarks need no C toolchain). Needs clang with the WebAssembly backend and wasm-ld (Debian:
# clang, lld); wasm-objdump (wabt), when present, checks that no module imports anything.
#   KERNEL.c      -> KERNEL.wasm     one kernel per module, zero imports
#   simd.c        -> simd.wasm (-msimd128) and simd_scalar.wasm (the same source without SIMD)
#   sqlbench.c    -> sqlbench.wasm   the per-row SQL UDFs (uses wasm-udfs/include/wasmudf.h)
#   sqlbench16.c  -> sqlbench16.wasm its text UDFs with latin1+utf16 text arguments
#   gen_large.py  -> large.wasm     (~640 KB, 1200 functions: the compile benchmark's large module)
set -euo pipefail
cd "$(dirname "$0")"
OUT=../src/main/resources/io/wasmudf/bench
CLANG=${CLANG:-clang}
mkdir -p "$OUT"

# Compile and link separately: the clang driver runs wasm-opt itself when it is on the PATH,
# which would make the output depend on the machine. Plain clang -O2 is what we measure.
build() { # src out [extra cflags...]
  local src=$1 out=$2; shift 2
  local obj; obj=$(mktemp --suffix=.o)
  "$CLANG" --target=wasm32 -O2 -nostdlib -ffreestanding -Wall -Wno-tautological-compare "$@" -c -o "$obj" "$src"
  wasm-ld --no-entry --strip-debug -o "$out" "$obj"
  rm -f "$obj"
  if command -v wasm-objdump >/dev/null 2>&1 && wasm-objdump -h "$out" | grep -q '^ *Import '; then
    echo "build.sh: $out has imports" >&2; exit 1
  fi
  echo "built $out ($(stat -c %s "$out") bytes)"
}

for k in add fib crc32 sieve mandelbrot utf8; do
  build "$k.c" "$OUT/$k.wasm"
done
# issue 20: the SIMD kernels, and the same source's scalar build beside them
build simd.c "$OUT/simd.wasm" -msimd128
build simd.c "$OUT/simd_scalar.wasm"
build sqlbench.c "$OUT/sqlbench.wasm" -I../../wasm-udfs/include
build sqlbench16.c "$OUT/sqlbench16.wasm" -I../../wasm-udfs/include
# The generator, not its 1.2 MB output, is the source; warnings about its random expressions
# (x = x, a > a) are expected.
large_c=$(mktemp --suffix=.c)
python3 gen_large.py 1200 > "$large_c"
build "$large_c" "$OUT/large.wasm" -w
rm -f "$large_c"
