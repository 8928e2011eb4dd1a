#!/usr/bin/env bash
# run-example.sh — the last step of `make run`: shows wasmbox running
# things, with the optimised build/wasmbox ($WASMBOX to use another).
#
# 1. examples/hello.wat: assembled with wat2wasm into build/examples/,
#    checked with `wasmbox validate`, its `add` export called with
#    `wasmbox run --invoke`.
# 2. examples/wordfreq.c: an ordinary C program built for WASI with
#    `clang --target=wasm32-wasi --sysroot=/usr -O2` (Debian's clang, lld,
#    wasi-libc, libclang-rt-14-dev-wasm32) into build/examples/wordfreq.wasm,
#    then run on a fresh copy of examples/data/ in build/example-data/,
#    granted to the guest as /data and nothing else, under a memory cap and
#    a timeout. It counts the words of the text files there and writes its
#    report next to them.
# 3. examples/hello-http.c: a WAGI handler built the same way into
#    examples/hello-http.wasm (the README's quick start serves it), served
#    by `wasmbox serve` on a free port for two curl requests, then stopped
#    with SIGTERM.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

WASMBOX=${WASMBOX:-build/wasmbox}
out=build/examples
data=build/example-data
mkdir -p "$out"

# show COMMAND... — prints the command, then runs it.
show() {
    printf '\n$'
    printf ' %q' "$@"
    printf '\n'
    "$@"
}

echo "== 1. a module in the text format: validate it, call an export"
wat2wasm examples/hello.wat -o "$out/hello.wasm"
show "$WASMBOX" validate "$out/hello.wasm"
echo "(valid: wasmbox validate prints nothing)"
show "$WASMBOX" run --invoke add "$out/hello.wasm" 2 40

echo
echo "== 2. a C program built for WASI, run in a sandbox"
src=examples/wordfreq.c
wasm=$out/wordfreq.wasm
if [[ ! -e $wasm || $src -nt $wasm ]]; then
    show clang --target=wasm32-wasi --sysroot=/usr -O2 "$src" -o "$wasm"
fi
echo "built $wasm ($(wc -c <"$wasm") bytes)"
rm -rf "$data"
cp -R examples/data "$data"
echo "its input: $data/ ($(find "$data" -type f | wc -l) text files), seen by the guest as /data"
status=0
show "$WASMBOX" run --dir "$data::/data" --max-memory 64MiB --timeout 10s \
    "$wasm" /data 8 || status=$?
if [[ $status -ne 0 ]]; then
    echo "FAILED: the example exited with status $status (see above)" >&2
    exit 1
fi
report=$data/wordfreq-report.txt
echo
echo "The guest wrote $report; its first lines:"
head -n 6 "$report" | sed 's/^/  /'
echo
echo "It could not have read or written anything outside $data/."

echo
echo "== 3. an HTTP handler: a fresh sandbox for every request"
src=examples/hello-http.c
wasm=examples/hello-http.wasm
if [[ ! -e $wasm || $src -nt $wasm ]]; then
    show clang --target=wasm32-wasi --sysroot=/usr -O2 "$src" -o "$wasm"
fi
log=$out/serve.log
printf '\n$ %s serve --listen 127.0.0.1:0 %s &\n' "$WASMBOX" "$wasm"
"$WASMBOX" serve --listen 127.0.0.1:0 "$wasm" >"$out/access.log" 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
port=
for _ in $(seq 100); do
    port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$log")
    [[ -n $port ]] && break
    sleep 0.05
done
cat "$log"
if [[ -z $port ]]; then
    echo "FAILED: wasmbox serve did not start (see above)" >&2
    exit 1
fi
show curl -sS "http://127.0.0.1:$port/hello"
show curl -sS -i "http://127.0.0.1:$port/world"
kill -TERM "$server"
wait "$server" || { echo "FAILED: wasmbox serve exited with status $?" >&2; exit 1; }
trap - EXIT
echo
echo "Its access log ($out/access.log):"
sed 's/^/  /' "$out/access.log"
echo
echo "Serve it yourself: $WASMBOX serve $wasm   (then: curl http://127.0.0.1:8080/)"
echo "Every option: $WASMBOX run --help, $WASMBOX serve --help"
