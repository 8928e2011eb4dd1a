#!/usr/bin/env bash
# make-fuzz-corpus.sh — rebuilds the fuzzing seed corpus tests/fuzz/corpus/
# from the spec suite's modules. Run it by hand when the spec suite changes,
# and commit the result.
#
# Converts every .wast in $WASM_TESTSUITE (default ../shared/wasm-testsuite)
# with wast2json in a temporary folder, keeps the binary .wasm modules of at
# most 64 KiB (valid, invalid and malformed ones alike: all are good seeds),
# names each by the sha1 of its bytes (so duplicates fall together), and
# takes the smallest first until the corpus would pass ~3 MB.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

suite=${WASM_TESTSUITE:-../shared/wasm-testsuite}
corpus=tests/fuzz/corpus
max_file=65536           # bytes; larger modules slow the fuzzer down
max_total=$((3000 * 1024)) # bytes in all

[[ -d $suite ]] || {
    echo "make-fuzz-corpus: no spec suite at $suite (set WASM_TESTSUITE)" >&2
    exit 1
}
command -v wast2json >/dev/null || {
    echo "make-fuzz-corpus: wast2json not found (Debian package wabt)" >&2
    exit 1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/json" "$tmp/unique"

converted=0
for wast in "$suite"/*.wast; do
    base=$(basename "$wast" .wast)
    if wast2json "$wast" -o "$tmp/json/$base.json" 2>"$tmp/err"; then
        converted=$((converted + 1))
    else
        echo "make-fuzz-corpus: skipping $wast: wast2json failed:" >&2
        head -n 3 "$tmp/err" >&2
    fi
done

# One copy of each distinct module, named by its sha1.
find "$tmp/json" -name '*.wasm' -size -$((max_file + 1))c -print0 |
    xargs -0 -r sha1sum |
    while read -r sum path; do
        [[ -e $tmp/unique/$sum ]] || cp "$path" "$tmp/unique/$sum"
    done

# Smallest first (then by name, so the choice is stable) up to the budget.
rm -rf "$corpus"
mkdir -p "$corpus"
total=0 kept=0 dropped=0
while read -r size sum; do
    if ((total + size > max_total)); then
        dropped=$((dropped + 1))
        continue
    fi
    cp "$tmp/unique/$sum" "$corpus/$sum"
    total=$((total + size))
    kept=$((kept + 1))
done < <(find "$tmp/unique" -type f -printf '%s %f\n' | sort -k1,1n -k2,2)

echo "make-fuzz-corpus: $converted .wast files converted;" \
    "$kept modules ($total bytes) in $corpus; $dropped left out for size"
