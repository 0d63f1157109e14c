#!/usr/bin/env bash
# Fetches the real-program corpus (modules.txt) with `npm pack` into a cache outside the repository
# and prints the directory holding <name>.wasm for every module. Idempotent: a module whose file is
# already there with the pinned sha256 is not fetched again. Exit status 3: the npm registry cannot
# be reached (the corpus tests then skip, loudly); 1: a download does not match its pinned hash.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${WASMUDF_CORPUS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmudf-corpus}"
mkdir -p "$cache/packs" "$cache/modules"
command -v npm >/dev/null || { echo "fetch.sh: npm is not installed" >&2; exit 3; }

while read -r name pkg file lang sha; do
  case "$name" in ''|\#*) continue ;; esac
  out="$cache/modules/$name.wasm"
  if [ -f "$out" ] && [ "$(sha256sum "$out" | cut -d' ' -f1)" = "$sha" ]; then
    continue
  fi
  # npm names the tarball after the package: @scope/name@1.0 -> scope-name-1.0.tgz
  tgz="$cache/packs/$(echo "${pkg#@}" | sed 's|/|-|; s|@\([^@]*\)$|-\1|').tgz"
  if [ ! -f "$tgz" ]; then
    # a private directory per run, renamed into place: two concurrent fetches never see a half-written file
    packdir="$(mktemp -d "$cache/packs/.pack.XXXXXX")"
    if ! (cd "$packdir" && timeout 300 npm pack "$pkg" --silent >/dev/null 2>"$packdir/npm.err"); then
      echo "fetch.sh: npm pack $pkg failed (registry unreachable?): $(tail -3 "$packdir/npm.err")" >&2
      rm -rf "$packdir"
      exit 3
    fi
    mv "$packdir/$(basename "$tgz")" "$tgz"
    rm -rf "$packdir"
  fi
  tmp="$(mktemp "$out.XXXXXX")"
  tar -xzf "$tgz" -O "package/$file" > "$tmp"
  got="$(sha256sum "$tmp" | cut -d' ' -f1)"
  if [ "$got" != "$sha" ]; then
    echo "fetch.sh: $name ($pkg $file) has sha256 $got, pinned $sha" >&2
    rm -f "$tmp"
    exit 1
  fi
  mv "$tmp" "$out"
done < "$here/modules.txt"
echo "$cache/modules"
