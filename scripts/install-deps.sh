#!/usr/bin/env bash
# install-deps.sh MODE — installs, from Debian's packages, what wasmbox needs
# and is missing on this machine (Debian 12). Called by `make run` (build)
# and `make test` / `make fuzz` (test); safe to run again and again.
#
#   build   gcc, make, libyaml-dev (the routes file of `wasmbox serve`),
#           libhttp-parser-dev (its HTTP/1.1 request parser), wabt (wat2wasm
#           assembles examples/hello.wat), and clang, lld, wasi-libc and
#           libclang-rt-14-dev-wasm32 (clang --target=wasm32-wasi builds the
#           example workloads examples/*.c), curl (the example asks
#           `wasmbox serve` for a page)
#   test    build's, plus libclang-rt-14-dev (libFuzzer and the sanitizers
#           under clang), libcjson-dev (the spec runner reads wast2json's
#           JSON), curl and python3 (the clients of the serve suite); the
#           WASI test programs use build's WASI toolchain
#   bench   `make bench`: gcc and make (the build), clang, lld, wasi-libc and
#           libclang-rt-14-dev-wasm32 (the benchmark programs, native and
#           wasm32-wasi); with BENCH_NODE=1 also nodejs (the node column)
#   serve-bench  `make bench-serve`: build's toolchain for `make all` and
#           examples/hello-http.c, plus wrk (the load generator) and
#           nginx-light (the static-file server it is compared with)
#
# Prints nothing when everything is there. As root, runs `apt-get update`
# once and installs the missing packages, saying which in one line. As
# another user, prints the command to run and exits 1.
set -euo pipefail

usage() {
    echo "usage: $0 build|test|bench|serve-bench" >&2
    exit 2
}

[[ $# -eq 1 ]] || usage
case $1 in
build) packages=(gcc make libyaml-dev libhttp-parser-dev wabt clang lld wasi-libc
    libclang-rt-14-dev-wasm32 curl) ;;
test) packages=(gcc make libyaml-dev libhttp-parser-dev wabt clang lld wasi-libc
    libclang-rt-14-dev-wasm32 libclang-rt-14-dev libcjson-dev curl python3) ;;
bench)
    packages=(gcc make libyaml-dev libhttp-parser-dev clang lld wasi-libc
        libclang-rt-14-dev-wasm32)
    if [[ ${BENCH_NODE:-0} == 1 ]]; then packages+=(nodejs); fi
    ;;
serve-bench) packages=(gcc make libyaml-dev libhttp-parser-dev clang lld wasi-libc
    libclang-rt-14-dev-wasm32 wrk nginx-light) ;;
*) usage ;;
esac

missing=()
for pkg in "${packages[@]}"; do
    # shellcheck disable=SC2016 # ${Status} is dpkg-query's, not the shell's
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing Debian packages: ${missing[*]}" >&2
    echo "install them as root with:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

echo "install-deps: installing ${missing[*]}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -q &&
    apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
    </dev/null >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-deps: apt-get failed; its output is above" >&2
    exit 1
fi
