#!/usr/bin/env bash
# wasi_build.bash — building C test programs for wasm32-wasi, shared by
# tests/wasi/run.sh and tests/serve/run.sh (sourced, not run).
#
#   wasi_build OUT DEP... -- SRC...
#
# builds each SRC into OUT/NAME.wasm with $WASI_CC (default clang)
# --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra, unless the .wasm is
# newer than SRC and every DEP (a shared header). Sets wasi_built and
# wasi_fresh (counts) and wasi_failed (the names that did not build; the
# compiler's messages are printed indented with '#   '). Returns 1, with
# the reason in wasi_error, when the compiler is missing.
# shellcheck disable=SC2034  # the wasi_* results are read by the sourcing script

WASI_CC=${WASI_CC:-clang}

wasi_build() {
    local out=$1 src name wasm dep stale log
    shift
    local deps=()
    while [[ $# -gt 0 && $1 != -- ]]; do
        deps+=("$1")
        shift
    done
    shift
    wasi_built=0 wasi_fresh=0 wasi_failed=()
    if ! command -v "$WASI_CC" >/dev/null; then
        wasi_error="$WASI_CC not found: Debian packages clang, lld, wasi-libc, libclang-rt-14-dev-wasm32"
        return 1
    fi
    mkdir -p "$out"
    log=$(mktemp)
    for src in "$@"; do
        name=$(basename "$src" .c)
        wasm=$out/$name.wasm
        stale=0
        [[ -e $wasm && $wasm -nt $src ]] || stale=1
        for dep in "${deps[@]}"; do
            [[ $wasm -nt $dep ]] || stale=1
        done
        if [[ $stale -eq 0 ]]; then
            wasi_fresh=$((wasi_fresh + 1))
            continue
        fi
        if "$WASI_CC" --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra \
            "$src" -o "$wasm.tmp" 2>"$log"; then
            mv "$wasm.tmp" "$wasm"
            wasi_built=$((wasi_built + 1))
        else
            rm -f "$wasm.tmp"
            sed 's/^/#   /' "$log"
            wasi_failed+=("$name")
        fi
    done
    rm -f "$log"
    return 0
}
