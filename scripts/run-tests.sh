#!/usr/bin/env bash
# run-tests.sh — runs every test suite against the sanitized build and sums
# up. Called by `make test` once build/asan/ holds wasmbox, unit-tests,
# spec-runner and fuzz-replay.
#
# Suites: unit (build/asan/unit-tests), spec (build/asan/spec-runner, in
# native code, then again with --interpreter),
# fuzz-replay (build/asan/fuzz-replay over tests/fuzz/corpus and
# tests/fuzz/regressions), fuzz-exec-replay (the same inputs),
# fuzz-http-replay and fuzz-cgi-replay (over tests/fuzz/corpus-TARGET and
# tests/fuzz/regressions-TARGET), one per tests/cli/*.sh, and wasi
# (tests/wasi/run.sh: C programs built for wasm32-wasi into build/wasi/ and
# run with `wasmbox run`), and serve (tests/serve/run.sh: handlers built
# into build/serve/, `wasmbox serve` checked with curl and a Python
# client). Each suite ends its output with the line
# "N passed, N failed"; its whole output is shown. A suite that exits non-zero
# with no failure counted (a crash, a sanitizer report, a leak), or prints no
# such line, counts as 1 failed. Prints a summary table and ends with the
# line "N passed, N failed" for all suites; exits 1 if anything failed.
#
# Environment: SUITE_TIMEOUT (seconds per suite, default 1800); ASAN_DIR
# (where the sanitized programs are, default build/asan); WASMBOX (the CLI
# under test, default $ASAN_DIR/wasmbox).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ASAN=${ASAN_DIR:-build/asan}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export WASMBOX=${WASMBOX:-$ASAN/wasmbox}
timeout_s=${SUITE_TIMEOUT:-1800}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

names=() passes=() fails=() notes=()
total_passed=0 total_failed=0

# run_suite NAME COMMAND... — runs one suite, shows its output, records its
# counts from its last "N passed, N failed" line.
run_suite() {
    local name=$1
    shift
    local out=$tmp/out rc=0 last="" passed=0 failed=0 note=""
    printf '\n======== %s: %s\n' "$name" "$*"
    if [[ $1 == */* && ! -x $1 ]]; then
        echo "$1: not built"
        note="not built" failed=1
    else
        set +e
        timeout -k 10 "$timeout_s" "$@" </dev/null 2>&1 | tee "$out"
        rc=${PIPESTATUS[0]}
        set -e
        last=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' \
            "$out" | tail -n 1 || true)
        if [[ $last =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]]; then
            passed=${BASH_REMATCH[1]}
            failed=${BASH_REMATCH[2]}
            [[ -n ${BASH_REMATCH[4]} ]] && note="${BASH_REMATCH[4]} skipped"
        fi
        if [[ $rc -eq 124 ]]; then
            note="timed out after ${timeout_s}s"
            failed=$((failed + 1))
        elif [[ -z $last ]]; then
            note="no 'N passed, N failed' line (exit status $rc)"
            failed=$((failed + 1))
        elif [[ $rc -ne 0 && $failed -eq 0 ]]; then
            note="exit status $rc with no failure counted: crash or sanitizer report?"
            failed=$((failed + 1))
        fi
    fi
    if [[ $rc -ne 0 || $failed -ne 0 ]]; then
        printf '======== %s: FAILED%s\n' "$name" "${note:+ ($note)}"
    fi
    names+=("$name") passes+=("$passed") fails+=("$failed") notes+=("$note")
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
}

run_suite unit "$ASAN/unit-tests"
run_suite spec "$ASAN/spec-runner"
run_suite spec-interpreter "$ASAN/spec-runner" --interpreter
run_suite fuzz-replay "$ASAN/fuzz-replay" tests/fuzz/corpus tests/fuzz/regressions
run_suite fuzz-exec-replay "$ASAN/fuzz-exec-replay" tests/fuzz/corpus tests/fuzz/regressions
for target in http cgi; do
    run_suite "fuzz-$target-replay" "$ASAN/fuzz-$target-replay" "tests/fuzz/corpus-$target" \
        "tests/fuzz/regressions-$target"
done
for script in tests/cli/*.sh; do
    [[ -e $script ]] || continue
    name=${script#tests/}
    run_suite "${name%.sh}" bash "$script"
done
run_suite wasi bash tests/wasi/run.sh
run_suite serve bash tests/serve/run.sh

printf '\n======== summary\n'
printf '%-16s %8s %8s  %s\n' suite passed failed note
for i in "${!names[@]}"; do
    printf '%-16s %8s %8s%s\n' "${names[$i]}" "${passes[$i]}" "${fails[$i]}" \
        "${notes[$i]:+  ${notes[$i]}}"
done
echo "$total_passed passed, $total_failed failed"
[[ $total_failed -eq 0 ]]
