#!/usr/bin/env bash
# lib.bash — helpers shared by the CLI test scripts (sourced, not run):
# $WASMBOX (default build/asan/wasmbox), a temp dir $tmp, run/check, output
# predicates and `wat NAME <<< TEXT` to assemble a test module. Each script
# ends with: echo "$passed passed, $failed failed"; [[ $failed -eq 0 ]]
# shellcheck disable=SC2034  # passed/failed/rc are read by the sourcing script

WASMBOX=${WASMBOX:-build/asan/wasmbox}
if [[ ! -x $WASMBOX ]]; then
    echo "${0##*/}: $WASMBOX is not built" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
command -v wat2wasm >/dev/null || {
    echo "${0##*/}: wat2wasm not found (Debian package wabt)" >&2
    echo "0 passed, 1 failed"
    exit 1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# run ARGS... — runs wasmbox, leaving its status in $rc, its stdout in
# $tmp/out and its stderr in $tmp/err.
run() {
    set +e
    "$WASMBOX" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    set -e
}

# check DESCRIPTION CONDITION... — one test case: passes when the condition
# (a command) succeeds; on failure shows what wasmbox printed.
check() {
    local what=$1
    shift
    if "$@"; then
        echo "ok - $what"
        passed=$((passed + 1))
    else
        echo "not ok - $what"
        echo "#   exit status $rc; stdout:"
        sed 's/^/#     /' "$tmp/out"
        echo "#   stderr:"
        sed 's/^/#     /' "$tmp/err"
        failed=$((failed + 1))
    fi
}

status_is() { [[ $rc -eq $1 ]]; }
no_stdout() { [[ ! -s $tmp/out ]]; }
silent() { [[ ! -s $tmp/out && ! -s $tmp/err ]]; }
stdout_has() { grep -Eq -- "$1" "$tmp/out"; }
stderr_has() { grep -Eq -- "$1" "$tmp/err"; }
stderr_lines() { [[ $(wc -l <"$tmp/err") -eq $1 ]]; }

# ---------------------------------------------------------------- modules
wat() { # wat NAME [wat2wasm flags] <<< TEXT
    local name=$1
    shift
    cat >"$tmp/$name.wat"
    wat2wasm "$@" "$tmp/$name.wat" -o "$tmp/$name.wasm"
}

