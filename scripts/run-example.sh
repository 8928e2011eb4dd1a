#!/usr/bin/env bash
# run-example.sh — the last step of `make run`: assembles examples/hello.wat
# with wat2wasm into build/examples/hello.wasm and checks it with
# `build/wasmbox validate`. Running workloads comes with the WASI work; until
# then this step only validates the example.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

WASMBOX=${WASMBOX:-build/wasmbox}
src=examples/hello.wat
out=build/examples/hello.wasm

mkdir -p "$(dirname "$out")"
wat2wasm "$src" -o "$out"
echo "assembled $src -> $out ($(wc -c <"$out") bytes)"

echo "\$ $WASMBOX validate $out"
if "$WASMBOX" validate "$out"; then
    echo "ok: $out is a valid WebAssembly module."
else
    echo "FAILED: wasmbox rejected $out (see the message above)." >&2
    exit 1
fi
echo "Note: wasmbox cannot run workloads yet; that comes with the WASI work."
echo "For now \`make run\` only validates the example."
