#!/usr/bin/env bash
# fuzz.sh SECONDS — fuzzes decode + validate with libFuzzer for SECONDS
# seconds on both cores (FUZZ_JOBS=N to change). Called by `make fuzz FUZZ_SECONDS=N` after it built
# build/fuzz-module (clang -fsanitize=fuzzer,address,undefined).
#
# The fuzzer works on build/fuzz-corpus, a copy of the seeds in
# tests/fuzz/corpus that grows from run to run, so the repository's corpus
# stays small. Its artifacts (crash-*, leak-*, timeout-*, oom-*) are written
# to build/fuzz-artifacts and copied into tests/fuzz/regressions/, where
# `make test` replays them: fix the bug, and keep the file.
#
# FUZZER=DIR/fuzz-TARGET picks another target (`make fuzz FUZZ_TARGET=...`);
# DIR replaces build above. The targets module and exec share the files
# named above; a target with seeds of its own, tests/fuzz/corpus-TARGET
# (http, cgi), works on DIR/fuzz-corpus-TARGET and keeps its findings in
# tests/fuzz/regressions-TARGET.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ $# -ne 1 || ! $1 =~ ^[0-9]+$ || $1 -eq 0 ]]; then
    echo "usage: $0 SECONDS" >&2
    exit 2
fi
seconds=$1
fuzzer=${FUZZER:-build/fuzz-module}
target=${fuzzer##*/fuzz-}
out=$(dirname "$fuzzer")
seeds=tests/fuzz/corpus
work=$out/fuzz-corpus
artifacts=$out/fuzz-artifacts
regressions=tests/fuzz/regressions
if [[ -d tests/fuzz/corpus-$target ]]; then
    seeds=tests/fuzz/corpus-$target
    work=$out/fuzz-corpus-$target
    artifacts=$out/fuzz-artifacts-$target
    regressions=tests/fuzz/regressions-$target
fi

[[ -x $fuzzer ]] || {
    echo "fuzz: $fuzzer is not built; run 'make fuzz'" >&2
    exit 1
}
mkdir -p "$work" "$regressions"
cp -n "$seeds"/* "$work"/ 2>/dev/null || true
rm -rf "$artifacts"
mkdir -p "$artifacts"

echo "fuzz: $seconds s on $fuzzer, corpus $work ($(find "$work" -type f | wc -l) inputs)"
rc=0
"$fuzzer" -fork="${FUZZ_JOBS:-2}" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$artifacts/" -print_final_stats=1 \
    "$work" </dev/null || rc=$?

found=()
while IFS= read -r -d '' file; do
    name=$(basename "$file")
    [[ -e $regressions/$name ]] || cp "$file" "$regressions/$name"
    found+=("$regressions/$name")
done < <(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' \
    -o -name 'timeout-*' -o -name 'oom-*' \) -print0)

if [[ ${#found[@]} -gt 0 ]]; then
    echo
    echo "fuzz: the fuzzer found ${#found[@]} failing input(s), now in $regressions/:"
    printf '  %s\n' "${found[@]}"
    replay=fuzz-replay
    [[ $target == module ]] || replay=fuzz-$target-replay
    echo "Reproduce one with: $fuzzer FILE  (or build/asan/$replay FILE)."
    echo "Fix the bug, then keep the file: \`make test\` replays every regression."
    exit 1
fi
if [[ $rc -ne 0 ]]; then
    echo "fuzz: the fuzzer exited with status $rc but left no artifact" >&2
    exit "$rc"
fi
echo "fuzz: no crash, leak or timeout in $seconds s"
